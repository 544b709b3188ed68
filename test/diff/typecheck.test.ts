import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDiff } from "../../generator/diff/run.js";
import { verify, type Check } from "../../generator/diff/typecheck.js";
import type { Change } from "../../generator/diff/classify.js";
import { rootDir } from "../support/paths.js";
import { specPair, type Apis } from "../support/spec-copy.js";

const cleanup: string[] = [];
afterAll(() => cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function typeChecked(change: (apis: Apis) => void, base?: (apis: Apis) => void) {
  const { oldRoot, newRoot } = specPair(change, base);
  cleanup.push(oldRoot, newRoot);
  const side = (root: string, label: string) => ({ rootDir: root, specDir: join(root, "spec"), label });
  const report = await runDiff({ oldSide: side(oldRoot, "old"), newSide: side(newRoot, "new"), toolRoot: rootDir, types: true });
  const tc = report.typeCheck!;
  const find = (name: string, side: "request" | "response") => tc.verifications.find((v) => v.name === name && v.side === side)!;
  return { report, tc, find };
}

const schemas = (a: Apis) => a.graph.schemas;
const sobot = (a: Apis) => a.sobot.schemas;

/**
 * Each case: the rules' verdict for one operation side, and what the compiler must say about a
 * consumer of the old package built against the new one.
 */
const cases: { name: string; base?: (a: Apis) => void; change: (a: Apis) => void; op: string; side: "request" | "response"; rules: string; types: string; status: string }[] = [
  { name: "response property removed", change: (a) => { delete schemas(a).SendMessageResponse.properties.message_id; }, op: "sendMessage", side: "response", rules: "breaking", types: "break", status: "verified" },
  { name: "request property removed (optional: only the key check sees it)", base: (a) => { schemas(a).SendMessageRequest.properties.tag = { type: "string" }; }, change: (a) => { delete schemas(a).SendMessageRequest.properties.tag; }, op: "sendMessage", side: "request", rules: "breaking", types: "break", status: "verified" },
  { name: "required property added to a request", change: (a) => { sobot(a).GetTokenRequest.properties.nonce = { type: "string" }; sobot(a).GetTokenRequest.required.push("nonce"); }, op: "getToken", side: "request", rules: "breaking", types: "break", status: "verified" },
  { name: "optional property added to a request", change: (a) => { sobot(a).GetTokenRequest.properties.nonce = { type: "string" }; }, op: "getToken", side: "request", rules: "non-breaking", types: "compile", status: "verified" },
  {
    name: "response property made optional",
    base: (a) => { schemas(a).SendMessageResponse.required = ["message_id"]; },
    change: (a) => { delete schemas(a).SendMessageResponse.required; },
    op: "sendMessage", side: "response", rules: "breaking", types: "break", status: "verified",
  },
  // The rules judge the response schema; a paged method returns only the page's items, so a
  // change to the envelope cannot reach callers, and the compiler says so.
  { name: "paged response's envelope field made optional", change: (a) => { sobot(a).ListTopicsResponse.required = ["ret_code"]; }, op: "listTopics", side: "response", rules: "breaking", types: "compile", status: "types-compile-unexpectedly" },
  { name: "response property made required", change: (a) => { sobot(a).ListTopicsResponse.required.push("total_count"); }, op: "listTopics", side: "response", rules: "non-breaking", types: "compile", status: "verified" },
  { name: "request enum value removed", change: (a) => { schemas(a).SendMessageRequest.properties.messaging_type.enum = ["RESPONSE"]; }, op: "sendMessage", side: "request", rules: "breaking", types: "break", status: "verified" },
  { name: "request enum value added", change: (a) => { schemas(a).SendMessageRequest.properties.messaging_type.enum.push("MESSAGE_TAG"); }, op: "sendMessage", side: "request", rules: "non-breaking", types: "compile", status: "verified" },
  {
    name: "response enum value added",
    base: (a) => { schemas(a).SendMessageResponse.properties.status = { type: "string", enum: ["sent", "queued"] }; },
    change: (a) => { schemas(a).SendMessageResponse.properties.status.enum.push("failed"); },
    op: "sendMessage", side: "response", rules: "non-breaking", types: "compile", status: "verified",
  },
  {
    name: "response enum value removed",
    base: (a) => { schemas(a).SendMessageResponse.properties.status = { type: "string", enum: ["sent", "queued"] }; },
    change: (a) => { schemas(a).SendMessageResponse.properties.status.enum = ["sent"]; },
    op: "sendMessage", side: "response", rules: "non-breaking", types: "compile", status: "verified",
  },
  { name: "response type widened", change: (a) => { schemas(a).SendMessageResponse.properties.recipient_id.type = ["string", "integer"]; }, op: "sendMessage", side: "response", rules: "breaking", types: "break", status: "verified" },
  { name: "request maxLength lowered (runtime only)", change: (a) => { schemas(a).SendMessageRequest.properties.message.properties.text.maxLength = 3; }, op: "sendMessage", side: "request", rules: "breaking", types: "compile", status: "runtime-only" },
  { name: "description changed", change: (a) => { schemas(a).SendMessageRequest.description = "changed"; }, op: "sendMessage", side: "request", rules: "non-breaking", types: "compile", status: "verified" },
  { name: "response unwrapped differently", change: (a) => { delete a.sobot.operations.getToken.response.unwrap; }, op: "getToken", side: "response", rules: "breaking", types: "break", status: "verified" },
];

describe("type check of the old package's consumer against the new package", { timeout: 300_000 }, () => {
  it.each(cases)("$name: rules $rules, types $types", async ({ change, base, op, side, rules, types, status }) => {
    const { find, tc } = await typeChecked(change, base);
    expect(tc.unmapped).toEqual([]);
    expect(find(op, side)).toMatchObject({ rules, types, status });
    // every other operation side stays quiet
    const others = tc.verifications.filter((v) => !(v.name === op && v.side === side));
    expect(others.filter((v) => v.types === "break")).toEqual([]);
  });

  it("names the missing property path in the compiler's words", async () => {
    const { find } = await typeChecked((a) => { delete schemas(a).SendMessageResponse.properties.message_id; });
    expect(find("sendMessage", "response").messages.join("\n")).toContain('".message_id"');
  });

  it("checks a schema used on both sides from both sides", async () => {
    const shared = (a: Apis) => {
      schemas(a).Label = { type: "string", enum: ["red", "blue"] };
      schemas(a).SendMessageRequest.properties.label = { ref: "Label" };
      schemas(a).SendMessageResponse.properties.label = { ref: "Label" };
    };
    const { find, tc } = await typeChecked((a) => { schemas(a).Label.enum = ["red"]; }, shared);
    expect(find("sendMessage", "request")).toMatchObject({ rules: "breaking", types: "break", status: "verified" });
    expect(find("sendMessage", "response")).toMatchObject({ rules: "non-breaking", types: "compile", status: "verified" });
    expect(tc.agrees).toBe(true);
  });

  it("checks webhook payloads and error enums", async () => {
    const { tc } = await typeChecked((a) => {
      delete schemas(a).MessageEvent.properties.sender;
      a.graph.errorTables.GraphErrorCode.entries.pop();
    });
    const hook = tc.verifications.find((v) => v.target === "webhook")!;
    expect(hook).toMatchObject({ name: "webhook", rules: "breaking", types: "break", status: "verified" });
    const errors = tc.verifications.find((v) => v.target === "errors" && v.name === "GraphErrorCode")!;
    expect(errors).toMatchObject({ rules: "breaking", types: "break", status: "verified" });
    expect(errors.messages.join()).toContain("InvalidParameter");
  });

  it("reports disagreement both ways", () => {
    const check = (ok: boolean): Check => ({ api: "graph", target: "operation", name: "sendMessage", side: "response", what: "assignable", ok, ...(ok ? {} : { message: "Type 'X' is not assignable" }) });
    const change: Change = {
      kind: "property-made-optional", severity: "breaking", api: "graph", path: "SendMessageResponse.message_id", side: "response", message: "", loc: { file: "f", line: 1, col: 1 },
      locSide: "new", usedBy: [{ kind: "operation", name: "sendMessage", side: "response" }], typeVisible: true,
    };
    expect(verify([check(false)], [])[0]).toMatchObject({ rules: "non-breaking", types: "break", status: "types-break-unexpectedly" });
    expect(verify([check(true)], [change])[0]).toMatchObject({ rules: "breaking", types: "compile", status: "types-compile-unexpectedly" });
    expect(verify([check(true)], [{ ...change, kind: "limit-relaxed", typeVisible: false }])[0]).toMatchObject({ status: "runtime-only" });
  });
});
