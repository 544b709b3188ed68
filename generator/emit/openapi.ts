import type { ApiModel, Decision, ErrorTable, Example, Operation, SchemaNode, Text, Webhook } from "../model/types.js";
import { JSON_SCHEMA_DIALECT, joinText, toJsonSchema, toNamedJsonSchema, type JsonSchema } from "../schema/to-json-schema.js";
import { followRefs, holdsStructure, namedSchemas } from "../model/refs.js";
import { jsonText } from "./json-text.js";
import type { EmitContext, Emitter } from "./types.js";

/**
 * `openapi/<api>.openapi.json`: an OpenAPI 3.1 document of each API. Its `components.schemas` are
 * the JSON Schema bundle's `$defs` (same converter, refs pointing at `#/components/schemas/`), so
 * the document and `schemas/<api>.schema.json` cannot drift apart.
 */
export const emitOpenApi: Emitter = (model, context) =>
  model.apis.map((api) => ({
    path: openApiPath(api.name),
    content: jsonText(openApiDocument(api, context)),
    final: true,
  }));

export const OPENAPI_VERSION = "3.1.0";
export const COMPONENT_SCHEMAS = "#/components/schemas/";
const JSON_MEDIA = "application/json";

export const openApiPath = (api: string) => `openapi/${api}.openapi.json`;

type Json = { [key: string]: unknown };

/** The whole document of one API. Pure: the same model gives the same object, key order included. */
export function openApiDocument(api: ApiModel, context: Pick<EmitContext, "packageVersion">): Json {
  const schemas = new Map(api.schemas.map((s) => [s.name, s.schema]));
  const errorResponse = schemas.has(ERROR_RESPONSE) ? ERROR_RESPONSE : undefined;
  const security = securitySchemes(api);
  const carried = mediaTypeSchemas(api);

  const doc: Json = {
    openapi: OPENAPI_VERSION,
    // The components are the JSON Schema 2020-12 bundle's definitions; `discriminator` in them is an
    // annotation only (every variant also says its tag with `const`), so plain 2020-12 is the dialect.
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: api.title,
      version: api.version ?? context.packageVersion,
      description: apiDescription(api),
    },
    servers: [{ url: api.baseUrl, description: `${api.title} (production)` }],
    security: Object.keys(security).map((name) => ({ [name]: [] })),
    tags: [{ name: api.name, description: `Operations of the ${api.title}.` }, ...(api.webhooks.length ? [{ name: WEBHOOK_TAG, description: "Requests the API sends to your endpoint." }] : [])],
    paths: paths(api, errorResponse),
    ...(api.webhooks.length ? { webhooks: Object.fromEntries(api.webhooks.map((hook) => [hook.name, webhookPathItem(api, hook)])) } : {}),
    components: {
      schemas: Object.fromEntries(api.schemas.map((named) => [named.name, componentSchema(api, named, carried)])),
      ...(errorResponse && api.operations.length ? { responses: { [ERROR_RESPONSE]: errorResponseObject(api, schemas.get(ERROR_RESPONSE)!) } } : {}),
      securitySchemes: security,
    },
  };
  return doc;
}

/**
 * A named schema as a component. Where a media type carries the schema's examples (request and
 * response bodies, webhook payloads, the error response), by name, as OpenAPI tools read them, the
 * component leaves them out: each example once in the document.
 */
function componentSchema(api: ApiModel, named: ApiModel["schemas"][number], carried: ReadonlySet<string>): JsonSchema {
  const schema = toNamedJsonSchema(named, api, COMPONENT_SCHEMAS);
  if (!carried.has(named.name) || !("examples" in schema)) return schema;
  const { examples: _carriedByMediaTypes, ...rest } = schema;
  return rest;
}

/** The schemas whose examples a media type object carries (see jsonContent). */
function mediaTypeSchemas(api: ApiModel): Set<string> {
  return new Set([
    ...api.operations.filter((op) => !sharesRoute(api, op)).flatMap((op) => [op.response.schema, ...(op.request.in === "body" && !op.request.files ? [op.request.schema] : [])]),
    ...api.webhooks.map((hook) => hook.payload),
    ...(api.operations.length && api.schemas.some((s) => s.name === ERROR_RESPONSE) ? [ERROR_RESPONSE] : []),
  ]);
}

/** The schema an API answers failures with, as an HTTP error status (Graph); absent, failures come in the 200 envelope (Sobot). */
export const ERROR_RESPONSE = "ErrorResponse";
const WEBHOOK_TAG = "webhooks";

function text(value: Text | undefined): string | undefined {
  return joinText(value);
}

/** One line for `summary` fields: the first language the spec gives, English first. */
function firstLine(value: Text | undefined): string | undefined {
  const first = value?.en ?? value?.zh ?? value?.de;
  return first?.split("\n")[0]?.trim() || undefined;
}

function paragraphs(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => Boolean(p?.trim()));
  return kept.length ? kept.join("\n\n") : undefined;
}

function decisionsText(decisions: Decision[]): string | undefined {
  if (!decisions.length) return undefined;
  return decisions
    .map((d) => `**Source conflict:** ${text(d.issue) ?? ""}\n\n**Decision:** ${text(d.decision) ?? ""}${d.sources.length ? ` (sources: ${d.sources.join(", ")})` : ""}`)
    .join("\n\n");
}

function cell(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

export function errorTableMarkdown(table: ErrorTable): string {
  const rows = table.entries.map((e) => `| \`${e.code}\` | ${e.name} | ${e.retryable ? "yes" : "no"} | ${cell(text(e.description) ?? "")} |`);
  return [
    `### ${table.name}`,
    "",
    cell(text(table.description) ?? ""),
    ...(table.field ? ["", `Read from \`${table.field}\`.`] : []),
    "",
    "| code | name | retryable | description |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function apiDescription(api: ApiModel): string | undefined {
  const sources = api.sources.map((s) => `- \`${s.id}\`: ${s.title}${s.language ? ` (${s.language})` : ""}`);
  return paragraphs(
    text(api.description),
    api.auth.description ? `## Authentication\n\n${text(api.auth.description)}` : undefined,
    api.decisions.length ? `## Decisions\n\n${decisionsText(api.decisions)}` : undefined,
    sources.length ? `## Sources\n\n${sources.join("\n")}` : undefined,
    api.errorTables.length ? `## Error codes\n\n${api.errorTables.map(errorTableMarkdown).join("\n\n")}` : undefined,
  );
}

/** Sobot: the `token` header. Graph: a Bearer token, or the same token as the `access_token` query parameter. */
function securitySchemes(api: ApiModel): Json {
  const description = text(api.auth.description);
  if (api.auth.kind === "header") {
    return { [api.auth.name]: { type: "apiKey", in: "header", name: api.auth.name, ...(description ? { description } : {}) } };
  }
  return {
    bearer: { type: "http", scheme: "bearer", ...(description ? { description } : {}) },
    [api.auth.name]: { type: "apiKey", in: "query", name: api.auth.name, description: `The same token as the \`${api.auth.name}\` query parameter.` },
  };
}

/** Named examples of a media type: the valid documented examples of the schema, verbatim values. */
function mediaExamples(examples: Example[] | undefined): Json | undefined {
  const valid = (examples ?? []).filter((e) => e.valid);
  if (!valid.length) return undefined;
  return Object.fromEntries(valid.map((e) => [e.name, exampleObject(e)]));
}

function exampleObject(e: Example): Json {
  const summary = firstLine(e.summary);
  const description = paragraphs(text(e.summary) !== summary ? text(e.summary) : undefined, `Source: ${e.source}`, e.decision ? `Decision: ${text(e.decision)}` : undefined);
  return { ...(summary ? { summary } : {}), ...(description ? { description } : {}), value: e.value };
}

function jsonContent(schema: string, examples: Example[] | undefined): Json {
  const named = mediaExamples(examples);
  return { [JSON_MEDIA]: { schema: { $ref: `${COMPONENT_SCHEMAS}${schema}` }, ...(named ? { examples: named } : {}) } };
}

/**
 * A query operation on the route of another (sharesRouteWith) joins it: each parameter accepts
 * either's values (required only where both require it), and the answer is either's.
 */
function joinQueryOperation(api: ApiModel, existing: Json, joining: Json, op: Operation): void {
  const primary = api.operations.find((o) => o.name === op.sharesRouteWith)!;
  const parameters = (existing["parameters"] as Json[] | undefined) ?? [];
  const own = (joining["parameters"] as Json[] | undefined) ?? [];
  const key = (p: Json) => `${p["in"] as string}:${p["name"] as string}`;
  for (const parameter of own) {
    const match = parameters.find((p) => key(p) === key(parameter));
    if (!match) parameters.push({ ...parameter, required: false });
    else if (parameter["in"] !== "path") {
      // A list (style form, as the SDK sends it) stays a list, of either's items: a server splits
      // the text by the parameter's type, which an anyOf would hide.
      const items = [primary, op].map((o) => listItems(api, o, parameter["name"] as string));
      match["schema"] = items.every((item) => item !== undefined)
        ? { type: "array", items: { anyOf: items } }
        : { anyOf: [match["schema"], parameter["schema"]] };
      match["required"] = Boolean(match["required"]) && Boolean(parameter["required"]);
      delete match["examples"];
    }
  }
  for (const parameter of parameters) if (parameter["in"] !== "path" && !own.some((p) => key(p) === key(parameter))) parameter["required"] = false;
  existing["parameters"] = parameters;
  const ok = (operation: Json) => ((operation["responses"] as Json)["200"] as Json);
  const mine = ok(existing)["content"] as Json;
  const theirs = ok(joining)["content"] as Json;
  const media = Object.keys(mine)[0]!;
  const schemaOfMedia = (content: Json) => (content[media] as Json)["schema"];
  (mine[media] as Json)["schema"] = { anyOf: [schemaOfMedia(mine), schemaOfMedia(theirs)] };
  existing["description"] = paragraphs(existing["description"] as string | undefined, `The same route serves \`${op.name}\` (${firstLine(op.summary)}): its requests are told apart by their values.`);
}

/** The item schema of a list parameter of `op`'s query, as a JSON Schema reference or node. */
function listItems(api: ApiModel, op: Operation, name: string): Json | undefined {
  const named = namedSchemas(api);
  const request = followRefs(schemaOf(api, op.request.schema), named);
  const property = request.properties?.[name] ? followRefs(request.properties[name]!, named) : undefined;
  if (property?.type !== "array" || !property.items) return undefined;
  return property.items.ref ? { $ref: `${COMPONENT_SCHEMAS}${property.items.ref}` } : (toJsonSchema(property.items, COMPONENT_SCHEMAS) as Json);
}

/** An operation that joins another's OpenAPI operation (files, or sharesRouteWith): its media types carry no examples of its own. */
function sharesRoute(api: ApiModel, op: Operation): boolean {
  if (op.sharesRouteWith) return true;
  return Boolean(op.request.files) && api.operations.some((other) => other !== op && other.method === op.method && other.path === op.path && !other.request.files);
}

function paths(api: ApiModel, errorResponse: string | undefined): Json {
  const byPath = new Map<string, Json>();
  // An operation that shares its route (files beside a JSON body, or sharesRouteWith) joins the
  // route's first one: one OpenAPI operation that takes either request.
  const joins = (op: Operation) => Boolean(op.request.files) || Boolean(op.sharesRouteWith);
  const ordered = [...api.operations].sort((a, b) => Number(joins(a)) - Number(joins(b)));
  for (const op of ordered) {
    const item = byPath.get(op.path) ?? {};
    const method = op.method.toLowerCase();
    const existing = item[method] as Json | undefined;
    if (existing && op.request.files) {
      const body = existing["requestBody"] as Json;
      const request = schemaOf(api, op.request.schema);
      body["content"] = { ...(body["content"] as Json), ...multipartContent(api, op, request) };
      body["description"] = paragraphs(body["description"] as string | undefined, `As multipart/form-data, with a file: ${text(request.description) ?? op.request.schema} (the SDK's \`${op.name}\`).`);
      continue;
    }
    if (existing && op.sharesRouteWith) {
      joinQueryOperation(api, existing, operationObject(api, op, errorResponse), op);
      continue;
    }
    if (existing) throw new Error(`${api.name}: two operations use ${op.method} ${op.path}`);
    item[method] = operationObject(api, op, errorResponse);
    byPath.set(op.path, item);
  }
  return Object.fromEntries(byPath);
}

function schemaOf(api: ApiModel, name: string): SchemaNode {
  const found = namedSchemas(api).get(name);
  if (!found) throw new Error(`${api.name}: no schema named ${name}`);
  return found;
}

const escapePointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

interface QueryProperty {
  name: string;
  node: SchemaNode;
  /** Where the property's schema sits in the document: parameters point there instead of copying it. */
  ref: string;
}

/** The properties of a request sent as query parameters, following refs and allOf parts. */
function queryProperties(api: ApiModel, node: SchemaNode, pointer: string): { properties: QueryProperty[]; required: Set<string> } {
  if (node.oneOf) throw new Error(`${api.name}: a query request cannot be a oneOf (${pointer})`);
  const properties: QueryProperty[] = Object.entries(node.properties ?? {}).map(([name, child]) => ({
    name,
    node: child,
    ref: `${pointer}/properties/${escapePointer(name)}`,
  }));
  const required = new Set(node.required ?? []);
  const parts: [SchemaNode, string][] = [
    ...(node.ref ? [[schemaOf(api, node.ref), `${COMPONENT_SCHEMAS}${node.ref}`] as [SchemaNode, string]] : []),
    ...(node.allOf ?? []).map((part, i) => [part, `${pointer}/allOf/${i}`] as [SchemaNode, string]),
  ];
  for (const [part, partPointer] of parts) {
    const inner = queryProperties(api, part, partPointer);
    properties.push(...inner.properties);
    inner.required.forEach((r) => required.add(r));
  }
  return { properties, required };
}

/**
 * A multipart request as it travels: each part a property of the request schema, a file part a
 * binary string (the SDK's FileUpload gives its bytes, name and type), an object or list part
 * JSON text. The component schema keeps the SDK's view of the request, with its examples.
 */
function multipartContent(api: ApiModel, op: Operation, request: SchemaNode): Json {
  const files = new Set(op.request.files ?? []);
  const { properties, required } = queryProperties(api, request, `${COMPONENT_SCHEMAS}${op.request.schema}`);
  const named = namedSchemas(api);
  const schema: Json = {
    type: "object",
    ...(required.size ? { required: [...required] } : {}),
    properties: Object.fromEntries(properties.map(({ name, node, ref }) => [name, files.has(name) ? { type: "string", format: "binary", ...(node.description ? { description: text(node.description) } : {}) } : { $ref: ref }])),
  };
  const json = properties.filter(({ name, node }) => !files.has(name) && holdsStructure(node, named));
  return {
    "multipart/form-data": {
      schema,
      ...(json.length ? { encoding: Object.fromEntries(json.map(({ name }) => [name, { contentType: JSON_MEDIA }])) } : {}),
    },
  };
}

function operationObject(api: ApiModel, op: Operation, errorResponse: string | undefined): Json {
  const request = schemaOf(api, op.request.schema);
  const response = schemaOf(api, op.response.schema);
  const requestExamples = (request.examples ?? []).filter((e) => e.valid);

  const parameters: Json[] = op.pathParams.map((p) => ({
    name: p.name,
    in: "path",
    required: true,
    description: paragraphs(text(p.description), p.clientOption ? `The SDK fills it from the client option \`${p.clientOption}\`.` : undefined),
    schema: { type: "string", minLength: 1 },
  }));
  if (op.request.in === "query") {
    const { properties, required } = queryProperties(api, request, `${COMPONENT_SCHEMAS}${op.request.schema}`);
    const named = namedSchemas(api);
    for (const { name, node, ref } of properties) {
      const examples = requestExamples.filter((e) => e.value && typeof e.value === "object" && name in (e.value as object));
      const description = text(node.description);
      parameters.push({
        name,
        in: "query",
        required: required.has(name),
        ...(description ? { description } : {}),
        // The SDK sends a list as one comma-separated value (fields=id,name), as Graph reads it.
        ...([followRefs(node, named).type ?? []].flat().includes("array") ? { style: "form", explode: false } : {}),
        schema: { $ref: ref },
        ...(examples.length ? { examples: Object.fromEntries(examples.map((e) => [e.name, { value: (e.value as Json)[name] }])) } : {}),
      });
    }
  }

  // The envelope carries failures when the success schema has the error table's field (Sobot's ret_code).
  const tables = op.errors.map((name) => api.errorTables.find((t) => t.name === name)).filter((t): t is ErrorTable => Boolean(t));
  const inEnvelope = tables.filter((t) => t.field && response.properties?.[t.field.split(".")[0]!]);
  const viaStatus = tables.filter((t) => !inEnvelope.includes(t));
  if (viaStatus.length && !errorResponse) throw new Error(`${api.name}.${op.name}: errors ${viaStatus.map((t) => t.name).join(", ")} need a schema named ${ERROR_RESPONSE}`);

  const okDescription = paragraphs(
    text(response.description) ?? "Success.",
    ...inEnvelope.map((t) => `Failures come back in this same HTTP 200 envelope: \`${t.field}\` tells success from failure (codes in the ${t.name} table in the API description; \`${t.entries[0]?.code}\` is ${t.entries[0]?.name}). The SDK raises every other code as an error.`),
  );
  const responses: Json = { "200": { description: okDescription, content: jsonContent(op.response.schema, response.examples) } };
  if (viaStatus.length) {
    for (const status of ["4XX", "5XX"]) responses[status] = { $ref: `#/components/responses/${ERROR_RESPONSE}` };
  }

  return {
    operationId: op.name,
    tags: [api.name],
    summary: firstLine(op.summary),
    description: paragraphs(
      text(op.summary) !== firstLine(op.summary) ? text(op.summary) : undefined,
      text(op.description),
      op.response.unwrap ? `The SDK returns the envelope's \`${op.response.unwrap}\` on success.` : undefined,
      op.response.paging ? `Paged: the list is \`${op.response.paging.items}\`, the page number \`${op.response.paging.pageNo}\` (the SDK iterates pages with \`${op.name}Pages\`).` : undefined,
      op.response.cursorPaging
        ? `Paged by cursors: \`${op.response.cursorPaging.cursor}\` goes into the next request as \`${op.response.cursorPaging.request}\` while \`${op.response.cursorPaging.next}\` is there (the SDK iterates pages with \`${op.name}Pages\`).`
        : undefined,
      tables.length ? `Error codes: ${tables.map((t) => t.name).join(", ")} (see the API description).` : undefined,
      decisionsText(op.decisions),
      `Source: ${op.source}`,
    ),
    ...(parameters.length ? { parameters } : {}),
    ...(op.request.in === "body"
      ? {
          requestBody: {
            required: true,
            description: text(request.description),
            content: op.request.files ? multipartContent(api, op, request) : jsonContent(op.request.schema, request.examples),
          },
        }
      : {}),
    responses,
    ...(op.auth ? {} : { security: [] }),
  };
}

function errorResponseObject(api: ApiModel, schema: SchemaNode): Json {
  const tables = api.errorTables.filter((t) => !t.field || !api.operations.some((op) => schemaOf(api, op.response.schema).properties?.[t.field!.split(".")[0]!]));
  return {
    description: paragraphs(text(schema.description) ?? "The error envelope.", tables.length ? `Codes: ${tables.map((t) => t.name).join(", ")} (see the API description).` : undefined),
    content: jsonContent(ERROR_RESPONSE, schema.examples),
  };
}

function webhookPathItem(api: ApiModel, hook: Webhook): Json {
  const payload = schemaOf(api, hook.payload);
  const kinds = hook.events.map((e) => `| \`${e.kind}\` | \`${e.field}\`${e.topLevel ? " (whole body)" : ""} | [${e.schema}](${COMPONENT_SCHEMAS}${e.schema}) | ${cell(text(e.description) ?? "")} |`);
  const envelope = hook.envelope
    ? `Events arrive in \`${hook.envelope.entries}[]\`, each entry's ${hook.envelope.lists.map((l) => `\`${l}[]\``).join(" or ")}; the kind of an event is the first of these fields it has:`
    : "The kind of a body is the first of these fields it has:";
  const signature = hook.signature;
  const post: Json = {
    operationId: hook.name,
    tags: [WEBHOOK_TAG],
    summary: firstLine(hook.summary),
    description: paragraphs(
      text(hook.summary) !== firstLine(hook.summary) ? text(hook.summary) : undefined,
      text(hook.description),
      `${envelope}\n\n| kind | field | schema | description |\n|---|---|---|---|\n${kinds.join("\n")}`,
      signature ? `Every POST is signed: \`${signature.header}\` is \`${signature.prefix}\` followed by the ${signature.algorithm} of the raw body (lower-case hex).` : "The body is not signed.",
      `Source: ${hook.source}`,
    ),
    ...(signature
      ? {
          parameters: [{
            name: signature.header,
            in: "header",
            required: true,
            description: text(signature.description) ?? `The ${signature.algorithm} signature of the raw body.`,
            schema: { type: "string", pattern: `^${escapeRegExp(signature.prefix)}[0-9a-f]{64}$` },
          }],
        }
      : {}),
    requestBody: { required: true, description: text(payload.description), content: jsonContent(hook.payload, payload.examples) },
    // What the SDK's webhook handlers (templates/core/webhook-handler.ts) answer.
    responses: {
      "200": { description: "The delivery is acknowledged (the sender reads only the status)." },
      "400": { description: "The body is not JSON, or not a payload this document describes." },
      ...(signature ? { "403": { description: `The \`${signature.header}\` signature is missing or does not match the raw body; nothing was parsed.` } } : {}),
    },
    security: [],
  };
  const verification = hook.verification;
  if (!verification) return { post };
  const get: Json = {
    operationId: `${hook.name}Verification`,
    tags: [WEBHOOK_TAG],
    summary: "Verification request",
    description: paragraphs(text(verification.description), `Sent when the webhook is set up: answer \`${verification.challenge}\` as the body when \`${verification.mode}\` is \`${verification.expectedMode}\` and \`${verification.verifyToken}\` is your verify token.`),
    parameters: [
      { name: verification.mode, in: "query", required: true, description: `Always \`${verification.expectedMode}\`.`, schema: { type: "string", enum: [verification.expectedMode] } },
      { name: verification.verifyToken, in: "query", required: true, description: "The verify token set up with the webhook.", schema: { type: "string" } },
      { name: verification.challenge, in: "query", required: true, description: "The value to answer with.", schema: { type: "string" } },
    ],
    responses: {
      "200": { description: `The \`${verification.challenge}\` value, as plain text.`, content: { "text/plain": { schema: { type: "string" } } } },
      "403": { description: "The verify token does not match." },
    },
    security: [],
  };
  return { get, post };
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export type { JsonSchema };
