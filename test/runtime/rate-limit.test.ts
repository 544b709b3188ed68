/**
 * The shared send rate (RedisRateLimiter) against a real redis-server and the fake Graph and Sobot over
 * real HTTP: a token bucket that two limiters (as two processes) draw from together, a pause that a
 * rate-limit answer to one client imposes on another, and what happens when Redis is gone.
 * Timing assertions are lower bounds only: a busy machine makes waits longer, never shorter.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphApiError, SendRateLimitError } from "../../generated/src/core/errors.js";
import { RedisRateLimiter } from "../../generated/src/core/rate-limit.js";
import type { FetchLike } from "../../generated/src/core/transport.js";
import { GraphClient } from "../../generated/src/graph/client.js";
import { SobotClient } from "../../generated/src/sobot/client.js";
import { startFakeGraph, startFakeSobot, type FakeGraph, type FakeSobot } from "../../generated/src/testing/index.js";
import { startRedis, type RedisServer } from "./support/redis-server.js";

let redis: RedisServer;
let graph: FakeGraph;
let sobot: FakeSobot;
let prefix = 0;
const keyPrefix = () => `test-rate:${process.pid}:${++prefix}`;

beforeAll(async () => {
  [redis, graph, sobot] = await Promise.all([startRedis(), startFakeGraph(), startFakeSobot()]);
}, 300_000);
afterAll(async () => {
  await Promise.all([graph?.close(), sobot?.close()]);
  await redis?.stop();
});

const message = (text: string) => ({ recipient: { id: "PSID" }, messaging_type: "RESPONSE" as const, message: { text } });

/** fetch that notes when each request leaves. */
function timedFetch(log: number[]): FetchLike {
  return (url, init) => {
    log.push(performance.now());
    return fetch(url, init);
  };
}

describe("RedisRateLimiter", () => {
  it("two limiters (as two processes) share one bucket: 30 sends at 20/s with a burst of 5 take at least 1.25 s", async () => {
    const shared = keyPrefix();
    const limiters = [0, 1].map(() => new RedisRateLimiter({ client: redis.client(), keyPrefix: shared, ratePerSecond: 20, burst: 5 }));
    const started = performance.now();
    await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % 2]!.acquire("graph:PAGE")));
    const elapsedMs = performance.now() - started;
    console.log(`30 acquires at 20/s, burst 5, over two limiters: ${Math.round(elapsedMs)} ms`);
    expect(elapsedMs).toBeGreaterThanOrEqual(((30 - 5) / 20) * 1000 - 50);
    // Another key has its own bucket: its first five sends wait for nothing, the sixth must. One
    // token an hour, so that however slowly the machine runs the five, the bucket stays empty; the
    // wait is recorded, not slept.
    const waits: number[] = [];
    const fresh = new RedisRateLimiter({
      client: redis.client(),
      keyPrefix: shared,
      ratePerSecond: 1 / 3600,
      burst: 5,
      maxWaitMs: 2 * 3_600_000,
      sleep: async (ms) => {
        waits.push(ms);
        throw new Error("the sixth send had to wait");
      },
    });
    for (let i = 0; i < 5; i++) await fresh.acquire("graph:OTHER_PAGE");
    expect(waits).toEqual([]);
    await expect(fresh.acquire("graph:OTHER_PAGE")).rejects.toThrow("the sixth send had to wait");
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(60_000);
  });

  it("a 613 answered to one client pauses the other client's sends to that Page too (the fleet backs off together)", async () => {
    const shared = keyPrefix();
    const sent: number[] = [];
    const client = () =>
      new GraphClient({
        accessToken: graph.accessToken,
        pageId: "PAGE_1",
        baseUrl: graph.url,
        fetch: timedFetch(sent),
        retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
        rateLimiter: new RedisRateLimiter({ client: redis.client(), keyPrefix: shared, backOffMs: 1_500 }),
      });
    const [a, b] = [client(), client()];
    graph.reset();
    graph.inject({ kind: "rate-limit" }, { operation: "sendMessage", times: 1 });
    await a.sendMessage(message("first, refused with 613, then sent again"));
    // a's own retry waited out the shared pause; b, which never saw the 613, waits for the same pause.
    const refusedAt = sent[0]!;
    const bStarted = performance.now();
    await b.sendMessage(message("from the other process"));
    const afterPause = sent.slice(1);
    console.log(`shared pause: requests after the 613 left ${afterPause.map((t) => Math.round(t - refusedAt)).join(", ")} ms after it; b waited ${Math.round(performance.now() - bStarted)} ms`);
    expect(afterPause).toHaveLength(2);
    for (const t of afterPause) expect(t - refusedAt).toBeGreaterThanOrEqual(1_400);
    expect(graph.delivered("sendMessage")).toHaveLength(2);
  });

  it("without a limiter the same 613 holds back only the client that got it (off by default)", async () => {
    const sent: number[] = [];
    const client = () => new GraphClient({ accessToken: graph.accessToken, pageId: "PAGE_1", baseUrl: graph.url, fetch: timedFetch(sent), retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    const [a, b] = [client(), client()];
    graph.reset();
    graph.inject({ kind: "rate-limit" }, { operation: "sendMessage", times: 1 });
    await a.sendMessage(message("refused once"));
    const error = await b.sendMessage(message("b")).then(() => undefined, (e: unknown) => e);
    expect(error).toBeUndefined();
    expect(sent).toHaveLength(3);
  });

  it("a send whose turn would come after maxWaitMs fails with SendRateLimitError and is not sent", async () => {
    const limiter = new RedisRateLimiter({ client: redis.client(), keyPrefix: keyPrefix(), backOffMs: 60_000, maxWaitMs: 1_000 });
    const client = new GraphClient({ accessToken: graph.accessToken, pageId: "PAGE_2", baseUrl: graph.url, rateLimiter: limiter, retry: false });
    graph.reset();
    graph.inject({ kind: "rate-limit" }, { operation: "sendMessage", times: 1 });
    expect(await client.sendMessage(message("refused")).catch((e: unknown) => e)).toBeInstanceOf(GraphApiError);
    const error = await client.sendMessage(message("held back")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendRateLimitError);
    expect((error as SendRateLimitError).key).toBe("graph:PAGE_2");
    expect(graph.requests.filter((r) => r.operation === "sendMessage")).toHaveLength(1);
  });

  it("Sobot: the limiter is per app id, and a 429 pauses the app", async () => {
    const shared = keyPrefix();
    const sent: number[] = [];
    const limiter = new RedisRateLimiter({ client: redis.client(), keyPrefix: shared, backOffMs: 1_000 });
    const client = new SobotClient({ appId: sobot.appId, appKey: sobot.appKey, baseUrl: sobot.url, fetch: timedFetch(sent), rateLimiter: limiter, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    sobot.reset();
    await client.sendMessage({ messaging_type: "RESPONSE", recipientid: "R", pageid: "PAGEID", type: "text", payload: "warm up" });
    sobot.inject({ kind: "rate-limit" }, { operation: "sendMessage", times: 1 });
    const before = sent.length;
    await client.sendMessage({ messaging_type: "RESPONSE", recipientid: "R", pageid: "PAGEID", type: "text", payload: "refused, then sent" });
    const [refused, again] = sent.slice(before);
    expect(again! - refused!).toBeGreaterThanOrEqual(900);
    const keys = await redis.client().keys(`${shared}:*`);
    expect(keys).toEqual([`${shared}:sobot:${sobot.appId}`]);
  });

  it("Redis gone: 'send' (the default) lets sends out and reports the failure; 'fail' holds them back with a typed error", async () => {
    const own = await startRedis();
    const ownClient = new Redis({ host: "127.0.0.1", port: own.port });
    ownClient.on("error", () => undefined);
    await own.kill();
    const reported: unknown[] = [];
    const open = new GraphClient({ accessToken: graph.accessToken, pageId: "PAGE_3", baseUrl: graph.url, rateLimiter: new RedisRateLimiter({ client: ownClient, timeoutMs: 300, onError: (e) => void reported.push(e) }) });
    const closed = new GraphClient({ accessToken: graph.accessToken, pageId: "PAGE_3", baseUrl: graph.url, rateLimiter: new RedisRateLimiter({ client: ownClient, timeoutMs: 300, whenUnavailable: "fail" }) });
    graph.reset();
    await open.sendMessage(message("sent without the limiter"));
    expect(reported.length).toBeGreaterThan(0);
    const error = await closed.sendMessage(message("held back")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendRateLimitError);
    expect(graph.delivered("sendMessage")).toHaveLength(1);
    ownClient.disconnect();
    await own.stop();
  });
});
