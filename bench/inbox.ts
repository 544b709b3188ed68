/**
 * Inbox throughput: events/s through messenger-sdk/inbox (append to a Redis stream, consumer-group
 * reads, per-conversation lanes, acknowledgement) with 1 and 4 worker processes, against the same
 * handler called directly in one process with the same concurrency (16 at a time, no Redis): the
 * handler's own cost. Two handlers: "1 ms of I/O" (an awaited API call) and "no work", where the
 * difference per event is the inbox's overhead. redis-server runs on 127.0.0.1 with an append-only
 * file synced every second, as in production.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { BENCH_DIR, fmtOps, median, ratio, ROOT, type Row, type SectionResult } from "./lib.js";
import { handlers, type HandlerName } from "./inbox-handlers.js";
import { webhookBody } from "./payloads.js";
import { startRedis } from "../test/runtime/support/redis-server.js";

const CONCURRENCY = 16;
interface Event {
  id: string;
  senderId?: string;
}
interface InboxModule {
  RedisInbox: new (options: { client: Redis; keyPrefix: string }) => {
    append(events: Event[]): Promise<{ appended: number }>;
    stats(): Promise<{ waiting: number; pending: number }>;
  };
}

/** `count` distinct events: the benchmark delivery's five, over 50 people, with unique ids. */
async function makeEvents(sdkDir: string, count: number): Promise<Event[]> {
  const graph = (await import(pathToFileURL(join(sdkDir, "dist", "graph", "index.js")).href)) as { readGraphWebhookDelivery: (raw: string) => { events: Event[] } };
  const base = graph.readGraphWebhookDelivery(webhookBody).events;
  return Array.from({ length: count }, (_, i) => ({ ...base[i % base.length]!, id: `${base[i % base.length]!.id}#${i}`, senderId: `USER_${i % 50}` }));
}

/** The handler alone: `events` through CONCURRENCY lanes in this process. */
async function direct(handler: HandlerName, events: Event[]): Promise<number> {
  const handle = handlers[handler];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < events.length) await handle(events[next++]);
  }));
  return (events.length * 1000) / (performance.now() - started);
}

function startWorker(config: object): { child: ChildProcess; line: () => Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(BENCH_DIR, "inbox-worker.ts"), JSON.stringify(config)], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => (waiting.length ? waiting.shift()!(line) : queue.push(line)));
  return { child, line: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))) };
}

/** `events` appended up front, then drained by `workers` processes: events/s from "go" to an empty stream. */
async function throughInbox(sdkDir: string, port: number, handler: HandlerName, workers: number, events: Event[], round: string): Promise<{ eventsPerSecond: number; appendPerSecond: number }> {
  const { RedisInbox } = (await import(pathToFileURL(join(sdkDir, "dist", "inbox", "index.js")).href)) as InboxModule;
  const client = new Redis({ host: "127.0.0.1", port });
  const keyPrefix = `{bench-${round}}`;
  const inbox = new RedisInbox({ client, keyPrefix });
  const appendStarted = performance.now();
  for (let i = 0; i < events.length; i += 100) await inbox.append(events.slice(i, i + 100));
  const appendPerSecond = (events.length * 1000) / (performance.now() - appendStarted);

  const procs = Array.from({ length: workers }, (_, i) => startWorker({ sdkDir, port, keyPrefix, consumer: `w${i}`, handler }));
  for (const p of procs) if ((await p.line()) !== "ready") throw new Error("inbox worker did not start");
  const started = performance.now();
  for (const p of procs) p.child.stdin!.write("go\n");
  for (;;) {
    const stats = await inbox.stats();
    if (stats.waiting === 0 && stats.pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const ms = performance.now() - started;
  for (const p of procs) p.child.stdin!.write("stop\n");
  const handled = (await Promise.all(procs.map(async (p) => (JSON.parse(await p.line()) as { handled: number }).handled))).reduce((a, b) => a + b, 0);
  if (handled !== events.length) throw new Error(`the workers handled ${handled} events, expected ${events.length}`);
  client.disconnect();
  return { eventsPerSecond: (events.length * 1000) / ms, appendPerSecond };
}

export async function inboxSection(sdkDir: string, options: { events?: number; rounds?: number } = {}): Promise<SectionResult> {
  const dir = mkdtempSync(join(tmpdir(), "bench-inbox-"));
  const server = await startRedis({ dataDir: dir, appendfsync: "everysec" });
  const port = server.port;
  try {
    const count = options.events ?? 20_000;
    const events = await makeEvents(sdkDir, count);
    const rounds = options.rounds ?? 3;
    const rows: Row[] = [];
    const data: Record<string, unknown> = { events: count, concurrency: CONCURRENCY };
    for (const handler of Object.keys(handlers) as HandlerName[]) {
      const samples: Record<string, number[]> = { direct: [], "1 worker": [], "4 workers": [], append: [] };
      for (let round = 0; round < rounds; round++) {
        samples["direct"]!.push(await direct(handler, events));
        for (const workers of [1, 4]) {
          const result = await throughInbox(sdkDir, port, handler, workers, events, `${handler.replace(/\W/g, "")}-${workers}-${round}`);
          samples[`${workers} worker${workers === 1 ? "" : "s"}`]!.push(result.eventsPerSecond);
          samples["append"]!.push(result.appendPerSecond);
        }
      }
      const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<string, number>;
      for (const workers of ["1 worker", "4 workers"]) {
        rows.push({ section: "7 inbox", metric: `${handler}: ${workers} (events/s)`, ours: fmtOps(m[workers]!), peer: fmtOps(m["direct"]!), ratio: ratio(m[workers]!, m["direct"]!), ratioLabel: "vs the handler alone, in one process" });
      }
      if (handler === "no work") {
        const overheadUs = (1e6 / m["1 worker"]!) - (1e6 / m["direct"]!);
        rows.push({ section: "7 inbox", metric: "inbox overhead per event, 1 worker", ours: `${overheadUs.toFixed(0)} µs`, peer: "" });
        rows.push({ section: "7 inbox", metric: "append, 100-event deliveries (events/s)", ours: fmtOps(m["append"]!), peer: "" });
      }
      data[handler] = { medians: m, samples };
    }
    return { rows, data };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
