import type { JsonSchema } from "../to-json-schema.js";

/** A JSON Schema node as the bundle holds it: an object, or `true`/`false`. */
export type Node = JsonSchema | boolean;

/** The keywords the check emitter implements; any other keyword that constrains data is refused. */
export const CHECKED_KEYWORDS = new Set([
  "$ref", "type", "const", "enum", "minLength", "maxLength", "pattern", "minimum", "maximum", "minItems", "maxItems",
  "properties", "required", "additionalProperties", "items", "allOf", "anyOf", "oneOf", "discriminator",
  "unevaluatedProperties",
]);

/** Keywords that say nothing about validity (annotations, identifiers). */
export const IGNORED_KEYWORDS = new Set([
  "$schema", "$id", "$defs", "title", "description", "default", "deprecated", "examples", "format", "x-known-values",
]);

/** Keywords that only look at the value itself, so their checks can be written inline. */
const SCALAR_KEYWORDS = new Set(["type", "const", "enum", "minLength", "maxLength", "pattern", "minimum", "maximum", "minItems", "maxItems"]);

/** Resolves `#/$defs/Name` references of one bundle. */
export class Definitions {
  constructor(readonly defs: Readonly<Record<string, Node>>) {}

  nameOf(ref: string): string {
    const match = /^#\/\$defs\/(.+)$/.exec(ref);
    if (!match || !(match[1]! in this.defs)) throw new Error(`checks: unresolved $ref ${ref}`);
    return match[1]!;
  }

  target(ref: string): Node {
    return this.defs[this.nameOf(ref)]!;
  }
}

export function keywordsOf(node: JsonSchema): string[] {
  return Object.keys(node).filter((key) => !IGNORED_KEYWORDS.has(key));
}

/** Only scalar keywords (or none): a check that fits in the function that holds it. */
export function isLeaf(node: Node): node is JsonSchema {
  return typeof node === "object" && scalarOnly(node);
}

export function scalarOnly(node: JsonSchema): boolean {
  return keywordsOf(node).every((key) => SCALAR_KEYWORDS.has(key));
}

/** A node that is nothing but a reference: checked by calling the named check. */
export function plainRef(node: Node): string | undefined {
  if (typeof node !== "object" || typeof node.$ref !== "string") return undefined;
  return keywordsOf(node).length === 1 ? node.$ref : undefined;
}

export function typesOf(node: JsonSchema): string[] | undefined {
  const type = node.type;
  if (type === undefined) return undefined;
  return Array.isArray(type) ? (type as string[]) : [type as string];
}

/**
 * The JSON types a node can accept, followed through references and `allOf`; undefined when
 * any type may pass. Used to tell the variants of a union apart, so it may say less, never more.
 */
export function acceptedTypes(node: Node, defs: Definitions, seen = new Set<Node>()): string[] | undefined {
  if (typeof node !== "object" || seen.has(node)) return undefined;
  seen.add(node);
  const own = typesOf(node);
  if (own) return own;
  if ("const" in node) return [jsonTypeOf(node.const)];
  if (Array.isArray(node.enum)) return [...new Set((node.enum as unknown[]).map(jsonTypeOf))];
  if (typeof node.$ref === "string") {
    const found = acceptedTypes(defs.target(node.$ref), defs, seen);
    if (found) return found;
  }
  for (const part of (node.allOf as Node[] | undefined) ?? []) {
    const found = acceptedTypes(part, defs, seen);
    if (found) return found;
  }
  const variants = (node.oneOf ?? node.anyOf) as Node[] | undefined;
  if (variants) {
    const each = variants.map((variant) => acceptedTypes(variant, defs, new Set(seen)));
    if (each.every((types): types is string[] => types !== undefined)) return [...new Set(each.flat())];
  }
  return undefined;
}

/** Properties whose value a node fixes (`const` or `enum`), followed through references and `allOf`. */
export function fixedProperties(node: Node, defs: Definitions, seen = new Set<Node>()): Map<string, unknown[]> {
  const fixed = new Map<string, unknown[]>();
  if (typeof node !== "object" || seen.has(node)) return fixed;
  seen.add(node);
  for (const [key, property] of Object.entries((node.properties as Record<string, Node> | undefined) ?? {})) {
    if (typeof property !== "object") continue;
    if ("const" in property) fixed.set(key, [property.const]);
    else if (Array.isArray(property.enum)) fixed.set(key, property.enum as unknown[]);
  }
  const parts = [...(typeof node.$ref === "string" ? [defs.target(node.$ref)] : []), ...((node.allOf as Node[] | undefined) ?? [])];
  for (const part of parts) for (const [key, values] of fixedProperties(part, defs, seen)) if (!fixed.has(key)) fixed.set(key, values);
  return fixed;
}

/** Keys a node requires, followed through references and `allOf` (a union's requirements are not certain). */
export function requiredKeys(node: Node, defs: Definitions, seen = new Set<Node>()): Set<string> {
  const keys = new Set<string>();
  if (typeof node !== "object" || seen.has(node)) return keys;
  seen.add(node);
  for (const key of (node.required as string[] | undefined) ?? []) keys.add(key);
  const parts = [...(typeof node.$ref === "string" ? [defs.target(node.$ref)] : []), ...((node.allOf as Node[] | undefined) ?? [])];
  for (const part of parts) for (const key of requiredKeys(part, defs, seen)) keys.add(key);
  return keys;
}

export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
