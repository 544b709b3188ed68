import { schemaSides } from "../model/sides.js";
import type {
  Loc,
  ApiModel, Decision, EnumValue, ErrorTable, Example, NamedSchema, Operation, SchemaLocs, SchemaNode, SpecModel, Text, Webhook,
} from "../model/types.js";
import { jsonPositions, lineAndColumn, offsetOf, pointerSegments } from "./json-positions.js";
import type { Problem } from "./problems.js";
import type { RawDecision, RawErrorTable, RawExample, RawOperation, RawSchema, RawSpecFile, RawWebhook } from "./raw.js";
import type { PathSegment, SpecFile } from "./read-files.js";


/**
 * Builds the model from files that passed the format check. Names must be unique within an API
 * whichever file declares them; a second declaration is a problem naming the first.
 */
export function buildModel(
  files: SpecFile[],
  options: { brokenApiSections?: ReadonlySet<string>; runtimeFor?: (api: string) => ApiModel["runtime"] | undefined } = {},
): { model: SpecModel; problems: Problem[] } {
  const problems: Problem[] = [];
  const apis = new Map<string, ApiModel & { apiFound: boolean; dir: string; apiLoc?: Loc }>();
  const firstSeen = new Map<string, string>();

  const claim = (file: SpecFile, api: string, kind: string, name: string, path: PathSegment[]): boolean => {
    const key = `${api}|${kind}|${name}`;
    const loc = file.locate(path, "key");
    const first = firstSeen.get(key);
    if (first) {
      problems.push({ ...loc, message: `duplicate ${kind} name '${name}' (first declared at ${first})` });
      return false;
    }
    firstSeen.set(key, `${loc.file}:${loc.line}:${loc.col}`);
    return true;
  };

  for (const file of files) {
    const raw = (file.data ?? {}) as RawSpecFile; // the format check has accepted it
    const api = apis.get(file.api) ?? { ...emptyApi(file.api), dir: file.apiDir };
    apis.set(file.api, api);
    const node = (value: RawSchema, path: PathSegment[]) => toSchema(file, value, path, (name, p) => claim(file, file.api, "example", name, p));

    if (raw.api) {
      if (api.apiFound) problems.push({ ...file.locate(["api"], "key"), message: `second 'api' section for API '${file.api}'` });
      api.apiFound = true;
      api.apiLoc = file.locate(["api"], "key");
      Object.assign(api, {
        title: raw.api.title,
        description: text(raw.api.description),
        version: raw.api.version,
        baseUrl: raw.api.baseUrl,
        ...(raw.api.language ? { language: raw.api.language } : {}),
        // Located at its errorSchema, the one part of it a later check can find wrong.
        ...(raw.api.runtime ? { runtime: { ...raw.api.runtime, loc: file.locate(["api", "runtime", ...(raw.api.runtime.errorSchema ? ["errorSchema"] : [])]) } } : {}),
        auth: { ...raw.api.auth, description: optText(raw.api.auth.description) },
        sources: raw.api.sources ?? [],
      });
      api.decisions.push(...decisions(raw.api.decisions));
    }
    api.decisions.push(...decisions(raw.decisions));
    for (const [name, value] of Object.entries(raw.schemas ?? {})) {
      if (claim(file, file.api, "schema", name, ["schemas", name])) api.schemas.push({ name, schema: node(value, ["schemas", name]), side: "none" });
    }
    for (const [name, value] of Object.entries(raw.operations ?? {})) {
      if (claim(file, file.api, "operation", name, ["operations", name])) api.operations.push(toOperation(file, name, value));
    }
    for (const [name, value] of Object.entries(raw.webhooks ?? {})) {
      if (claim(file, file.api, "webhook", name, ["webhooks", name])) api.webhooks.push(toWebhook(file, name, value));
    }
    for (const [name, value] of Object.entries(raw.errorTables ?? {})) {
      if (claim(file, file.api, "error table", name, ["errorTables", name])) api.errorTables.push(toErrorTable(file, name, value));
    }
  }

  for (const [name, api] of apis) {
    // An api section left out for a format mistake is reported there, not again as missing.
    if (!api.apiFound && !options.brokenApiSections?.has(name)) problems.push({ file: api.dir, line: 1, col: 1, message: `API '${name}' has no 'api' section (put one in ${api.dir}/api.yaml)` });
    const inherited = api.apiLoc && api.operations.length && !api.runtime ? options.runtimeFor?.(name) : undefined;
    if (inherited) api.runtime = inherited;
    if (api.apiLoc && api.operations.length && !api.runtime) {
      problems.push({ ...api.apiLoc, message: `API '${name}' has operations but no 'runtime': say whose conventions its client follows (conventions: graph or sobot)` });
    }
  }
  for (const api of apis.values()) {
    const sides = schemaSides(api);
    for (const named of api.schemas) named.side = sides.get(named.name) ?? "none";
  }
  const model: SpecModel = {
    apis: [...apis.values()].sort((a, b) => a.name.localeCompare(b.name)).map(({ apiFound: _found, dir: _dir, apiLoc: _loc, ...api }) => api),
  };
  return { model, problems };
}

function emptyApi(name: string): ApiModel & { apiFound: boolean } {
  return {
    name, title: name, description: {}, baseUrl: "", auth: { kind: "header", name: "" }, sources: [],
    decisions: [], schemas: [], operations: [], webhooks: [], errorTables: [], apiFound: false,
  };
}

export function text(value: unknown): Text {
  return typeof value === "string" ? { en: value } : { ...(value as Text) };
}

function optText(value: unknown): Text | undefined {
  return value === undefined ? undefined : text(value);
}

function decisions(value: RawDecision[] | undefined): Decision[] {
  return (value ?? []).map((d) => ({ issue: text(d.issue), decision: text(d.decision), sources: d.sources ?? [] }));
}

const passThrough = [
  "ref", "type", "title", "required", "forbidden", "unevaluatedProperties", "minItems", "maxItems", "minLength",
  "maxLength", "minimum", "maximum", "pattern", "format", "const", "default", "discriminator", "deprecated", "source",
] as const;

function toSchema(
  file: SpecFile,
  raw: RawSchema,
  path: PathSegment[],
  claimExample: (name: string, path: PathSegment[]) => boolean,
): SchemaNode {
  const sub = (value: RawSchema, p: PathSegment[]) => toSchema(file, value, p, claimExample);
  const schema: SchemaNode = { loc: file.locate(path) };
  for (const key of passThrough) if (raw[key] !== undefined) Object.assign(schema, { [key]: raw[key] });
  if (raw.description !== undefined) schema.description = text(raw.description);
  if (raw.properties) {
    schema.properties = Object.fromEntries(
      Object.entries(raw.properties).map(([k, v]) => [k, sub(v, [...path, "properties", k])]),
    );
  }
  if (typeof raw.additionalProperties === "boolean") schema.additionalProperties = raw.additionalProperties;
  else if (raw.additionalProperties) schema.additionalProperties = sub(raw.additionalProperties, [...path, "additionalProperties"]);
  if (raw.items) schema.items = sub(raw.items, [...path, "items"]);
  if (raw.oneOf) schema.oneOf = raw.oneOf.map((v, i) => sub(v, [...path, "oneOf", i]));
  if (raw.allOf) schema.allOf = raw.allOf.map((v, i) => sub(v, [...path, "allOf", i]));
  if (raw.enum) schema.enum = raw.enum.map((v): EnumValue => (typeof v === "object" ? { ...v, description: optText(v.description) } : { value: v }));
  if (raw.decisions) schema.decisions = decisions(raw.decisions);
  const locs = schemaLocs(file, raw, path);
  if (locs) schema.locs = locs;
  if (raw.examples) {
    schema.examples = [];
    raw.examples.forEach((ex, i) => {
      const examplePath = [...path, "examples", i];
      if (!claimExample(ex.name, [...examplePath, "name"])) return;
      schema.examples!.push(toExample(file, ex, examplePath));
    });
  }
  return schema;
}

function schemaLocs(file: SpecFile, raw: RawSchema, path: PathSegment[]): SchemaLocs | undefined {
  const locs: SchemaLocs = {};
  const each = (key: "required" | "forbidden" | "enum") => (raw[key] ?? []).map((_, i) => file.locate([...path, key, i]));
  if (Array.isArray(raw.required)) locs.required = each("required");
  if (Array.isArray(raw.forbidden)) locs.forbidden = each("forbidden");
  if (Array.isArray(raw.enum)) locs.enum = each("enum");
  if (raw.discriminator !== undefined) locs.discriminator = file.locate([...path, "discriminator"], "key");
  if (raw.minLength !== undefined) locs.minLength = file.locate([...path, "minLength"], "key");
  if (raw.minItems !== undefined) locs.minItems = file.locate([...path, "minItems"], "key");
  if (raw.pattern !== undefined) locs.pattern = file.locate([...path, "pattern"]);
  return Object.keys(locs).length > 0 ? locs : undefined;
}

function toExample(file: SpecFile, raw: RawExample, path: PathSegment[]): Example {
  let value: unknown = raw.value;
  let locateValue = (pointer: string) => file.locate([...path, "value", ...pointerSegments(pointer)]);
  let jsonError: Example["jsonError"];
  if (raw.json !== undefined) {
    const json = raw.json;
    const inText = (offset: number) => {
      const { line, col } = lineAndColumn(json, offset);
      return file.locateInBlock([...path, "json"], line, col);
    };
    const positions = jsonPositions(json);
    if (positions.ok) {
      value = JSON.parse(json);
      locateValue = (pointer) => inText(offsetOf(positions.offsets, pointer));
    } else {
      value = undefined;
      jsonError = { loc: inText(positions.offset), message: `${positions.message} (line ${lineAndColumn(json, positions.offset).line + 1} of the JSON text)` };
    }
  }
  return {
    name: raw.name,
    summary: optText(raw.summary),
    source: raw.source,
    value,
    json: raw.json,
    original: raw.original,
    valid: raw.valid ?? true,
    expectError: raw.expectError,
    decision: optText(raw.decision),
    loc: file.locate(path),
    locateValue,
    ...(jsonError ? { jsonError } : {}),
  };
}

function toOperation(file: SpecFile, name: string, raw: RawOperation): Operation {
  return {
    name,
    method: raw.method,
    path: raw.path,
    summary: text(raw.summary),
    description: optText(raw.description),
    source: raw.source,
    auth: raw.auth ?? true,
    ...(raw.group ? { group: raw.group } : {}),
    idempotent: raw.idempotent ?? ["GET", "PUT", "DELETE"].includes(raw.method),
    pathParams: Object.entries(raw.pathParams ?? {}).map(([param, v]) => ({
      name: param,
      description: text(v.description),
      ...(v.clientOption ? { clientOption: v.clientOption } : {}),
      // Both given is a problem the meaning check reports; the model keeps what was written.
      ...(v.argument || !v.clientOption ? { argument: v.argument ?? argumentName(param) } : {}),
    })),
    request: raw.request,
    response: raw.response,
    errors: raw.errors ?? [],
    decisions: decisions(raw.decisions),
    helpers: Object.entries(raw.helpers ?? {}).map(([helper, h]) => ({
      name: helper,
      summary: text(h.summary),
      arguments: Object.entries(h.arguments ?? {}).map(([arg, schema]) => ({
        name: arg,
        schema: toSchema(file, schema, ["operations", name, "helpers", helper, "arguments", arg], () => true),
      })),
      request: h.request,
      loc: file.locate(["operations", name, "helpers", helper], "key"),
    })),
    ...(raw.sharesRouteWith ? { sharesRouteWith: raw.sharesRouteWith } : {}),
    loc: file.locate(["operations", name], "key"),
    locs: {
      request: file.locate(["operations", name, "request", "schema"]),
      requestIn: file.locate(["operations", name, "request", "in"]),
      response: file.locate(["operations", name, "response", "schema"]),
      path: file.locate(["operations", name, "path"]),
      errors: (raw.errors ?? []).map((_, i) => file.locate(["operations", name, "errors", i])),
      pathParams: Object.fromEntries(Object.keys(raw.pathParams ?? {}).map((param) => [param, file.locate(["operations", name, "pathParams", param], "key")])),
    },
  };
}

function toWebhook(file: SpecFile, name: string, raw: RawWebhook): Webhook {
  return {
    name,
    summary: text(raw.summary),
    description: optText(raw.description),
    source: raw.source,
    payload: raw.payload,
    signature: raw.signature && { ...raw.signature, description: optText(raw.signature.description) },
    verification: raw.verification && { ...raw.verification, description: optText(raw.verification.description) },
    envelope: raw.envelope && { ...raw.envelope, match: raw.envelope.match ?? {} },
    events: raw.events.map((e, i) => ({
      ...e,
      topLevel: e.topLevel ?? false,
      identity: e.identity ?? [],
      description: optText(e.description),
      loc: file.locate(["webhooks", name, "events", i]),
      schemaLoc: file.locate(["webhooks", name, "events", i, "schema"]),
    })),
    loc: file.locate(["webhooks", name], "key"),
    payloadLoc: file.locate(["webhooks", name, "payload"]),
  };
}

function toErrorTable(file: SpecFile, name: string, raw: RawErrorTable): ErrorTable {
  return {
    name,
    description: text(raw.description),
    source: raw.source,
    codeType: raw.codeType,
    field: raw.field,
    descriptionsAtRuntime: raw.descriptionsAtRuntime !== false,
    decisions: decisions(raw.decisions),
    entries: raw.entries.map((e, i) => ({
      code: e.code,
      name: e.name,
      description: text(e.description),
      retryable: e.retryable,
      rateLimit: e.rateLimit === true,
      source: e.source,
      decisions: decisions(e.decisions),
      loc: file.locate(["errorTables", name, "entries", i]),
    })),
    loc: file.locate(["errorTables", name], "key"),
  };
}

export type { NamedSchema };

/** The method argument of a path parameter the caller gives: PERSONA_ID, persona-id → personaId; PSID → psid. */
function argumentName(param: string): string {
  const words = param.split(/[^A-Za-z0-9]+/).filter(Boolean).map((word) => word.toLowerCase());
  return words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join("");
}
