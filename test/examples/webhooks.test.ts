import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseGraphWebhook, parseGraphWebhookDelivery, answerGraphWebhookVerification } from "../../generated/src/graph/webhooks.js";
import { parseSobotWebhook, parseSobotWebhookDelivery } from "../../generated/src/sobot/webhooks.js";
import { WebhookPayloadError, WebhookSignatureError } from "../../generated/src/core/webhook-errors.js";
import type { ApiModel, Webhook } from "../../generator/model/types.js";
import { mutationsOf } from "../support/mutations.js";
import { loadRealSpec } from "../support/spec-examples.js";

const spec = loadRealSpec();
const APP_SECRET = "webhook-test-secret";
const sign = (body: string) => `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`;

type Parsed = { kind: string; standby: boolean; pageId?: string; data: unknown; conforms: boolean; issues: { pointer: string }[] }[];
const parsers: Record<string, (body: string) => Promise<Parsed>> = {
  graph: (body) => parseGraphWebhook(body, { signature: sign(body), appSecret: APP_SECRET }),
  sobot: (body) => parseSobotWebhook(body),
};
const deliveryParsers = {
  graph: (body: string) => parseGraphWebhookDelivery(body, { signature: sign(body), appSecret: APP_SECRET }),
  sobot: (body: string) => parseSobotWebhookDelivery(body),
} as Record<string, (body: string) => Promise<{ events: Parsed; issues: { pointer: string }[] }>>;

function examplesOf(api: ApiModel, schema: string) {
  return (api.schemas.find((s) => s.name === schema)?.schema.examples ?? []).filter((e) => e.valid);
}

/** Wraps one messaging item in the page envelope the webhook delivers it in. */
function envelope(hook: Webhook, item: unknown, list = hook.envelope!.lists[0]!): string {
  const e = hook.envelope!;
  return JSON.stringify({ object: "page", [e.entries]: [{ [e.pageId]: "PAGE_1", [e.entryTime]: 1714120447751, [list]: [item] }] });
}

describe.each(spec.apis.map((api) => [api.name, api] as const))("%s webhook examples through the generated parser", (apiName, api) => {
  const hook = api.webhooks[0]!;
  const parse = parsers[apiName]!;

  it.each(examplesOf(api, hook.payload).map((e) => [e.name, e] as const))("payload %s flattens into known events", async (_n, example) => {
    const events = await parse(JSON.stringify(example.value));
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((e) => e.kind)).not.toContain("unknown");
    for (const event of events) {
      const kind = hook.events.find((k) => k.kind === event.kind)!;
      expect(kind.topLevel || Object.keys(event.data as object)).toContain(kind.topLevel ? true : kind.field);
    }
  });

  const eventExamples = hook.events.filter((k) => !k.topLevel).flatMap((kind) => examplesOf(api, kind.schema).map((e) => [`${kind.kind}: ${e.name}`, kind, e] as const));
  it.each(eventExamples)("event example %s is classified as its kind", async (_n, kind, example) => {
    const events = await parse(envelope(hook, example.value, kind.lists?.[0]));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: kind.kind, pageId: "PAGE_1", standby: false, data: example.value, conforms: true, issues: [] });
  });

  it("delivers an event of a known kind that breaks its schema, as received, with conforms false and issues pointing into the body", async () => {
    // Items come from the event examples and from the items inside the payload examples.
    const e = hook.envelope!;
    const payloadItems = examplesOf(api, hook.payload).flatMap((ex) =>
      ((ex.value as Record<string, unknown[]>)[e.entries] ?? []).flatMap((entry) => e.lists.flatMap((list) => ((entry as Record<string, unknown[]>)[list] ?? []) as Record<string, unknown>[])),
    );
    const items = [...eventExamples.map(([, , ex]) => ex.value as Record<string, unknown>), ...payloadItems];
    const checked = items.flatMap((item) => {
      const kind = hook.events.find((k) => !k.topLevel && k.field in item);
      if (!kind) return [];
      const schema = api.schemas.find((s) => s.name === kind.schema)!.schema;
      return mutationsOf(api, schema, item)
        .filter((m) => m.kind === "missing-required" && m.at !== `/${kind.field}`) // without its field, an item is another kind
        .map((m) => ({ kind, m }));
    });
    expect(checked.length).toBeGreaterThan(0);
    const list = e.lists[0]!;
    for (const { kind, m } of checked) {
      const body = envelope(hook, m.value);
      const delivery = await deliveryParsers[apiName]!(body);
      const pointer = `/${e.entries}/0/${list}/0${m.expectPointer}`;
      expect(delivery.events, m.what).toHaveLength(1);
      expect(delivery.events[0], m.what).toMatchObject({ kind: kind.kind, conforms: false, data: m.value });
      expect(delivery.events[0]!.data, m.what).toEqual(JSON.parse(body)[e.entries][0][list][0]);
      expect(delivery.events[0]!.issues.map((i) => i.pointer), m.what).toContain(pointer);
      expect(delivery.issues.map((i) => i.pointer), m.what).toContain(pointer);
    }
  });

  it("keeps an event of a kind the spec does not know as 'unknown' with its raw object", async () => {
    const item = { sender: { id: "1" }, recipient: { id: "PAGE_1" }, timestamp: 1, brand_new_feature: { x: 1 } };
    const events = await parse(envelope(hook, item));
    expect(events).toEqual([expect.objectContaining({ kind: "unknown", data: item, senderId: "1", timestamp: 1 })]);
  });

  it("rejects a body that is not JSON with WebhookPayloadError", async () => {
    const body = "{not json";
    const call = apiName === "graph" ? parseGraphWebhook(body, { signature: sign(body), appSecret: APP_SECRET }) : parseSobotWebhook(body);
    await expect(call).rejects.toBeInstanceOf(WebhookPayloadError);
  });
});

describe("graph webhook signature and verification", () => {
  const hook = spec.apis.find((a) => a.name === "graph")!.webhooks[0]!;
  const body = envelope(hook, { sender: { id: "1" }, recipient: { id: "2" }, timestamp: 1, message: { mid: "m_1", text: "hi" } });

  it("marks events from the standby list", async () => {
    const standby = envelope(hook, { sender: { id: "1" }, recipient: { id: "2" }, timestamp: 1, message: { mid: "m_1", text: "hi" } }, hook.envelope!.standby);
    const events = await parseGraphWebhook(standby, { signature: sign(standby), appSecret: APP_SECRET });
    expect(events).toEqual([expect.objectContaining({ kind: "message", standby: true })]);
  });

  it.each([
    ["a tampered body", body.replace("hi", "ho"), sign(body)],
    ["a wrong secret", body, `sha256=${createHmac("sha256", "other").update(body).digest("hex")}`],
    ["a missing header", body, null],
    ["a header without the sha256= prefix", body, sign(body).slice("sha256=".length)],
  ])("refuses %s with WebhookSignatureError", async (_label, rawBody, signature) => {
    await expect(parseGraphWebhook(rawBody, { signature, appSecret: APP_SECRET })).rejects.toBeInstanceOf(WebhookSignatureError);
  });

  it("answers the GET verification handshake only with the right token", () => {
    const query = new URLSearchParams({ "hub.mode": "subscribe", "hub.verify_token": "my-token", "hub.challenge": "1158201444" });
    expect(answerGraphWebhookVerification(query, "my-token")).toEqual({ ok: true, challenge: "1158201444" });
    expect(answerGraphWebhookVerification(query, "other-token").ok).toBe(false);
    query.set("hub.mode", "unsubscribe");
    expect(answerGraphWebhookVerification(query, "my-token").ok).toBe(false);
  });
});
