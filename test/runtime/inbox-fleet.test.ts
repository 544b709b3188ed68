/**
 * The inbox at fleet scale, every part real: a persistent redis-server (append-only file), the webhook
 * endpoint over HTTP appending to the inbox, a sender acting as Meta (signed deliveries, delivering
 * again until it gets 200, and redelivering a tenth of them), and 4 worker processes consuming
 * 10,000 events. Mid-run one worker is killed with SIGKILL, and later redis-server is killed and
 * started again. Every event is handled at least once, each unique event is appended exactly once,
 * and the dead-letter stream holds exactly the events whose handler always throws.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { graphWebhookEndpoint } from "../../generated/src/graph/webhook-endpoint.js";
import { readGraphWebhookDelivery, type GraphWebhookEvent } from "../../generated/src/graph/webhooks.js";
import { RedisInbox } from "../../generated/src/inbox/index.js";
import { nodeWebhookHandler } from "../../generated/src/node/index.js";
import { rootDir } from "../support/paths.js";
import { startRedis, type RedisServer } from "./support/redis-server.js";
import { until } from "./support/until.js";

const APP_SECRET = "fleet-app-secret";
const DELIVERIES = 1_000;
const EVENTS_PER_DELIVERY = 10;
const EVENTS = DELIVERIES * EVENTS_PER_DELIVERY;
const POISON_EVERY = 50;
const WORKERS = 4;
const SENDERS = 8;

const dataDir = mkdtempSync(join(tmpdir(), "inbox-fleet-"));
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The bodies Meta would send: 50 people, one message each per event, every 50th a poison message. */
function deliveries(): string[] {
  return Array.from({ length: DELIVERIES }, (_, d) => {
    const messaging = Array.from({ length: EVENTS_PER_DELIVERY }, (_, e) => {
      const n = d * EVENTS_PER_DELIVERY + e;
      return { sender: { id: `USER_${n % 50}` }, recipient: { id: "PAGE_1" }, timestamp: 1_700_000_000_000 + n, message: { mid: `m_${n}`, text: n % POISON_EVERY === 7 ? "poison" : `event ${n}` } };
    });
    return JSON.stringify({ object: "page", entry: [{ id: "PAGE_1", time: 1_700_000_000_000 + d, messaging }] });
  });
}

function post(port: number, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method: "POST", path: "/", headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/** Delivers until the receiver answers 200, as Meta does. */
async function deliver(port: number, body: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    if ((await post(port, body)) === 200) return attempt;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function startWorker(port: number, keyPrefix: string, consumer: string): { child: ChildProcess; outFile: string; ready: Promise<void> } {
  const outFile = join(dataDir, `${consumer}.handled`);
  const script = join(rootDir, "test", "runtime", "support", "inbox-worker.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify({ port, keyPrefix, consumer, outFile })], { cwd: rootDir, stdio: ["ignore", "pipe", "inherit"] });
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => (line === "ready" ? resolve() : reject(new Error(line))));
    child.once("exit", (code) => reject(new Error(`${consumer} exited (${code}) before it was ready`)));
  });
  return { child, outFile, ready };
}

const handledIds = (files: string[]): string[] => files.flatMap((file) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []));

describe(`${WORKERS} worker processes, ${EVENTS.toLocaleString("en")} events, a SIGKILLed worker and a redis-server restart`, () => {
  it("handles every event at least once, appends each once, dead-letters exactly the poison events", async () => {
    const redis: RedisServer = await startRedis({ dataDir });
    cleanups.push(() => redis.stop());
    const keyPrefix = "{fleet}";

    // The receiver, in this process.
    const receiverRedis = new Redis({ host: "127.0.0.1", port: redis.port });
    receiverRedis.on("error", () => undefined);
    cleanups.push(() => receiverRedis.disconnect());
    const inbox = new RedisInbox<GraphWebhookEvent>({ client: receiverRedis, keyPrefix, timeoutMs: 2_000 });
    const counts = { appended: 0, duplicates: 0, refused: 0 };
    const server: Server = createServer(
      nodeWebhookHandler(
        graphWebhookEndpoint({
          appSecret: APP_SECRET,
          onEvents: async (events) => {
            const result = await inbox.append(events);
            counts.appended += result.appended;
            counts.duplicates += result.duplicates;
          },
          onError: () => void counts.refused++,
        }),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;

    const workers = Array.from({ length: WORKERS }, (_, i) => startWorker(redis.port, keyPrefix, `worker-${i}`));
    cleanups.push(() => {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    });
    await Promise.all(workers.map((w) => w.ready));
    const outFiles = workers.map((w) => w.outFile);

    // What the handlers should see, from the same parser the receiver uses.
    const bodies = deliveries();
    const all = bodies.flatMap((body) => readGraphWebhookDelivery(body).events);
    const poison = new Set(all.filter((e) => e.kind === "message" && e.conforms && e.data.message.text === "poison").map((e) => e.id));
    const expected = new Set(all.map((e) => e.id).filter((id) => !poison.has(id)));
    expect(new Set(all.map((e) => e.id)).size).toBe(EVENTS);

    // Meta: SENDERS deliveries at a time, every tenth one delivered a second time after its 200.
    const queue = bodies.map((body, i) => ({ body, again: i % 10 === 3 }));
    let redeliveries = 0;
    let accepted = 0;
    const sending = Promise.all(
      Array.from({ length: SENDERS }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          await deliver(port, next.body);
          accepted += 1;
          if (next.again) {
            await deliver(port, next.body);
            redeliveries += 1;
          }
        }
      }),
    );

    // The faults, at points of progress rather than of time: the worker while it handles events,
    // Redis while deliveries still arrive.
    const checker = redis.client();
    await until(() => handledIds(outFiles).length >= EVENTS / 10, "a tenth of the events handled", 300_000);
    workers[0]!.child.kill("SIGKILL");
    const heldByKilled = ((await checker.call("XPENDING", inbox.keys.stream, inbox.group, "-", "+", "1000", "worker-0")) as unknown[]).length;
    await until(() => accepted >= DELIVERIES / 2, "half of the deliveries accepted", 300_000);
    await redis.kill();
    // Longer than the receiver's 2 s append timeout: some deliveries are answered 500 and come again.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await redis.restart();

    await sending;
    await until(
      async () => {
        const handled = new Set(handledIds(outFiles));
        const missing = [...expected].some((id) => !handled.has(id));
        return !missing && Number(await checker.xlen(inbox.keys.deadLetters)) === poison.size && Number(await checker.xlen(inbox.keys.stream)) === 0;
      },
      "every event handled or dead-lettered",
      300_000,
    );

    const handled = handledIds(outFiles);
    const unique = new Set(handled);
    const info = (await checker.call("XINFO", "STREAM", inbox.keys.stream)) as unknown[];
    const entriesAdded = Number(info[info.indexOf("entries-added") + 1]);
    const dead = await new RedisInbox<GraphWebhookEvent>({ client: checker, keyPrefix }).deadLetters(1_000);
    console.log(
      `inbox fleet: ${EVENTS} events in ${DELIVERIES} deliveries + ${redeliveries} redeliveries; receiver appended=${counts.appended} duplicates=${counts.duplicates} refused=${counts.refused}; ` +
        `worker-0 held ${heldByKilled} unacknowledged entries when killed; stream entries-added=${entriesAdded}; handled ${handled.length} times (${unique.size} unique, ${handled.length - unique.size} again after the kill/restart); dead letters=${dead.length}`,
    );

    // None lost: every event but the poison ones handled, at least once.
    for (const id of expected) expect(unique.has(id)).toBe(true);
    expect(unique.size).toBe(expected.size);
    // Deduplicated: each unique event entered the stream once, redeliveries included.
    expect(entriesAdded).toBe(EVENTS);
    expect(redeliveries).toBe(DELIVERIES / 10);
    expect(counts.duplicates).toBeGreaterThanOrEqual(redeliveries * EVENTS_PER_DELIVERY);
    // The dead-letter stream: exactly the poison events, each once, with the handler's error.
    expect(dead.map((d) => d.event.id).sort()).toEqual([...poison].sort());
    expect(dead.filter((d) => !d.error.startsWith("Error: poison") || d.attempts !== 3).map(({ event, error, attempts, deliveries }) => ({ id: event.id, error, attempts, deliveries }))).toEqual([]);

    for (const w of workers.slice(1)) w.child.kill("SIGTERM");
  }, 600_000);
});
