import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";

export interface RedisServer {
  port: number;
  /** A new client; closed by stop(). */
  client(): Redis;
  /** Kills the server (SIGKILL: no shutdown save) and waits until it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port (and data directory); resolves once it answers PING. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /**
   * Keep the data in an append-only file synced on every write, in this directory, so that a
   * killed server comes back with everything it acknowledged. Default: no persistence.
   */
  dataDir?: string;
  /** With dataDir: when the file is synced. Default "always". */
  appendfsync?: "always" | "everysec";
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
 * A real redis-server on 127.0.0.1 and a free port; `.ci/run` installs the Debian package when it is
 * missing.
 */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (spawnSync("redis-server", ["--version"]).error) {
    throw new Error("redis-server is not installed: apt-get install -y redis-server (.ci/run does this)");
  }
  const port = await freePort();
  // Without a data directory the server still gets a private one: redis-server writes dump.rdb into
  // its working directory on some commands even with saving off, and that was the repository root.
  const scratchDir = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), "redis-"));
  const persistence = options.dataDir
    ? ["--dir", options.dataDir, "--appendonly", "yes", "--appendfsync", options.appendfsync ?? "always", "--save", ""]
    : ["--dir", scratchDir as string, "--save", "", "--appendonly", "no"];
  let child: ChildProcess;
  let exited: Promise<void>;
  let output = "";
  const launch = async (): Promise<void> => {
    output = "";
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", ...persistence], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    await waitForPing(port, child, () => output);
  };
  await launch();

  const clients: Redis[] = [];
  return {
    port,
    client() {
      const redis = new Redis({ host: "127.0.0.1", port, maxRetriesPerRequest: 1, lazyConnect: false });
      redis.on("error", () => undefined); // reconnects by itself after kill() and restart()
      clients.push(redis);
      return redis;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    restart: launch,
    async stop() {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves once the server on `port` answers PING. A server that exits fails at once; the deadline
 * is only there to end a hang, far beyond any start on a busy machine.
 */
async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const probe = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === "PONG") {
        probe.disconnect();
        return;
      }
    } catch {
      probe.disconnect();
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on ${port}:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
