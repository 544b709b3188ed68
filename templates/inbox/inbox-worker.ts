/**
 * The consuming side of the inbox: one loop per worker that reads new
 * entries through the consumer group, takes over entries whose worker died,
 * handles them (one conversation's events in order, conversations side by
 * side), and acknowledges, retries or dead-letters each.
 */

import { randomHex } from "../core/random-id.js";
import { sleep } from "../core/retry.js";
import type { RedisCommandClient } from "../core/redis-command.js";
import type { InboxEvent, RedisInbox } from "./redis-inbox.js";
import { readAutoClaim, readDeliveryCounts, readGroupEntries, type StreamEntry } from "./replies.js";
import { ACKNOWLEDGE, DEAD_LETTER, HEARTBEAT, RECORD_FAILURE } from "./scripts.js";

/** What a handler is told besides the event. */
export interface HandleContext {
  /** The entry's id in the stream. */
  entryId: string;
  /** This attempt, counted from 1; above 1 after the handler failed before. */
  attempt: number;
  /** How often the entry has been given to a worker, this time included. */
  deliveries: number;
}

export interface InboxWorkerOptions<E> {
  /**
   * Handles one event. Resolving acknowledges it; throwing counts as a failed
   * attempt: it is tried again after `retryDelayMs`, and dead-lettered with
   * the error after `maxAttempts`. Delivery is at least once: make the
   * handler's effects idempotent (event.id is stable).
   */
  handle(event: E, context: HandleContext): void | Promise<void>;
  /**
   * The worker's name in the consumer group. Give each worker a stable one
   * (host and slot, say): a crashed worker's entries are taken over either
   * way, but every name stays in the group's list. Default: random.
   */
  consumer?: string;
  /**
   * The connection for this worker's commands. Its reads block for up to
   * `blockMs`, holding up everything else on the connection: give each worker
   * its own (ioredis: `redis.duplicate()`). Default: the inbox's client.
   */
  client?: RedisCommandClient;
  /** Entries read at a time. Default 50. */
  batchSize?: number;
  /** Conversations handled at once. Default 16. */
  concurrency?: number;
  /** How long a read waits for new entries. Default 1000. */
  blockMs?: number;
  /**
   * An entry unacknowledged for this long (its worker died) is taken over by
   * another worker. A running handler keeps its entries by renewing them every
   * third of this. Default 30000.
   */
  visibilityTimeoutMs?: number;
  /** Failed attempts before an event goes to the dead-letter stream. Default 5. */
  maxAttempts?: number;
  /** Wait before a failed event is tried again. Default 1000. */
  retryDelayMs?: number;
  /**
   * Deliveries without an acknowledgement (its workers died or lost Redis each
   * time) before an event goes to the dead-letter stream, so that an event
   * that crashes its worker cannot crash every worker forever. Default maxAttempts + 5.
   */
  maxDeliveries?: number;
  /** Told about each failed handler and each Redis failure; the worker goes on after either. */
  onError?: (error: unknown, context?: HandleContext) => void;
}

const MIN_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 2_000;
const MAX_ERROR_LENGTH = 1_000;

/** One entry as the worker holds it. */
interface Held extends StreamEntry {
  deliveries: number;
  /** Failed attempts so far. */
  failures: number;
}

export class InboxWorker<E extends InboxEvent> {
  readonly consumer: string;
  readonly #inbox: RedisInbox<E>;
  readonly #client: RedisCommandClient;
  readonly #handle: InboxWorkerOptions<E>["handle"];
  readonly #batchSize: number;
  readonly #concurrency: number;
  readonly #blockMs: number;
  readonly #visibilityMs: number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #maxDeliveries: number;
  readonly #onError: NonNullable<InboxWorkerOptions<E>["onError"]>;
  #running = false;
  #loop: Promise<void> | undefined;
  #claimCursor = "0-0";
  #nextClaimAt = 0;

  constructor(inbox: RedisInbox<E>, options: InboxWorkerOptions<E>) {
    this.#inbox = inbox;
    this.consumer = options.consumer ?? `worker-${randomHex(6)}`;
    this.#client = options.client ?? inbox.client;
    this.#handle = options.handle;
    this.#batchSize = options.batchSize ?? 50;
    this.#concurrency = options.concurrency ?? 16;
    this.#blockMs = options.blockMs ?? 1_000;
    this.#visibilityMs = options.visibilityTimeoutMs ?? 30_000;
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#retryDelayMs = Math.min(options.retryDelayMs ?? 1_000, this.#visibilityMs);
    this.#maxDeliveries = options.maxDeliveries ?? this.#maxAttempts + 5;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Starts the loop in the background; `stop()` ends it. */
  start(): this {
    this.#loop ??= this.run();
    return this;
  }

  /** Lets the current batch finish, then ends the loop. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** Runs the loop until `stop()`; Redis failures are reported to onError and waited out. */
  async run(): Promise<void> {
    this.#running = true;
    let groupReady = false;
    let backoffMs = MIN_BACKOFF_MS;
    while (this.#running) {
      try {
        if (!groupReady) {
          await this.#inbox.ensureGroup(this.#client);
          groupReady = true;
        }
        if (Date.now() >= this.#nextClaimAt) await this.#takeOverStale();
        const reply = await this.#command(
          "XREADGROUP",
          [
            "GROUP",
            this.#inbox.group,
            this.consumer,
            "COUNT",
            this.#batchSize,
            "BLOCK",
            this.#blockMs,
            "STREAMS",
            this.#inbox.keys.stream,
            ">",
          ],
          this.#blockMs,
        );
        await this.#handleBatch(
          readGroupEntries(reply).map((entry) => ({ ...entry, deliveries: 1, failures: 0 })),
        );
        backoffMs = MIN_BACKOFF_MS;
      } catch (error) {
        // A Redis that restarted without its data has lost the group too.
        if (error instanceof Error && error.message.includes("NOGROUP")) groupReady = false;
        this.#onError(error);
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /**
   * Claims entries that no worker has renewed within the visibility timeout
   * (their worker died, or their retry delay is over) and handles them.
   */
  async #takeOverStale(): Promise<void> {
    const { stream } = this.#inbox.keys;
    const reply = await this.#command("XAUTOCLAIM", [
      stream,
      this.#inbox.group,
      this.consumer,
      this.#visibilityMs,
      this.#claimCursor,
      "COUNT",
      this.#batchSize,
    ]);
    const { cursor, entries } = readAutoClaim(reply);
    this.#claimCursor = cursor;
    // A full scan is done: look again once a retry delay has passed.
    if (cursor === "0-0")
      this.#nextClaimAt = Date.now() + Math.min(this.#retryDelayMs, this.#visibilityMs / 2);
    if (entries.length === 0) return;

    const ids = entries.map((entry) => entry.entryId);
    const [pending, failures] = await Promise.all([
      this.#command("XPENDING", [
        stream,
        this.#inbox.group,
        ids[0]!,
        ids[ids.length - 1]!,
        ids.length * 2,
        this.consumer,
      ]),
      this.#command("HMGET", [this.#inbox.keys.failures, ...ids.map((id) => `${id}:attempts`)]),
    ]);
    const deliveries = readDeliveryCounts(pending);
    const failed = Array.isArray(failures) ? failures : [];
    await this.#handleBatch(
      entries.map((entry, i) => ({
        ...entry,
        deliveries: deliveries.get(entry.entryId) ?? 1,
        failures: Number(failed[i] ?? 0),
      })),
    );
  }

  async #handleBatch(entries: Held[]): Promise<void> {
    if (entries.length === 0) return;
    const conversations = new Map<string, Held[]>();
    for (const entry of entries) {
      const key = entry.fields["conversation"] ?? "";
      const queue = conversations.get(key);
      if (queue) queue.push(entry);
      else conversations.set(key, [entry]);
    }

    const inFlight = new Set(entries.map((entry) => entry.entryId));
    const renewal = setInterval(() => void this.#renew([...inFlight]), this.#visibilityMs / 3);
    const handled: string[] = [];
    try {
      const queues = [...conversations.values()];
      const lanes = Array.from({ length: Math.min(this.#concurrency, queues.length) }, async () => {
        for (let queue = queues.shift(); queue; queue = queues.shift()) {
          for (const entry of queue) {
            if (await this.#handleOne(entry)) handled.push(entry.entryId);
            inFlight.delete(entry.entryId);
          }
        }
      });
      await Promise.all(lanes);
    } finally {
      clearInterval(renewal);
    }
    if (handled.length > 0) {
      await this.#command("EVAL", [
        ACKNOWLEDGE,
        2,
        this.#inbox.keys.stream,
        this.#inbox.keys.failures,
        this.#inbox.group,
        ...handled,
      ]);
    }
  }

  /** Handles one entry; true when it is to be acknowledged, false when it was retried or dead-lettered instead. */
  async #handleOne(entry: Held): Promise<boolean> {
    const context: HandleContext = {
      entryId: entry.entryId,
      attempt: entry.failures + 1,
      deliveries: entry.deliveries,
    };
    if (entry.deliveries > this.#maxDeliveries) {
      await this.#deadLetter(
        entry,
        `delivered ${entry.deliveries} times without an acknowledgement (its workers stopped or lost Redis each time)`,
        entry.failures,
      );
      return false;
    }
    let event: E;
    try {
      event = JSON.parse(entry.fields["event"] ?? "") as E;
    } catch {
      await this.#deadLetter(entry, "the stream entry holds no event JSON", entry.failures);
      return false;
    }
    try {
      await this.#handle(event, context);
      return true;
    } catch (error) {
      this.#onError(error, context);
      const message = describe(error);
      const attempts = entry.failures + 1;
      if (attempts >= this.#maxAttempts) await this.#deadLetter(entry, message, attempts);
      else await this.#retryLater(entry, message, attempts);
      return false;
    }
  }

  async #retryLater(entry: Held, error: string, attempts: number): Promise<void> {
    // Made to look idle for all but the retry delay, so that a claim takes it then.
    const idleMs = Math.max(0, this.#visibilityMs - this.#retryDelayMs);
    await this.#command("EVAL", [
      RECORD_FAILURE,
      2,
      this.#inbox.keys.stream,
      this.#inbox.keys.failures,
      this.#inbox.group,
      this.consumer,
      entry.entryId,
      error,
      idleMs,
      attempts,
    ]);
  }

  async #deadLetter(entry: Held, error: string, attempts: number): Promise<void> {
    const { stream, deadLetters, failures } = this.#inbox.keys;
    await this.#command("EVAL", [
      DEAD_LETTER,
      3,
      stream,
      deadLetters,
      failures,
      this.#inbox.group,
      this.consumer,
      entry.entryId,
      entry.fields["id"] ?? "",
      entry.fields["conversation"] ?? "",
      entry.fields["event"] ?? "",
      error,
      attempts,
      entry.deliveries,
    ]);
  }

  async #renew(entryIds: string[]): Promise<void> {
    if (entryIds.length === 0) return;
    try {
      await this.#command("EVAL", [
        HEARTBEAT,
        1,
        this.#inbox.keys.stream,
        this.#inbox.group,
        this.consumer,
        ...entryIds,
      ]);
    } catch (error) {
      this.#onError(error);
    }
  }

  #command(name: string, args: (string | number)[], extraMs = 0): Promise<unknown> {
    return this.#inbox.command(name, args, { client: this.#client, extraMs });
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
