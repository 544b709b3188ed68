/**
 * The small runtime the generated checks (`src/<api>/validators.js`) call. A check answers
 * true/false on its own; given an issue list it also says why not, each issue at the field it
 * concerns. The generated code is plain functions, so the package never compiles a schema and runs
 * where `eval` is forbidden.
 */

import type { ValidationIssue } from "./errors.js";
import ucs2length from "./ucs2length.js";

/**
 * A generated check: true when `value` is valid. With `issues`, every reason it is not is added
 * there, at `pointer` (a JSON pointer, "" for the value itself) and below.
 */
export type Check = (value: unknown, pointer?: string, issues?: ValidationIssue[]) => boolean;

/**
 * What tells the variants of a union apart, one entry per variant: the JSON types it accepts
 * (0: any), a tag property with the values that mean it, and the keys only this variant requires.
 */
export type VariantHint = readonly [
  types: readonly string[] | 0,
  tag?: readonly [string, readonly unknown[]] | 0,
  keys?: readonly string[],
];

/** Adds an issue when there is a list to add it to; always false, so a failing check can return it. */
export function fail(
  issues: ValidationIssue[] | undefined,
  pointer: string | undefined,
  message: string,
): false {
  if (issues) issues.push({ pointer: pointer ?? "", message });
  return false;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `value` is an object; reports "must be object" when it is not. */
export function checkObject(
  value: unknown,
  pointer: string | undefined,
  issues: ValidationIssue[] | undefined,
): boolean {
  return isObject(value) || fail(issues, pointer, "must be object");
}

// Enough values to be useful in a message without printing a whole vocabulary.
const MAX_LISTED_VALUES = 10;

/** Values a message lists: `"a", "b", … (3 more)`. */
export function listValues(values: readonly unknown[]): string {
  const listed = values.slice(0, MAX_LISTED_VALUES).map((value) => JSON.stringify(value));
  if (values.length > MAX_LISTED_VALUES) listed.push(`… (${values.length - MAX_LISTED_VALUES} more)`);
  return listed.join(", ");
}

/** "must be one of …", for an enum. */
export function oneOfMessage(values: readonly unknown[]): string {
  return `must be one of ${listValues(values)}`;
}

export const isArray: (value: unknown) => value is unknown[] = Array.isArray;

export const isInteger: (value: unknown) => boolean = Number.isInteger;

/** A set of strings for the generated code, which cannot name `Set` (a schema may be called that). */
export function setOf(values: readonly string[]): ReadonlySet<string> {
  return new Set(values);
}

/** RFC 6901: `~` and `/` inside a property name are written `~0` and `~1`. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Reports a union no variant of which accepted `value`. When the value says which variant it meant
 * (its JSON type, its tag, a key only that variant requires), only that variant's issues are
 * reported, at the broken field; otherwise every variant's, and a summary of the union (`oneOf`:
 * exactly one variant must match; otherwise at least one) when they say nothing.
 */
export function reportUnion(
  value: unknown,
  pointer: string | undefined,
  issues: ValidationIssue[],
  variants: readonly Check[],
  hints: readonly VariantHint[] | 0,
  exactlyOne: boolean,
): void {
  const meant = hints ? meantVariant(value, hints) : -1;
  const before = issues.length;
  if (meant >= 0) variants[meant]!(value, pointer, issues);
  else for (const variant of variants) variant(value, pointer, issues);
  if (issues.length === before)
    issue(
      issues,
      pointer,
      exactlyOne ? "must match exactly one schema in oneOf" : "must match a schema in anyOf",
    );
}

/** The one variant `value` points to, or -1 when it points to none or to several. */
export function meantVariant(value: unknown, hints: readonly VariantHint[]): number {
  const kind = jsonType(value);
  let candidates = hints.map((_, index) => index).filter((index) => accepts(hints[index]![0], kind));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0 || !isObject(value)) return -1;
  const tagged = candidates.filter((index) => {
    const tag = hints[index]![1];
    return tag ? tag[1].includes(value[tag[0]]) : false;
  });
  if (tagged.length === 1) return tagged[0]!;
  if (tagged.length > 1) candidates = tagged;
  const marked = candidates.filter((index) => hints[index]![2]?.some((key) => value[key] !== undefined));
  return marked.length === 1 ? marked[0]! : -1;
}

function accepts(types: readonly string[] | 0, kind: string): boolean {
  if (!types) return true;
  return types.includes(kind) || (kind === "integer" && types.includes("number"));
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/**
 * Reports a discriminated union whose tag property names no variant: missing, not a string, or
 * none of the known values. True when nobody collects issues (see `issue`).
 */
export function failTag(
  issues: ValidationIssue[] | undefined,
  pointer: string | undefined,
  tag: unknown,
  property: string,
  allowed: readonly string[],
): boolean {
  if (!issues) return true;
  if (tag === undefined) return missing(issues, pointer, property);
  const at = `${pointer ?? ""}/${escapePointerToken(property)}`;
  return issue(issues, at, typeof tag === "string" ? oneOfMessage(allowed) : "must be string");
}

/**
 * Adds an issue when there is a list to add it to. True when nobody collects issues, so the check
 * stops at its first failure: `if (failed && issue(e, p, "…")) return false;`.
 */
export function issue(
  issues: ValidationIssue[] | undefined,
  pointer: string | undefined,
  message: string,
): boolean {
  if (!issues) return true;
  issues.push({ pointer: pointer ?? "", message });
  return false;
}

export function missing(
  issues: ValidationIssue[] | undefined,
  pointer: string | undefined,
  key: string,
): boolean {
  return issue(issues, pointer, `must have required property '${key}'`);
}

/** A string, with its length in code points between `min` and `max` (-1: no bound). */
export function str(
  value: unknown,
  pointer: string | undefined,
  issues: ValidationIssue[] | undefined,
  min = 0,
  max = -1,
): boolean {
  if (typeof value !== "string") return fail(issues, pointer, "must be string");
  // A string has at least half as many code points as UTF-16 units, and at most as many: most
  // lengths are decided without counting.
  if (min > 0 && value.length < min * 2 && ucs2length(value) < min)
    return fail(issues, pointer, `must NOT have fewer than ${min} characters`);
  if (max >= 0 && value.length > max && ucs2length(value) > max)
    return fail(issues, pointer, `must NOT have more than ${max} characters`);
  return true;
}

/** A number (an integer when `integer`) between `min` and `max` (undefined: no bound). */
export function num(
  value: unknown,
  pointer: string | undefined,
  issues: ValidationIssue[] | undefined,
  integer: boolean,
  min?: number,
  max?: number,
): boolean {
  if (integer ? !Number.isInteger(value) : typeof value !== "number")
    return fail(issues, pointer, integer ? "must be integer" : "must be number");
  if (min !== undefined && (value as number) < min) return fail(issues, pointer, `must be >= ${min}`);
  if (max !== undefined && (value as number) > max) return fail(issues, pointer, `must be <= ${max}`);
  return true;
}

/**
 * `object[key]` when the object has it itself. Only for names every object inherits (`constructor`,
 * `toString`, ...): read plainly they would look present in `{}` (ajv's issue #2664).
 */
export function own(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/**
 * Every key of `keys` is present in `object`; reports each missing one. The keys are read plainly:
 * the generated checks pass no name that every object inherits (`constructor`) here.
 */
export function has(
  object: Record<string, unknown>,
  pointer: string | undefined,
  issues: ValidationIssue[] | undefined,
  keys: readonly string[],
): boolean {
  let ok = true;
  for (const key of keys) {
    if (object[key] !== undefined) continue;
    if (missing(issues, pointer, key)) return false;
    ok = false;
  }
  return ok;
}

export { isBinaryData } from "./multipart.js";
