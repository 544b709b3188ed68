/**
 * A TokenStore in Redis, so that every process of one Sobot app shares one
 * token, and only one of them at a time fetches a new one (every get_token
 * call invalidates the token all the others hold).
 *
 * The package has no dependency on a Redis client: pass your own. Its shape is
 * ioredis's (`get`, `set` with PX and NX, `del`, `eval(script, numKeys, ...)`);
 * node-redis v4 and others fit through a few lines of adapter.
 */

import { TokenStoreError } from "./errors.js";
import { randomHex } from "./random-id.js";
import { redactSecrets } from "./redact.js";
import type { StoredToken, TokenLock, TokenStore } from "./token.js";

/** The Redis commands the store uses, as ioredis spells them. */
export interface RedisClientLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, expiryMode: "PX", milliseconds: number): Promise<unknown>;
  /** Resolves "OK" when the key was set, null when NX found it present. */
  set(key: string, value: string, expiryMode: "PX", milliseconds: number, condition: "NX"): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

export interface RedisTokenStoreOptions {
  client: RedisClientLike;
  /**
   * Prefix of the two keys (`<prefix>:token`, `<prefix>:refresh-lock`). Give
   * every Sobot app id its own. Default "messenger-sdk:sobot".
   */
  keyPrefix?: string;
  /** Clock in epoch milliseconds. Default Date.now. */
  now?: () => number;
}

/** Deletes KEYS[1] if its JSON value's token is ARGV[1]. */
const DELETE_IF_TOKEN = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local ok, stored = pcall(cjson.decode, value)
if ok and type(stored) == 'table' and stored['token'] == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** Sets KEYS[1] to expire in ARGV[2] ms if it still holds ARGV[1] (this holder's lock id). */
const EXTEND_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** Deletes KEYS[1] if it still holds ARGV[1] (this holder's lock id). */
const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export class RedisTokenStore implements TokenStore {
  readonly #client: RedisClientLike;
  readonly #tokenKey: string;
  readonly #lockKey: string;
  readonly #now: () => number;

  constructor(options: RedisTokenStoreOptions) {
    this.#client = options.client;
    const prefix = options.keyPrefix ?? "messenger-sdk:sobot";
    this.#tokenKey = `${prefix}:token`;
    this.#lockKey = `${prefix}:refresh-lock`;
    this.#now = options.now ?? Date.now;
  }

  async get(): Promise<StoredToken | undefined> {
    const value = await this.#run("get", "GET", [], () => this.#client.get(this.#tokenKey));
    if (value === null) return undefined;
    try {
      const parsed = JSON.parse(value) as Partial<StoredToken>;
      if (typeof parsed.token === "string" && typeof parsed.expiresAt === "number") {
        return { token: parsed.token, expiresAt: parsed.expiresAt };
      }
    } catch {
      // Not ours, or damaged: treated as no token, so a fresh one replaces it.
    }
    return undefined;
  }

  async set(token: StoredToken): Promise<void> {
    // The key expires with the token, so a dead token never lingers.
    const ttl = Math.max(1, Math.floor(token.expiresAt - this.#now()));
    const value = JSON.stringify({ token: token.token, expiresAt: token.expiresAt });
    await this.#run("set", "SET", [token.token], () => this.#client.set(this.#tokenKey, value, "PX", ttl));
  }

  async delete(token: string): Promise<void> {
    await this.#run("delete", "EVAL", [token], () =>
      this.#client.eval(DELETE_IF_TOKEN, 1, this.#tokenKey, token),
    );
  }

  async tryLock(ttlMs: number): Promise<TokenLock | undefined> {
    const owner = randomHex(16);
    const reply = await this.#run("tryLock", "SET NX", [], () =>
      this.#client.set(this.#lockKey, owner, "PX", Math.max(1, Math.floor(ttlMs)), "NX"),
    );
    if (reply === null || reply === undefined) return undefined;
    return {
      release: async () => {
        await this.#run("release", "EVAL", [], () =>
          this.#client.eval(RELEASE_IF_OWNER, 1, this.#lockKey, owner),
        );
      },
      extend: async (ttl) => {
        const ms = String(Math.max(1, Math.floor(ttl)));
        const extended = await this.#run("extend", "EVAL", [], () =>
          this.#client.eval(EXTEND_IF_OWNER, 1, this.#lockKey, owner, ms),
        );
        return extended === 1;
      },
    };
  }

  /** Removes the token and the lock (for tests and for rotating an app key). */
  async clear(): Promise<void> {
    await this.#run("clear", "DEL", [], () => this.#client.del(this.#tokenKey));
    await this.#run("clear", "DEL", [], () => this.#client.del(this.#lockKey));
  }

  /**
   * Runs one command. A client's own error is not passed on, not even as the
   * cause: clients attach the command's arguments to it (ioredis:
   * `error.command.args`), and those hold the token.
   */
  async #run<T>(storeCall: string, command: string, secrets: string[], run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new TokenStoreError(storeCall, `Redis ${command}: ${redactSecrets(detail, secrets)}`);
    }
  }
}
