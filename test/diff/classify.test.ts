import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffSpecs, type Change } from "../../generator/diff/classify.js";
import { loadSide } from "../../generator/diff/run.js";
import { loadSpec } from "../../generator/load/index.js";
import { rootDir, specDir } from "../support/paths.js";
import { specPair, type Apis } from "../support/spec-copy.js";

const formatSchema = join(rootDir, "spec", "spec.schema.json");
const cleanup: string[] = [];
afterAll(() => cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function diffOf(change: (apis: Apis) => void, base?: (apis: Apis) => void) {
  const { oldRoot, newRoot } = specPair(change, base);
  cleanup.push(oldRoot, newRoot);
  const load = (root: string) => loadSide({ rootDir: root, specDir: join(root, "spec"), label: root }, formatSchema);
  return { ...diffSpecs(load(oldRoot), load(newRoot)), oldRoot, newRoot };
}

/** `severity kind side path`, the shape every expectation below is written in. */
const summary = (changes: Change[]) => changes.map((c) => `${c.severity} ${c.kind} ${c.side ?? "-"} ${c.api}:${c.path}`).sort();

const graphSchemas = (apis: Apis) => apis.graph.schemas;
const sobotSchemas = (apis: Apis) => apis.sobot.schemas;
const req = (apis: Apis) => graphSchemas(apis).SendMessageRequest;
const res = (apis: Apis) => graphSchemas(apis).SendMessageResponse;

/** A scalar used by sendMessage's request and its response: judged on both sides. */
const sharedLabel = (apis: Apis) => {
  graphSchemas(apis).Label = { type: "string", enum: ["red", "blue"] };
  req(apis).properties.label = { ref: "Label" };
  res(apis).properties.label = { ref: "Label" };
};

interface Case {
  name: string;
  base?: (apis: Apis) => void;
  change: (apis: Apis) => void;
  expected: string[];
}

const cases: Case[] = [
  // properties, and the request/response asymmetry
  {
    name: "request property removed",
    base: (a) => { req(a).properties.tag = { type: "string" }; },
    change: (a) => { delete req(a).properties.tag; },
    expected: ["breaking property-removed request graph:SendMessageRequest.tag"],
  },
  { name: "response property removed", change: (a) => { delete res(a).properties.message_id; }, expected: ["breaking property-removed response graph:SendMessageResponse.message_id"] },
  { name: "optional property added to a request", change: (a) => { req(a).properties.tag = { type: "string" }; }, expected: ["non-breaking property-added-optional request graph:SendMessageRequest.tag"] },
  { name: "optional property added to a response", change: (a) => { res(a).properties.attachment_id = { type: "string" }; }, expected: ["non-breaking property-added-optional response graph:SendMessageResponse.attachment_id"] },
  { name: "required property added to a request", change: (a) => { sobotSchemas(a).GetTokenRequest.properties.nonce = { type: "string" }; sobotSchemas(a).GetTokenRequest.required.push("nonce"); }, expected: ["breaking property-added-required request sobot:GetTokenRequest.nonce"] },
  { name: "required property added to a response", change: (a) => { sobotSchemas(a).GetTokenResponse.properties.expires = { type: "string" }; sobotSchemas(a).GetTokenResponse.required.push("expires"); }, expected: ["non-breaking property-added-required response sobot:GetTokenResponse.expires"] },
  {
    name: "request property made required",
    base: (a) => { sobotSchemas(a).GetTokenRequest.properties.nonce = { type: "string" }; },
    change: (a) => { sobotSchemas(a).GetTokenRequest.required.push("nonce"); },
    expected: ["breaking property-made-required request sobot:GetTokenRequest.nonce"],
  },
  { name: "response property made required", change: (a) => { sobotSchemas(a).ListTopicsResponse.required.push("page_no"); }, expected: ["non-breaking property-made-required response sobot:ListTopicsResponse.page_no"] },
  { name: "request property made optional", change: (a) => { sobotSchemas(a).GetTokenRequest.required = ["appid", "create_time"]; }, expected: ["non-breaking property-made-optional request sobot:GetTokenRequest.sign"] },
  { name: "response property made optional", change: (a) => { sobotSchemas(a).GetTokenResponse.required = ["ret_code"]; }, expected: ["breaking property-made-optional response sobot:GetTokenResponse.ret_msg"] },
  // enums
  { name: "request enum value removed", change: (a) => { req(a).properties.messaging_type.enum = ["RESPONSE"]; }, expected: ['breaking enum-value-removed request graph:SendMessageRequest.messaging_type'] },
  { name: "request enum value added", change: (a) => { req(a).properties.messaging_type.enum.push("MESSAGE_TAG"); }, expected: ['non-breaking enum-value-added request graph:SendMessageRequest.messaging_type'] },
  {
    name: "response enum value removed",
    base: (a) => { res(a).properties.status = { type: "string", enum: ["sent", "queued"] }; },
    change: (a) => { res(a).properties.status.enum = ["sent"]; },
    expected: ["non-breaking enum-value-removed response graph:SendMessageResponse.status"],
  },
  {
    name: "response enum value added",
    base: (a) => { res(a).properties.status = { type: "string", enum: ["sent", "queued"] }; },
    change: (a) => { res(a).properties.status.enum.push("failed"); },
    expected: ["non-breaking enum-value-added response graph:SendMessageResponse.status"],
  },
  { name: "const changed", change: (a) => { graphSchemas(a).WebhookPayload.properties.object.const = "instagram"; }, expected: ["breaking const-changed response graph:WebhookPayload.object"] },
  // types
  {
    name: "request type narrowed",
    base: (a) => { sobotSchemas(a).ListTopicsRequest.properties.page_size.type = "number"; },
    change: (a) => { sobotSchemas(a).ListTopicsRequest.properties.page_size.type = "integer"; },
    expected: ["breaking type-narrowed request sobot:ListTopicsRequest.page_size"],
  },
  { name: "response type widened", change: (a) => { res(a).properties.recipient_id.type = ["string", "integer"]; }, expected: ["breaking type-widened response graph:SendMessageResponse.recipient_id"] },
  { name: "null allowed on an optional response property (it may be null already)", change: (a) => { res(a).properties.recipient_id.type = ["string", "null"]; }, expected: [] },
  { name: "request type widened", change: (a) => { sobotSchemas(a).ListTopicsRequest.properties.page_size.type = "number"; }, expected: ["non-breaking type-widened request sobot:ListTopicsRequest.page_size"] },
  { name: "response type changed", change: (a) => { sobotSchemas(a).ListTopicsResponse.properties.total_count.type = "string"; }, expected: ["breaking type-changed response sobot:ListTopicsResponse.total_count"] },
  // limits
  { name: "request maxLength lowered", change: (a) => { req(a).properties.message.properties.text.maxLength = 3; }, expected: ["breaking limit-tightened request graph:SendMessageRequest.message.text"] },
  { name: "request maxLength raised", change: (a) => { req(a).properties.message.properties.text.maxLength = 10; }, expected: ["non-breaking limit-relaxed request graph:SendMessageRequest.message.text"] },
  { name: "request minLength raised", change: (a) => { req(a).properties.message.properties.text.minLength = 2; }, expected: ["breaking limit-tightened request graph:SendMessageRequest.message.text"] },
  {
    name: "response maxLength lowered",
    base: (a) => { res(a).properties.recipient_id.maxLength = 100; },
    change: (a) => { res(a).properties.recipient_id.maxLength = 50; },
    expected: ["non-breaking limit-tightened response graph:SendMessageResponse.recipient_id"],
  },
  {
    name: "response maxLength raised",
    base: (a) => { res(a).properties.recipient_id.maxLength = 100; },
    change: (a) => { res(a).properties.recipient_id.maxLength = 200; },
    expected: ["breaking limit-relaxed response graph:SendMessageResponse.recipient_id"],
  },
  { name: "request maximum lowered", change: (a) => { sobotSchemas(a).ListTopicsRequest.properties.page_size.maximum = 50; }, expected: ["breaking limit-tightened request sobot:ListTopicsRequest.page_size"] },
  { name: "pattern added to a request field", change: (a) => { sobotSchemas(a).GetTokenRequest.properties.sign.pattern = "^[0-9a-f]{32}$"; }, expected: ["breaking pattern-tightened request sobot:GetTokenRequest.sign"] },
  // variants and object shape
  {
    name: "request variant removed",
    base: (a) => { graphSchemas(a).Recipient.oneOf.push({ type: "object", required: ["phone_number"], additionalProperties: false, properties: { phone_number: { type: "string" } } }); },
    change: (a) => { graphSchemas(a).Recipient.oneOf.pop(); },
    expected: ["breaking variant-removed request graph:Recipient<#3>"],
  },
  {
    name: "request variant added",
    change: (a) => { graphSchemas(a).Recipient.oneOf.push({ type: "object", required: ["phone_number"], additionalProperties: false, properties: { phone_number: { type: "string" } } }); },
    expected: ["non-breaking variant-added request graph:Recipient<#3>"],
  },
  { name: "response closed", change: (a) => { res(a).additionalProperties = false; }, expected: ["non-breaking properties-closed response graph:SendMessageResponse"] },
  { name: "request opened", change: (a) => { delete sobotSchemas(a).GetTokenRequest.additionalProperties; }, expected: ["non-breaking properties-opened request sobot:GetTokenRequest"] },
  { name: "request closed", change: (a) => { sobotSchemas(a).GetTokenResponse.additionalProperties = false; delete sobotSchemas(a).GetTokenResponse.properties.item; }, expected: ["breaking property-removed response sobot:GetTokenResponse.item", "non-breaking properties-closed response sobot:GetTokenResponse"] },
  { name: "field deprecated", change: (a) => { req(a).properties.messaging_type.deprecated = true; }, expected: ["non-breaking deprecated request graph:SendMessageRequest.messaging_type"] },
  { name: "default changed", change: (a) => { sobotSchemas(a).ListTopicsRequest.properties.page_size.default = 20; }, expected: ["non-breaking default-changed request sobot:ListTopicsRequest.page_size"] },
  // a schema on both sides is judged on both
  {
    name: "shared scalar gains an enum value",
    base: sharedLabel,
    change: (a) => { graphSchemas(a).Label.enum.push("green"); },
    expected: ["non-breaking enum-value-added request graph:Label", "non-breaking enum-value-added response graph:Label"],
  },
  {
    name: "shared scalar loses an enum value",
    base: sharedLabel,
    change: (a) => { graphSchemas(a).Label.enum = ["red"]; },
    expected: ["breaking enum-value-removed request graph:Label", "non-breaking enum-value-removed response graph:Label"],
  },
  // webhooks (the response side)
  { name: "webhook event field removed", change: (a) => { delete graphSchemas(a).MessageEvent.properties.sender; }, expected: ["breaking property-removed response graph:MessageEvent.sender"] },
  { name: "webhook event field made optional", change: (a) => { graphSchemas(a).MessageEvent.required = []; }, expected: ["breaking property-made-optional response graph:MessageEvent.message"] },
  {
    name: "webhook event kind added",
    change: (a) => {
      graphSchemas(a).ReadEvent = { type: "object", required: ["read"], properties: { read: { type: "object" } } };
      a.graph.webhooks.webhook.events.push({ kind: "read", field: "read", schema: "ReadEvent" });
    },
    expected: ["breaking webhook-event-added - graph:webhook webhook event read", "non-breaking schema-added - graph:ReadEvent"],
  },
  {
    name: "webhook event kind removed",
    base: (a) => { a.graph.webhooks.webhook.events.push({ kind: "echo", field: "message", schema: "MessageEvent" }); },
    change: (a) => { a.graph.webhooks.webhook.events.pop(); },
    expected: ["breaking webhook-event-removed - graph:webhook webhook event echo"],
  },
  { name: "webhook signature changed", change: (a) => { a.graph.webhooks.webhook.signature.header = "X-Hub-Signature"; }, expected: ["breaking webhook-delivery-changed - graph:webhook webhook"] },
  // operations
  { name: "operation removed", change: (a) => { delete a.sobot.operations.listTopics; }, expected: ["breaking operation-removed - sobot:operation listTopics"] },
  {
    name: "operation added",
    change: (a) => {
      a.sobot.operations.deleteTopic = { method: "POST", path: "/api/del_title", summary: { zh: "删除" }, source: "fixture", request: { schema: "DeleteTopicRequest", in: "body" }, response: { schema: "DeleteTopicResponse" }, errors: ["SobotRetCode"] };
      sobotSchemas(a).DeleteTopicRequest = { type: "object", additionalProperties: false, required: ["configid"], properties: { configid: { type: "string" } } };
      sobotSchemas(a).DeleteTopicResponse = { type: "object", properties: { ret_code: { type: "string" } } };
    },
    expected: ["non-breaking operation-added - sobot:operation deleteTopic", "non-breaking schema-added - sobot:DeleteTopicRequest", "non-breaking schema-added - sobot:DeleteTopicResponse"],
  },
  { name: "operation path changed", change: (a) => { a.sobot.operations.listTopics.path = "/api/v2/get_title_list"; }, expected: ["breaking operation-path-changed - sobot:operation listTopics"] },
  { name: "operation method changed", change: (a) => { a.sobot.operations.getToken.method = "DELETE"; }, expected: ["breaking operation-method-changed - sobot:operation getToken"] },
  { name: "operation moved to a group's client", change: (a) => { a.sobot.operations.listTopics.group = "topics"; }, expected: ["breaking operation-group-changed - sobot:operation listTopics"] },
  { name: "operation result unwrapped", change: (a) => { delete a.sobot.operations.getToken.response.unwrap; }, expected: ["breaking operation-result-changed - sobot:operation getToken"] },
  { name: "operation paged by cursors", change: (a) => { a.sobot.operations.getToken.response.cursorPaging = { next: "item.token", cursor: "item.token", request: "sign" }; }, expected: ["non-breaking operation-pages-added - sobot:operation getToken"] },
  {
    name: "operation's cursor paging changed",
    base: (a) => { a.sobot.operations.getToken.response.cursorPaging = { next: "item.token", cursor: "item.token", request: "sign" }; },
    change: (a) => { a.sobot.operations.getToken.response.cursorPaging.request = "appid"; },
    expected: ["breaking operation-pages-changed - sobot:operation getToken"],
  },
  {
    name: "operation's result narrowed to the fields asked for",
    base: (a) => {
      graphSchemas(a).Field = { type: "string", enum: ["id", "text"] };
      req(a).properties.fields = { type: "array", items: { ref: "Field" } };
    },
    change: (a) => { a.graph.operations.sendMessage.response.selectedBy = { request: "fields" }; },
    expected: ["breaking operation-result-changed - graph:operation sendMessage"],
  },
  {
    name: "operation's body sends a property as a file",
    base: (a) => {
      graphSchemas(a).FileUpload = { type: "object", additionalProperties: false, required: ["data", "filename"], properties: { data: { type: "string", format: "binary" }, filename: { type: "string" } } };
      req(a).properties.filedata = { ref: "FileUpload" };
    },
    change: (a) => { a.graph.operations.sendMessage.request.files = ["filedata"]; },
    expected: ["breaking operation-request-in-changed - graph:operation sendMessage"],
  },
  {
    name: "operation's typed helper added",
    change: (a) => { a.graph.operations.sendMessage.helpers = { sendHello: { summary: { en: "Say hello" }, arguments: { id: { type: "string" } }, request: { recipient: { id: { $arg: "id" } }, message: { text: "hello" } } } }; },
    expected: ["non-breaking operation-helper-added - graph:operation sendMessage"],
  },
  {
    name: "operation's typed helper changed its request",
    base: (a) => { a.graph.operations.sendMessage.helpers = { sendHello: { summary: { en: "Say hello" }, arguments: { id: { type: "string" } }, request: { recipient: { id: { $arg: "id" } }, message: { text: "hello" } } } }; },
    change: (a) => { a.graph.operations.sendMessage.helpers.sendHello.request.message.text = "hi"; },
    expected: ["breaking operation-helper-changed - graph:operation sendMessage"],
  },
  { name: "operation summary changed", change: (a) => { a.sobot.operations.getToken.summary = { zh: "获取 Token", en: "Get a token" }; }, expected: ["documentation operation-docs-changed - sobot:operation getToken"] },
  // error tables
  { name: "error code removed", change: (a) => { a.graph.errorTables.GraphErrorCode.entries.pop(); }, expected: ["breaking error-code-removed - graph:errors GraphErrorCode 100"] },
  { name: "error code added", change: (a) => { a.graph.errorTables.GraphErrorCode.entries.push({ code: 190, name: "InvalidToken", retryable: false, description: "Invalid OAuth 2.0 Access Token" }); }, expected: ["non-breaking error-code-added - graph:errors GraphErrorCode 190"] },
  { name: "error code renamed", change: (a) => { a.graph.errorTables.GraphErrorCode.entries[1].name = "BadParameter"; }, expected: ["breaking error-code-renamed - graph:errors GraphErrorCode 100"] },
  { name: "retryable changed", change: (a) => { a.sobot.errorTables.SobotRetCode.entries[1].retryable = false; }, expected: ["non-breaking error-retryable-changed - sobot:errors SobotRetCode 900002"] },
  { name: "rate limit marked", change: (a) => { a.sobot.errorTables.SobotRetCode.entries[1].rateLimit = true; }, expected: ["non-breaking error-rate-limit-changed - sobot:errors SobotRetCode 900002"] },
  // schemas as exported types, and documentation
  { name: "unused schema removed", base: (a) => { graphSchemas(a).Unused = { type: "string" }; }, change: (a) => { delete graphSchemas(a).Unused; }, expected: ["breaking schema-removed - graph:Unused"] },
  {
    name: "unused schema narrowed (judged on both sides)",
    base: (a) => { graphSchemas(a).Unused = { type: "string", maxLength: 10 }; },
    change: (a) => { graphSchemas(a).Unused.maxLength = 5; },
    expected: ["breaking limit-tightened request graph:Unused", "non-breaking limit-tightened response graph:Unused"],
  },
  { name: "description changed", change: (a) => { req(a).description = { en: "A text message to one person.", zh: "文本消息" }; }, expected: ["documentation docs-changed - graph:SendMessageRequest"] },
  { name: "example changed", change: (a) => { res(a).examples[0].value.message_id = "m_2"; }, expected: ["documentation docs-changed - graph:SendMessageResponse"] },
  {
    name: "decision added",
    change: (a) => { req(a).properties.message.properties.text.decisions = [{ issue: "Sources differ.", decision: "Five characters.", sources: ["fixture"] }]; },
    expected: ["documentation docs-changed - graph:SendMessageRequest.message.text"],
  },
  { name: "enum value description changed", change: (a) => { a.sobot.errorTables.SobotRetCode.entries[0].description = { zh: "成功" }; }, expected: ["documentation error-docs-changed - sobot:errors SobotRetCode 000000"] },
];

describe("spec diff classification", () => {
  it.each(cases)("$name", ({ change, base, expected }) => {
    const { changes } = diffOf(change, base);
    expect(summary(changes)).toEqual([...expected].sort());
  });

  it("covers at least 20 kinds of change", () => {
    const kinds = new Set(cases.flatMap((c) => c.expected.map((e) => e.split(" ")[1])));
    expect(kinds.size).toBeGreaterThanOrEqual(20);
  });

  it("reports nothing for an unchanged spec, and the real spec against itself", () => {
    expect(diffOf(() => {}).changes).toEqual([]);
    const load = () => loadSpec({ rootDir, specDir, formatSchema });
    expect(diffSpecs(load(), load())).toEqual({ changes: [], level: "none" });
  });

  it("names the operation and the spec file:line, the old side's for removals", () => {
    const { changes, newRoot } = diffOf((a) => {
      delete res(a).properties.message_id;
      req(a).properties.message.properties.text.maxLength = 3;
    });
    const removed = changes.find((c) => c.kind === "property-removed")!;
    expect(removed).toMatchObject({ locSide: "old", usedBy: [{ kind: "operation", name: "sendMessage", side: "response" }] });
    expect(removed.loc.file).toBe("spec/graph/api.yaml");
    const lowered = changes.find((c) => c.kind === "limit-tightened")!;
    expect(lowered.locSide).toBe("new");
    const newText = readFileSync(join(newRoot, "spec", "graph", "api.yaml"), "utf8").split("\n");
    // the node of `text`, which starts on the line after its key
    expect(newText[lowered.loc.line - 2]).toMatch(/^\s+text:$/);
  });

  it("puts the highest severity in `level`", () => {
    expect(diffOf((a) => { res(a).description = "changed"; }).level).toBe("documentation");
    expect(diffOf((a) => { res(a).properties.extra = { type: "string" }; res(a).description = "x"; }).level).toBe("non-breaking");
    expect(diffOf((a) => { delete res(a).properties.extra; delete res(a).properties.message_id; }).level).toBe("breaking");
  });
});
