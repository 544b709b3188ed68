/**
 * The webhook receivers: the Web Request/Response handler (core, edge-safe) and the node:http handler
 * (messenger-sdk/node), over real HTTP where a server is involved; and the fake Sobot's upload_async
 * completing through the upload-result webhook into the node handler.
 */
import { createHmac } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphWebhookEvent } from "../../generated/src/graph/webhooks.js";
import { createGraphWebhookHandler, graphWebhookEndpoint } from "../../generated/src/graph/webhook-endpoint.js";
import { nodeWebhookHandler } from "../../generated/src/node/index.js";
import { SobotClient } from "../../generated/src/sobot/client.js";
import { sobotWebhookEndpoint } from "../../generated/src/sobot/webhook-endpoint.js";
import type { SobotWebhookEvent } from "../../generated/src/sobot/webhooks.js";
import { startFakeSobot, type FakeSobot } from "../../generated/src/testing/index.js";

const APP_SECRET = "webhook-app-secret-SECRET";
const VERIFY_TOKEN = "verify-token-SECRET";
const LIMIT = 4096;
const body = JSON.stringify({
  object: "page",
  entry: [{ id: "PAGE_1", time: 1, messaging: [{ sender: { id: "U" }, recipient: { id: "PAGE_1" }, timestamp: 2, message: { mid: "m_1", text: "hi" } }] }],
});
const sign = (text: string, secret = APP_SECRET) => `sha256=${createHmac("sha256", secret).update(text).digest("hex")}`;

interface Reply {
  status: number;
  body: string;
  allow: string | null;
}

/** The same checks for both flavours; `send` delivers one request and returns the reply. */
type Send = (init: { method: string; path?: string; body?: string; headers?: Record<string, string>; chunked?: boolean }) => Promise<Reply>;

function behaves(flavour: string, setup: () => { send: Send; received: GraphWebhookEvent[][]; errors: number[]; failNext: () => void }) {
  describe(flavour, () => {
    let ctx: ReturnType<typeof setup>;
    beforeAll(() => {
      ctx = setup();
    });

    it("answers the verification GET with the challenge, 403 on a wrong token", async () => {
      const ok = await ctx.send({ method: "GET", path: `/?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444` });
      expect(ok).toMatchObject({ status: 200, body: "1158201444" });
      const wrong = await ctx.send({ method: "GET", path: "/?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1" });
      expect(wrong.status).toBe(403);
      expect(wrong.body).not.toContain(VERIFY_TOKEN);
    });

    it("405 for other methods, naming the allowed ones", async () => {
      const reply = await ctx.send({ method: "PUT", body });
      expect(reply.status).toBe(405);
      expect(reply.allow).toBe("GET, POST");
    });

    it("200 for a signed delivery, with its events passed to onEvents", async () => {
      const before = ctx.received.length;
      const reply = await ctx.send({ method: "POST", body, headers: { "x-hub-signature-256": sign(body) } });
      expect(reply).toMatchObject({ status: 200, body: "EVENT_RECEIVED" });
      expect(ctx.received.slice(before)).toHaveLength(1);
      const [event] = ctx.received.at(-1)!;
      expect(event!.kind).toBe("message");
    });

    it("403 on a bad or missing signature, checked before parsing (even a non-JSON body is 403)", async () => {
      const before = ctx.received.length;
      expect((await ctx.send({ method: "POST", body, headers: { "x-hub-signature-256": sign(body, "other-secret") } })).status).toBe(403);
      expect((await ctx.send({ method: "POST", body })).status).toBe(403);
      expect((await ctx.send({ method: "POST", body: "{not json", headers: { "x-hub-signature-256": sign(body) } })).status).toBe(403);
      expect(ctx.received.length).toBe(before);
    });

    it("400 on malformed JSON or a payload the spec rejects, when the signature is right", async () => {
      const malformed = "{not json";
      expect((await ctx.send({ method: "POST", body: malformed, headers: { "x-hub-signature-256": sign(malformed) } })).status).toBe(400);
      const invalid = JSON.stringify({ object: "page", entry: "not a list" });
      const reply = await ctx.send({ method: "POST", body: invalid, headers: { "x-hub-signature-256": sign(invalid) } });
      expect(reply.status).toBe(400);
      expect(reply.body).toBe("invalid payload");
    });

    it("413 for a body over the limit, declared or streamed", async () => {
      const big = JSON.stringify({ object: "page", entry: [], padding: "x".repeat(LIMIT) });
      expect((await ctx.send({ method: "POST", body: big, headers: { "x-hub-signature-256": sign(big) } })).status).toBe(413);
      expect((await ctx.send({ method: "POST", body: big, headers: { "x-hub-signature-256": sign(big) }, chunked: true })).status).toBe(413);
      expect(ctx.errors).toContain(413);
    });

    it("500 when onEvents throws, so that the sender delivers again", async () => {
      ctx.failNext();
      const reply = await ctx.send({ method: "POST", body, headers: { "x-hub-signature-256": sign(body) } });
      expect(reply).toMatchObject({ status: 500, body: "internal error" });
    });
  });
}

function graphOptions(received: GraphWebhookEvent[][], errors: number[], fail: { next: boolean }) {
  return {
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    maxBodyBytes: LIMIT,
    onEvents: (events: GraphWebhookEvent[]) => {
      if (fail.next) {
        fail.next = false;
        throw new Error("application failure");
      }
      received.push(events);
    },
    onError: (_error: unknown, status: number) => void errors.push(status),
  };
}

behaves("Web Request/Response handler (createGraphWebhookHandler)", () => {
  const received: GraphWebhookEvent[][] = [];
  const errors: number[] = [];
  const fail = { next: false };
  const handler = createGraphWebhookHandler(graphOptions(received, errors, fail));
  const send: Send = async ({ method, path = "/", body: text, headers = {}, chunked }) => {
    const init: RequestInit & { duplex?: "half" } = { method, headers };
    if (text !== undefined) {
      if (chunked) {
        const bytes = new TextEncoder().encode(text);
        init.body = new ReadableStream({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.slice(i, i + 1000));
            controller.close();
          },
        });
        init.duplex = "half";
      } else {
        init.body = text;
        (init.headers as Record<string, string>)["content-length"] = String(Buffer.byteLength(text));
      }
    }
    const response = await handler(new Request(`https://hooks.example${path}`, init));
    return { status: response.status, body: await response.text(), allow: response.headers.get("allow") };
  };
  return { send, received, errors, failNext: () => void (fail.next = true) };
});

let server: Server | undefined;
let port = 0;
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

behaves("node:http handler (messenger-sdk/node)", () => {
  const received: GraphWebhookEvent[][] = [];
  const errors: number[] = [];
  const fail = { next: false };
  server = createServer(nodeWebhookHandler(graphWebhookEndpoint(graphOptions(received, errors, fail))));
  const listening = new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
  const send: Send = async ({ method, path = "/", body: text, headers = {}, chunked }) => {
    await listening;
    port = (server!.address() as AddressInfo).port;
    return new Promise<Reply>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: { ...headers, ...(chunked || text === undefined ? {} : { "content-length": String(Buffer.byteLength(text)) }) } }, (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (data += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data, allow: (res.headers["allow"] as string | undefined) ?? null }));
      });
      // A server that answers 413 and closes while the body is still streaming may reset the upload.
      req.on("error", (error) => (errors.includes(413) ? resolve({ status: 413, body: "", allow: null }) : reject(error)));
      if (text !== undefined) {
        if (chunked) for (let i = 0; i < text.length; i += 1000) req.write(text.slice(i, i + 1000));
        else req.write(text);
      }
      req.end();
    });
  };
  return { send, received, errors, failNext: () => void (fail.next = true) };
});

describe("the fake Sobot completes upload_async through the upload-result webhook", () => {
  let fake: FakeSobot;
  let receiver: Server;
  const events: SobotWebhookEvent[] = [];
  beforeAll(async () => {
    receiver = createServer(nodeWebhookHandler(sobotWebhookEndpoint({ onEvents: (batch) => void events.push(...batch) })));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
    fake = await startFakeSobot({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sobot`, uploadDelayMs: 10 });
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it("POSTs {track_id, attachment_id} for the returned track id, parsed by the generated parser", async () => {
    const client = new SobotClient({ appId: fake.appId, appKey: fake.appKey, baseUrl: fake.url });
    const trackId = await client.uploadAttachmentAsync({ pageid: "PAGEID", type: "image", payload: { url: "https://example.com/a.png" } });
    await fake.webhooksSettled();
    expect(fake.webhookDeliveries).toHaveLength(1);
    expect(fake.webhookDeliveries[0]!.status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "upload_result", data: { track_id: trackId, attachment_id: expect.stringMatching(/^\d+$/) } });
  });

  it("GET is 405 for Sobot, which has no verification handshake", async () => {
    const response = await fetch(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sobot`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});
