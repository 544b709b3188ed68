import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiPath } from "../../generator/emit/openapi.js";
import { toJsonSchemaBundle } from "../../generator/schema/to-json-schema.js";
import type { ApiModel, Example, Operation } from "../../generator/model/types.js";
import { generatedDir, rootDir } from "../support/paths.js";
import { loadRealSpec } from "../support/spec-examples.js";
import { calledPath, operationCall, type Call } from "../support/operation-client.js";

/**
 * Stoplight Prism serves each generated OpenAPI document as a mock on 127.0.0.1 and validates every
 * request against it. The generated clients send every documented request example of the spec
 * through it: Prism must accept each request the client makes (no 422, no violation), the Sobot
 * token request included. A body the spec rejects, sent raw, must get Prism's 422.
 *
 * Prism asserts `format` (uri, ...), which the spec keeps as an annotation: a verbatim example with
 * a placeholder such as "URL" for a URI is valid in the spec and refused by Prism. For those the
 * test requires Prism's refusal to name exactly the format violations a format-asserting JSON Schema
 * validator finds in the example, and nothing else.
 */

const spec = loadRealSpec();
const api = (name: string) => spec.apis.find((a) => a.name === name)!;
const PAGE_ID = "PAGE_ID_1";
const prismBin = createRequire(join(rootDir, "package.json")).resolve("@stoplight/prism-cli/dist/index.js");

interface Violation {
  location: string[];
  code: string | number;
  message: string;
}

interface Exchange {
  method: string;
  url: string;
  status: number;
  /** Prism's request violations: the `sl-violations` header, or the `validation` of its 422 problem body. */
  violations: Violation[];
}

interface Mock {
  url: string;
  child: ChildProcess;
  output: string[];
}

const mocks = new Map<string, Mock>();
const exchanges: Exchange[] = [];

async function violationsOf(response: Response): Promise<Violation[]> {
  const header = response.headers.get("sl-violations");
  if (header) return JSON.parse(header) as Violation[];
  if (!response.headers.get("content-type")?.includes("problem+json")) return [];
  const problem = (await response.clone().json()) as { validation?: Violation[] };
  return problem.validation ?? [];
}

/** The global fetch, recording what Prism answered to each request. */
const recordingFetch = async (input: string, init: RequestInit): Promise<Response> => {
  const response = await fetch(input, init);
  exchanges.push({ method: init.method ?? "GET", url: input, status: response.status, violations: await violationsOf(response) });
  return response;
};

// ajv is CommonJS; under NodeNext its default export arrives wrapped.
const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule.default }).default ?? addFormatsModule;
const formatAjv = new Ajv2020({ allErrors: true, strict: false, logger: false });
addFormats(formatAjv);
for (const model of spec.apis) formatAjv.addSchema(toJsonSchemaBundle(model));

/** Where a format-asserting validator finds `format` violations in a value (as Prism's body locations). */
function formatViolations(model: ApiModel, schema: string, value: unknown): string[][] {
  const validate = formatAjv.getSchema(`${toJsonSchemaBundle(model).$id as string}#/$defs/${schema}`)!;
  validate(value);
  return (validate.errors ?? []).filter((e) => e.keyword === "format").map((e) => ["body", ...e.instancePath.split("/").slice(1)]);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `prism mock` on a free port and waits until it answers; retries if the port was taken meanwhile. */
async function startPrism(document: string): Promise<Mock> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(process.execPath, [prismBin, "mock", document, "--host", "127.0.0.1", "--port", String(port)], {
      cwd: rootDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => output.push(chunk.toString()) > 200 && output.shift();
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    let ready = false;
    while (!ready && child.exitCode === null && Date.now() < deadline) {
      ready = await fetch(`${url}/__ready`).then(() => true, () => false);
      if (!ready) await Promise.race([exited, new Promise((r) => setTimeout(r, 150))]);
    }
    if (ready) return { url, child, output };
    child.kill("SIGTERM");
    if (attempt >= 3) throw new Error(`prism did not start for ${document}:\n${output.join("")}`);
  }
}

async function stopPrism(mock: Mock): Promise<void> {
  if (mock.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => mock.child.once("exit", () => resolve()));
  mock.child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (mock.child.exitCode === null && mock.child.signalCode === null) mock.child.kill("SIGKILL");
}

beforeAll(async () => {
  const started = await Promise.all(spec.apis.map(async (a) => [a.name, await startPrism(join(generatedDir, openApiPath(a.name)))] as const));
  for (const [name, mock] of started) mocks.set(name, mock);
}, 300_000);

afterAll(async () => {
  await Promise.all([...mocks.values()].map(stopPrism));
});

function validExamples(model: ApiModel, schema: string): Example[] {
  return (model.schemas.find((s) => s.name === schema)?.schema.examples ?? []).filter((e) => e.valid);
}

function clientCall(model: ApiModel, op: Operation): Call {
  const baseUrl = mocks.get(model.name)!.url;
  const options = model.name === "graph" ? { accessToken: "graph-test-token", pageId: PAGE_ID } : { appId: "1", appKey: "2" };
  return operationCall(model, op, { ...options, baseUrl, fetch: recordingFetch });
}

/** Credentials Prism's security check accepts (it checks presence, not value). */
function authHeaders(model: ApiModel): Record<string, string> {
  return model.auth.kind === "bearer" ? { authorization: "Bearer graph-test-token" } : { [model.auth.name]: "sobot-test-token" };
}

describe.each(spec.apis.map((m) => [m.name, m] as const))("prism: %s", (_name, model) => {
  describe.each(model.operations.map((op) => [op.name, op] as const))("%s", (_opName, op) => {
    const examples = validExamples(model, op.request.schema);

    it("has documented request examples", () => expect(examples.length).toBeGreaterThan(0));

    it.each(examples.map((e) => [e.name, e] as const))("the client's request for example %s is accepted", async (_e, example) => {
      const before = exchanges.length;
      // What the client makes of Prism's mock answer (a documented example, possibly an error
      // envelope) does not matter here: only whether Prism accepted the requests it sent.
      await clientCall(model, op)(example.value).catch(() => undefined);
      const sent = exchanges.slice(before);
      const path = calledPath(op, PAGE_ID);
      const own = sent.filter((x) => x.method === op.method && new URL(x.url).pathname === path);
      expect(own, "the operation's request was sent once").toHaveLength(1);
      const formats = op.request.in === "body" && !op.request.files ? formatViolations(model, op.request.schema, example.value) : [];
      for (const exchange of sent) {
        if (exchange === own[0] && op.request.files) {
          // Prism reads every part of a multipart body as text, and does not parse a JSON part as its
          // encoding says (stoplightio/prism#2380): the object parts alone are refused, as text.
          const jsonParts = Object.entries(example.value as Record<string, unknown>).filter(([name, value]) => !op.request.files!.includes(name) && typeof value === "object").map(([name]) => name);
          expect(exchange.violations.map((v) => ({ location: v.location, code: v.code })).sort((a, b) => a.location.join().localeCompare(b.location.join()))).toEqual(jsonParts.sort().map((name) => ({ location: ["request", "body", name], code: "type" })));
        } else if (exchange === own[0] && formats.length) {
          // A placeholder where a format is declared: refused for that format only.
          expect(exchange.status).toBe(422);
          expect(exchange.violations.map((v) => ({ location: v.location, code: v.code }))).toEqual(formats.map((location) => ({ location, code: "format" })));
        } else {
          expect({ status: exchange.status, violations: exchange.violations }, `${exchange.method} ${exchange.url}`).toEqual({ status: 200, violations: [] });
        }
      }
    });

    const requestSchema = model.schemas.find((s) => s.name === op.request.schema)!.schema;
    // A query with no parameter at all (DELETE /{NODE_ID} of a persona) has nothing to break:
    // OpenAPI lets a server ignore query parameters it does not declare.
    const nothingToBreak = op.request.in === "query" && Object.keys(requestSchema.properties ?? {}).length === 0;
    it.skipIf(nothingToBreak)("rejects an invalid request sent raw with 422", async () => {
      const example = examples[0]!.value as Record<string, unknown>;
      const url = new URL(`${mocks.get(model.name)!.url}${calledPath(op, PAGE_ID)}`);
      let response: Response;
      if (op.request.in === "body") {
        // Request bodies are closed: a field the spec does not declare is invalid.
        response = await fetch(url, {
          method: op.method,
          headers: { "content-type": "application/json", ...(op.auth ? authHeaders(model) : {}) },
          body: JSON.stringify({ ...example, not_in_the_spec: true }),
        });
      } else {
        // A query request without its first required parameter, or where no parameter is required,
        // with a list parameter's item outside its enum.
        const schema = model.schemas.find((s) => s.name === op.request.schema)!.schema;
        const required = schema.required ?? [];
        for (const [key, value] of Object.entries(example)) if (key !== required[0]) url.searchParams.set(key, String(value));
        if (required.length === 0) {
          const enumList = Object.entries(schema.properties ?? {}).find(([, p]) => p.items?.ref && model.schemas.find((s) => s.name === p.items!.ref)?.schema.enum);
          expect(enumList, "a query operation needs a required parameter or a list of enum values to break").toBeDefined();
          url.searchParams.set(enumList![0], "not_one_of_the_values");
        }
        response = await fetch(url, { method: op.method, headers: op.auth ? authHeaders(model) : {} });
      }
      await response.arrayBuffer();
      expect(response.status).toBe(422);
    });
  });
});

describe("the mocks", () => {
  it("serve each API's document", () => expect([...mocks.keys()].sort()).toEqual(spec.apis.map((a) => a.name).sort()));
});
