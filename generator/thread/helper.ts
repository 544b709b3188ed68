import { Worker } from "node:worker_threads";
import type { StatementStructures } from "ts-morph";

/** The work the helper thread does, by task: what each task takes and what it answers. */
export interface HelperTasks {
  /** ts-morph's structure printers: each group of statements as the text of a file holding them. */
  "print-statements": { input: { groups: readonly (readonly StatementStructures[])[] }; output: string[] };
  /** openapi-typescript's Node API on a document, printed by its astToString. */
  "openapi-types": { input: { document: unknown; options: Record<string, unknown> }; output: string };
}

type Settle = { resolve: (output: unknown) => void; reject: (error: Error) => void };

let worker: Worker | undefined;
const waiting = new Map<number, Settle>();
let nextId = 0;

/**
 * Starts the helper thread if it is not running. It loads ts-morph and openapi-typescript (each
 * with a copy of the TypeScript compiler under it: over a second of start-up) on the second core
 * while the main thread loads the spec. It does not keep the process alive while idle.
 */
export function startHelperThread(): void {
  if (worker) return;
  // A plain .mjs with no loader flags: the thread runs the same under tsx, vitest and plain node.
  const thread = new Worker(new URL("./worker.mjs", import.meta.url), { execArgv: [] });
  thread.unref();
  thread.on("message", ({ id, output, error }: { id: number; output?: unknown; error?: string }) => {
    const settle = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) thread.unref();
    if (error === undefined) settle?.resolve(output);
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
 * Ends the helper thread and frees its memory (its tools, the documents it was given); the next
 * task starts a new one. A one-off run calls it once its tasks are done.
 */
export async function stopHelperThread(): Promise<void> {
  const thread = worker;
  if (!thread || waiting.size > 0) return;
  worker = undefined;
  thread.removeAllListeners("exit");
  await thread.terminate();
}

/** Runs one task on the helper thread (started if need be) and resolves with its answer. */
export function runOnHelperThread<T extends keyof HelperTasks>(task: T, input: HelperTasks[T]["input"]): Promise<HelperTasks[T]["output"]> {
  startHelperThread();
  const thread = worker!;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (output: unknown) => void, reject });
    thread.ref();
    thread.postMessage({ id, task, input });
  });
}
