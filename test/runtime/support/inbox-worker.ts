/**
 * One worker process of the inbox fleet test (inbox-fleet.test.ts). Its handler throws for events
 * whose text is "poison" and otherwise appends the event id to `outFile` (a side effect that
 * survives SIGKILL). SIGTERM stops it after its current batch.
 * Run as: node --import tsx inbox-worker.ts '<json config>'
 */
import { appendFileSync } from "node:fs";
import { Redis } from "ioredis";
import type { GraphWebhookEvent } from "../../../generated/src/graph/webhooks.js";
import { RedisInbox } from "../../../generated/src/inbox/index.js";

interface Config {
  port: number;
  keyPrefix: string;
  consumer: string;
  outFile: string;
}

const config = JSON.parse(process.argv[2]!) as Config;
// ioredis with its defaults, as a new user would have it: it reconnects by itself after a restart.
const redis = new Redis({ host: "127.0.0.1", port: config.port });
redis.on("error", () => undefined);
const inbox = new RedisInbox<GraphWebhookEvent>({ client: redis, keyPrefix: config.keyPrefix, timeoutMs: 2_000 });
const worker = inbox.worker({
  consumer: config.consumer,
  blockMs: 200,
  visibilityTimeoutMs: 3_000,
  maxAttempts: 3,
  retryDelayMs: 100,
  maxDeliveries: 50,
  handle: async (event) => {
    // Some work per event, so that a kill finds events in flight.
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (event.kind === "message" && event.conforms && event.data.message.text === "poison") throw new Error(`poison ${event.id}`);
    appendFileSync(config.outFile, `${event.id}\n`);
  },
});
process.on("SIGTERM", () => {
  void worker.stop().then(() => {
    redis.disconnect();
    process.exit(0);
  });
});
worker.start();
process.stdout.write("ready\n");
