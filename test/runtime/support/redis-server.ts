import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";

export interface RedisServer {
  port: number;
  /** A new client; closed by stop(). */
  client(): Redis;
  stop(): Promise<void>;
}

/** A free loopback port: bound, read and released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A real redis-server on 127.0.0.1 and a free port, without persistence; `.ci/run` installs the Debian
 * package when it is missing.
 */
export async function startRedis(): Promise<RedisServer> {
  if (spawnSync("redis-server", ["--version"]).error) {
    throw new Error("redis-server is not installed: apt-get install -y redis-server (.ci/run does this)");
  }
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const clients: Redis[] = [];
  const client = () => {
    const redis = new Redis({ host: "127.0.0.1", port, maxRetriesPerRequest: 1, lazyConnect: false });
    clients.push(redis);
    return redis;
  };
  // Ready once it answers PING.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === "PONG") {
        probe.disconnect();
        break;
      }
    } catch {
      probe.disconnect();
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on ${port}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    port,
    client,
    async stop() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
