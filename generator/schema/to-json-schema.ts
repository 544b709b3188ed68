import type { ApiModel, SchemaNode, Text } from "../model/types.js";

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
    $defs: Object.fromEntries(api.schemas.map(({ name, schema }) => [name, toJsonSchema(schema, "#/$defs/", options)])),
  };
}

export interface ConvertOptions {
  /**
   * Keep descriptions, titles, examples, defaults and deprecation (the default). Validators are
   * compiled without them: they change nothing about validity, and ajv would embed them in the code.
   */
  annotations?: boolean;
}

/**
 * Converts one spec schema node. `ref` points into the bundle's `$defs`; a `forbidden` property
 * gets the `false` schema; the spec-only keys (source, decisions) stay behind in the spec.
 */
export function toJsonSchema(node: SchemaNode, refPrefix = "#/$defs/", options: ConvertOptions = {}): JsonSchema {
  const convert = (child: SchemaNode) => toJsonSchema(child, refPrefix, options);
  const annotations = options.annotations ?? true;
  const out: JsonSchema = {};
  if (node.ref) out.$ref = `${refPrefix}${node.ref}`;
  if (annotations && node.title) out.title = node.title;
  const description = annotations ? joinText(node.description) : undefined;
  if (description) out.description = description;
  if (node.type) out.type = node.type;
  if (node.const !== undefined) out.const = node.const;
  if (node.enum) out.enum = node.enum.map((e) => e.value);
  if (node.format) out.format = node.format;
  for (const key of ["minLength", "maxLength", "pattern", "minimum", "maximum", "minItems", "maxItems"] as const) {
    if (node[key] !== undefined) out[key] = node[key];
  }
  if (node.properties || node.forbidden?.length) {
    // A forbidden property gets the `false` schema: validators then name it ("/recipient_token: is
    // not allowed") where a `not: { required }` would only say "must NOT be valid".
    out.properties = {
      ...Object.fromEntries(Object.entries(node.properties ?? {}).map(([k, v]) => [k, convert(v)])),
      ...Object.fromEntries((node.forbidden ?? []).map((name) => [name, false])),
    };
  }
  if (node.required?.length) out.required = node.required;
  if (node.additionalProperties !== undefined) {
    out.additionalProperties = typeof node.additionalProperties === "boolean" ? node.additionalProperties : convert(node.additionalProperties);
  }
  if (node.items) out.items = convert(node.items);
  if (node.allOf) out.allOf = node.allOf.map(convert);
  if (node.oneOf) out.oneOf = node.oneOf.map(convert);
  if (node.discriminator) out.discriminator = { propertyName: node.discriminator };
  if (node.unevaluatedProperties !== undefined) out.unevaluatedProperties = node.unevaluatedProperties;
  if (!annotations) return out;
  if (node.default !== undefined) out.default = node.default;
  if (node.deprecated) out.deprecated = true;
  const examples = node.examples?.filter((e) => e.valid).map((e) => e.value);
  if (examples?.length) out.examples = examples;
  return out;
}
