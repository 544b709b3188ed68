/**
 * Synthetic specs N times the size of the real one, in our YAML format and as the equivalent
 * OpenAPI 3.1 documents, for the generation benchmark.
 *
 * Copy 1 is the real spec unchanged. Copies 2..N add, beside each real file, a file with the same
 * schemas and operations under renamed names: every schema, operation and example name gets the
 * suffix `C<k>`, every `ref`, request and response schema is rewritten to the renamed schema, and
 * every operation path gets the suffix `_c<k>` (one endpoint per operation). API headers,
 * webhooks, error tables and API-wide decisions are not copied (names there must stay unique and
 * are few). The OpenAPI documents are built the same way from the real ones: renamed copies of
 * `components.schemas` and of `paths`, `$ref`s rewritten.
 *
 * Run alone: `npx tsx bench/synthetic.ts 10 bench/.out/specs/x10` writes spec/ and openapi/ there.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SPEC_DIR = join(ROOT, "spec");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * The name of copy k: `Name` → `NameC<k>`. An operation's request and response schemas must be
 * named after it (`sendMessage` → `SendMessageRequest`), so there the suffix goes before the
 * `Request`/`Response` ending: `SendMessageRequest` → `SendMessageC<k>Request`.
 */
const suffix = (name: string, k: number) => {
  const ending = /^(.+?)(Request|Response)$/.exec(name);
  return ending ? `${ending[1]}C${k}${ending[2]}` : `${name}C${k}`;
};

function listYaml(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return listYaml(full);
      return /\.ya?ml$/.test(name) ? [full] : [];
    });
}

function apiFolders(specDir: string): string[] {
  return readdirSync(specDir)
    .filter((name) => statSync(join(specDir, name)).isDirectory())
    .sort();
}

/** Every schema name of one API (over all its files). */
function schemaNames(apiDir: string): Set<string> {
  const names = new Set<string>();
  for (const file of listYaml(apiDir)) {
    const data = parse(readFileSync(file, "utf8")) as { schemas?: Record<string, unknown> } | null;
    for (const name of Object.keys(data?.schemas ?? {})) names.add(name);
  }
  return names;
}

/** A schema node (or anything below one) with refs and example names renamed for copy k. */
function renameSchema(node: Json, k: number, schemas: Set<string>): Json {
  if (Array.isArray(node)) return node.map((child) => renameSchema(child, k, schemas));
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "ref" && typeof value === "string" && schemas.has(value)) out[key] = suffix(value, k);
    else if (key === "examples" && Array.isArray(value)) {
      // Example values are data: only the example's name changes.
      out[key] = value.map((example) =>
        example && typeof example === "object" && !Array.isArray(example) && typeof example.name === "string"
          ? { ...example, name: suffix(example.name, k) }
          : example,
      );
    } else if (key === "properties" && value && typeof value === "object" && !Array.isArray(value)) {
      // Property names are data too ("ref" may well be a property): only their schemas are renamed.
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, renameSchema(child, k, schemas)]));
    } else out[key] = renameSchema(value, k, schemas);
  }
  return out;
}

function renameOperation(operation: JsonObject, k: number, schemas: Set<string>): JsonObject {
  const rename = (part: Json): Json => {
    if (!part || typeof part !== "object" || Array.isArray(part)) return part;
    const schema = part.schema;
    return typeof schema === "string" && schemas.has(schema) ? { ...part, schema: suffix(schema, k) } : part;
  };
  // Helpers share one module per API, and a route is shared with a named operation: both renamed too.
  const helpers = operation.helpers as JsonObject | undefined;
  return {
    ...operation,
    path: `${operation.path as string}_c${k}`,
    request: rename(operation.request ?? null),
    response: rename(operation.response ?? null),
    ...(typeof operation.sharesRouteWith === "string" ? { sharesRouteWith: suffix(operation.sharesRouteWith, k) } : {}),
    ...(helpers
      ? { helpers: Object.fromEntries(Object.entries(helpers).map(([name, helper]) => [suffix(name, k), renameSchema(helper, k, schemas)])) }
      : {}),
  };
}

/** Writes the YAML spec `factor` times the size of spec/ into outSpecDir. */
export function writeSyntheticYaml(factor: number, outSpecDir: string): { schemas: number; operations: number } {
  rmSync(outSpecDir, { recursive: true, force: true });
  mkdirSync(outSpecDir, { recursive: true });
  for (const name of readdirSync(SPEC_DIR)) {
    if (!statSync(join(SPEC_DIR, name)).isDirectory()) copyFileSync(join(SPEC_DIR, name), join(outSpecDir, name));
  }
  let schemaCount = 0;
  let operationCount = 0;
  for (const api of apiFolders(SPEC_DIR)) {
    const apiDir = join(SPEC_DIR, api);
    const schemas = schemaNames(apiDir);
    for (const file of listYaml(apiDir)) {
      const rel = relative(SPEC_DIR, file);
      const target = join(outSpecDir, rel);
      mkdirSync(dirname(target), { recursive: true });
      const text = readFileSync(file, "utf8");
      writeFileSync(target, text);
      const data = parse(text) as { schemas?: JsonObject; operations?: JsonObject } | null;
      if (!data?.schemas && !data?.operations) continue;
      const header = text.split("\n", 1)[0]!; // the `# yaml-language-server: $schema=...` line
      for (let k = 2; k <= factor; k++) {
        const copy: JsonObject = {};
        if (data.schemas) {
          copy.schemas = Object.fromEntries(
            Object.entries(data.schemas).map(([name, schema]) => {
              if (schemas.has(suffix(name, k))) throw new Error(`renamed schema ${suffix(name, k)} collides with a real one`);
              return [suffix(name, k), renameSchema(schema, k, schemas)];
            }),
          );
        }
        if (data.operations) {
          copy.operations = Object.fromEntries(
            Object.entries(data.operations).map(([name, op]) => [suffix(name, k), renameOperation(op as JsonObject, k, schemas)]),
          );
        }
        writeFileSync(target.replace(/\.ya?ml$/, `.c${k}.yaml`), `${header}\n${stringify(copy, { lineWidth: 0 })}`);
      }
      schemaCount += Object.keys(data.schemas ?? {}).length * factor;
      operationCount += Object.keys(data.operations ?? {}).length * factor;
    }
  }
  return { schemas: schemaCount, operations: operationCount };
}

// ---------------------------------------------------------------------------------------------
// OpenAPI

const SCHEMA_REF = "#/components/schemas/";

/**
 * The OpenAPI 3.1 document of one API at size 1: the generator's own (generated/openapi/) when it
 * is there, otherwise one built here from the JSON Schema bundle (generated/schemas/) and the
 * operations of the YAML spec.
 */
export function baseOpenApi(api: string, generatedDir = join(ROOT, "generated")): JsonObject {
  const own = join(generatedDir, "openapi", `${api}.openapi.json`);
  if (existsSync(own)) return JSON.parse(readFileSync(own, "utf8")) as JsonObject;
  return openApiFromBundle(api, generatedDir);
}

export function openApiFromBundle(api: string, generatedDir = join(ROOT, "generated")): JsonObject {
  const bundle = JSON.parse(readFileSync(join(generatedDir, "schemas", `${api}.schema.json`), "utf8")) as JsonObject;
  const defs = JSON.parse(JSON.stringify(bundle.$defs).replaceAll('"#/$defs/', `"${SCHEMA_REF}`)) as JsonObject;
  const paths: JsonObject = {};
  for (const file of listYaml(join(SPEC_DIR, api))) {
    const data = parse(readFileSync(file, "utf8")) as { operations?: Record<string, JsonObject> } | null;
    for (const [name, op] of Object.entries(data?.operations ?? {})) {
      const request = op.request as { schema: string; in: "body" | "query" };
      const response = op.response as { schema: string };
      const ref = (schema: string): JsonObject => ({ $ref: `${SCHEMA_REF}${schema}` });
      const path = op.path as string;
      const parameters: Json[] = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
        name: m[1]!,
        in: "path",
        required: true,
        schema: { type: "string" },
      }));
      if (request.in === "query") {
        const props = ((defs[request.schema] as JsonObject).properties ?? {}) as JsonObject;
        const required = ((defs[request.schema] as JsonObject).required ?? []) as string[];
        for (const [prop, schema] of Object.entries(props)) {
          parameters.push({ name: prop, in: "query", required: required.includes(prop), schema });
        }
      }
      const operation: JsonObject = {
        operationId: name,
        parameters,
        responses: { "200": { description: "OK", content: { "application/json": { schema: ref(response.schema) } } } },
      };
      if (request.in === "body") {
        operation.requestBody = { required: true, content: { "application/json": { schema: ref(request.schema) } } };
      }
      const item = (paths[path] ??= {}) as JsonObject;
      item[(op.method as string).toLowerCase()] = operation;
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: (bundle.title as string) ?? api, version: "1" },
    paths,
    components: { schemas: defs },
  };
}

function rewriteRefs(node: Json, rename: (name: string) => string): Json {
  if (Array.isArray(node)) return node.map((child) => rewriteRefs(child, rename));
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith(SCHEMA_REF)) {
      out[key] = `${SCHEMA_REF}${rename(value.slice(SCHEMA_REF.length))}`;
    } else out[key] = rewriteRefs(value, rename);
  }
  return out;
}

/** The OpenAPI document of one API `factor` times the size, renamed as the YAML copies are. */
export function syntheticOpenApi(base: JsonObject, factor: number): JsonObject {
  const components = base.components as JsonObject;
  const schemas = components.schemas as JsonObject;
  const paths = base.paths as JsonObject;
  const outSchemas: JsonObject = { ...schemas };
  const outPaths: JsonObject = { ...paths };
  for (let k = 2; k <= factor; k++) {
    const rename = (name: string) => (name in schemas ? suffix(name, k) : name);
    for (const [name, schema] of Object.entries(schemas)) outSchemas[suffix(name, k)] = rewriteRefs(schema, rename);
    for (const [path, item] of Object.entries(paths)) {
      const copy = rewriteRefs(item, rename) as JsonObject;
      for (const op of Object.values(copy)) {
        if (op && typeof op === "object" && !Array.isArray(op) && typeof op.operationId === "string") {
          op.operationId = suffix(op.operationId, k);
        }
      }
      outPaths[`${path}_c${k}`] = copy;
    }
  }
  return { ...base, paths: outPaths, components: { ...components, schemas: outSchemas } };
}

/** Writes `<out>/spec/` (YAML) and `<out>/openapi/<api>.openapi.json`; returns the counts. */
export function writeSynthetic(factor: number, outDir: string): { schemas: number; operations: number; specBytes: number; openApiBytes: number } {
  const counts = writeSyntheticYaml(factor, join(outDir, "spec"));
  mkdirSync(join(outDir, "openapi"), { recursive: true });
  let openApiBytes = 0;
  for (const api of apiFolders(SPEC_DIR)) {
    const text = JSON.stringify(syntheticOpenApi(baseOpenApi(api), factor), null, 2);
    openApiBytes += text.length;
    writeFileSync(join(outDir, "openapi", `${api}.openapi.json`), text);
  }
  const specBytes = listYaml(join(outDir, "spec")).reduce((sum, file) => sum + statSync(file).size, 0);
  return { ...counts, specBytes, openApiBytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const factor = Number(process.argv[2] ?? "10");
  const out = resolve(process.argv[3] ?? join(ROOT, "bench", ".out", "specs", `x${factor}`));
  console.log(writeSynthetic(factor, out));
}
