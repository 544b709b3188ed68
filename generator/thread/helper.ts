import { Worker } from "node:worker_threads";

/** The work the helper thread does, by task: openapi-typescript's Node API on a document, printed by its astToString. */
export interface HelperTasks {
  "openapi-types": { document: unknown; options: Record<string, unknown> };
}

type Settle = { resolve: (output: string) => void; reject: (error: Error) => void };

let worker: Worker | undefined;
const waiting = new Map<number, Settle>();
let nextId = 0;

/**
 * Starts the helper thread if it is not running. It loads openapi-typescript (with the TypeScript
 * compiler under it, a second of start-up) on the second core while the main thread loads the spec.
 * It does not keep the process alive while idle.
 */
export function startHelperThread(): void {
  if (worker) return;
  // A plain .mjs with no loader flags: the thread runs the same under tsx, vitest and plain node.
  const thread = new Worker(new URL("./worker.mjs", import.meta.url), { execArgv: [] });
  thread.unref();
  thread.on("message", ({ id, output, error }: { id: number; output?: string; error?: string }) => {
    const settle = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) thread.unref();
    if (output !== undefined) settle?.resolve(output);
    else settle?.reject(new Error(error));
  });
  const fail = (error: Error) => {
    if (worker === thread) worker = undefined;
    for (const settle of waiting.values()) settle.reject(error);
    waiting.clear();
  };
  thread.on("error", fail);
  thread.on("exit", (code) => fail(new Error(`the generator's helper thread exited with code ${code}`)));
  worker = thread;
}

/**
 * Ends the helper thread and frees its memory (TypeScript, openapi-typescript, the documents it
 * was given); the next task starts a new one. A one-off run calls it once its tasks are done.
 */
export async function stopHelperThread(): Promise<void> {
  const thread = worker;
  if (!thread || waiting.size > 0) return;
  worker = undefined;
  thread.removeAllListeners("exit");
  await thread.terminate();
}

/** Runs one task on the helper thread (started if need be) and resolves with its text. */
export function runOnHelperThread<T extends keyof HelperTasks>(task: T, input: HelperTasks[T]): Promise<string> {
  startHelperThread();
  const thread = worker!;
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    thread.ref();
    thread.postMessage({ id, task, input });
  });
}
