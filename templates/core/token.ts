/**
 * Token caching for APIs whose credential is exchanged for a short-lived token
 * (Sobot: 24 hours). Sobot issues a new token, and resets its expiry, on every
 * token request, so fetching one per call or per concurrent caller would only
 * churn tokens: one token is shared until it is about to expire.
 */

import { MessengerError } from './errors.js';

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
}

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60 * 1000;

export class TokenManager {
  readonly #store: TokenStore;
  readonly #fetchToken: TokenManagerOptions['fetchToken'];
  readonly #refreshMarginMs: number;
  readonly #now: () => number;
  /** The refresh in progress, shared by every caller that needs a token meanwhile. */
  #pendingRefresh: Promise<string> | undefined;

  constructor(options: TokenManagerOptions) {
    this.#store = options.store ?? new MemoryTokenStore();
    this.#fetchToken = options.fetchToken;
    this.#refreshMarginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A token valid for at least the refresh margin. Concurrent callers that find
   * no such token share one fetch; if it fails, they all get its error and the
   * next call fetches again.
   */
  async getToken(): Promise<string> {
    if (this.#pendingRefresh) return this.#pendingRefresh;

    const stored = await this.#store.get();
    if (stored && this.#now() < stored.expiresAt - this.#refreshMarginMs) return stored.token;

    // Re-checked after the await: another caller may have started a refresh
    // while this one was reading the store.
    return (this.#pendingRefresh ??= this.#startRefresh());
  }

  /**
   * Drops `token` after the server rejected it, so the next getToken() fetches a
   * new one. A token that has already been replaced is left alone.
   */
  async invalidate(token: string): Promise<void> {
    await this.#store.delete(token);
  }

  #startRefresh(): Promise<string> {
    const refresh = this.#refresh().finally(() => {
      // Compared, not just cleared: `finally` runs asynchronously, after the
      // caller has stored this promise, and must not clear a newer refresh.
      if (this.#pendingRefresh === refresh) this.#pendingRefresh = undefined;
    });
    return refresh;
  }

  async #refresh(): Promise<string> {
    const { token, expiresInSeconds } = await this.#fetchToken();
    if (typeof token !== 'string' || token === '') {
      throw new MessengerError('token endpoint returned no token');
    }
    if (!Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) {
      throw new MessengerError('token endpoint returned an invalid lifetime');
    }
    await this.#store.set({ token, expiresAt: this.#now() + expiresInSeconds * 1000 });
    // The waiters get the token directly, even if its lifetime is shorter than
    // the refresh margin (it is still valid now).
    return token;
  }
}
