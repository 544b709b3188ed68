/**
 * Token caching for APIs whose credential is exchanged for a short-lived token
 * (Sobot: 24 hours). Sobot issues a new token, and resets its expiry, on every
 * token request, so fetching one per call or per concurrent caller would only
 * churn tokens: one token is shared until it is about to expire.
 */

import { withDeadline } from "./deadline.js";
import { MessengerError, TokenStoreError } from "./errors.js";
import { redactSecrets } from "./redact.js";

export interface StoredToken {
  token: string;
  /** When the token expires, in epoch milliseconds. */
  expiresAt: number;
}

/**
 * Where the current token lives. The default keeps it in memory; a shared store
 * (Redis, KV) lets several processes use one token instead of each replacing the
 * others' tokens.
 */
export interface TokenStore {
  get(): Promise<StoredToken | undefined>;
  set(token: StoredToken): Promise<void>;
  /** Forgets the stored token, but only if it is still `token`: a newer one stays. */
  delete(token: string): Promise<void>;
  /**
   * Optional: a lock every user of the store sees, held while one of them
   * fetches a new token, so that only one process calls get_token. Resolves
   * undefined at once when another holder has it. The lock must expire by
   * itself after `ttlMs`, so that a holder that dies does not block the rest.
   */
  tryLock?(ttlMs: number): Promise<TokenLock | undefined>;
}

/** A held refresh lock. */
export interface TokenLock {
  /** Gives the lock up, unless it has expired and someone else holds it now. */
  release(): Promise<void>;
  /**
   * Optional: makes the lock live `ttlMs` from now, if this holder still has
   * it; resolves false when it does not. The manager renews the lock while
   * its token request is in flight, so a token endpoint slower than the
   * lock's lifetime does not let a second process fetch a token too.
   */
  extend?(ttlMs: number): Promise<boolean>;
}

export class MemoryTokenStore implements TokenStore {
  #current: StoredToken | undefined;

  async get(): Promise<StoredToken | undefined> {
    return this.#current;
  }

  async set(token: StoredToken): Promise<void> {
    this.#current = { token: token.token, expiresAt: token.expiresAt };
  }

  async delete(token: string): Promise<void> {
    if (this.#current?.token === token) this.#current = undefined;
  }
}

export interface TokenManagerOptions {
  store?: TokenStore;
  fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>;
  /** Refresh this long before the token expires. Default: 5 minutes. */
  refreshMarginMs?: number;
  /** Clock in epoch milliseconds; tests inject one. Default: Date.now. */
  now?: () => number;
  /** With a store that has tryLock: how long the refresh lock lives at most. Default 10000. */
  lockTtlMs?: number;
  /**
   * With a store that has tryLock: how long a caller waits for another
   * process's refresh before giving up with an error. Default 15000.
   */
  lockWaitMs?: number;
  /** Waits between looks at the store while another process refreshes. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * How long one call to the store may take before it fails with a
   * TokenStoreError. A store that is down (Redis restarting) then costs a
   * caller this long at most, not its client's own reconnect delays. Default 5000.
   */
  storeTimeoutMs?: number;
}

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60 * 1000;
const DEFAULT_LOCK_TTL_MS = 10_000;
const DEFAULT_LOCK_WAIT_MS = 15_000;
const DEFAULT_STORE_TIMEOUT_MS = 5_000;
/** The holder renews its lock when a third of the lock's lifetime has passed. */
const RENEWALS_PER_TTL = 3;
/** Waiters look at the store after 25 ms, then ever less often, at most every 500 ms. */
const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 500;

export class TokenManager {
  readonly #store: TokenStore;
  readonly #fetchToken: TokenManagerOptions["fetchToken"];
  readonly #refreshMarginMs: number;
  readonly #now: () => number;
  readonly #lockTtlMs: number;
  readonly #lockWaitMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #storeTimeoutMs: number;
  /** The refresh in progress, shared by every caller that needs a token meanwhile. */
  #pendingRefresh: Promise<string> | undefined;

  constructor(options: TokenManagerOptions) {
    this.#store = options.store ?? new MemoryTokenStore();
    this.#fetchToken = options.fetchToken;
    this.#refreshMarginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.#now = options.now ?? Date.now;
    this.#lockTtlMs = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
    this.#lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  }

  /**
   * A token valid for at least the refresh margin. Concurrent callers that find
   * no such token share one fetch; if it fails, they all get its error and the
   * next call fetches again.
   */
  async getToken(): Promise<string> {
    if (this.#pendingRefresh) return this.#pendingRefresh;

    const stored = await this.#ask("get", () => this.#store.get());
    if (stored && this.#fresh(stored)) return stored.token;

    // Re-checked after the await: another caller may have started a refresh
    // while this one was reading the store.
    return (this.#pendingRefresh ??= this.#startRefresh(stored?.token));
  }

  /**
   * Drops `token` after the server rejected it, so the next getToken() fetches a
   * new one. A token that has already been replaced is left alone.
   */
  async invalidate(token: string): Promise<void> {
    await this.#ask("delete", () => this.#store.delete(token), [token]);
  }

  /**
   * One store call, bounded by storeTimeoutMs. What the store throws becomes a
   * TokenStoreError with the known secrets taken out of its message; the
   * original is not kept as the cause, since Redis clients attach the
   * command's arguments (the token) to their errors.
   */
  #ask<T>(storeCall: string, call: () => Promise<T>, secrets: readonly string[] = []): Promise<T> {
    const ms = this.#storeTimeoutMs;
    return withDeadline(call, ms, () => new TokenStoreError(storeCall, `no answer within ${ms} ms`)).catch(
      (error: unknown) => {
        if (error instanceof TokenStoreError) throw error;
        throw new TokenStoreError(
          storeCall,
          redactSecrets(error instanceof Error ? error.message : String(error), secrets),
        );
      },
    );
  }

  #startRefresh(staleToken: string | undefined): Promise<string> {
    const refresh = this.#refresh(staleToken).finally(() => {
      // Compared, not just cleared: `finally` runs asynchronously, after the
      // caller has stored this promise, and must not clear a newer refresh.
      if (this.#pendingRefresh === refresh) this.#pendingRefresh = undefined;
    });
    return refresh;
  }

  /** Valid for at least the refresh margin. */
  #fresh(token: StoredToken): boolean {
    return this.#now() < token.expiresAt - this.#refreshMarginMs;
  }

  /**
   * A token someone else stored since this refresh began: not the one that
   * was found stale or rejected, and not expired (it may be within the margin
   * if the token endpoint hands out short lifetimes).
   */
  #replacement(token: StoredToken | undefined, staleToken: string | undefined): token is StoredToken {
    if (token === undefined || this.#now() >= token.expiresAt) return false;
    return this.#fresh(token) || token.token !== staleToken;
  }

  async #refresh(staleToken: string | undefined): Promise<string> {
    const store = this.#store;
    if (!store.tryLock) return this.#fetchAndStore();
    const tryLock = store.tryLock.bind(store);

    // Only the lock holder fetches; everyone else waits for the token it
    // stores. A holder that dies loses the lock after lockTtlMs.
    const deadline = this.#now() + this.#lockWaitMs;
    let pollMs = FIRST_POLL_MS;
    for (;;) {
      const lock = await this.#ask("tryLock", () => tryLock(this.#lockTtlMs));
      if (lock) {
        const stopRenewing = this.#keepRenewing(lock);
        try {
          // The previous holder may have stored a token between this caller's
          // look at the store and its taking the lock.
          const current = await this.#ask("get", () => store.get());
          if (this.#replacement(current, staleToken)) return current.token;
          return await this.#fetchAndStore();
        } finally {
          stopRenewing();
          await this.#ask("release", () => lock.release()).catch(() => undefined);
        }
      }
      await this.#sleep(pollMs);
      pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
      const current = await this.#ask("get", () => store.get());
      if (this.#replacement(current, staleToken)) return current.token;
      if (this.#now() > deadline) {
        throw new MessengerError(
          `no token: another process held the refresh lock for over ${this.#lockWaitMs} ms`,
        );
      }
    }
  }

  /**
   * Renews `lock` every third of its lifetime until the returned function is
   * called. A failed renewal is not fatal: the lock then expires as it would
   * have without renewal.
   */
  #keepRenewing(lock: TokenLock): () => void {
    const extend = lock.extend?.bind(lock);
    if (!extend) return () => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const schedule = (): void => {
      timer = setTimeout(() => {
        this.#ask("extend", () => extend(this.#lockTtlMs))
          .catch(() => false)
          .then((held) => {
            if (held && !stopped) schedule();
          });
      }, this.#lockTtlMs / RENEWALS_PER_TTL);
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  async #fetchAndStore(): Promise<string> {
    const { token, expiresInSeconds } = await this.#fetchToken();
    if (typeof token !== "string" || token === "") {
      throw new MessengerError("token endpoint returned no token");
    }
    if (!Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) {
      throw new MessengerError("token endpoint returned an invalid lifetime");
    }
    const stored = { token, expiresAt: this.#now() + expiresInSeconds * 1000 };
    await this.#ask("set", () => this.#store.set(stored), [token]);
    // The waiters get the token directly, even if its lifetime is shorter than
    // the refresh margin (it is still valid now).
    return token;
  }
}
