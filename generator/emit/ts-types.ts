import type { EnumValue, SchemaNode, TypeName } from "../model/types.js";
import { schemaDoc } from "./docs.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function primitive(type: TypeName): string {
  switch (type) {
    case "integer":
    case "number":
      return "number";
    case "array":
      return "unknown[]";
    case "object":
      return "Record<string, unknown>";
    default:
      return type;
  }
}

/** Whether the whole type sits inside one pair of parentheses. */
function isParenthesized(type: string): boolean {
  if (!type.startsWith("(") || !type.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < type.length; i++) {
    if (type[i] === "(") depth++;
    else if (type[i] === ")" && --depth === 0 && i < type.length - 1) return false;
  }
  return true;
}

function wrap(type: string): string {
  return /[|&]/.test(type) && !isParenthesized(type) ? `(${type})` : type;
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  return unique.length === 0 ? "never" : unique.join(" | ");
}

function docComment(doc: string | undefined, indent: string): string {
  if (!doc) return "";
  return `${indent}/**\n${doc.split("\n").map((line) => `${indent} *${line ? ` ${line}` : ""}`).join("\n")}\n${indent} */\n`;
}

/** Which side of the wire a type describes (see model/sides.ts). */
export interface Reading {
  /** Received data: enums stay open, optional properties may be null. */
  received: boolean;
  /** Scalars both sides use: opened where received data refers to them. */
  shared: ReadonlyMap<string, SchemaNode>;
}

export const SENDING: Reading = { received: false, shared: new Map() };

/** The widening that keeps a received enum open while editors still suggest its known values. */
function openEnd(values: EnumValue[], node: SchemaNode): string {
  const types = node.type === undefined ? values.map((e) => typeof e.value) : Array.isArray(node.type) ? node.type : [node.type];
  return union(types.map((t) => (t === "string" ? "(string & {})" : t === "boolean" ? "boolean" : "(number & {})")));
}

/**
 * The TypeScript type of a schema node. Variants become unions, `allOf` intersections, and
 * `forbidden` properties `?: never`, so the compiler rejects what the API rejects. Received data
 * is typed openly: `"love" | "like" | (string & {})`, so code that switches on it keeps compiling
 * when the API adds a value.
 */
export function typeOf(node: SchemaNode, indent = "", named: NamedSchemas = new Map(), reading: Reading = SENDING): string {
  if (node.ref) {
    const shared = reading.received ? reading.shared.get(node.ref) : undefined;
    return shared?.enum ? `${node.ref} | ${openEnd(shared.enum, shared)}` : node.ref;
  }
  if (node.const !== undefined) return JSON.stringify(node.const);
  // A file's bytes (see core/multipart.ts); the loader allows the format on a bare string only.
  if (node.format === "binary") return "BinaryData";
  if (node.enum) {
    const known = node.enum.map((e) => JSON.stringify(e.value));
    return union(reading.received ? [...known, openEnd(node.enum, node)] : known);
  }

  const parts: string[] = [];
  const hasObjectShape = node.properties || node.forbidden?.length || node.additionalProperties !== undefined;
  if (hasObjectShape) {
    const nullable = [node.type ?? []].flat().includes("null");
    parts.push(nullable ? `(${objectType(node, indent, named, reading)} | null)` : objectType(node, indent, named, reading));
  }
  else if (node.type !== undefined && !(node.oneOf || node.allOf)) {
    const types = Array.isArray(node.type) ? node.type : [node.type];
    parts.push(union(types.map((t) => (t === "array" && node.items ? `${wrap(typeOf(node.items, indent, named, reading))}[]` : primitive(t)))));
  } else if (node.type === "array" && node.items) {
    parts.push(`${wrap(typeOf(node.items, indent, named, reading))}[]`);
  }
  if (node.allOf) parts.push(...node.allOf.map((part) => wrap(typeOf(part, indent, named, reading))));
  if (node.oneOf) {
    // A discriminated union is exclusive already: the tag picks one variant, whose keys are then
    // checked. Received variants need not exclude each other.
    const branches = node.discriminator || reading.received
      ? node.oneOf.map((branch) => wrap(typeOf(branch, indent, named, reading)))
      : exclusiveBranches(node.oneOf, indent, named);
    parts.push(wrap(union(branches)));
  }
  if (parts.length === 0) return "unknown";
  if (parts.length > 1) return parts.join(" & ");
  return isParenthesized(parts[0]!) ? parts[0]!.slice(1, -1) : parts[0]!;
}

function objectType(node: SchemaNode, indent: string, named: NamedSchemas, reading: Reading): string {
  const inner = `${indent}  `;
  const required = new Set(node.required ?? []);
  const lines: string[] = [];
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    const optional = required.has(name) ? "" : "?";
    lines.push(`${docComment(schemaDoc(property), inner)}${inner}${propertyKey(name)}${optional}: ${propertyType(property, required.has(name), inner, named, reading)};`);
  }
  for (const name of node.forbidden ?? []) {
    if (!(name in (node.properties ?? {}))) lines.push(`${inner}${propertyKey(name)}?: never;`);
  }
  if (node.additionalProperties && typeof node.additionalProperties === "object" && !node.properties) {
    return `Record<string, ${typeOf(node.additionalProperties, indent, named, reading)}>`;
  }
  if (lines.length === 0) return "Record<string, unknown>";
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** A property's type; an optional one of received data may also be `null`, as Meta sends it. */
export function propertyType(property: SchemaNode, required: boolean, indent: string, named: NamedSchemas, reading: Reading): string {
  const type = typeOf(property, indent, named, reading);
  if (required || !reading.received || /(^|\| )null( \||$)/.test(type)) return type;
  return `${type} | null`;
}

export type NamedSchemas = ReadonlyMap<string, SchemaNode>;

/**
 * TypeScript lets an object literal carry a key of another union member, so `{ id, user_ref }`
 * would pass as a recipient. Where every variant is a closed object (as the JSON Schema says),
 * each variant also gets the other variants' keys as `?: never`, making the union exclusive.
 */
function exclusiveBranches(branches: SchemaNode[], indent: string, named: NamedSchemas): string[] {
  const types = branches.map((branch) => wrap(typeOf(branch, indent, named)));
  const keySets = branches.map((branch) => closedKeys(branch, named));
  if (keySets.some((keys) => keys === undefined)) return types;
  return types.map((type, i) => {
    const others = [...new Set(keySets.flatMap((keys, j) => (j === i ? [] : keys!)))].filter((key) => !keySets[i]!.includes(key)).sort();
    if (others.length === 0) return type;
    const nevers = others.map((key) => `${propertyKey(key)}?: never`).join("; ");
    return type.startsWith("{") ? type.replace(/\n(\s*)}$/, `\n$1  ${nevers.replace(/; /g, `;\n$1  `)};\n$1}`) : `(${type} & { ${nevers} })`;
  });
}

/** The keys of a variant that is a closed plain object (through refs), else undefined. */
function closedKeys(node: SchemaNode, named: NamedSchemas, seen = new Set<string>()): string[] | undefined {
  if (node.ref) {
    const target = named.get(node.ref);
    if (!target || seen.has(node.ref)) return undefined;
    return closedKeys(target, named, new Set([...seen, node.ref]));
  }
  if (node.additionalProperties !== false || !node.properties || node.oneOf || node.allOf) return undefined;
  return [...Object.keys(node.properties), ...(node.forbidden ?? [])];
}

/** A named schema is an interface when it is a plain object, otherwise a type alias. */
export function isPlainObject(node: SchemaNode): boolean {
  // An object that may also be null ({ type: [object, "null"] }) is a union, not an interface.
  return Boolean(node.properties) && !node.ref && !node.oneOf && !node.allOf && !node.forbidden?.length && ![node.type ?? []].flat().includes("null") &&
    (node.additionalProperties === undefined || typeof node.additionalProperties === "boolean");
}

export { docComment };
