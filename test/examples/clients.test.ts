import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphApiError, SobotApiError } from "../../generated/src/core/errors.js";
import type { ApiModel, Example, Operation } from "../../generator/model/types.js";
import { startRecordingServer, type RecordedRequest, type RecordingServer, type Reply } from "../support/recording-server.js";
import { loadRealSpec } from "../support/spec-examples.js";
import { calledPath, operationCall, type Call } from "../support/operation-client.js";

const spec = loadRealSpec();
const api = (name: string) => spec.apis.find((a) => a.name === name)!;
const graph = api("graph");
const sobot = api("sobot");
const TOKEN_PATH = sobot.operations.find((op) => !op.auth)!.path;
const PAGE_ID = "PAGE_ID_1";

/** What the server answers next; token requests always get the documented token response. */
let nextReply: Reply = { body: {} };
let server: RecordingServer;
beforeAll(async () => {
  const tokenExample = examples(sobot, "GetTokenResponse").find((e) => (e.value as { ret_code?: string }).ret_code === "000000")!;
  server = await startRecordingServer((request) => (request.path === TOKEN_PATH ? { body: tokenExample.value } : nextReply));
});
afterAll(() => server.close());

function examples(model: ApiModel, schema: string): Example[] {
  return (model.schemas.find((s) => s.name === schema)?.schema.examples ?? []).filter((e) => e.valid);
}

function clientCall(model: ApiModel, op: Operation): Call {
  const options = model.name === "graph" ? { accessToken: "graph-test-token", pageId: PAGE_ID } : { appId: "1", appKey: "2" };
  return operationCall(model, op, { ...options, baseUrl: server.url });
}

function operationRequests(op: Operation): RecordedRequest[] {
  const path = calledPath(op, PAGE_ID);
  return server.requests.filter((r) => r.path === path);
}

/** The result a client returns for a successful body, following the spec's unwrap/paging. */
function expectedResult(op: Operation, body: Record<string, unknown>): unknown {
  const paging = op.response.paging;
  if (paging) {
    return {
      items: body[paging.items] ?? [],
      page_no: body[paging.pageNo] ?? 0,
      page_size: body[paging.pageSize] ?? 0,
      page_count: body[paging.pageCount] ?? 0,
      total_count: body[paging.totalCount] ?? 0,
    };
  }
  return op.response.unwrap ? body[op.response.unwrap] : body;
}

const isSuccess = (model: ApiModel, body: Record<string, unknown>) => (model.name === "sobot" ? body.ret_code === "000000" : !("error" in body));

describe.each([graph, sobot].map((m) => [m.name, m] as const))("%s client", (_name, model) => {
  describe.each(model.operations.map((op) => [op.name, op] as const))("%s", (_opName, op) => {
    const requestExamples = examples(model, op.request.schema);
    const responseExamples = examples(model, op.response.schema);

    it("has a documented request and response example", () => {
      expect(requestExamples.length, `${op.request.schema} examples`).toBeGreaterThan(0);
      expect(responseExamples.length, `${op.response.schema} examples`).toBeGreaterThan(0);
    });

    it.each(requestExamples.map((e) => [e.name, e] as const))("request example %s goes on the wire exactly as documented", async (_e, example) => {
      nextReply = { body: responseExamples.find((r) => isSuccess(model, r.value as Record<string, unknown>))?.value ?? {} };
      const before = operationRequests(op).length;
      await clientCall(model, op)(example.value);
      const sent = operationRequests(op).slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.method).toBe(op.method);
      if (op.request.files) {
        // multipart/form-data: each property a part, objects as JSON text, files with name and type.
        const form = await new Response(sent[0]!.body, { headers: { "content-type": String(sent[0]!.headers["content-type"]) } }).formData();
        const parts: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(example.value as Record<string, unknown>)) {
          const part = form.get(name);
          if (op.request.files.includes(name)) {
            const file = part as File;
            const upload = value as { data: string; filename: string; contentType?: string };
            parts[name] = { data: await file.text(), filename: file.name, ...(upload.contentType ? { contentType: file.type } : {}) };
          } else {
            parts[name] = typeof value === "object" ? JSON.parse(String(part)) : part;
          }
        }
        expect(parts).toEqual(example.value);
        const names: string[] = [];
        form.forEach((_value, name) => names.push(name));
        expect(names.sort()).toEqual(Object.keys(example.value as object).sort());
      } else if (op.request.in === "body") {
        expect(JSON.parse(sent[0]!.body)).toEqual(example.value);
      } else {
        const documented = Object.fromEntries(Object.entries(example.value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
        expect(Object.fromEntries(sent[0]!.query)).toEqual(documented);
        expect(sent[0]!.body).toBe("");
      }
    });

    it.each(responseExamples.map((e) => [e.name, e] as const))("response example %s comes back typed through the client", async (_e, example) => {
      const body = example.value as Record<string, unknown>;
      nextReply = { body };
      const call = clientCall(model, op)(requestExamples[0]?.value);
      if (isSuccess(model, body)) {
        await expect(call).resolves.toEqual(expectedResult(op, body));
      } else {
        await expect(call).rejects.toBeInstanceOf(SobotApiError);
        await call.catch((error: SobotApiError) => expect(error.retCode).toBe(body.ret_code));
      }
    });
  });
});

describe("graph error envelope", () => {
  const errorExamples = examples(graph, "ErrorResponse");
  it("is documented", () => expect(errorExamples.length).toBeGreaterThan(0));
  it.each(errorExamples.map((e) => [e.name, e] as const))("%s becomes a GraphApiError with code, subcode and fbtrace_id", async (_e, example) => {
    const body = example.value as { error: { code: number; error_subcode?: number; fbtrace_id?: string; type?: string } };
    nextReply = { status: 400, body };
    const op = graph.operations.find((o) => o.name === "sendMessage")!;
    const error = await clientCall(graph, op)(examples(graph, op.request.schema)[0]!.value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphApiError);
    const apiError = error as GraphApiError;
    expect(apiError.code).toBe(body.error.code);
    expect(apiError.subcode).toBe(body.error.error_subcode);
    expect(apiError.fbtraceId).toBe(body.error.fbtrace_id);
    expect(apiError.type).toBe(body.error.type);
  });
});
