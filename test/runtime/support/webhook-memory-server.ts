/**
 * A webhook server process for the memory test (webhook-abuse.test.ts): the Graph endpoint behind
 * messenger-sdk/node's handler ("node") or behind the Web Request handler ("web", fed from node:http
 * the way fetch-style adapters do it). It samples its own resident memory while bodies arrive and,
 * told "report" on stdin, prints the baseline and the peak.
 * Run as: node --expose-gc --import tsx webhook-memory-server.ts node|web
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createGraphWebhookHandler, graphWebhookEndpoint } from "../../../generated/src/graph/webhook-endpoint.js";
import { nodeWebhookHandler } from "../../../generated/src/node/index.js";

const flavour = process.argv[2] === "web" ? "web" : "node";
const options = { appSecret: "memory-test-secret", onEvents: () => undefined, ...(process.env.IN_FLIGHT ? { maxInFlightBytes: Number(process.env.IN_FLIGHT) } : {}) };

const toWebRequest = (request: IncomingMessage): Request =>
  new Request(`http://127.0.0.1${request.url ?? "/"}`, {
    method: request.method ?? "POST",
    headers: Object.entries(request.headers).flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : [])),
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);

const nodeHandler = nodeWebhookHandler(graphWebhookEndpoint(options));
const webHandler = createGraphWebhookHandler(options);

let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss());
};
const sampler = setInterval(sample, 5);

const server = createServer((request, response) => {
  sample();
  if (flavour === "node") {
    void nodeHandler(request, response);
    return;
  }
  void webHandler(toWebRequest(request)).then(async (reply) => {
    const headers: Record<string, string> = {};
    reply.headers.forEach((value, name) => (headers[name] = value));
    response.writeHead(reply.status, headers);
    response.end(await reply.text(), () => {
      if (reply.headers.get("connection") === "close" && !request.complete) request.destroy();
    });
  });
});
server.listen(0, "127.0.0.1", () => {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage.rss();
  peak = baseline;
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  process.stdin.once("data", () => {
    clearInterval(sampler);
    process.stdout.write(`${JSON.stringify({ baseline, peak })}\n`);
    server.close();
    process.exit(0);
  });
});
