/**
 * When a failed request is sent again, and how long to wait first.
 *
 * The rule: a request is repeated only when repeating it cannot make the
 * server act twice, unless the operation is idempotent (reading it twice is
 * harmless) or the caller opted in with `retryUnknownOutcome`.
 *
 * - A response carrying an error code the spec marks `retryable` (rate limits,
 *   temporary failures): the server refused the request, so it is repeated.
 * - HTTP 429, or 503 with a Retry-After header: refused as well; repeated no
 *   sooner than Retry-After says.
 * - A connection that failed before the request was written
 *   (`ConnectionError` with outcome 'not-sent'): repeated.
 * - A timeout, or a connection lost after the request was written (outcome
 *   'unknown'): repeated for idempotent operations only, or with
 *   `retryUnknownOutcome: true`. A send is otherwise NOT repeated: the message
 *   may already be on its way, and the error says so.
 * - Idempotent operations are also repeated after any 5xx, 408 or an
 *   unreadable success response.
 *
 * Waits grow exponentially with jitter ("equal jitter": between half and all
 * of min(maxDelayMs, baseDelayMs * 2^(retry-1))), are never shorter than the
 * server's Retry-After, and stop when either `maxAttempts` or `maxElapsedMs`
 * would be exceeded.
 */

import { ApiError, ConnectionError, HttpError, MessengerError, TimeoutError } from "./errors.js";

export interface RetryOptions {
  /** Attempts in all, the first one included. Default 3; 1 turns retries off. */
  maxAttempts?: number;
  /** The wait before the first retry, doubled for each one after. Default 500. */
  baseDelayMs?: number;
  /** No computed wait is longer than this (a server's Retry-After may be). Default 10000. */
  maxDelayMs?: number;
  /**
   * No retry is started when its wait would end more than this long after the
   * first attempt began. Default 30000.
   */
  maxElapsedMs?: number;
  /**
   * Also repeat non-idempotent operations (sends) after a timeout or a
   * connection lost mid-request. The server may then act twice: only for
   * operations whose duplicates you can tolerate or detect. Default false.
   */
  retryUnknownOutcome?: boolean;
  /** Waits `ms`; rejects with the signal's reason when it aborts. Tests inject one. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter. Default Math.random. */
  random?: () => number;
  /** Clock in epoch milliseconds, for `maxElapsedMs`. Default Date.now. */
  now?: () => number;
  /**
   * Called before each wait, e.g. to log. The error is the SDK's own, already
   * free of credentials.
   */
  onRetry?: (event: RetryEvent) => void;
}

/** Why a failed attempt is repeated. */
export type RetryReason =
  "retryable-code" | "rate-limited" | "not-sent" | "idempotent" | "unknown-outcome-opt-in";

export interface RetryEvent {
  operation: string;
  /** The attempt that failed, counted from 1. */
  attempt: number;
  /** How long the SDK waits before the next attempt. */
  delayMs: number;
  reason: RetryReason;
  error: MessengerError;
}

/** A retry policy with its defaults applied. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxElapsedMs: number;
  readonly retryUnknownOutcome: boolean;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
}

export const DEFAULT_RETRY = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxElapsedMs: 30_000,
});

/**
 * The policy in effect: `false` turns retries off; a per-call setting is laid
 * over the client's (a per-call `false` wins, a per-call object fills in from
 * the client's settings and then the defaults).
 */
export function resolveRetryPolicy(
  clientSetting: RetryOptions | false | undefined,
  callSetting?: RetryOptions | false,
): RetryPolicy | false {
  if (callSetting === false) return false;
  if (clientSetting === false && callSetting === undefined) return false;
  const merged: RetryOptions = { ...(clientSetting === false ? {} : clientSetting), ...callSetting };
  const policy: RetryPolicy = {
    maxAttempts: positiveInteger("maxAttempts", merged.maxAttempts ?? DEFAULT_RETRY.maxAttempts),
    baseDelayMs: nonNegative("baseDelayMs", merged.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: nonNegative("maxDelayMs", merged.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs),
    maxElapsedMs: nonNegative("maxElapsedMs", merged.maxElapsedMs ?? DEFAULT_RETRY.maxElapsedMs),
    retryUnknownOutcome: merged.retryUnknownOutcome ?? false,
    sleep: merged.sleep ?? sleep,
    random: merged.random ?? Math.random,
    now: merged.now ?? Date.now,
    onRetry: merged.onRetry,
  };
  return policy.maxAttempts > 1 ? Object.freeze(policy) : false;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new MessengerError(`retry.${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new MessengerError(`retry.${name} must be a non-negative number of milliseconds, got ${value}`);
  }
  return value;
}

/**
 * Whether `error` may be followed by another attempt, and why; undefined when
 * it may not. `idempotent` says whether sending the request twice is harmless.
 */
export function retryReason(
  error: unknown,
  idempotent: boolean,
  retryUnknownOutcome: boolean,
): RetryReason | undefined {
  if (error instanceof ApiError) {
    if (error.policyInfo?.retryable === true) return "retryable-code";
    if (refusedStatus(error.status, error.retryAfterMs)) return "rate-limited";
    return undefined;
  }
  if (error instanceof HttpError) {
    if (refusedStatus(error.status, error.retryAfterMs)) return "rate-limited";
    if (
      idempotent &&
      (error.status >= 500 || error.status === 408 || error.status === 429 || error.status < 300)
    ) {
      return "idempotent";
    }
    return undefined;
  }
  if (error instanceof ConnectionError && error.outcome === "not-sent") return "not-sent";
  if (error instanceof ConnectionError || error instanceof TimeoutError) {
    if (idempotent) return "idempotent";
    return retryUnknownOutcome ? "unknown-outcome-opt-in" : undefined;
  }
  return undefined;
}

/** 429, or 503 with Retry-After: the server says it did not take the request. */
function refusedStatus(status: number, retryAfterMs: number | undefined): boolean {
  return status === 429 || (status === 503 && retryAfterMs !== undefined);
}

/** What one attempt reports besides its result or error. */
export interface AttemptState {
  /**
   * Set once the operation's own request may have reached the server. An
   * error before that (say, from fetching a token) cannot have made the server
   * act on the operation, so it is judged as if the operation were idempotent.
   */
  dispatched: boolean;
}

export interface RetryContext {
  operation: string;
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  /** Errors the caller handles itself and never wants repeated here. */
  exclude?: (error: unknown) => boolean;
}

/**
 * Runs `attempt` until it succeeds, fails in a way that must not be repeated,
 * or the policy's attempts or time run out; throws the last error.
 */
export async function withRetry<T>(
  policy: RetryPolicy | false,
  context: RetryContext,
  attempt: (state: AttemptState) => Promise<T>,
): Promise<T> {
  if (policy === false) return attempt({ dispatched: false });

  const started = policy.now();
  for (let attemptNo = 1; ; attemptNo++) {
    const state: AttemptState = { dispatched: false };
    try {
      return await attempt(state);
    } catch (error) {
      context.signal?.throwIfAborted();
      const idempotent = context.idempotent || !state.dispatched;
      const reason = context.exclude?.(error)
        ? undefined
        : retryReason(error, idempotent, policy.retryUnknownOutcome);
      if (!(error instanceof MessengerError) || reason === undefined) {
        throw annotate(error, attemptNo, state, context, policy);
      }
      if (attemptNo >= policy.maxAttempts) throw annotate(error, attemptNo, state, context, policy);

      const retryAfterMs = retryAfterOf(error) ?? 0;
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNo - 1));
      const backoff = cap / 2 + (cap / 2) * policy.random();
      const delayMs = Math.ceil(Math.max(backoff, retryAfterMs));
      if (policy.now() - started + delayMs > policy.maxElapsedMs)
        throw annotate(error, attemptNo, state, context, policy);

      policy.onRetry?.({ operation: context.operation, attempt: attemptNo, delayMs, reason, error });
      await policy.sleep(delayMs, context.signal);
    }
  }
}

function retryAfterOf(error: MessengerError): number | undefined {
  return error instanceof ApiError || error instanceof HttpError ? error.retryAfterMs : undefined;
}

/**
 * Records the number of attempts on the operation's own errors, and says in
 * the message why an unknown outcome was not retried. Errors raised before the
 * request went out (a shared token fetch) may be shared by several callers and
 * are left untouched.
 */
function annotate(
  error: unknown,
  attempts: number,
  state: AttemptState,
  context: RetryContext,
  policy: RetryPolicy,
): unknown {
  if (!(error instanceof MessengerError) || !state.dispatched) return error;
  if (attempts > 1) error.attempts = attempts;
  const unknownOutcome =
    (error instanceof ConnectionError && error.outcome === "unknown") || error instanceof TimeoutError;
  if (unknownOutcome && !context.idempotent && !policy.retryUnknownOutcome) {
    error.message += `; not retried, because ${context.operation} is not idempotent (retry.retryUnknownOutcome opts in)`;
  }
  return error;
}

// setTimeout stores its delay in a signed 32-bit integer; longer delays fire at once.
const MAX_TIMER_DELAY_MS = 0x7fffffff;

/** setTimeout as a promise that an AbortSignal cancels (rejecting with its reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.min(Math.max(ms, 0), MAX_TIMER_DELAY_MS),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A Retry-After header in milliseconds: delay-seconds ("120") or an HTTP date.
 * Undefined when absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[a-z]/i.test(trimmed)) return undefined;
  return Math.max(0, date - now);
}
