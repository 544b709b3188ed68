/**
 * The one Redis method the inbox and the shared rate limiter use: a command
 * by name with its arguments. ioredis's `call` has this shape; for node-redis,
 * pass `{ call: (command, ...args) => client.sendCommand([command, ...args.map(String)]) }`.
 * The package itself depends on no Redis client.
 */
export interface RedisCommandClient {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}
