/**
 * One worker process of the multi-process token test (redis-token-store.test.ts): a SobotClient with
 * either a RedisTokenStore or its own memory store, which sends `sends` messages at once when told "go".
 * Run as: node --import tsx sobot-worker.ts '<json config>'
 */
import { Redis } from "ioredis";
import { MessengerError, SobotApiError } from "../../../generated/src/core/errors.js";
import { RedisTokenStore } from "../../../generated/src/core/redis-token-store.js";
import { SobotClient } from "../../../generated/src/sobot/client.js";

interface Config {
  worker: number;
  baseUrl: string;
  appId: string;
  appKey: string;
  sends: number;
  redisPort?: number;
  keyPrefix?: string;
  timeoutMs?: number;
}

const config = JSON.parse(process.argv[2]!) as Config;
const redis = config.redisPort === undefined ? undefined : new Redis({ host: "127.0.0.1", port: config.redisPort });
const client = new SobotClient({
  appId: config.appId,
  appKey: config.appKey,
  baseUrl: config.baseUrl,
  ...(redis ? { tokenStore: new RedisTokenStore({ client: redis, keyPrefix: config.keyPrefix }) } : {}),
  retry: { baseDelayMs: 20, maxDelayMs: 200 },
  ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
});
if (redis) await redis.ping();

process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));

const started = performance.now();
const results = await Promise.allSettled(
  Array.from({ length: config.sends }, (_, i) =>
    client.sendMessage({ messaging_type: "RESPONSE", recipientid: "RECIPIENTID", pageid: "PAGEID", type: "text", payload: `worker ${config.worker} message ${i}` }),
  ),
);
const errors: Record<string, number> = {};
const messages: string[] = [];
let ok = 0;
let untyped = 0;
for (const result of results) {
  if (result.status === "fulfilled") {
    ok += 1;
    continue;
  }
  const error = result.reason as unknown;
  if (!(error instanceof MessengerError)) untyped += 1;
  const key = error instanceof SobotApiError ? `${error.name} ${error.retCode}` : error instanceof Error ? error.name : "non-error";
  errors[key] = (errors[key] ?? 0) + 1;
  messages.push(String(error), error instanceof Error ? (error.stack ?? "") : "");
}
process.stdout.write(`${JSON.stringify({ worker: config.worker, ok, errors, untyped, messages, ms: Math.round(performance.now() - started) })}\n`);
await redis?.quit();
process.exit(0);
