import type { JsonSchema } from "../to-json-schema.js";
import { acceptedTypes, fixedProperties, requiredKeys, typesOf, type Node } from "./schema-facts.js";
import type { CheckWriter } from "./writer.js";

/**
 * `oneOf` (exactly one variant passes) or `anyOf` (at least one). The variants are first asked
 * without collecting issues; only a failed union is asked again, for the issues of the variant the
 * value meant (see `variantHints`), or of every variant when it cannot be told.
 */
export function unionCheck(variants: readonly Node[], kind: "oneOf" | "anyOf", owner: string, w: CheckWriter): string[] {
  w.goesOnAfterFailure = true;
  const checks = variants.map((variant) => w.checkOf(variant, owner));
  const passes = kind === "anyOf" ? `${checks.map((c) => `${c}(x)`).join(" || ")}` : `${checks.map((c) => `+${c}(x)`).join(" + ")} === 1`;
  return [
    `if (!(${passes})) {`,
    "  if (!e) return false;",
    `  ${w.helper("reportUnion")}(x, p, e, [${checks.join(", ")}], ${variantHints(variants, w)}, ${kind === "oneOf"});`,
    "}",
  ];
}

/**
 * A discriminated `oneOf`, with ajv's semantics: an object's tag property (a string) picks the one
 * variant that is checked; a tag that is missing, not a string or unknown fails at the tag.
 */
export function discriminatorCheck(node: JsonSchema, owner: string, w: CheckWriter): string[] {
  const tag = (node.discriminator as { propertyName: string }).propertyName;
  const variants = node.oneOf as Node[];
  const cases: string[] = [];
  const known: unknown[] = [];
  variants.forEach((variant, index) => {
    const values = tagValues(variant, tag, w);
    if (!values.length) throw new Error(`checks: variant ${index} of ${owner} fixes no value of its tag ${tag}`);
    known.push(...values);
    cases.push(...values.map((value) => `  case ${JSON.stringify(value)}:`), `    ${w.callCheck(w.checkOf(variant, owner), "x", "p")}`, "    break;");
  });
  const access = w.read("x", tag);
  const types = typesOf(node);
  const onlyObjects = types?.length === 1 && types[0] === "object";
  const lines = [
    `switch (${access}) {`,
    ...cases,
    "  default:",
    `    if (${w.helper("failTag")}(e, p, ${access}, ${JSON.stringify(tag)}, ${w.valueList(known)})) return false;`,
    "}",
  ];
  return onlyObjects ? lines : [`if (${w.helper("isObject")}(x)) {`, ...lines.map((line) => `  ${line}`), "}"];
}

/** The values of `tag` a variant (or the schema it refers to) fixes. */
function tagValues(variant: Node, tag: string, w: CheckWriter): unknown[] {
  return fixedProperties(variant, w.definitions).get(tag) ?? [];
}

/**
 * What tells the variants apart, as a module constant for `reportUnion`, or `0` when nothing does:
 * the JSON types each accepts, a property every variant fixes to values of its own, and the keys
 * only one variant requires.
 */
export function variantHints(variants: readonly Node[], w: CheckWriter): string {
  const types = variants.map((variant) => acceptedTypes(variant, w.definitions));
  const fixed = variants.map((variant) => fixedProperties(variant, w.definitions));
  const tag = [...(fixed[0]?.keys() ?? [])].find((key) => {
    const sets = fixed.map((f) => f.get(key));
    if (sets.some((values) => values === undefined)) return false;
    const all = sets.flatMap((values) => values!.map((value) => JSON.stringify(value)));
    return new Set(all).size === all.length;
  });
  const required = variants.map((variant) => requiredKeys(variant, w.definitions));
  const markers = required.map((keys, index) => [...keys].filter((key) => required.every((other, j) => j === index || !other.has(key))));
  const typesTell = types.some((t) => t !== undefined) && new Set(types.map((t) => JSON.stringify(t ?? 0))).size > 1;
  // Types every variant shares tell nothing: left out (0).
  if (!typesTell) types.fill(undefined);
  if (!typesTell && tag === undefined && markers.every((keys) => keys.length === 0)) return "0";
  const hints = variants.map((_, index) => {
    const hint: unknown[] = [types[index] ?? 0];
    if (tag !== undefined || markers[index]!.length) hint.push(tag === undefined ? 0 : [tag, fixed[index]!.get(tag)]);
    if (markers[index]!.length) hint.push(markers[index]);
    return hint;
  });
  return w.constant("variants", JSON.stringify(hints));
}
