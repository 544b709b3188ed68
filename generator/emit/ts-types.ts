import type { SchemaNode, TypeName } from "../model/types.js";
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

function wrap(type: string): string {
  return /[|&]/.test(type) && !/^\(.*\)$/.test(type) ? `(${type})` : type;
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  return unique.length === 0 ? "never" : unique.join(" | ");
}

function docComment(doc: string | undefined, indent: string): string {
  if (!doc) return "";
  return `${indent}/**\n${doc.split("\n").map((line) => `${indent} *${line ? ` ${line}` : ""}`).join("\n")}\n${indent} */\n`;
}

/**
 * The TypeScript type of a schema node. Variants become unions, `allOf` intersections, and
 * `forbidden` properties `?: never`, so the compiler rejects what the API rejects.
 */
export function typeOf(node: SchemaNode, indent = ""): string {
  if (node.ref) return node.ref;
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return union(node.enum.map((e) => JSON.stringify(e.value)));

  const parts: string[] = [];
  const hasObjectShape = node.properties || node.forbidden?.length || node.additionalProperties !== undefined;
  if (hasObjectShape) parts.push(objectType(node, indent));
  else if (node.type !== undefined && !(node.oneOf || node.allOf)) {
    const types = Array.isArray(node.type) ? node.type : [node.type];
    parts.push(union(types.map((t) => (t === "array" && node.items ? `${wrap(typeOf(node.items, indent))}[]` : primitive(t)))));
  } else if (node.type === "array" && node.items) {
    parts.push(`${wrap(typeOf(node.items, indent))}[]`);
  }
  if (node.allOf) parts.push(...node.allOf.map((part) => wrap(typeOf(part, indent))));
  if (node.oneOf) parts.push(wrap(union(node.oneOf.map((branch) => wrap(typeOf(branch, indent))))));
  if (parts.length === 0) return "unknown";
  return parts.length === 1 ? parts[0]!.replace(/^\((.*)\)$/s, "$1") : parts.join(" & ");
}

function objectType(node: SchemaNode, indent: string): string {
  const inner = `${indent}  `;
  const required = new Set(node.required ?? []);
  const lines: string[] = [];
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    const optional = required.has(name) ? "" : "?";
    lines.push(`${docComment(schemaDoc(property), inner)}${inner}${propertyKey(name)}${optional}: ${typeOf(property, inner)};`);
  }
  for (const name of node.forbidden ?? []) {
    if (!(name in (node.properties ?? {}))) lines.push(`${inner}${propertyKey(name)}?: never;`);
  }
  if (node.additionalProperties && typeof node.additionalProperties === "object" && !node.properties) {
    return `Record<string, ${typeOf(node.additionalProperties, indent)}>`;
  }
  if (lines.length === 0) return "Record<string, unknown>";
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** A named schema is an interface when it is a plain object, otherwise a type alias. */
export function isPlainObject(node: SchemaNode): boolean {
  return Boolean(node.properties) && !node.ref && !node.oneOf && !node.allOf && !node.forbidden?.length &&
    (node.additionalProperties === undefined || typeof node.additionalProperties === "boolean");
}

export { docComment };
