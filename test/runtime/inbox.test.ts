/**
 * The durable webhook inbox (messenger-sdk/inbox) against a real redis-server: deduplicated appends,
 * acknowledgement, retries and dead letters, takeover of a dead worker's entries, renewal of a slow
 * handler's entries, per-conversation order, and the webhook endpoint answering only after the append.
 * The fleet test (inbox-fleet.test.ts) runs it across processes with a kill and a Redis restart.
 */
import { createHmac } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphWebhookEndpoint } from "../../generated/src/graph/webhook-endpoint.js";
import { readGraphWebhookDelivery, type GraphWebhookEvent } from "../../generated/src/graph/webhooks.js";
import { InboxError, RedisInbox, type HandleContext, type InboxWorkerOptions } from "../../generated/src/inbox/index.js";
import { processWebhook } from "../../generated/src/core/webhook-handler.js";
import { startRedis, type RedisServer } from "./support/redis-server.js";
import { until } from "./support/until.js";

let redis: RedisServer;
let client: Redis;
let prefix = 0;
beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
}, 300_000);
afterAll(async () => {
  await redis?.stop();
});

/** Real events, through the generated parser: one message per text, from `sender`. */
function events(texts: string[], sender = "USER_1", firstMid = 0): GraphWebhookEvent[] {
  const body = {
    object: "page",
    entry: [{ id: "PAGE_1", time: 1, messaging: texts.map((text, i) => ({ sender: { id: sender }, recipient: { id: "PAGE_1" }, timestamp: 1000 + firstMid + i, message: { mid: `m_${sender}_${firstMid + i}`, text } })) }],
  };
  return readGraphWebhookDelivery(JSON.stringify(body)).events;
}
const textOf = (event: GraphWebhookEvent) => (event.kind === "message" && event.conforms ? event.data.message.text : undefined);

function newInbox(options: { dedupeWindowMs?: number } = {}) {
  return new RedisInbox<GraphWebhookEvent>({ client, keyPrefix: `{test-inbox-${process.pid}-${++prefix}}`, ...options });
}

function worker(inbox: RedisInbox<GraphWebhookEvent>, options: Partial<InboxWorkerOptions<GraphWebhookEvent>> & Pick<InboxWorkerOptions<GraphWebhookEvent>, "handle">) {
  return inbox.worker({ client: redis.client(), blockMs: 100, ...options }).start();
}

describe("RedisInbox against a real redis-server", () => {
  it("appends a delivery's events once: a redelivery within the dedupe window is left out", async () => {
    const inbox = newInbox();
    const batch = events(["a", "b", "c"]);
    expect(await inbox.append(batch)).toEqual({ appended: 3, duplicates: 0 });
    expect(await inbox.append(batch)).toEqual({ appended: 0, duplicates: 3 });
    expect(await inbox.append([...batch, ...events(["d"], "USER_1", 3)])).toEqual({ appended: 1, duplicates: 3 });
    expect(await inbox.stats()).toEqual({ waiting: 4, pending: 0, deadLetters: 0 });

    const undeduplicated = newInbox({ dedupeWindowMs: 0 });
    await undeduplicated.append(batch);
    expect(await undeduplicated.append(batch)).toEqual({ appended: 3, duplicates: 0 });
  });

  it("a worker handles each event once, in order within a conversation, then acknowledges and deletes it", async () => {
    const inbox = newInbox();
    const ann = events(["1", "2", "3", "4", "5"], "ANN");
    const bob = events(["1", "2", "3", "4", "5"], "BOB");
    // Interleaved, as Meta batches several people's messages, over two deliveries.
    const interleaved = ann.flatMap((event, i) => [event, bob[i]!]);
    await inbox.append(interleaved.slice(0, 6));
    await inbox.append(interleaved.slice(6));
    const seen: { sender: string; text: string; context: HandleContext }[] = [];
    const w = worker(inbox, {
      handle: async (event, context) => {
        // Earlier events take longer: handled side by side, they would finish out of order.
        await new Promise((resolve) => setTimeout(resolve, (6 - Number(textOf(event))) * 10));
        seen.push({ sender: event.senderId ?? "", text: textOf(event) ?? "", context });
      },
    });
    await until(() => seen.length === 10, "10 handled events");
    await w.stop();
    for (const sender of ["ANN", "BOB"]) {
      expect(seen.filter((s) => s.sender === sender).map((s) => s.text)).toEqual(["1", "2", "3", "4", "5"]);
    }
    expect(seen.every((s) => s.context.attempt === 1 && s.context.deliveries === 1)).toBe(true);
    expect(await inbox.stats()).toEqual({ waiting: 0, pending: 0, deadLetters: 0 });
  });

  it("retries a failing event after retryDelayMs and dead-letters it with its last error after maxAttempts; requeue puts it back", async () => {
    const inbox = newInbox();
    await inbox.append(events(["fine", "poison", "also fine"]));
    const attempts: number[] = [];
    const handled: string[] = [];
    const errors: unknown[] = [];
    let healed = false;
    const w = worker(inbox, {
      maxAttempts: 3,
      retryDelayMs: 50,
      visibilityTimeoutMs: 5_000,
      onError: (error) => void errors.push(error),
      handle: (event, context) => {
        if (textOf(event) === "poison" && !healed) {
          attempts.push(context.attempt);
          throw new Error(`boom ${context.attempt}`);
        }
        handled.push(textOf(event) ?? "");
      },
    });
    await until(async () => (await inbox.stats()).deadLetters === 1, "a dead letter");
    expect(attempts).toEqual([1, 2, 3]);
    expect(handled.sort()).toEqual(["also fine", "fine"]);
    expect(errors).toHaveLength(3);
    const [dead] = await inbox.deadLetters();
    expect(dead).toMatchObject({ error: "Error: boom 3", attempts: 3, deliveries: 3 });
    expect(textOf(dead!.event)).toBe("poison");
    expect(dead!.event.id).toBe(events(["fine", "poison"])[1]!.id);
    expect(await inbox.stats()).toEqual({ waiting: 0, pending: 0, deadLetters: 1 });

    healed = true;
    expect(await inbox.requeueDeadLetter(dead!.deadId)).toBe(true);
    expect(await inbox.requeueDeadLetter(dead!.deadId)).toBe(false);
    await until(() => handled.includes("poison"), "the requeued event handled");
    await w.stop();
    expect(await inbox.stats()).toEqual({ waiting: 0, pending: 0, deadLetters: 0 });
  });

  it("counts a failed attempt once when the Redis client sends its script again (as ioredis does with a command unanswered at a reconnect)", async () => {
    const inbox = newInbox();
    await inbox.append(events(["poison"]));
    const real = redis.client();
    // Every script runs twice, and the caller sees the second answer: the first one was lost with the connection.
    const resending = { call: async (name: string, ...args: (string | number)[]) => (name === "EVAL" && (await real.call(name, ...args)), real.call(name, ...args)) };
    const attempts: number[] = [];
    const w = inbox.worker({
      client: resending,
      blockMs: 100,
      maxAttempts: 3,
      retryDelayMs: 50,
      visibilityTimeoutMs: 5_000,
      handle: (_event, context) => {
        attempts.push(context.attempt);
        throw new Error(`boom ${context.attempt}`);
      },
    }).start();
    await until(async () => (await inbox.stats()).deadLetters === 1, "a dead letter");
    await w.stop();
    real.disconnect();
    expect(attempts).toEqual([1, 2, 3]);
    expect(await inbox.deadLetters()).toMatchObject([{ error: "Error: boom 3", attempts: 3 }]);
  });

  it("takes over the entries of a worker that died (read, never acknowledged) after the visibility timeout", async () => {
    const inbox = newInbox();
    await inbox.append(events(["x", "y"]));
    await inbox.ensureGroup();
    // A worker that read both and died before acknowledging either.
    await client.call("XREADGROUP", "GROUP", inbox.group, "died", "COUNT", "10", "STREAMS", inbox.keys.stream, ">");
    expect((await inbox.stats()).pending).toBe(2);

    const contexts: HandleContext[] = [];
    const w = worker(inbox, { visibilityTimeoutMs: 300, handle: (_event, context) => void contexts.push(context) });
    await until(() => contexts.length === 2, "both taken over");
    await w.stop();
    expect(contexts.map((c) => c.deliveries)).toEqual([2, 2]);
    expect(await inbox.stats()).toEqual({ waiting: 0, pending: 0, deadLetters: 0 });
  });

  it("dead-letters an event delivered more than maxDeliveries times without an acknowledgement (it kills its workers)", async () => {
    const inbox = newInbox();
    await inbox.append(events(["crashes every worker"]));
    await inbox.ensureGroup();
    await client.call("XREADGROUP", "GROUP", inbox.group, "died-1", "COUNT", "1", "STREAMS", inbox.keys.stream, ">");
    const [entry] = (await client.call("XRANGE", inbox.keys.stream, "-", "+")) as [string, string[]][];
    for (const consumer of ["died-2", "died-3", "died-4"]) await client.call("XCLAIM", inbox.keys.stream, inbox.group, consumer, "0", entry![0]);

    const handled: string[] = [];
    const w = worker(inbox, { visibilityTimeoutMs: 200, maxDeliveries: 4, handle: (event) => void handled.push(event.id) });
    await until(async () => (await inbox.stats()).deadLetters === 1, "the dead letter");
    await w.stop();
    expect(handled).toEqual([]);
    const [dead] = await inbox.deadLetters();
    expect(dead!.deliveries).toBe(5);
    expect(dead!.error).toMatch(/delivered 5 times without an acknowledgement/);
  });

  it("renews the entries of a handler slower than the visibility timeout: a second worker does not take them", async () => {
    const inbox = newInbox();
    await inbox.append(events(["slow"]));
    const handledBy: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = worker(inbox, {
      consumer: "slow",
      visibilityTimeoutMs: 3_000,
      handle: async () => {
        handledBy.push("slow");
        await released;
      },
    });
    await until(() => handledBy.length === 1, "the slow handler started");
    const other = worker(inbox, { consumer: "other", visibilityTimeoutMs: 3_000, handle: () => void handledBy.push("other") });
    // Three visibility timeouts: without renewal the other worker would have claimed it twice over.
    await new Promise((resolve) => setTimeout(resolve, 9_000));
    release();
    await until(async () => (await inbox.stats()).waiting === 0, "the slow entry acknowledged");
    await Promise.all([slow.stop(), other.stop()]);
    expect(handledBy).toEqual(["slow"]);
  }, 300_000);

  it("fails an append with a typed InboxError within timeoutMs when Redis does not answer", async () => {
    const own = await startRedis();
    const ownClient = new Redis({ host: "127.0.0.1", port: own.port });
    ownClient.on("error", () => undefined);
    const inbox = new RedisInbox<GraphWebhookEvent>({ client: ownClient, timeoutMs: 500 });
    await inbox.append(events(["before"]));
    await own.kill();
    const error = await inbox.append(events(["during"], "USER_1", 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InboxError);
    expect((error as InboxError).message).toMatch(/inbox: Redis EVAL failed: no answer within 500 ms/);
    ownClient.disconnect();
    await own.stop();
  });
});

describe("the webhook endpoint with the inbox as onEvents", () => {
  it("answers 200 only once the events are in the stream, 500 when the append fails (Meta delivers again)", async () => {
    const inbox = newInbox();
    const secret = "inbox-app-secret";
    const text = JSON.stringify({ object: "page", entry: [{ id: "PAGE_1", time: 1, messaging: [{ sender: { id: "U" }, recipient: { id: "PAGE_1" }, timestamp: 5, message: { mid: "m_endpoint", text: "hello" } }] }] });
    const post = (endpoint: Parameters<typeof processWebhook<GraphWebhookEvent>>[0]) =>
      processWebhook(endpoint, {
        method: "POST",
        url: "/",
        header: (name) => (name.toLowerCase() === "x-hub-signature-256" ? `sha256=${createHmac("sha256", secret).update(text).digest("hex")}` : null),
        body: async function* () {
          yield new TextEncoder().encode(text);
        },
      });

    const ok = await post(graphWebhookEndpoint({ appSecret: secret, onEvents: inbox.onEvents }));
    expect(ok.status).toBe(200);
    expect((await inbox.stats()).waiting).toBe(1);

    const broken = new RedisInbox<GraphWebhookEvent>({ client: { call: async () => Promise.reject(new Error("connection lost")) } });
    const statuses: number[] = [];
    const failed = await post(graphWebhookEndpoint({ appSecret: secret, onEvents: broken.onEvents, onError: (_e, status) => void statuses.push(status) }));
    expect(failed.status).toBe(500);
    expect(statuses).toEqual([500]);
    // Redelivered after the failure: the event is in the stream once.
    expect((await post(graphWebhookEndpoint({ appSecret: secret, onEvents: inbox.onEvents }))).status).toBe(200);
    expect((await inbox.stats()).waiting).toBe(1);
  });
});
