/**
 * Webhook endpoints under abuse, both flavours: bodies that trickle in (408 after bodyTimeoutMs),
 * more bodies at once than the in-flight budget holds (503 with Retry-After), the signature checked
 * as the body streams and, where the runtime lacks incremental HMAC, on the whole body; and the
 * memory a server process needs for 200 concurrent 1 MiB bodies with a wrong signature.
 */
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_IN_FLIGHT_BYTES } from "../../generated/src/core/webhook-handler.js";
import { createGraphWebhookHandler, graphWebhookEndpoint, type GraphWebhookEndpointOptions } from "../../generated/src/graph/webhook-endpoint.js";
import type { GraphWebhookEvent } from "../../generated/src/graph/webhooks.js";
import { nodeWebhookHandler } from "../../generated/src/node/index.js";
import { rootDir } from "../support/paths.js";

const APP_SECRET = "abuse-app-secret";
const sign = (text: string) => `sha256=${createHmac("sha256", APP_SECRET).update(text).digest("hex")}`;
const delivery = JSON.stringify({
  object: "page",
  entry: [{ id: "PAGE_1", time: 1, messaging: [{ sender: { id: "U" }, recipient: { id: "PAGE_1" }, timestamp: 2, message: { mid: "m_abuse", text: "hi" } }] }],
});

interface Outcome {
  status: number;
  retryAfter: string | null;
}

/** A body that sends one byte every `everyMs` until `stop()`; `bytes` in all at most. */
function trickle(bytes: number, everyMs: number): { stream: ReadableStream<Uint8Array>; stop: () => void } {
  let timer: ReturnType<typeof setInterval> | undefined;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      timer = setInterval(() => {
        controller.enqueue(new Uint8Array([0x20]));
        if (++sent >= bytes) {
          clearInterval(timer);
          controller.close();
        }
      }, everyMs);
    },
    cancel: () => clearInterval(timer),
  });
  return { stream, stop: () => clearInterval(timer) };
}

describe("Web Request handler", () => {
  const errors: number[] = [];
  const options = (extra: Partial<GraphWebhookEndpointOptions> = {}): GraphWebhookEndpointOptions => ({
    appSecret: APP_SECRET,
    onEvents: () => undefined,
    onError: (_error, status) => void errors.push(status),
    ...extra,
  });

  it("408 for a body that trickles in for longer than bodyTimeoutMs (1 byte per 100 ms)", async () => {
    const { stream, stop } = trickle(140, 100);
    const handler = createGraphWebhookHandler(options({ bodyTimeoutMs: 500 }));
    const response = await handler(new Request("https://hooks.example/", { method: "POST", body: stream, duplex: "half", headers: { "x-hub-signature-256": sign(delivery) } } as RequestInit));
    stop();
    expect(response.status).toBe(408);
    expect(response.headers.get("connection")).toBe("close");
    expect(errors.at(-1)).toBe(408);
  });

  it("503 with Retry-After once the bodies in flight would pass maxInFlightBytes; their bytes come back when they end", async () => {
    const handler = createGraphWebhookHandler(options({ maxInFlightBytes: 3_000, bodyTimeoutMs: 1_000 }));
    const post = () => handler(new Request("https://hooks.example/", { method: "POST", body: delivery, headers: { "x-hub-signature-256": sign(delivery), "content-length": String(delivery.length) } }));
    // Three bodies declared at 1,000 bytes each take the whole budget while they have not arrived.
    const held = [0, 1, 2].map(() => {
      const { stream, stop } = trickle(1_000, 50);
      const response = handler(new Request("https://hooks.example/", { method: "POST", body: stream, duplex: "half", headers: { "content-length": "1000" } } as RequestInit));
      return { response, stop };
    });
    const refused = await post();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");

    // They never finish: each times out (408) and gives its share back.
    expect((await Promise.all(held.map((h) => h.response))).map((r) => r.status)).toEqual([408, 408, 408]);
    for (const { stop } of held) stop();
    expect((await post()).status).toBe(200);
  });

  it("checks the signature on the whole body where the runtime has no incremental HMAC (edge runtimes)", async () => {
    const runtime = process as unknown as { getBuiltinModule?: unknown };
    const original = runtime.getBuiltinModule;
    runtime.getBuiltinModule = undefined;
    try {
      const received: GraphWebhookEvent[][] = [];
      const handler = createGraphWebhookHandler(options({ onEvents: (events) => void received.push(events) }));
      const post = (signature: string) => handler(new Request("https://hooks.example/", { method: "POST", body: delivery, headers: { "x-hub-signature-256": signature } }));
      expect((await post(sign(delivery))).status).toBe(200);
      expect((await post(`sha256=${"0".repeat(64)}`)).status).toBe(403);
      expect(received).toHaveLength(1);
    } finally {
      runtime.getBuiltinModule = original;
    }
  });
});

describe("node:http handler", () => {
  let server: Server;
  let port: number;
  const errors: number[] = [];
  let arrived = 0;
  const arrivals: (() => void)[] = [];
  /** Resolves once the server has seen `count` requests in all. */
  const arrivedAt = (count: number) => new Promise<void>((resolve) => (arrived >= count ? resolve() : arrivals.push(() => arrived >= count && resolve())));
  beforeAll(async () => {
    const endpoint = graphWebhookEndpoint({ appSecret: APP_SECRET, onEvents: () => undefined, bodyTimeoutMs: 500, maxInFlightBytes: 3_000, onError: (_e, status) => void errors.push(status) });
    const handler = nodeWebhookHandler(endpoint);
    server = createServer((request, response) => {
      arrived += 1;
      for (const notify of arrivals) notify();
      void handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => void (errors.length = 0));

  /** Starts a POST; the caller writes the body. */
  const open = (headers: Record<string, string>) => {
    const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/", headers });
    const outcome = new Promise<Outcome | string>((resolve) => {
      req.on("response", (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, retryAfter: (res.headers["retry-after"] as string | undefined) ?? null });
      });
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    return { req, outcome };
  };

  it("408 for a body that trickles in (1 byte per 100 ms), and the connection is closed", async () => {
    const { req, outcome } = open({ "content-length": "140", "x-hub-signature-256": sign(delivery) });
    const timer = setInterval(() => req.write(" "), 100);
    const closed = new Promise<void>((resolve) => req.on("close", () => resolve()));
    const result = await outcome;
    clearInterval(timer);
    expect(result).toEqual({ status: 408, retryAfter: null });
    await closed;
    expect(errors).toContain(408);
  });

  it("503 with Retry-After when declared bodies would pass maxInFlightBytes; 200 again once they are gone", async () => {
    const before = arrived;
    const held = [0, 1, 2].map(() => open({ "content-length": "1000", "x-hub-signature-256": "sha256=x" }));
    for (const { req } of held) req.write(" ");
    await arrivedAt(before + 3);
    const busy = open({ "content-length": String(delivery.length), "x-hub-signature-256": sign(delivery) });
    busy.req.end(delivery);
    expect(await busy.outcome).toEqual({ status: 503, retryAfter: "1" });

    // The held bodies time out (408) and give their bytes back.
    expect((await Promise.all(held.map((h) => h.outcome))).map((o) => (typeof o === "string" ? o : o.status))).toEqual([408, 408, 408]);
    const after = open({ "content-length": String(delivery.length), "x-hub-signature-256": sign(delivery) });
    after.req.end(delivery);
    expect(await after.outcome).toEqual({ status: 200, retryAfter: null });
  });
});

/** Measured: without the budget +127 MiB (node:http) and +176 MiB (Web); with the defaults +23 to +52 MiB across runs. */
const MEMORY_BOUND_MIB = 80;

describe.each(["node", "web"])("200 concurrent 1 MiB bodies with a wrong signature (%s flavour, defaults)", (flavour) => {
  it(`the server process grows by less than ${MEMORY_BOUND_MIB} MiB; each body is refused (403, or 503 past the ${DEFAULT_MAX_IN_FLIGHT_BYTES / 1048576} MiB budget)`, async () => {
    const script = join(rootDir, "test", "runtime", "support", "webhook-memory-server.ts");
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script, flavour], { cwd: rootDir, stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout! });
    const next = () => new Promise<string>((resolve) => lines.once("line", resolve));
    const { port } = JSON.parse(await next()) as { port: number };

    const body = Buffer.alloc(1024 * 1024, 0x20);
    const outcomes: Record<string, number> = {};
    await Promise.all(
      Array.from({ length: 200 }, () => {
        return new Promise<void>((resolve) => {
          let settled = false;
          const settle = (key: string) => {
            if (settled) return;
            settled = true;
            outcomes[key] = (outcomes[key] ?? 0) + 1;
            resolve();
          };
          const req = httpRequest(
            { host: "127.0.0.1", port, method: "POST", path: "/", headers: { "content-length": String(body.length), "x-hub-signature-256": `sha256=${"0".repeat(64)}` } },
            (res) => {
              res.resume();
              settle(String(res.statusCode));
            },
          );
          req.on("error", (error: NodeJS.ErrnoException) => settle(error.code ?? "error"));
          req.end(body);
        });
      }),
    );
    child.stdin!.write("report\n");
    const { baseline, peak } = JSON.parse(await next()) as { baseline: number; peak: number };
    const growthMiB = (peak - baseline) / 1048576;
    console.log(`${flavour}: 200 × 1 MiB wrong-signature bodies: ${JSON.stringify(outcomes)}, RSS +${growthMiB.toFixed(1)} MiB`);
    expect(Object.keys(outcomes).every((key) => key === "403" || key === "503")).toBe(true);
    expect(outcomes["403"]).toBeGreaterThan(0);
    expect(growthMiB).toBeLessThan(MEMORY_BOUND_MIB);
  }, 300_000);
});
