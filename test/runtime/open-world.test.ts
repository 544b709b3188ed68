/**
 * Strict where we send, tolerant where we receive. Deliveries with the drift Meta ships without
 * notice (new enum values, unknown fields and kinds, nulls, `changes` entries, events that break
 * their schema) go through the generated parsers and the HTTP handler; a seeded property test
 * injects drift into every documented webhook example; and every operation of both fakes answers
 * with unknown fields and nulls, which the clients must return without throwing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ValidationIssue } from "../../generated/src/core/errors.js";
import { hmacSha256Hex } from "../../generated/src/core/signature.js";
import { createGraphWebhookHandler } from "../../generated/src/graph/webhook-endpoint.js";
import { parseGraphWebhookDelivery, type GraphWebhookEvent } from "../../generated/src/graph/webhooks.js";
import { parseSobotWebhookDelivery } from "../../generated/src/sobot/webhooks.js";
import { sobotSign } from "../../generated/src/core/sobot-core.js";
import { graphOperations, sobotOperations, startFakeGraph, startFakeSobot, type FakeGraph, type FakeSobot } from "../../generated/src/testing/index.js";
import type { ApiModel } from "../../generator/model/types.js";
import { mutationsOf } from "../support/mutations.js";
import { loadRealSpec } from "../support/spec-examples.js";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { nodeWebhookHandler } from "../../generated/src/node/index.js";
import { graphWebhookEndpoint } from "../../generated/src/graph/webhook-endpoint.js";
import { randomSource as random } from "../support/schema-inputs.js";
import { clientClassOf, pathArgumentsOf } from "../support/operation-client.js";

const APP_SECRET = "open-world-app-secret";
const spec = loadRealSpec();
const graphApi = spec.apis.find((a) => a.name === "graph")!;
const sobotApi = spec.apis.find((a) => a.name === "sobot")!;

const sign = async (body: string) => `sha256=${await hmacSha256Hex(body, APP_SECRET)}`;
const parseGraph = async (body: unknown) => {
  const text = JSON.stringify(body);
  return parseGraphWebhookDelivery(text, { signature: await sign(text), appSecret: APP_SECRET });
};
const page = (...items: unknown[]) => ({ object: "page", entry: [{ id: "PAGE_1", time: 1714120447751, messaging: items }] });
const from = { sender: { id: "USER_1" }, recipient: { id: "PAGE_1" }, timestamp: 1714120446870 };
const text = { ...from, message: { mid: "m_text", text: "my order never arrived" } };

describe("deliveries with Meta's drift keep every event (Graph)", () => {
  it("a reaction Meta sends that the spec's enum lacks (care) does not cost the text beside it", async () => {
    const care = { ...from, timestamp: 1714120446999, reaction: { reaction: "care", emoji: "🤗", action: "react", mid: "m_text" } };
    const { events, issues } = await parseGraph(page(text, care));
    expect(issues).toEqual([]);
    expect(events.map((e) => [e.kind, e.conforms])).toEqual([["message", true], ["reaction", true]]);
    expect(events[0]!.data).toEqual(text);
    expect(events[1]!.data).toEqual(care);
  });

  it("null where the spec shows an object or a string (a fallback's payload, request_thread_control metadata)", async () => {
    const fallback = { ...from, message: { mid: "m_fb", attachments: [{ type: "fallback", title: "Shared link", url: "https://example.com", payload: null }] } };
    const request = { ...from, request_thread_control: { requested_owner_app_id: 123456789, metadata: null } };
    const { events, issues } = await parseGraph(page(fallback, request));
    expect(issues).toEqual([]);
    expect(events.map((e) => [e.kind, e.conforms])).toEqual([["message", true], ["request_thread_control", true]]);
    expect(events.map((e) => e.data)).toEqual([fallback, request]);
  });

  it("unknown fields anywhere stay in data, verbatim", async () => {
    const item = { ...from, brand_new_top: 1, message: { mid: "m_new", text: "hi", nlp: { entities: {} }, commands: [{ name: "flights" }] } };
    const { events } = await parseGraph(page(item));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "message", conforms: true, data: item });
  });

  it("entries with changes become change events (the App Dashboard's Test button, feed)", async () => {
    const body = { object: "page", entry: [{ id: "0", time: 1520383571, changes: [{ field: "feed", value: { item: "status", verb: "add", post_id: "0_1", message: "Example post content." } }] }] };
    const { events, issues } = await parseGraph(body);
    expect(issues).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ kind: "change", conforms: true, pageId: "0", pointer: "/entry/0/changes/0", data: body.entry[0]!.changes[0] })]);
  });

  it("app_roles is its own kind; a kind nobody knows stays unknown with its data", async () => {
    const roles = { recipient: { id: "PAGE_1" }, timestamp: 1458692752478, app_roles: { "123456789": ["primary_receiver"] } };
    const novel = { ...from, messaging_something_new: { a: [1, 2] } };
    const { events } = await parseGraph(page(roles, novel));
    expect(events.map((e) => e.kind)).toEqual(["app_roles", "unknown"]);
    expect(events.map((e) => e.data)).toEqual([roles, novel]);
  });

  it("an event that breaks its schema is delivered as received, with conforms false and its issues; the others conform", async () => {
    const broken = { ...from, message: { text: "no mid", attachments: "not a list" } };
    const { events, issues } = await parseGraph(page(text, broken));
    expect(events.map((e) => [e.kind, e.conforms])).toEqual([["message", true], ["message", false]]);
    expect(events[1]!.data).toEqual(broken);
    const pointers = events[1]!.issues.map((i) => i.pointer);
    expect(pointers).toEqual(expect.arrayContaining(["/entry/0/messaging/1/message", "/entry/0/messaging/1/message/attachments"]));
    expect(issues).toEqual(events[1]!.issues);
  });

  it("a value in a list that is not an event is reported, and the events beside it arrive", async () => {
    const { events, issues } = await parseGraph(page(null, text, 7));
    expect(events.map((e) => e.data)).toEqual([text]);
    expect(issues.map((i) => i.pointer)).toEqual(["/entry/0/messaging/0", "/entry/0/messaging/2"]);
  });

  it("only the envelope refuses a delivery: not an object, another object than page, no entry array", async () => {
    for (const body of [[text], { object: "instagram", entry: [] }, { object: "page", entry: { 0: text } }, { object: "page" }]) {
      await expect(parseGraph(body), JSON.stringify(body)).rejects.toMatchObject({ name: "WebhookPayloadError" });
    }
  });

  it("every event has an identity that a redelivery repeats and another event does not share", async () => {
    const read = { ...from, read: { watermark: 1458668856253 } };
    const otherRead = { ...from, sender: { id: "USER_2" }, read: { watermark: 1458668856253 } };
    const noMid = { ...from, postback: { title: "Get Started", payload: "GET_STARTED" } };
    const first = await parseGraph(page(text, read, otherRead, noMid));
    const again = await parseGraph(page(text, read, otherRead, noMid));
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(new Set(first.events.map((e) => e.id)).size).toBe(4);
    expect(first.events[0]!.id).toBe("message:m_text");
    expect(first.events[1]!.id).toBe("read:USER_1|1458668856253");
    expect(first.events[3]!.id).toMatch(/^postback:#[0-9a-f]{32}$/); // no postback.mid: a hash of the event
  });
});

describe("the HTTP handler answers 200 for a drifting delivery and reports its departures", () => {
  let server: Server;
  let url: string;
  let fake: FakeGraph;
  const received: GraphWebhookEvent[][] = [];
  const reported: ValidationIssue[][] = [];
  const errors: number[] = [];
  beforeAll(async () => {
    const endpoint = graphWebhookEndpoint({
      appSecret: APP_SECRET,
      onEvents: (events) => void received.push(events),
      onIssues: (issues) => void reported.push(issues),
      onError: (_error, status) => void errors.push(status),
    });
    server = createServer(nodeWebhookHandler(endpoint));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
    fake = await startFakeGraph();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fake.close();
  });

  it("node:http: mixed conforming and broken events, a new enum value, a change entry, an unknown kind", async () => {
    const broken = { ...from, message: { text: "no mid" } };
    const care = { ...from, reaction: { reaction: "care", action: "react", mid: "m_text" } };
    const body = {
      object: "page",
      entry: [
        { id: "PAGE_1", time: 1, messaging: [text, broken, care, { ...from, brand_new_kind: {} }] },
        { id: "PAGE_1", time: 2, changes: [{ field: "feed", value: null }] },
      ],
    };
    const answer = await fake.deliverWebhook(url, body, APP_SECRET);
    expect(answer).toEqual({ status: 200, body: "EVENT_RECEIVED" });
    const events = received.at(-1)!;
    expect(events.map((e) => [e.kind, e.conforms])).toEqual([["message", true], ["message", false], ["reaction", true], ["unknown", true], ["change", true]]);
    expect(events.map((e) => e.data)).toEqual([text, broken, care, body.entry[0]!.messaging![3], body.entry[1]!.changes![0]]);
    expect(reported.at(-1)!.map((i) => i.pointer)).toEqual(["/entry/0/messaging/1/message"]);
    expect(errors).toEqual([]);
  });

  it("Web handler: the same delivery, the same events; a throwing onIssues costs nothing", async () => {
    const seen: GraphWebhookEvent[][] = [];
    const failures: number[] = [];
    const handle = createGraphWebhookHandler({
      appSecret: APP_SECRET,
      onEvents: (events) => void seen.push(events),
      onIssues: () => {
        throw new Error("the log sink is down");
      },
      onError: (_error, status) => void failures.push(status),
    });
    const body = JSON.stringify(page(text, { ...from, message: { text: "no mid" } }));
    const response = await handle(new Request("https://hooks.example/", { method: "POST", body, headers: { "x-hub-signature-256": await sign(body) } }));
    expect(response.status).toBe(200);
    expect(seen.at(-1)!.map((e) => e.conforms)).toEqual([true, false]);
    expect(failures).toEqual([200]);
  });
});

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every object inside `value`, with its path. */
function objectsIn(value: Json, path: (string | number)[] = []): { path: (string | number)[]; object: Record<string, Json> }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectsIn(v, [...path, i]));
  if (!isObject(value)) return [];
  return [{ path, object: value }, ...Object.entries(value).flatMap(([k, v]) => objectsIn(v, [...path, k]))];
}

function pointerPath(pointer: string): string[] {
  return pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * One drifted copy of `item`: a few of unknown keys added at random objects, unknown values at the
 * item's enum sites (from the spec), and nulls in place of random properties other than the kind's field.
 */
function drift(api: ApiModel, schema: string, item: Record<string, Json>, kindField: string, next: () => number): Record<string, Json> {
  const copy = structuredClone(item);
  const values = [null, 0, -1.5, "", "x", true, [], {}, [null, { deep: null }], { nested: { a: [1] } }];
  const pick = <T,>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const objects = objectsIn(copy);
  for (let i = 0, n = 1 + Math.floor(next() * 3); i < n; i++) pick(objects).object[`x_drift_${Math.floor(next() * 1e6)}`] = structuredClone(pick(values));
  const named = api.schemas.find((s) => s.name === schema)!;
  const enumSites = mutationsOf(api, named.schema, item).filter((m) => m.kind === "wrong-enum").map((m) => pointerPath(m.at));
  for (const site of enumSites) {
    if (next() < 0.5) continue;
    const parent = site.slice(0, -1).reduce<Json>((v, k) => (v as Record<string, Json>)[k], copy) as Record<string, Json>;
    parent[site.at(-1)!] = typeof parent[site.at(-1)!] === "number" ? 987654 : `drift_value_${Math.floor(next() * 1e6)}`;
  }
  for (const { path, object } of objectsIn(copy)) {
    for (const key of Object.keys(object)) {
      if (path.length === 0 && key === kindField) continue; // without its field the item is another kind
      if (next() < 0.08) object[key] = null;
    }
  }
  return copy;
}

interface Hook {
  api: ApiModel;
  parse: (body: unknown) => Promise<{ events: { kind: string; data: unknown; conforms: boolean }[] }>;
}
const hooks: [string, Hook][] = [
  ["graph", { api: graphApi, parse: parseGraph }],
  ["sobot", { api: sobotApi, parse: (body) => parseSobotWebhookDelivery(JSON.stringify(body)) }],
];

describe.each(hooks)("%s: random drift injected into every documented webhook example never loses an event or a field", (_name, { api, parse }) => {
  const hook = api.webhooks[0]!;
  const envelope = hook.envelope!;
  const nested = hook.events.filter((k) => !k.topLevel);
  const kindOf = (item: Record<string, Json>, list: string) => nested.find((k) => k.field in item && (!k.lists || k.lists.includes(list)));
  const documented = (schema: string) => (api.schemas.find((s) => s.name === schema)!.schema.examples ?? []).filter((e) => e.valid);
  // The kinds' own examples, and the events inside the payload's examples.
  const items = [
    ...nested.flatMap((kind) => documented(kind.schema).map((e) => ({ kind, example: e.name, item: e.value as Record<string, Json> }))),
    ...[...new Set([hook.payload, envelope.schema ?? hook.payload])].flatMap(documented).flatMap((e) =>
      ((e.value as Record<string, Json[]>)[envelope.entries] ?? []).flatMap((entry, i) =>
        envelope.lists.flatMap((list) => (((entry as Record<string, Json[]>)[list] ?? []) as Record<string, Json>[]).map((item, j) => ({ kind: kindOf(item, list)!, example: `${e.name} ${i}/${list}/${j}`, item }))),
      ),
    ),
  ];

  it("has a documented example of every event kind", () => {
    expect(items.every((i) => i.kind)).toBe(true);
    expect(nested.filter((k) => !items.some((i) => i.kind === k)).map((k) => k.kind)).toEqual([]);
  });

  it.each(items.map((i, index) => [`${i.kind.kind}: ${i.example}`, i, index] as const))("%s", async (_label, { kind, item }, index) => {
    const next = random(0x5eed + index);
    const list = kind.lists?.[0] ?? envelope.lists[0]!;
    for (let round = 0; round < 40; round++) {
      const drifted = [drift(api, kind.schema, item, kind.field, next), drift(api, kind.schema, item, kind.field, next)];
      const body = { object: "page", [envelope.entries]: [{ [envelope.pageId]: "PAGE_1", [envelope.entryTime]: 1, [list]: drifted }] };
      const sent = structuredClone(drifted);
      const { events } = await parse(body);
      expect(events, `round ${round}`).toHaveLength(2);
      expect(events.map((e) => e.kind), `round ${round}`).toEqual([kind.kind, kind.kind]);
      expect(events.map((e) => e.data), `round ${round}`).toEqual(sent);
    }
  });

  it("added fields and unknown enum values alone keep an example conforming", async () => {
    const next = random(42);
    for (const { kind, item } of items) {
      const named = api.schemas.find((s) => s.name === kind.schema)!;
      const copy = structuredClone(item);
      // Unknown keys on the event and on its kind's object, unless that object is a map whose values have a schema (app_roles).
      const field = named.schema.properties?.[kind.field];
      const fieldSchema = field?.ref ? api.schemas.find((s) => s.name === field.ref)!.schema : field;
      const targets = [copy, ...(isObject(copy[kind.field]) && typeof fieldSchema?.additionalProperties !== "object" ? [copy[kind.field] as Record<string, Json>] : [])];
      for (const object of targets) object[`x_added_${Math.floor(next() * 1e6)}`] = { any: [null, 1] };
      for (const m of mutationsOf(api, named.schema, item).filter((m) => m.kind === "wrong-enum")) {
        const site = pointerPath(m.at);
        const parent = site.slice(0, -1).reduce<Json>((v, k) => (v as Record<string, Json>)[k], copy) as Record<string, Json>;
        parent[site.at(-1)!] = typeof parent[site.at(-1)!] === "number" ? 987654 : "a_value_meta_added_later";
      }
      const list = kind.lists?.[0] ?? envelope.lists[0]!;
      const { events } = await parse({ object: "page", [envelope.entries]: [{ [envelope.pageId]: "P", [envelope.entryTime]: 1, [list]: [copy] }] });
      expect(events.map((e) => [e.kind, e.conforms]), `${kind.kind}`).toEqual([[kind.kind, true]]);
      expect(events[0]!.data).toEqual(copy);
    }
  });
});

describe("every operation's success answer with unknown fields and nulls comes back without an error", () => {
  let graphFake: FakeGraph;
  let sobotFake: FakeSobot;
  beforeAll(async () => {
    graphFake = await startFakeGraph();
    sobotFake = await startFakeSobot({ appId: "APPID", appKey: "APPKEY" });
  });
  afterAll(async () => {
    await graphFake.close();
    await sobotFake.close();
  });

  it.each(graphOperations.map((op) => [op.name, op] as const))("graph %s", async (_name, op) => {
    const Client = clientClassOf("graph", op.name);
    const client = new Client({ accessToken: graphFake.accessToken, pageId: "PAGE", baseUrl: graphFake.url, retry: false });
    graphFake.inject({ kind: "drift" }, { operation: op.name });
    const call = client[op.name]!;
    const result = await call.call(client, ...pathArgumentsOf("graph", op.name), Object.values(op.requestExamples)[0]);
    // A list answer (a batch's) drifts by an element of unknown shape.
    const drifted = Array.isArray(result) ? result.at(-1) : result;
    expect(drifted).toMatchObject({ x_fake_added_field: { nested: [1, "two", null] }, x_fake_null: null });
  });

  it.each(sobotOperations.map((op) => [op.name, op] as const))("sobot %s", async (_name, op) => {
    const Client = clientClassOf("sobot", op.name);
    const client = new Client({ appId: "APPID", appKey: "APPKEY", baseUrl: sobotFake.url, retry: false });
    const createTime = Math.floor(Date.now() / 1000).toString();
    const request = op.auth ? Object.values(op.requestExamples)[0] : { appid: "APPID", create_time: createTime, sign: sobotSign("APPID", createTime, "APPKEY") };
    sobotFake.inject({ kind: "drift" }, { operation: op.name });
    const call = client[op.name]!;
    // Resolved, whatever with: sendMessage unwraps an item the envelope may not have.
    const outcome = await call.call(client, request).then(
      () => "resolved",
      (error: unknown) => String(error),
    );
    expect(outcome).toBe("resolved");
    expect(sobotFake.requests.filter((r) => r.operation === op.name && r.fault === "drift")).toHaveLength(1);
  });
});
