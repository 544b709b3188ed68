/**
 * A bound on how long a call to a shared store (Redis) may take. Redis
 * clients queue commands while they reconnect and settle them only when the
 * connection is back or their own retries run out (ioredis: about 42 s); a
 * caller that must answer in time cannot wait for that.
 */

/**
 * Settles as `call()` does, or rejects with `onTimeout()` after `ms`,
 * whichever comes first. A call that throws synchronously rejects.
 */
export function withDeadline<T>(call: () => Promise<T>, ms: number, onTimeout: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
