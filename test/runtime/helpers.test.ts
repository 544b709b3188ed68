/**
 * The spec's typed helpers (sendText, sendAttachment, sendTemplate, sendSenderAction) through the
 * generated package against the fake Graph over HTTP on 127.0.0.1: each sends the request its spec
 * entry writes, with the arguments in place, and the fake (which validates every request) accepts it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphClient, sendAttachment, sendSenderAction, sendTemplate, sendText } from "../../generated/src/graph/index.js";
import { startFakeGraph, type FakeGraph } from "../../generated/src/testing/index.js";
import { loadRealSpec } from "../support/spec-examples.js";

const TOKEN = "EAAhelpersTOKEN";
let fake: FakeGraph;
let graph: GraphClient;

beforeAll(async () => {
  fake = await startFakeGraph({ accessTokens: [TOKEN], pages: ["PAGE_1", "PAGE_2"] });
  graph = new GraphClient({ accessToken: TOKEN, pageId: "PAGE_1", baseUrl: fake.url, retry: false });
});
afterAll(() => fake.close());

const template = { template_type: "button" as const, text: "What next?", buttons: [{ type: "postback" as const, title: "Talk to an agent", payload: "AGENT" }] };
const image = { type: "image" as const, payload: { url: "https://example.com/shirt.png", is_reusable: true } };

const cases = [
  { helper: "sendText", call: () => sendText(graph, "PSID_1", "hello"), body: { recipient: { id: "PSID_1" }, messaging_type: "RESPONSE", message: { text: "hello" } } },
  { helper: "sendAttachment", call: () => sendAttachment(graph, "PSID_1", image), body: { recipient: { id: "PSID_1" }, messaging_type: "RESPONSE", message: { attachment: image } } },
  { helper: "sendTemplate", call: () => sendTemplate(graph, "PSID_1", template), body: { recipient: { id: "PSID_1" }, messaging_type: "RESPONSE", message: { attachment: { type: "template", payload: template } } } },
  { helper: "sendSenderAction", call: () => sendSenderAction(graph, "PSID_1", "typing_on"), body: { recipient: { id: "PSID_1" }, sender_action: "typing_on" } },
];

describe("typed helpers", () => {
  it("cover every helper the spec declares", () => {
    const declared = loadRealSpec().apis.flatMap((api) => api.operations.flatMap((op) => op.helpers.map((h) => h.name)));
    expect(cases.map((c) => c.helper).sort()).toEqual(declared.sort());
  });

  it.each(cases.map((c) => [c.helper, c] as const))("%s sends its request, and the fake accepts it", async (_name, { call, body }) => {
    fake.reset();
    const answer = await call();
    expect(answer).toMatchObject({ recipient_id: expect.any(String) });
    const [request] = fake.delivered("sendMessage");
    expect(JSON.parse(request!.body)).toEqual(body);
  });

  it("pass the call options through: another Page, and the request check", async () => {
    fake.reset();
    await sendText(graph, "PSID_2", "hi", { pageId: "PAGE_2" });
    expect(fake.delivered("sendMessage").map((r) => r.path)).toEqual(["/PAGE_2/messages"]);
    await expect(sendText(graph, "PSID_2", "x".repeat(2001))).rejects.toMatchObject({ name: "RequestValidationError" });
    expect(fake.requests).toHaveLength(1);
  });
});
