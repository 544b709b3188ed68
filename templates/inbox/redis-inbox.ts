/**
 * A durable inbox for webhook events on a Redis stream: the webhook endpoint
 * appends each delivery's events before it answers 200, and workers (any
 * number of processes) consume them through a consumer group. See index.ts for
 * the guarantees; the worker loop is in inbox-worker.ts.
 */

import { withDeadline } from "../core/deadline.js";
import { MessengerError } from "../core/errors.js";
import type { RedisCommandClient } from "../core/redis-command.js";
import { InboxWorker, type InboxWorkerOptions } from "./inbox-worker.js";
import { readEntries } from "./replies.js";
import { APPEND, REQUEUE } from "./scripts.js";

/** What the inbox needs of an event: the parsers' events (ReceivedEventBase) have it. */
export interface InboxEvent {
  /** Stable across redeliveries of the same event; the dedupe key. */
  id: string;
  pageId?: string | undefined;
  senderId?: string | undefined;
  recipientId?: string | undefined;
}

export interface RedisInboxOptions {
  client: RedisCommandClient;
  /**
   * Prefix of every key. The default's braces keep all keys in one hash slot,
   * as Redis Cluster requires of the scripts. Default "{messenger-sdk:inbox}".
   */
  keyPrefix?: string;
  /** The consumer group the workers share. Default "workers". */
  group?: string;
  /**
   * How long an event id is remembered, so that a redelivery of it within this
   * time is not appended again; 0 turns deduplication off. Meta retries a
   * delivery that got no 200 "until successfully completed" (meta-docs,
   * Messenger Platform Technical FAQ, Webhooks) and names no end; a day
   * covers its retries of any outage the inbox itself survives. Each id costs
   * one small key for this long. Default 24 hours.
   */
  dedupeWindowMs?: number;
  /** How long one Redis command may take before it fails with InboxError. Default 5000. */
  timeoutMs?: number;
}

/** What one append did. */
export interface AppendResult {
  /** Events added to the stream. */
  appended: number;
  /** Events left out because the same id was appended within the dedupe window. */
  duplicates: number;
}

/** An event that failed `maxAttempts` times (or was delivered `maxDeliveries` times unacknowledged). */
export interface DeadLetter<E> {
  /** Its id in the dead-letter stream, for requeueDeadLetter. */
  deadId: string;
  /** Its id in the events stream when it failed. */
  entryId: string;
  event: E;
  /** The last error its handler threw (name and message), or why it was given up. */
  error: string;
  attempts: number;
  deliveries: number;
}

export interface InboxStats {
  /** Events in the stream: not yet handled, or being handled. */
  waiting: number;
  /** Of those, delivered to a worker and not yet acknowledged. */
  pending: number;
  /** Events in the dead-letter stream. */
  deadLetters: number;
}

/** Redis failed, did not answer in time, or holds something the inbox did not write. */
export class InboxError extends MessengerError {
  override readonly name: string = "InboxError";
  /** The Redis command, e.g. "EVALSHA" or "XREADGROUP". */
  readonly command: string;

  constructor(command: string, detail: string) {
    super(`inbox: Redis ${command} failed: ${detail}`);
    this.command = command;
  }
}

export const DEFAULT_INBOX_KEY_PREFIX = "{messenger-sdk:inbox}";
const DEFAULT_GROUP = "workers";
const DEFAULT_DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 5_000;

/** The inbox's keys. */
export interface InboxKeys {
  stream: string;
  deadLetters: string;
  /** Hash of failed attempts per entry (`<entry>:attempts`) and their last error (`<entry>`). */
  failures: string;
  seen(eventId: string): string;
}

export class RedisInbox<E extends InboxEvent> {
  readonly client: RedisCommandClient;
  readonly group: string;
  readonly keys: InboxKeys;
  readonly dedupeWindowMs: number;
  readonly timeoutMs: number;

  constructor(options: RedisInboxOptions) {
    this.client = options.client;
    this.group = options.group ?? DEFAULT_GROUP;
    const prefix = options.keyPrefix ?? DEFAULT_INBOX_KEY_PREFIX;
    this.keys = {
      stream: `${prefix}:events`,
      deadLetters: `${prefix}:dead-letters`,
      failures: `${prefix}:failures`,
      seen: (eventId) => `${prefix}:seen:${eventId}`,
    };
    this.dedupeWindowMs = options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Appends the events not seen within the dedupe window, in their order, in
   * one atomic step. Resolves once Redis has them: a webhook endpoint that
   * answers 200 only after this has handed the events over for good (as far as
   * Redis persists them). Rejects with InboxError when Redis fails or does not
   * answer within `timeoutMs`; the endpoint then answers 500 and Meta delivers
   * again (and whatever did reach the stream is deduplicated then).
   */
  async append(events: readonly E[]): Promise<AppendResult> {
    if (events.length === 0) return { appended: 0, duplicates: 0 };
    const keys = [this.keys.stream, ...events.map((event) => this.keys.seen(event.id))];
    const args = [
      String(Math.max(0, Math.floor(this.dedupeWindowMs))),
      ...events.flatMap((event) => [event.id, conversationOf(event), JSON.stringify(event)]),
    ];
    const flags = await this.command("EVAL", [APPEND, keys.length, ...keys, ...args]);
    const appended = Array.isArray(flags) ? flags.filter((flag) => Number(flag) === 1).length : 0;
    return { appended, duplicates: events.length - appended };
  }

  /** `append` for a webhook endpoint's `onEvents`. */
  readonly onEvents = async (events: E[]): Promise<void> => {
    await this.append(events);
  };

  /** A worker that consumes this inbox; call `start()` or `run()` on it. */
  worker(options: InboxWorkerOptions<E>): InboxWorker<E> {
    return new InboxWorker(this, options);
  }

  /** The oldest `count` dead letters. */
  async deadLetters(count = 100): Promise<DeadLetter<E>[]> {
    const reply = await this.command("XRANGE", [this.keys.deadLetters, "-", "+", "COUNT", count]);
    return readEntries(reply).map(({ entryId, fields }) => ({
      deadId: entryId,
      entryId: fields["entry"] ?? "",
      event: JSON.parse(fields["event"] ?? "null") as E,
      error: fields["error"] ?? "",
      attempts: Number(fields["attempts"] ?? 0),
      deliveries: Number(fields["deliveries"] ?? 0),
    }));
  }

  /** Puts a dead letter back on the stream, with its attempts counted afresh; false when there is none with this id. */
  async requeueDeadLetter(deadId: string): Promise<boolean> {
    const reply = await this.command("EVAL", [REQUEUE, 2, this.keys.stream, this.keys.deadLetters, deadId]);
    return typeof reply === "string";
  }

  async stats(): Promise<InboxStats> {
    await this.ensureGroup();
    const [waiting, pending, deadLetters] = await Promise.all([
      this.command("XLEN", [this.keys.stream]),
      this.command("XPENDING", [this.keys.stream, this.group]),
      this.command("XLEN", [this.keys.deadLetters]),
    ]);
    return {
      waiting: Number(waiting),
      pending: Number(Array.isArray(pending) ? pending[0] : 0),
      deadLetters: Number(deadLetters),
    };
  }

  /**
   * Creates the stream and the consumer group if they do not exist. The group
   * starts at the stream's beginning, so events appended before any worker
   * ran are consumed too.
   */
  async ensureGroup(client: RedisCommandClient = this.client): Promise<void> {
    try {
      await this.command("XGROUP", ["CREATE", this.keys.stream, this.group, "0", "MKSTREAM"], { client });
    } catch (error) {
      if (!(error instanceof InboxError && error.message.includes("BUSYGROUP"))) throw error;
    }
  }

  /**
   * Runs one command, bounded by `timeoutMs` (plus `extraMs` for blocking
   * reads). The client's own error is not kept: Redis clients attach the
   * command's arguments to it, and those hold the events.
   */
  async command(
    name: string,
    args: (string | number)[],
    options: { client?: RedisCommandClient; extraMs?: number } = {},
  ): Promise<unknown> {
    const client = options.client ?? this.client;
    const ms = this.timeoutMs + (options.extraMs ?? 0);
    try {
      return await withDeadline(
        () => client.call(name, ...args),
        ms,
        () => new InboxError(name, `no answer within ${ms} ms`),
      );
    } catch (error) {
      if (error instanceof InboxError) throw error;
      throw new InboxError(name, error instanceof Error ? error.message : String(error));
    }
  }
}

/**
 * Which conversation an event belongs to: the Page and the person on the other
 * side (the sender, or the recipient of the Page's own echoes).
 */
export function conversationOf(event: InboxEvent): string {
  const person =
    event.senderId !== undefined && event.senderId !== event.pageId ? event.senderId : event.recipientId;
  return `${event.pageId ?? ""}:${person ?? ""}`;
}
