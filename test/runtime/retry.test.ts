import { describe, expect, it } from 'vitest';
import {
  ConnectionError,
  GraphApiError,
  HttpError,
  MessengerError,
  RequestValidationError,
  SobotApiError,
  TimeoutError,
  type ErrorInfo,
} from '../../templates/core/errors.js';
import { parseRetryAfter, resolveRetryPolicy, retryReason, withRetry, type RetryOptions } from '../../templates/core/retry.js';

const info = (retryable: boolean): ErrorInfo => ({ name: 'X', description: {}, retryable });
const graphError = (retryable: boolean | undefined, status = 400, retryAfterMs?: number) =>
  new GraphApiError({ operation: 'sendMessage', status, code: 613, serverMessage: 'm', info: retryable === undefined ? undefined : info(retryable), retryAfterMs });

describe('retryReason: only where the server certainly did not act, unless idempotent', () => {
  const table: Array<[string, unknown, boolean, boolean, string | undefined]> = [
    ['retryable code, send', graphError(true), false, false, 'retryable-code'],
    ['non-retryable code, send', graphError(false), false, false, undefined],
    ['unknown code, send', graphError(undefined), false, false, undefined],
    ['non-retryable code with HTTP 429', graphError(false, 429), false, false, 'rate-limited'],
    ['Sobot retryable code', new SobotApiError({ operation: 'send', status: 200, retCode: '2', retMsg: '', info: info(true) }), false, false, 'retryable-code'],
    ['HTTP 429 without envelope', new HttpError('send', 429, 'r', ''), false, false, 'rate-limited'],
    ['HTTP 503 with Retry-After', new HttpError('send', 503, 'r', '', 1000), false, false, 'rate-limited'],
    ['HTTP 503 without Retry-After, send', new HttpError('send', 503, 'r', ''), false, false, undefined],
    ['HTTP 503 without Retry-After, read', new HttpError('list', 503, 'r', ''), true, false, 'idempotent'],
    ['HTTP 500, send', new HttpError('send', 500, 'r', ''), false, false, undefined],
    ['HTTP 500, read', new HttpError('list', 500, 'r', ''), true, false, 'idempotent'],
    ['malformed 200, send', new HttpError('send', 200, 'not JSON', ''), false, false, undefined],
    ['malformed 200, read', new HttpError('list', 200, 'not JSON', ''), true, false, 'idempotent'],
    ['HTTP 400 without envelope, read', new HttpError('list', 400, 'r', ''), true, false, undefined],
    ['refused connection, send', new ConnectionError('send', 'not-sent', 'x'), false, false, 'not-sent'],
    ['reset mid-request, send', new ConnectionError('send', 'unknown', 'x'), false, false, undefined],
    ['reset mid-request, send, opted in', new ConnectionError('send', 'unknown', 'x'), false, true, 'unknown-outcome-opt-in'],
    ['reset mid-request, read', new ConnectionError('list', 'unknown', 'x'), true, false, 'idempotent'],
    ['timeout, send', new TimeoutError('send', 10), false, false, undefined],
    ['timeout, send, opted in', new TimeoutError('send', 10), false, true, 'unknown-outcome-opt-in'],
    ['timeout, read', new TimeoutError('list', 10), true, false, 'idempotent'],
    ['invalid request', new RequestValidationError('send', []), true, true, undefined],
    ['plain MessengerError', new MessengerError('x'), true, true, undefined],
    ['caller abort', new DOMException('aborted', 'AbortError'), true, true, undefined],
  ];
  it.each(table)('%s', (_name, error, idempotent, optIn, expected) => {
    expect(retryReason(error, idempotent, optIn)).toBe(expected);
  });
});

/** A policy whose waits are recorded instead of slept. */
function recording(options: RetryOptions = {}) {
  const waits: number[] = [];
  let clock = 0;
  const policy = resolveRetryPolicy({
    random: () => 0.5,
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    ...options,
  });
  return { policy, waits };
}

const failing = (errors: unknown[]) => {
  let calls = 0;
  return {
    attempt: async (state: { dispatched: boolean }) => {
      state.dispatched = true;
      const error = errors[Math.min(calls++, errors.length - 1)];
      if (error === 'ok') return 'done';
      throw error;
    },
    calls: () => calls,
  };
};

describe('withRetry', () => {
  it('backs off exponentially with equal jitter, capped by maxDelayMs, and stops after maxAttempts', async () => {
    const { policy, waits } = recording({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300, maxElapsedMs: 60_000 });
    const run = failing([new ConnectionError('send', 'not-sent', 'x')]);
    const error = await withRetry(policy, { operation: 'send', idempotent: false }, run.attempt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(run.calls()).toBe(5);
    // cap/2 + cap/2 * 0.5 with cap = min(300, 100 * 2^n)
    expect(waits).toEqual([75, 150, 225, 225]);
    expect((error as ConnectionError).attempts).toBe(5);
  });

  it('the jitter spreads each wait between half and all of its cap', async () => {
    for (const random of [0, 0.999]) {
      const { policy, waits } = recording({ random: () => random, baseDelayMs: 100 });
      await withRetry(policy, { operation: 'send', idempotent: false }, failing([graphError(true), 'ok']).attempt);
      expect(waits[0]).toBeGreaterThanOrEqual(50);
      expect(waits[0]).toBeLessThanOrEqual(100);
    }
  });

  it('waits at least Retry-After', async () => {
    const { policy, waits } = recording({ baseDelayMs: 10 });
    const result = await withRetry(policy, { operation: 'send', idempotent: false }, failing([new HttpError('send', 429, 'r', '', 1500), 'ok']).attempt);
    expect(result).toBe('done');
    expect(waits).toEqual([1500]);
  });

  it('gives up when the next wait would pass maxElapsedMs', async () => {
    const { policy, waits } = recording({ maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 10_000, maxElapsedMs: 1_000 });
    const run = failing([graphError(true)]);
    await expect(withRetry(policy, { operation: 'send', idempotent: false }, run.attempt)).rejects.toBeInstanceOf(GraphApiError);
    // 300 + 600 end at 900 ms; the third wait (1200) would end past 1000.
    expect(waits).toEqual([300, 600]);
    expect(run.calls()).toBe(3);
  });

  it('does not repeat a send after a timeout, and says why', async () => {
    const { policy, waits } = recording();
    const run = failing([new TimeoutError('sendMessage', 10)]);
    const error = (await withRetry(policy, { operation: 'sendMessage', idempotent: false }, run.attempt).catch((e: unknown) => e)) as TimeoutError;
    expect(run.calls()).toBe(1);
    expect(waits).toEqual([]);
    expect(error.outcome).toBe('unknown');
    expect(error.message).toMatch(/may have received the request; not retried, because sendMessage is not idempotent/);
  });

  it('treats an error before the request went out (a token fetch) as safe to repeat, and leaves that shared error untouched', async () => {
    const { policy } = recording();
    const shared = new TimeoutError('getToken', 10);
    let calls = 0;
    const result = await withRetry(policy, { operation: 'send', idempotent: false }, async () => {
      if (calls++ === 0) throw shared;
      return 'sent';
    });
    expect(result).toBe('sent');
    expect(shared.message).not.toMatch(/not retried/);
    expect(shared.attempts).toBeUndefined();
  });

  it('stops waiting when the caller aborts, with the abort reason', async () => {
    const controller = new AbortController();
    const policy = resolveRetryPolicy({ baseDelayMs: 10_000 });
    const run = failing([graphError(true)]);
    const pending = withRetry(policy, { operation: 'send', idempotent: false, signal: controller.signal }, run.attempt);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(pending).rejects.toThrow('stop');
    expect(run.calls()).toBe(1);
  });

  it('false, a per-call false, and maxAttempts 1 all turn retries off; a per-call object is laid over the client setting', () => {
    expect(resolveRetryPolicy(false)).toBe(false);
    expect(resolveRetryPolicy({ maxAttempts: 5 }, false)).toBe(false);
    expect(resolveRetryPolicy({ maxAttempts: 1 })).toBe(false);
    const merged = resolveRetryPolicy({ maxAttempts: 5, baseDelayMs: 7 }, { retryUnknownOutcome: true });
    expect(merged).toMatchObject({ maxAttempts: 5, baseDelayMs: 7, retryUnknownOutcome: true, maxElapsedMs: 30_000 });
    expect(resolveRetryPolicy(false, { maxAttempts: 2 })).toMatchObject({ maxAttempts: 2 });
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
  });
});
