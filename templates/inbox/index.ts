/**
 * messenger-sdk/inbox: a durable inbox for webhook events on Redis Streams,
 * with your own Redis client (ioredis's shape), so the package keeps no
 * runtime dependency.
 *
 * ```ts
 * import { Redis } from 'ioredis';
 * import { graphWebhookEndpoint, type GraphWebhookEvent } from 'messenger-sdk/graph';
 * import { RedisInbox } from 'messenger-sdk/inbox';
 * import { nodeWebhookHandler } from 'messenger-sdk/node';
 *
 * const redis = new Redis();
 * const inbox = new RedisInbox<GraphWebhookEvent>({ client: redis });
 *
 * // The receiver: answers Meta 200 only once the delivery's events are in Redis.
 * createServer(nodeWebhookHandler(graphWebhookEndpoint({ appSecret, onEvents: inbox.onEvents }))).listen(8080);
 *
 * // A worker, in as many processes as you like, each with its own connection.
 * inbox.worker({ client: redis.duplicate(), handle: async (event) => reply(event) }).start();
 * ```
 *
 * Guarantees:
 * - An event is handled at least once: acknowledged only after its handler
 *   resolved; an entry whose worker died is taken over by another after
 *   `visibilityTimeoutMs` (XAUTOCLAIM). Nothing is lost that Redis kept: run
 *   Redis with an append-only file (`appendonly yes`, `appendfsync always`
 *   or `everysec`) if its restarts must not lose events.
 * - A redelivery of the same event (same `event.id`) within `dedupeWindowMs`
 *   is not appended again.
 * - An event whose handler keeps failing goes to the dead-letter stream with
 *   its last error after `maxAttempts`; `deadLetters()` reads them and
 *   `requeueDeadLetter()` puts one back.
 * - Order: a worker handles the events of one conversation (Page and person)
 *   from one read in order, one after the other. Across workers, and for an
 *   event that is retried, there is no order: two workers may handle one
 *   person's consecutive events at the same time. Use `event.timestamp`
 *   where order matters.
 */

export {
  conversationOf,
  DEFAULT_INBOX_KEY_PREFIX,
  InboxError,
  RedisInbox,
  type AppendResult,
  type DeadLetter,
  type InboxEvent,
  type InboxKeys,
  type InboxStats,
  type RedisInboxOptions,
} from "./redis-inbox.js";
export type { RedisCommandClient } from "../core/redis-command.js";
export { InboxWorker, type HandleContext, type InboxWorkerOptions } from "./inbox-worker.js";
