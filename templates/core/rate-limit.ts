/**
 * A send rate shared by every process of a fleet: a token bucket per Page
 * (Graph) or per app (Sobot) in Redis, and a shared pause when the API says
 * "too fast" (the error codes the spec marks `rateLimit`, or HTTP 429), so
 * that the whole fleet backs off together instead of each process on its
 * own. Off unless a client is given a limiter.
 */

import { withDeadline } from "./deadline.js";
import { ApiError, HttpError, MessengerError, SendRateLimitError } from "./errors.js";
import type { RedisCommandClient } from "./redis-command.js";
import { sleep as defaultSleep } from "./retry.js";

/** What a client asks of a rate limiter. */
export interface SendRateLimiter {
  /**
   * Resolves once a send for `key` may go out. Rejects with
   * SendRateLimitError when that would take longer than the limiter allows,
   * and with the signal's reason when it aborts.
   */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
  /**
   * The API said "too fast" for `key`: hold every process's sends for it back,
   * at least `retryAfterMs` when the API said how long.
   */
  backOff(key: string, retryAfterMs: number | undefined): Promise<void>;
}

/** Whether `error` is the API saying "too fast". */
export function isRateLimitError(error: unknown): boolean {
  if (error instanceof ApiError) return error.policyInfo?.rateLimit === true || error.status === 429;
  return error instanceof HttpError && error.status === 429;
}

export interface RedisRateLimiterOptions {
  client: RedisCommandClient;
  /** Prefix of the per-key hashes. Default "messenger-sdk:rate". */
  keyPrefix?: string;
  /**
   * Sends per second for one key. Default 300: Meta's Send API allows 300
   * calls per second per Page for text, links, reactions and stickers, 10 for
   * audio or video (meta-docs, Messenger Platform rate limits).
   */
  ratePerSecond?: number;
  /** Sends one key may make at once after a quiet spell. Default: ratePerSecond. */
  burst?: number;
  /** The first shared pause after "too fast" without Retry-After; it doubles while the API keeps saying it. Default 1000. */
  backOffMs?: number;
  /** The longest shared pause. Default 60000. */
  maxBackOffMs?: number;
  /** The longest one send waits for its turn before it fails with SendRateLimitError. Default 30000. */
  maxWaitMs?: number;
  /** How long one Redis command may take. Default 1000. */
  timeoutMs?: number;
  /**
   * When Redis fails or does not answer: 'send' lets the send go out unlimited
   * (the API's own limits still apply; the error goes to onError), 'fail'
   * fails it with SendRateLimitError, nothing sent. Default 'send'.
   */
  whenUnavailable?: "send" | "fail";
  /** Told about each Redis failure. */
  onError?: (error: unknown) => void;
  /** Waits between looks at the bucket. Default: setTimeout. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Takes one token from KEYS[1] if there is one (refilled at ARGV[1] per
 * second up to ARGV[2]), unless the key is paused. Returns 0 when taken, else
 * how many ms to wait. Redis's own clock keeps every process on one time.
 */
const ACQUIRE = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'paused')
local paused = tonumber(state[3]) or 0
if paused > now then return paused - now end
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 60000)
return wait`;

/**
 * Pauses KEYS[1] for at least ARGV[1] ms (Retry-After, or 0), ARGV[2] ms the
 * first time, doubling (up to ARGV[3]) while a pause is still running, and
 * empties its bucket. Returns the pause in ms.
 */
const BACK_OFF = `
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'paused', 'pause')
local paused, last = tonumber(state[1]) or 0, tonumber(state[2]) or 0
local pause = tonumber(ARGV[2])
if paused > now then pause = math.min(tonumber(ARGV[3]), math.max(pause, last * 2)) end
pause = math.max(pause, tonumber(ARGV[1]))
if now + pause > paused then paused = now + pause end
redis.call('HSET', KEYS[1], 'paused', paused, 'pause', pause, 'tokens', '0', 'at', now)
redis.call('PEXPIRE', KEYS[1], pause + 60000)
return pause`;

export class RedisRateLimiter implements SendRateLimiter {
  readonly #client: RedisCommandClient;
  readonly #prefix: string;
  readonly #rate: number;
  readonly #burst: number;
  readonly #backOffMs: number;
  readonly #maxBackOffMs: number;
  readonly #maxWaitMs: number;
  readonly #timeoutMs: number;
  readonly #failOpen: boolean;
  readonly #onError: (error: unknown) => void;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: RedisRateLimiterOptions) {
    this.#client = options.client;
    this.#prefix = options.keyPrefix ?? "messenger-sdk:rate";
    this.#rate = positive("ratePerSecond", options.ratePerSecond ?? 300);
    this.#burst = positive("burst", options.burst ?? this.#rate);
    this.#backOffMs = positive("backOffMs", options.backOffMs ?? 1_000);
    this.#maxBackOffMs = positive("maxBackOffMs", options.maxBackOffMs ?? 60_000);
    this.#maxWaitMs = options.maxWaitMs ?? 30_000;
    this.#timeoutMs = positive("timeoutMs", options.timeoutMs ?? 1_000);
    this.#failOpen = (options.whenUnavailable ?? "send") === "send";
    this.#onError = options.onError ?? (() => undefined);
    this.#sleep = options.sleep ?? defaultSleep;
  }

  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    let waited = 0;
    for (;;) {
      signal?.throwIfAborted();
      let waitMs: number;
      try {
        waitMs = Number(await this.#eval(ACQUIRE, key, [this.#rate, this.#burst]));
      } catch (error) {
        this.#onError(error);
        if (this.#failOpen) return;
        throw new SendRateLimitError(
          key,
          `the shared rate limit is unavailable (${(error as Error).message})`,
        );
      }
      if (waitMs <= 0) return;
      if (waited + waitMs > this.#maxWaitMs) {
        throw new SendRateLimitError(key, `its turn would come after more than ${this.#maxWaitMs} ms`);
      }
      await this.#sleep(waitMs, signal);
      waited += waitMs;
    }
  }

  async backOff(key: string, retryAfterMs: number | undefined): Promise<void> {
    try {
      await this.#eval(BACK_OFF, key, [
        Math.max(0, Math.ceil(retryAfterMs ?? 0)),
        this.#backOffMs,
        this.#maxBackOffMs,
      ]);
    } catch (error) {
      this.#onError(error);
    }
  }

  #eval(script: string, key: string, args: number[]): Promise<unknown> {
    const ms = this.#timeoutMs;
    return withDeadline(
      () => this.#client.call("EVAL", script, 1, `${this.#prefix}:${key}`, ...args),
      ms,
      () => new MessengerError(`rate limit: Redis EVAL did not answer within ${ms} ms`),
    ).catch((error: unknown) => {
      throw error instanceof MessengerError
        ? error
        : new MessengerError(
            `rate limit: Redis EVAL failed: ${error instanceof Error ? error.message : String(error)}`,
          );
    });
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new MessengerError(`RedisRateLimiter: ${name} must be a positive number, got ${value}`);
  return value;
}
