import type { JsonSchema } from "../to-json-schema.js";
import { unevaluatedCheck } from "./evaluated.js";
import { scalarBody, scalarChecks, typeTest } from "./scalar.js";
import { CHECKED_KEYWORDS, isLeaf, keywordsOf, plainRef, scalarOnly, typesOf, type Node } from "./schema-facts.js";
import { discriminatorCheck, unionCheck } from "./unions.js";
import type { CheckWriter } from "./writer.js";

/**
 * The body of the check function `name` for `node`, on `x` at pointer `p`: scalar keywords, then
 * the object's required and named properties, other properties, items, references and `allOf`,
 * unions, and last the properties nothing evaluated.
 */
export function checkBody(node: Node, name: string, w: CheckWriter): string[] {
  if (node === true) return ["return true;"];
  if (node === false) return [`return ${w.helper("fail")}(e, p, "is not allowed");`];
  for (const key of keywordsOf(node)) {
    if (!CHECKED_KEYWORDS.has(key)) throw new Error(`checks: keyword ${JSON.stringify(key)} is not supported (in ${name})`);
  }
  const types = typesOf(node);
  // A scalar has one thing wrong at a time: each failure returns at once, with its issue.
  if (scalarOnly(node)) return scalarBody(node, w);
  const objectOnly = types?.length === 1 && types[0] === "object";
  const arrayOnly = types?.length === 1 && types[0] === "array";
  const lines: string[] = [];
  // A value of the wrong type is reported alone; the rest of the checks can then rely on it.
  if (objectOnly) lines.push(`if (!${w.helper("checkObject")}(x, p, e)) return false;`);
  else if (types) lines.push(`if (!(${typeTest(types, "x", w)})) return ${w.helper("fail")}(e, p, ${JSON.stringify(`must be ${types.join(",")}`)});`);
  lines.push(...scalarChecks(node, "x", "p", w, true));
  lines.push(...objectChecks(node, name, objectOnly, w));
  if (node.items !== undefined) lines.push(...itemChecks(node.items as Node, name, arrayOnly, w));
  if (typeof node.$ref === "string") lines.push(w.callCheck(w.refCheck(node.$ref), "x", "p"));
  for (const part of (node.allOf as Node[] | undefined) ?? []) lines.push(...partCheck(part, name, w));
  if (node.discriminator && node.oneOf) lines.push(...discriminatorCheck(node, name, w));
  else if (node.oneOf) lines.push(...unionCheck(node.oneOf as Node[], "oneOf", name, w));
  if (node.anyOf) lines.push(...unionCheck(node.anyOf as Node[], "anyOf", name, w));
  if (node.unevaluatedProperties === false) lines.push(...unevaluatedCheck(node, name, objectOnly, w));
  const locals = lines.some((line) => /\bv = /.test(line)) ? ["let v;"] : [];
  // Collecting issues, every failure adds at least one: the check passed if it added none.
  if (!w.goesOnAfterFailure) return [...locals, ...lines, "return true;"];
  return ["const n = e?.length;", ...locals, ...lines, "return !e || e.length === n;"];
}

/** The check of a subschema on the same value: a call, or the scalar checks themselves. */
function partCheck(part: Node, owner: string, w: CheckWriter): string[] {
  if (part === true) return [];
  const ref = plainRef(part);
  if (ref) return [w.callCheck(w.refCheck(ref), "x", "p")];
  if (isLeaf(part)) return scalarChecks(part, "x", "p", w);
  return [w.callCheck(w.inlineCheck(part, owner), "x", "p")];
}

/** The check of a value below `x` (a property or an item), held in `v`, at `pointer`. */
function childCheck(child: Node, owner: string, pointer: string, w: CheckWriter): string[] {
  if (child === true) return [];
  if (child === false) return [w.failNow(pointer, "is not allowed")];
  const ref = plainRef(child);
  if (ref) return [w.callCheck(w.refCheck(ref), "v", pointer)];
  if (isLeaf(child)) return scalarChecks(child, "v", pointer, w);
  return [w.callCheck(w.inlineCheck(child, owner), "v", pointer)];
}

function propertyPointer(key: string): string {
  return `p + ${JSON.stringify(`/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`)}`;
}

function objectChecks(node: JsonSchema, owner: string, objectOnly: boolean, w: CheckWriter): string[] {
  const properties = (node.properties as Record<string, Node> | undefined) ?? {};
  const required = (node.required as string[] | undefined) ?? [];
  const additional = node.additionalProperties as Node | undefined;
  if (!required.length && !Object.keys(properties).length && additional === undefined) return [];
  const lines = additional === false ? closedObjectChecks(properties, required, owner, w) : openObjectChecks(properties, required, additional, owner, w);
  // Object keywords apply to objects only; another type is some other keyword's business.
  if (objectOnly) return lines;
  return [`if (${w.helper("isObject")}(x)) {`, ...lines.map((line) => `  ${line}`), "}"];
}

/**
 * A closed object (what we send): one pass over its keys, each checked by its own case, any other
 * key not allowed. Each name is written once, which keeps the checks of large request bodies small;
 * the required keys are one list. A key whose value is `undefined` is skipped: JSON leaves it out.
 */
function closedObjectChecks(properties: Record<string, Node>, required: string[], owner: string, w: CheckWriter): string[] {
  const lines: string[] = [];
  // `has` reads keys plainly; a name every object inherits is read as own (see `read`).
  if (required.some((key) => key in Object.prototype)) lines.push(...required.map((key) => w.missing(key)));
  else if (required.length) lines.push(w.callCheck(w.helper("has"), "x", "p", `, ${w.constant("required", JSON.stringify(required))}`));
  const cases = Object.entries(properties).flatMap(([key, child]) => [
    `    case ${JSON.stringify(key)}:`,
    ...childCheck(child, owner, "q", w).map((line) => `      ${line}`),
    "      continue;",
  ]);
  lines.push(
    "for (const k in x) {",
    "  if ((v = x[k]) === undefined) continue;",
    `  const q = e && p + "/" + ${w.helper("escapePointerToken")}(k);`,
    "  switch (k) {",
    ...cases,
    "    default:",
    `      ${w.failNow("q", "is not allowed")}`,
    "  }",
    "}",
  );
  return lines;
}

/** An object open to other keys (what we receive): each named property read where it is. */
function openObjectChecks(properties: Record<string, Node>, required: string[], additional: Node | undefined, owner: string, w: CheckWriter): string[] {
  const lines: string[] = [];
  for (const key of required) lines.push(w.missing(key));
  for (const [key, child] of Object.entries(properties)) {
    if (child === true) continue;
    if (child === false) {
      lines.push(w.failWhen(`${w.read("x", key)} !== undefined`, propertyPointer(key), "is not allowed"));
      continue;
    }
    const checks = childCheck(child, owner, propertyPointer(key), w);
    lines.push(`if ((v = ${w.read("x", key)}) !== undefined) {`, ...checks.map((line) => `  ${line}`), "}");
  }
  if (additional !== undefined && additional !== true) {
    const pointer = `p + "/" + ${w.helper("escapePointerToken")}(k)`;
    const known = w.isOneOf("k", Object.keys(properties));
    const checks = additional === false ? [w.failNow(pointer, "is not allowed")] : ["v = x[k];", ...childCheck(additional, owner, pointer, w)];
    lines.push("for (const k in x) {", `  if (${known}) continue;`, ...checks.map((line) => `  ${line}`), "}");
  }
  return lines;
}

function itemChecks(items: Node, owner: string, arrayOnly: boolean, w: CheckWriter): string[] {
  const checks = childCheck(items, owner, 'p + "/" + i', w);
  if (!checks.length) return [];
  const loop = ["for (let i = 0; i < x.length; i++) {", "  v = x[i];", ...checks.map((line) => `  ${line}`), "}"];
  if (arrayOnly) return loop;
  return [`if (${w.helper("isArray")}(x)) {`, ...loop.map((line) => `  ${line}`), "}"];
}
