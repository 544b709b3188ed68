/**
 * The Sobot token shared between processes through a real redis-server, against the fake Sobot over
 * real HTTP: one get_token for many processes with RedisTokenStore; with per-process memory stores
 * the processes knock each other's tokens out (900002) and the SDK still settles every send.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MessengerError, TokenStoreError } from "../../generated/src/core/errors.js";
import { RedisTokenStore } from "../../generated/src/core/redis-token-store.js";
import { TokenManager } from "../../generated/src/core/token.js";
import { SobotClient } from "../../generated/src/sobot/client.js";
import { startFakeSobot, type FakeSobot } from "../../generated/src/testing/index.js";
import { rootDir } from "../support/paths.js";
import { startRedis, type RedisServer } from "./support/redis-server.js";

const APP_ID = "redis-app-id";
const APP_KEY = "redis-app-key-SECRET-0f9e8d";
const WORKERS = 4;
const SENDS = 50;

let redis: RedisServer;
let fake: FakeSobot;
let prefix = 0;
const keyPrefix = () => `test:${process.pid}:${++prefix}`;

beforeAll(async () => {
  [redis, fake] = await Promise.all([startRedis(), startFakeSobot({ appId: APP_ID, appKey: APP_KEY })]);
}, 300_000);
afterAll(async () => {
  await fake?.close();
  await redis?.stop();
});

describe("RedisTokenStore against a real redis-server", () => {
  it("stores, reads and compare-and-deletes the token; the key expires with it", async () => {
    const client = redis.client();
    const store = new RedisTokenStore({ client, keyPrefix: keyPrefix() });
    expect(await store.get()).toBeUndefined();
    const expiresAt = Date.now() + 60_000;
    await store.set({ token: "tok-1", expiresAt });
    expect(await store.get()).toEqual({ token: "tok-1", expiresAt });
    const ttl = await client.pttl(`test:${process.pid}:${prefix}:token`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    await store.delete("someone-elses-token");
    expect((await store.get())?.token).toBe("tok-1");
    await store.delete("tok-1");
    expect(await store.get()).toBeUndefined();
  });

  it("lets one holder have the refresh lock; a release never frees someone else's lock", async () => {
    const client = redis.client();
    const prefixed = keyPrefix();
    const a = new RedisTokenStore({ client, keyPrefix: prefixed });
    const b = new RedisTokenStore({ client, keyPrefix: prefixed });
    const lock = await a.tryLock(200);
    expect(lock).toBeDefined();
    expect(await b.tryLock(200)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 250)); // expired: a dead holder blocks no one
    const second = await b.tryLock(5_000);
    expect(second).toBeDefined();
    await lock!.release(); // the first holder's late release leaves the second holder's lock alone
    expect(await a.tryLock(5_000)).toBeUndefined();
    await second!.release();
    expect(await a.tryLock(5_000)).toBeDefined();
  });

  it("two TokenManagers (as in two processes) with 100 concurrent callers fetch exactly one token", async () => {
    const prefixed = keyPrefix();
    let fetches = 0;
    const fetchToken = async () => {
      fetches += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { token: `tok-${fetches}`, expiresInSeconds: 3600 };
    };
    const managers = [0, 1].map(() => new TokenManager({ store: new RedisTokenStore({ client: redis.client(), keyPrefix: prefixed }), fetchToken }));
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => managers[i % 2]!.getToken()));
    expect(fetches).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(["tok-1"]));
  });

  it("turns a Redis failure into a MessengerError that names neither the token nor keeps the client's error", async () => {
    const client = new Redis({ host: "127.0.0.1", port: redis.port, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const store = new RedisTokenStore({ client });
    const error = await store.set({ token: "SECRET-TOKEN-VALUE", expiresAt: Date.now() + 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessengerError);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect((error as Error).message).toMatch(/token store: set failed: Redis SET/);
    expect((error as Error).cause).toBeUndefined();
    expect(JSON.stringify(error) + String(error)).not.toContain("SECRET-TOKEN-VALUE");
    client.disconnect();
  });
});

describe("single-flight over real HTTP", () => {
  it("100 concurrent sends with no token cause exactly one get_token", async () => {
    fake.reset();
    const before = fake.tokensIssued;
    const client = new SobotClient({ appId: APP_ID, appKey: APP_KEY, baseUrl: fake.url });
    const sends = await Promise.all(
      Array.from({ length: 100 }, (_, i) => client.sendMessage({ messaging_type: "RESPONSE", recipientid: "R", pageid: "PAGEID", type: "text", payload: `single-flight ${i}` })),
    );
    expect(sends).toHaveLength(100);
    expect(fake.tokensIssued - before).toBe(1);
    expect(fake.delivered("sendMessage")).toHaveLength(100);
  });
});

interface WorkerResult {
  worker: number;
  ok: number;
  errors: Record<string, number>;
  untyped: number;
  messages: string[];
  ms: number;
}

/** Starts WORKERS processes, lets them all send at once, and collects what each saw. */
async function runWorkers(store: "redis" | "memory", extra: { timeoutMs?: number; sends?: number } = {}): Promise<WorkerResult[]> {
  const prefixed = keyPrefix();
  const script = join(rootDir, "test", "runtime", "support", "sobot-worker.ts");
  const workers = Array.from({ length: WORKERS }, (_, worker) => {
    const config = { worker, baseUrl: fake.url, appId: APP_ID, appKey: APP_KEY, sends: SENDS, ...extra, ...(store === "redis" ? { redisPort: redis.port, keyPrefix: prefixed } : {}) };
    const child = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify(config)], { cwd: rootDir, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise<void>((resolve, reject) => {
      lines.once("line", (line) => (line === "ready" ? resolve() : reject(new Error(`worker ${worker}: ${line}`))));
      child.once("exit", (code) => reject(new Error(`worker ${worker} exited (${code}) before it was ready:\n${stderr}`)));
    });
    const result = ready.then(
      () =>
        new Promise<WorkerResult>((resolve, reject) => {
          lines.once("line", (line) => resolve(JSON.parse(line) as WorkerResult));
          child.once("exit", (code) => reject(new Error(`worker ${worker} exited (${code}) without a result:\n${stderr}`)));
        }),
    );
    return { child, ready, result };
  });
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.child.stdin.write("go\n");
  return Promise.all(workers.map((w) => w.result));
}

describe(`${WORKERS} worker processes × ${SENDS} concurrent sends`, () => {
  it("sharing RedisTokenStore: exactly one get_token, every send delivered once", async () => {
    fake.reset();
    fake.expireToken();
    const before = fake.tokensIssued;
    const results = await runWorkers("redis");

    const getTokens = fake.tokensIssued - before;
    const ok = results.reduce((n, r) => n + r.ok, 0);
    const rejected = fake.requests.filter((r) => r.errorCode === "900001" || r.errorCode === "900002").length;
    console.log(`RedisTokenStore: get_token=${getTokens}, sends ok=${ok}/${WORKERS * SENDS}, 900001/900002 answered=${rejected}, worker ms=${results.map((r) => r.ms).join("/")}`);
    expect(getTokens).toBe(1);
    expect(ok).toBe(WORKERS * SENDS);
    expect(rejected).toBe(0);
    const payloads = fake.delivered("sendMessage").map((r) => (JSON.parse(r.body) as { payload: string }).payload);
    expect(payloads).toHaveLength(WORKERS * SENDS);
    expect(new Set(payloads).size).toBe(WORKERS * SENDS);
  }, 300_000);

  it("with a memory store per process: tokens knock each other out (900002), and every send still ends in success or a typed error", async () => {
    fake.reset();
    fake.expireToken();
    const before = fake.tokensIssued;
    const results = await runWorkers("memory");

    const getTokens = fake.tokensIssued - before;
    const ok = results.reduce((n, r) => n + r.ok, 0);
    const errors: Record<string, number> = {};
    for (const r of results) for (const [key, n] of Object.entries(r.errors)) errors[key] = (errors[key] ?? 0) + n;
    const failed = Object.values(errors).reduce((n, c) => n + c, 0);
    const knockedOut = fake.requests.filter((r) => r.errorCode === "900002").length;
    console.log(`memory stores: get_token=${getTokens}, 900002 answered=${knockedOut}, sends ok=${ok}, failed=${failed} ${JSON.stringify(errors)}`);

    expect(getTokens).toBeGreaterThanOrEqual(WORKERS);
    expect(knockedOut).toBeGreaterThan(0);
    expect(ok + failed).toBe(WORKERS * SENDS);
    expect(results.reduce((n, r) => n + r.untyped, 0)).toBe(0);
    for (const key of Object.keys(errors)) expect(key).toBe("SobotApiError 900002");

    // Delivered exactly the sends that succeeded: a 900002 is refused before Sobot acts.
    const payloads = fake.delivered("sendMessage").map((r) => (JSON.parse(r.body) as { payload: string }).payload);
    expect(payloads).toHaveLength(ok);
    expect(new Set(payloads).size).toBe(ok);

    const tokens = fake.requests.map((r) => r.headers["token"]).filter((t): t is string => Boolean(t));
    const text = results.flatMap((r) => r.messages).join("\n");
    for (const secret of [APP_KEY, ...tokens]) expect(text).not.toContain(secret);
  }, 300_000);
});

describe("a token endpoint slower than the refresh lock's lifetime", () => {
  it("four processes behind a 12 s get_token: the holder renews its 10 s lock, so exactly one get_token", async () => {
    fake.reset();
    fake.expireToken();
    const before = fake.tokensIssued;
    fake.inject({ kind: "latency", ms: 12_000 }, { operation: "getToken", times: 1 });
    const results = await runWorkers("redis", { sends: 10 });

    const getTokens = fake.tokensIssued - before;
    const ok = results.reduce((n, r) => n + r.ok, 0);
    console.log(`12 s get_token: get_token=${getTokens}, sends ok=${ok}/${WORKERS * 10}, errors=${JSON.stringify(results.map((r) => r.errors))}`);
    expect(fake.requests.filter((r) => r.operation === "getToken")).toHaveLength(1);
    expect(getTokens).toBe(1);
    expect(ok).toBe(WORKERS * 10);
  }, 300_000);
});

describe("Redis down", () => {
  it("sends fail fast with a TokenStoreError (nothing sent), and succeed again by themselves once Redis is back", async () => {
    const own = await startRedis();
    try {
      // As a new user would: ioredis with its defaults, which queue commands while reconnecting.
      const client = new Redis({ host: "127.0.0.1", port: own.port });
      client.on("error", () => undefined);
      const timeoutMs = 1_000;
      const sobot = new SobotClient({ appId: APP_ID, appKey: APP_KEY, baseUrl: fake.url, timeoutMs, tokenStore: new RedisTokenStore({ client, keyPrefix: keyPrefix() }) });
      const send = (text: string) => sobot.sendMessage({ messaging_type: "RESPONSE", recipientid: "R", pageid: "PAGEID", type: "text", payload: text });
      fake.reset();
      await send("before the outage");

      await own.kill();
      const started = performance.now();
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => send(`during the outage ${i}`)));
      const elapsedMs = performance.now() - started;
      const errors = outcomes.map((o) => (o.status === "rejected" ? (o.reason as unknown) : undefined));
      console.log(`Redis down: 20 sends failed in ${Math.round(elapsedMs)} ms with ${[...new Set(errors.map((e) => (e instanceof Error ? e.message : "sent")))].join(" | ")}`);
      // Bounded by timeoutMs, not by the Redis client's own reconnect schedule (20 retries, about 42 s):
      // each error says the store's deadline ended the call (or the client failed it at once), which a
      // wait for the client's retries would not; the time is logged above, not asserted.
      for (const error of errors) {
        expect(error).toBeInstanceOf(TokenStoreError);
        expect((error as TokenStoreError).message).toMatch(/the request was not sent/);
        expect((error as TokenStoreError).message).toMatch(new RegExp(`no answer within ${timeoutMs} ms|Redis GET`));
      }
      expect(fake.delivered("sendMessage")).toHaveLength(1);

      await own.restart();
      // sendMessage resolves to the envelope's item, which Sobot's success answer has none of: a flag says it went.
      let recovered = false;
      for (let attempt = 0; attempt < 120 && !recovered; attempt++) {
        try {
          await send("after the outage");
          recovered = true;
        } catch (error) {
          expect(error).toBeInstanceOf(MessengerError);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      expect(recovered).toBe(true);
      expect(fake.delivered("sendMessage").map((r) => (JSON.parse(r.body) as { payload: string }).payload)).toEqual(["before the outage", "after the outage"]);
      client.disconnect();
    } finally {
      await own.stop();
    }
  }, 300_000);
});
