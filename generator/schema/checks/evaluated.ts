import type { JsonSchema } from "../to-json-schema.js";
import type { Node } from "./schema-facts.js";
import type { CheckWriter } from "./writer.js";

/** Property names a schema evaluates: all of them, or some named, plus those of variants that pass. */
interface Evaluation {
  all: boolean;
  keys: Set<string>;
  /** Names that count only when every check in `when` passes (the variants on the way there). */
  conditional: { all: boolean; keys: Set<string>; when: string[] }[];
}

/**
 * `unevaluatedProperties: false`: every property of the object must be evaluated by a keyword of
 * the schema or of a subschema that passed (2020-12 annotation semantics, as ajv implements them).
 * Names evaluated unconditionally are known now; a name that only a union's variant evaluates counts
 * when that variant passes, which is asked (once per variant) only for such a name. When the value
 * has failed already, a variant's names count anyway: the reader needs the failure, not an echo.
 */
export function unevaluatedCheck(node: JsonSchema, owner: string, objectOnly: boolean, w: CheckWriter): string[] {
  const evaluation = evaluationOf({ ...node, unevaluatedProperties: undefined }, owner, w, new Set());
  if (evaluation.all) return [];
  const cached = new Map<string, string>();
  const passed = (check: string) => {
    if (!cached.has(check)) cached.set(check, `passed$${cached.size}`);
    return `(${cached.get(check)!} ??= ${check}(x))`;
  };
  const conditions = evaluation.conditional.map(({ all, keys, when }) => {
    // Sorted, so that variants naming the same keys share one list.
    const sorted = [...keys].sort();
    const named = all ? "" : sorted.length > 2 ? `${w.valueList(sorted)}.includes(k) && ` : `(${w.isOneOf("k", sorted)}) && `;
    return `  if (${named}(e?.length !== n || (${when.map(passed).join(" && ")}))) continue;`;
  });
  const pointer = `p + "/" + ${w.helper("escapePointerToken")}(k)`;
  w.goesOnAfterFailure = true;
  const loop = [
    ...(cached.size ? [`let ${[...cached.values()].join(", ")};`] : []),
    "for (const k in x) {",
    ...(evaluation.keys.size ? [`  if (${w.isOneOf("k", [...evaluation.keys])}) continue;`] : []),
    ...conditions,
    `  ${w.failNow(pointer, "is not allowed")}`,
    "}",
  ];
  return objectOnly ? loop : [`if (${w.helper("isObject")}(x)) {`, ...loop.map((line) => `  ${line}`), "}"];
}

function evaluationOf(node: Node, owner: string, w: CheckWriter, seen: Set<Node>): Evaluation {
  const evaluation: Evaluation = { all: false, keys: new Set(), conditional: [] };
  if (typeof node !== "object" || seen.has(node)) return evaluation;
  seen = new Set(seen).add(node);
  const merge = (other: Evaluation) => {
    evaluation.all ||= other.all;
    for (const key of other.keys) evaluation.keys.add(key);
    evaluation.conditional.push(...other.conditional);
  };
  for (const key of Object.keys((node.properties as Record<string, Node> | undefined) ?? {})) evaluation.keys.add(key);
  if (node.additionalProperties !== undefined || node.unevaluatedProperties !== undefined) evaluation.all = true;
  if (typeof node.$ref === "string") merge(evaluationOf(w.definitions.target(node.$ref), owner, w, seen));
  for (const part of (node.allOf as Node[] | undefined) ?? []) merge(evaluationOf(part, owner, w, seen));
  for (const variant of [...((node.oneOf as Node[] | undefined) ?? []), ...((node.anyOf as Node[] | undefined) ?? [])]) {
    const check = w.checkOf(variant, owner);
    const inner = evaluationOf(variant, owner, w, seen);
    if (inner.all || inner.keys.size) evaluation.conditional.push({ all: inner.all, keys: inner.keys, when: [check] });
    for (const deeper of inner.conditional) evaluation.conditional.push({ ...deeper, when: [check, ...deeper.when] });
  }
  return evaluation;
}
