/**
 * One worker process of the inbox benchmark (bench/inbox.ts): consumes the inbox with the package's
 * InboxWorker until told to stop, and prints how many events it handled.
 * Run as: node --import tsx bench/inbox-worker.ts '<json config>'
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { handlers, type HandlerName } from "./inbox-handlers.js";

interface Config {
  sdkDir: string;
  port: number;
  keyPrefix: string;
  consumer: string;
  handler: HandlerName;
}
interface InboxModule {
  RedisInbox: new (options: { client: Redis; keyPrefix: string }) => {
    worker(options: { consumer: string; client: Redis; blockMs: number; handle: (event: unknown) => Promise<void> }): { start(): unknown; stop(): Promise<void> };
  };
}

const config = JSON.parse(process.argv[2]!) as Config;
const { RedisInbox } = (await import(pathToFileURL(join(config.sdkDir, "dist", "inbox", "index.js")).href)) as InboxModule;
const redis = new Redis({ host: "127.0.0.1", port: config.port });
const handle = handlers[config.handler];
let handled = 0;
const worker = new RedisInbox({ client: redis, keyPrefix: config.keyPrefix }).worker({
  consumer: config.consumer,
  client: redis,
  blockMs: 50,
  handle: async (event) => {
    await handle(event);
    handled += 1;
  },
});
await redis.ping();
process.stdout.write("ready\n");
process.stdin.once("data", () => {
  worker.start();
  process.stdin.once("data", () => {
    void worker.stop().then(() => {
      process.stdout.write(`${JSON.stringify({ handled })}\n`);
      redis.disconnect();
      process.exit(0);
    });
  });
});
