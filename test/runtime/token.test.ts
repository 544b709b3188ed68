import { describe, expect, it, vi } from 'vitest';
import { MemoryTokenStore, TokenManager, type StoredToken, type TokenStore } from '../../templates/core/token.js';
import { rejectionOf } from './support/http-server.js';

/** A fetchToken whose responses the test releases by hand. */
function controlledFetch() {
  const pending: Array<{ resolve: (value: { token: string; expiresInSeconds: number }) => void; reject: (error: Error) => void }> = [];
  const fetchToken = vi.fn(
    () =>
      new Promise<{ token: string; expiresInSeconds: number }>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
  );
  return { fetchToken, pending };
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('TokenManager', () => {
  it('fetches exactly once for 100 concurrent callers with an empty store', async () => {
    const { fetchToken, pending } = controlledFetch();
    const manager = new TokenManager({ fetchToken });

    const callers = Array.from({ length: 100 }, () => manager.getToken());
    await flush();
    expect(fetchToken).toHaveBeenCalledTimes(1);

    pending[0]!.resolve({ token: 'tok-1', expiresInSeconds: 86400 });
    expect(new Set(await Promise.all(callers))).toEqual(new Set(['tok-1']));
    expect(fetchToken).toHaveBeenCalledTimes(1);

    // And the cached token serves later callers without a fetch.
    expect(await manager.getToken()).toBe('tok-1');
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('is single-flight with a slow asynchronous store too', async () => {
    const inner = new MemoryTokenStore();
    const slowStore: TokenStore = {
      get: async () => {
        await flush();
        return inner.get();
      },
      set: (token) => inner.set(token),
      delete: (token) => inner.delete(token),
    };
    const fetchToken = vi.fn(async () => ({ token: 'tok', expiresInSeconds: 60 * 60 }));
    const manager = new TokenManager({ fetchToken, store: slowStore });
    await Promise.all(Array.from({ length: 50 }, () => manager.getToken()));
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('reuses the token until expiresAt minus the refresh margin, then refreshes', async () => {
    let now = 1_000_000;
    let issued = 0;
    const fetchToken = vi.fn(async () => ({ token: `tok-${++issued}`, expiresInSeconds: 3600 }));
    const manager = new TokenManager({ fetchToken, now: () => now });

    expect(await manager.getToken()).toBe('tok-1');
    // Default margin: 5 minutes before the hour is up.
    now += 3600_000 - 5 * 60_000 - 1;
    expect(await manager.getToken()).toBe('tok-1');
    now += 1;
    expect(await manager.getToken()).toBe('tok-2');
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  it('honours a custom refresh margin and stores the expiry in epoch ms', async () => {
    let now = 50_000;
    const store = new MemoryTokenStore();
    const manager = new TokenManager({
      store,
      fetchToken: async () => ({ token: 'tok', expiresInSeconds: 100 }),
      refreshMarginMs: 10_000,
      now: () => now,
    });
    await manager.getToken();
    expect(await store.get()).toEqual<StoredToken>({ token: 'tok', expiresAt: 150_000 });
    now = 139_999;
    await manager.getToken();
    expect((await store.get())?.expiresAt).toBe(150_000);
    now = 140_000;
    await manager.getToken();
    expect((await store.get())?.expiresAt).toBe(240_000);
  });

  it('rejects every waiter when the fetch fails, and tries again on the next call', async () => {
    const { fetchToken, pending } = controlledFetch();
    const manager = new TokenManager({ fetchToken });

    const first = manager.getToken();
    const second = manager.getToken();
    await flush();
    pending[0]!.reject(new Error('token endpoint down'));
    await expect(first).rejects.toThrow('token endpoint down');
    await expect(second).rejects.toThrow('token endpoint down');
    expect(fetchToken).toHaveBeenCalledTimes(1);

    const third = manager.getToken();
    await flush();
    expect(fetchToken).toHaveBeenCalledTimes(2);
    pending[1]!.resolve({ token: 'tok-2', expiresInSeconds: 86400 });
    expect(await third).toBe('tok-2');
  });

  it('recovers from a fetchToken that throws synchronously', async () => {
    let calls = 0;
    const manager = new TokenManager({
      fetchToken: () => {
        calls++;
        if (calls === 1) throw new Error('sync failure');
        return Promise.resolve({ token: 'tok', expiresInSeconds: 86400 });
      },
    });
    await expect(manager.getToken()).rejects.toThrow('sync failure');
    expect(await manager.getToken()).toBe('tok');
  });

  it('rejects a token response without a token or with a bad lifetime', async () => {
    const noToken = new TokenManager({ fetchToken: async () => ({ token: '', expiresInSeconds: 10 }) });
    await expect(noToken.getToken()).rejects.toThrow('no token');
    const badLifetime = new TokenManager({ fetchToken: async () => ({ token: 't', expiresInSeconds: Number.NaN }) });
    expect(String(await rejectionOf(badLifetime.getToken()))).toContain('invalid lifetime');
  });

  it('invalidate() forces a new fetch, but only for the token it names', async () => {
    let issued = 0;
    const fetchToken = vi.fn(async () => ({ token: `tok-${++issued}`, expiresInSeconds: 86400 }));
    const manager = new TokenManager({ fetchToken });

    expect(await manager.getToken()).toBe('tok-1');
    await manager.invalidate('tok-1');
    expect(await manager.getToken()).toBe('tok-2');
    // A stale invalidation (another caller still holding tok-1) keeps tok-2.
    await manager.invalidate('tok-1');
    expect(await manager.getToken()).toBe('tok-2');
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });
});

describe('MemoryTokenStore', () => {
  it('stores, returns and conditionally deletes', async () => {
    const store = new MemoryTokenStore();
    expect(await store.get()).toBeUndefined();
    await store.set({ token: 'a', expiresAt: 1 });
    await store.delete('b');
    expect(await store.get()).toEqual({ token: 'a', expiresAt: 1 });
    await store.delete('a');
    expect(await store.get()).toBeUndefined();
  });
});
