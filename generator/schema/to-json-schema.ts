import type { ApiModel, NamedSchema, Scalar, SchemaNode, Text } from "../model/types.js";

export type JsonSchema = { [key: string]: unknown };

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

export function schemaId(api: string): string {
  return `https://messenger-sdk.dev/schemas/${api}.schema.json`;
}

/** One description for tools that take a single string: every language the spec gives, English first. */
export function joinText(text: Text | undefined): string | undefined {
  if (!text) return undefined;
  const parts = [text.en, text.zh, text.de].filter((t): t is string => Boolean(t));
  return parts.length ? parts.join("\n\n") : undefined;
}

/** The self-contained JSON Schema 2020-12 bundle of one API: every named schema under `$defs`. */
export function toJsonSchemaBundle(api: ApiModel, options: ConvertOptions = {}): JsonSchema {
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: schemaId(api.name),
    title: api.title,
    description: joinText(api.description),
    $defs: Object.fromEntries(api.schemas.map((named) => [named.name, toNamedJsonSchema(named, api, "#/$defs/", options)])),
  };
}

/** One named schema of `api`, converted for the side of the wire it describes. */
export function toNamedJsonSchema(named: NamedSchema, api: ApiModel, refPrefix: string, options: ConvertOptions = {}): JsonSchema {
  return toJsonSchema(named.schema, refPrefix, { ...options, received: named.side === "receive", shared: sharedSchemas(api) });
}

const sharedCache = new WeakMap<ApiModel, ReadonlyMap<string, SchemaNode>>();

/** The scalars both sides use: received data that refers to them reads them openly. */
export function sharedSchemas(api: ApiModel): ReadonlyMap<string, SchemaNode> {
  let shared = sharedCache.get(api);
  if (!shared) {
    shared = new Map(api.schemas.filter((s) => s.side === "both").map((s) => [s.name, s.schema]));
    sharedCache.set(api, shared);
  }
  return shared;
}

export interface ConvertOptions {
  /**
   * Keep descriptions, titles, examples, defaults and deprecation (the default). Validators are
   * compiled without them: they change nothing about validity, and ajv would embed them in the code.
   */
  annotations?: boolean;
  /**
   * Convert as received data (responses, webhooks), which the APIs change without notice: an
   * enum is open (its type, the known values as an annotation), an optional property may be
   * `null`, variants are `anyOf`, and no object is closed. Sent data keeps every rule.
   */
  received?: boolean;
  /** Named scalars both sides use (see model/sides.ts): opened where received data refers to them. */
  shared?: ReadonlyMap<string, SchemaNode>;
}

/**
 * Converts one spec schema node. `ref` points into the bundle's `$defs`; a `forbidden` property
 * gets the `false` schema; the spec-only keys (source, decisions) stay behind in the spec.
 */
export function toJsonSchema(node: SchemaNode, refPrefix = "#/$defs/", options: ConvertOptions = {}): JsonSchema {
  const convert = (child: SchemaNode) => toJsonSchema(child, refPrefix, options);
  const annotations = options.annotations ?? true;
  const received = options.received ?? false;
  const out: JsonSchema = {};
  if (node.ref) {
    const shared = received ? options.shared?.get(node.ref) : undefined;
    // A sent scalar is strict at its own definition; received data refers to it openly.
    if (shared) return { anyOf: [{ $ref: `${refPrefix}${node.ref}` }, openScalar(shared, annotations)] };
    out.$ref = `${refPrefix}${node.ref}`;
  }
  if (annotations && node.title) out.title = node.title;
  const description = annotations ? joinText(node.description) : undefined;
  if (description) out.description = description;
  if (node.type) out.type = node.type;
  if (node.const !== undefined) out.const = node.const;
  if (node.enum && received) Object.assign(out, openScalar(node, annotations));
  else if (node.enum) out.enum = node.enum.map((e) => e.value);
  if (node.format) out.format = node.format;
  for (const key of ["minLength", "maxLength", "pattern", "minimum", "maximum", "minItems", "maxItems"] as const) {
    if (node[key] !== undefined) out[key] = node[key];
  }
  if (node.properties || node.forbidden?.length) {
    // A forbidden property gets the `false` schema: validators then name it ("/recipient_token: is
    // not allowed") where a `not: { required }` would only say "must NOT be valid".
    const required = new Set(node.required ?? []);
    out.properties = {
      ...Object.fromEntries(Object.entries(node.properties ?? {}).map(([k, v]) => [k, received && !required.has(k) ? nullable(convert(v)) : convert(v)])),
      ...Object.fromEntries((node.forbidden ?? []).map((name) => [name, false])),
    };
  }
  if (node.required?.length) out.required = node.required;
  if (node.additionalProperties !== undefined && !(received && node.additionalProperties === false)) {
    out.additionalProperties = typeof node.additionalProperties === "boolean" ? node.additionalProperties : convert(node.additionalProperties);
  }
  if (node.items) out.items = convert(node.items);
  if (node.allOf) out.allOf = node.allOf.map(convert);
  // Received variants need not exclude each other: data that fits any of them is read.
  if (node.oneOf) out[received ? "anyOf" : "oneOf"] = node.oneOf.map(convert);
  if (node.discriminator && !received) out.discriminator = { propertyName: node.discriminator };
  if (node.unevaluatedProperties !== undefined && !(received && node.unevaluatedProperties === false)) out.unevaluatedProperties = node.unevaluatedProperties;
  if (!annotations) return out;
  if (node.default !== undefined) out.default = node.default;
  if (node.deprecated) out.deprecated = true;
  const examples = node.examples?.filter((e) => e.valid).map((e) => e.value);
  if (examples?.length) out.examples = examples;
  return out;
}

/** The type of an enum's values, with the known values kept as an annotation (`x-known-values`). */
function openScalar(node: SchemaNode, annotations: boolean): JsonSchema {
  const values = (node.enum ?? []).map((e) => e.value);
  const out: JsonSchema = { type: node.type ?? scalarTypes(values) };
  if (annotations && values.length) out["x-known-values"] = values;
  return out;
}

function scalarTypes(values: Scalar[]): string | string[] {
  const types = [...new Set(values.map((v) => (typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v)))];
  return types.length === 1 ? types[0]! : types;
}

/** Also `null`: Meta sends it where its documents show a value or nothing. */
function nullable(schema: JsonSchema): JsonSchema {
  const type = schema.type;
  const plain = !schema.$ref && !schema.anyOf && !schema.oneOf && !schema.allOf && schema.const === undefined && !schema.enum;
  if (plain && typeof type === "string") return { ...schema, type: type === "null" ? type : [type, "null"] };
  if (plain && Array.isArray(type)) return { ...schema, type: type.includes("null") ? type : [...type, "null"] };
  return { anyOf: [schema, { type: "null" }] };
}
