import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_RESPONSE } from "../../generator/emit/openapi.js";
import type { ApiModel } from "../../generator/model/types.js";
import { generatedDir } from "../support/paths.js";
import { loadRealSpec } from "../support/spec-examples.js";

/**
 * The types openapi-typescript derives from generated/openapi/<api>.openapi.json
 * (generated/src/openapi/<api>.ts) and the ts-morph types (generated/src/<api>/types.ts) must accept
 * the same bodies: for every request and response body, each is assignable to the other. One
 * generated .ts file states that per body as `const check: Check<A, B> = [true, true, true]` (agreement,
 * then each direction, so a failure says which way it breaks), and the TypeScript
 * compiler (strict) reports every check that does not hold.
 */

interface Check {
  /** Shown in the test name. */
  label: string;
  /** The identifier of the check's constant in the generated file. */
  id: string;
  openapi: string;
  tsMorph: string;
  /** Only ours into OpenAPI's: the OpenAPI operation is wider (a route two operations share). */
  covers: boolean;
}

const spec = loadRealSpec();

function checksOf(api: ApiModel): Check[] {
  const A = `${api.name}Api`;
  const T = `${api.name}Types`;
  const checks: Check[] = [];
  const add = (label: string, openapi: string, tsMorph: string, covers = false) =>
    checks.push({ label, id: `${api.name}_${checks.length}`, openapi, tsMorph, covers });
  const hasErrorResponse = api.schemas.some((s) => s.name === ERROR_RESPONSE);
  for (const op of api.operations) {
    const path = `${A}.paths[${JSON.stringify(op.path)}][${JSON.stringify(op.method.toLowerCase())}]`;
    // Two query operations on one route are one OpenAPI operation that accepts either: each of
    // ours must fit it (one way), since it is wider than either.
    const joined = Boolean(op.sharesRouteWith) || api.operations.some((other) => other.sharesRouteWith === op.name);
    if (op.request.files) {
      // On the wire a file part is a binary string; the SDK takes a FileUpload for it.
      const files = op.request.files.map((f) => JSON.stringify(f));
      add(
        `${op.name} request body (multipart/form-data)`,
        `NonNullable<${path}["requestBody"]>["content"]["multipart/form-data"]`,
        `Omit<${T}.${op.request.schema}, ${files.join(" | ")}> & { ${files.map((f) => `${f}: string`).join("; ")} }`,
      );
    } else if (op.request.in === "body") {
      add(`${op.name} request body`, `JsonBody<NonNullable<${path}["requestBody"]>>`, `${T}.${op.request.schema}`);
    } else {
      // openapi-typescript makes the query optional as a whole when no parameter is required, and
      // `never` when there is none: then the two agree when our type has no key either.
      const empty = Object.keys(api.schemas.find((s) => s.name === op.request.schema)?.schema.properties ?? {}).length === 0;
      add(`${op.name} request (query parameters)`, `NonNullable<${path}["parameters"]["query"]>`, empty ? `keyof ${T}.${op.request.schema}` : `${T}.${op.request.schema}`, joined);
    }
    add(`${op.name} response body (200)`, `JsonBody<${path}["responses"][200]>`, `${T}.${op.response.schema}`, joined);
    const statusErrors = op.errors.some((name) => {
      const table = api.errorTables.find((t) => t.name === name);
      const response = api.schemas.find((s) => s.name === op.response.schema)?.schema;
      return !(table?.field && response?.properties?.[table.field.split(".")[0]!]);
    });
    if (statusErrors && hasErrorResponse) {
      for (const status of ["4XX", "5XX"]) {
        add(`${op.name} error body (${status})`, `JsonBody<${path}["responses"][${JSON.stringify(status)}]>`, `${T}.${ERROR_RESPONSE}`);
      }
    }
  }
  for (const hook of api.webhooks) {
    add(`webhook ${hook.name} payload`, `JsonBody<NonNullable<${A}.webhooks[${JSON.stringify(hook.name)}]["post"]["requestBody"]>>`, `${T}.${hook.payload}`);
  }
  return checks;
}

const checks = new Map(spec.apis.map((api) => [api.name, checksOf(api)]));

/** Two different bodies must not agree: proves the check can fail at all. */
const CONTROL = {
  id: "control_differs",
  openapi: `JsonBody<graphApi.paths["/{PAGE_ID}/messages"]["post"]["responses"][200]>`,
  tsMorph: "graphTypes.SendMessageRequest",
};

function checkFile(): string {
  const lines = [
    ...spec.apis.flatMap((api) => [
      `import type * as ${api.name}Api from ${JSON.stringify(join(generatedDir, "src", "openapi", `${api.name}.ts`))};`,
      `import type * as ${api.name}Types from ${JSON.stringify(join(generatedDir, "src", api.name, "types.ts"))};`,
    ]),
    "",
    "type IsAny<T> = 0 extends 1 & T ? true : false;",
    "type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
    "/** Mutually assignable, and neither side is `any` (which would agree with everything). */",
    "type Agree<A, B> = IsAny<A> extends true ? false : IsAny<B> extends true ? false : Mutual<A, B>;",
    "type Assignable<A, B> = [A] extends [B] ? true : false;",
    "/** Agreement first; the two directions beside it say which one fails. */",
    "type Check<OpenApi, TsMorph> = [agree: Agree<OpenApi, TsMorph>, openApiToTsMorph: Assignable<OpenApi, TsMorph>, tsMorphToOpenApi: Assignable<TsMorph, OpenApi>];",
    'type JsonBody<R> = R extends { content: { "application/json": infer B } } ? B : never;',
    "",
    ...[...checks.values()].flat().map((c) =>
      c.covers
        ? `export const ${c.id}: Assignable<${c.tsMorph}, ${c.openapi}> = true;`
        : `export const ${c.id}: Check<${c.openapi}, ${c.tsMorph}> = [true, true, true];`,
    ),
    `export const ${CONTROL.id}: Agree<${CONTROL.openapi}, ${CONTROL.tsMorph}> = false;`,
    "",
  ];
  return lines.join("\n");
}

const DIRECTIONS = ["not mutually assignable", "openapi-typescript type not assignable to the ts-morph type", "ts-morph type not assignable to the openapi-typescript type"];

const scratch = mkdtempSync(join(tmpdir(), "openapi-agreement-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Diagnostics by the check id on their line ("" for diagnostics on no check). */
let diagnostics: Map<string, string[]>;

beforeAll(() => {
  const file = join(scratch, "agreement.ts");
  const source = checkFile();
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    exactOptionalPropertyTypes: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
    noEmit: true,
    skipLibCheck: false,
  });
  const lines = source.split("\n");
  diagnostics = new Map();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    let id = "";
    let where = "";
    if (d.file && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      where = `${d.file.fileName}:${line + 1}: `;
      if (d.file.fileName === file) {
        const text = lines[line] ?? "";
        id = /^export const (\w+):/.exec(text)?.[1] ?? "";
        // Which element of `[true, true, true]` the diagnostic points at: agreement or one direction.
        const values = text.lastIndexOf("= [");
        if (values >= 0 && character > values) where = `${DIRECTIONS[text.slice(values, character).split(",").length - 1] ?? ""}: `;
      }
    }
    diagnostics.set(id, [...(diagnostics.get(id) ?? []), `${where}${message}`]);
  }
}, 300_000);

describe("openapi-typescript types and ts-morph types agree on every body", () => {
  it("compile without any diagnostic outside the checks", () => {
    expect(diagnostics.get("") ?? []).toEqual([]);
  });

  it("tell two different bodies apart (the check can fail)", () => {
    expect(diagnostics.get(CONTROL.id) ?? []).toEqual([]);
  });

  describe.each(spec.apis.map((api) => [api.name, api] as const))("%s", (apiName) => {
    const apiChecks = checks.get(apiName)!;
    it("has a check per request and response", () => {
      const api = spec.apis.find((a) => a.name === apiName)!;
      expect(apiChecks.length).toBeGreaterThanOrEqual(api.operations.length * 2 + api.webhooks.length);
    });
    it.each(apiChecks.map((c) => [c.label, c] as const))("%s", (_label, check) => {
      expect(diagnostics.get(check.id) ?? [], `${check.openapi}  <=>  ${check.tsMorph}`).toEqual([]);
    });
  });
});
