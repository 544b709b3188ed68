import { readFileSync } from "node:fs";
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import type { Problem } from "./problems.js";
import { pointerSegments } from "./json-positions.js";
import type { PathSegment, SpecFile } from "./read-files.js";

// ajv is CommonJS; under NodeNext its default export arrives wrapped.
const Ajv = AjvModule.default ?? AjvModule;

type JsonObject = Record<string, unknown>;

/** Checks a file against spec/spec.schema.json, the definition of the spec format. */
/** A file's format problems, each with the data path it is about. */
export type FormatFinding = Problem & { path: PathSegment[] };

export function makeFormatChecker(formatSchemaPath: string): (file: SpecFile) => FormatFinding[] {
  const text = readFileSync(formatSchemaPath, "utf8");
  const formatSchema = JSON.parse(text) as JsonObject;
  const validate = compiledFormatSchema(text, formatSchema);
  return (file) => {
    const data = file.data ?? {};
    if (validate(data)) return [];
    return describe(validate.errors ?? [], data, formatSchema).map(({ path, at, message }) => ({ ...file.locate(path, at), message, path }));
  };
}

/** The format schema compiled once per process (and again only when its text changes). */
let lastFormat: { text: string; validate: ValidateFunction } | undefined;

function compiledFormatSchema(text: string, schema: JsonObject): ValidateFunction {
  if (lastFormat?.text !== text) {
    // No pass over the generated code (see schema/ajv.ts): it changes no verdict and no error.
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { optimize: false } });
    lastFormat = { text, validate: ajv.compile(schema) };
  }
  return lastFormat.validate;
}

interface Described {
  path: PathSegment[];
  at: "key" | "value";
  message: string;
}

/**
 * Turns ajv's errors into one message per mistake. A `oneOf` failure makes ajv report every
 * branch; `settleOneOfs` keeps the errors of the branches the data was meant for. Of the rest, only
 * the errors at the deepest place say what is actually wrong, so shallower ones go.
 */
function describe(errors: ErrorObject[], data: unknown, root: JsonObject): Described[] {
  const { kept, extra } = settleOneOfs(errors, data, root);
  const described = [...extra, ...kept.flatMap((error) => describeOne(error, data))];
  const deepest = described.filter(
    (d) => !described.some((other) => other.path.length > d.path.length && startsWith(other.path, d.path)),
  );
  const seen = new Set<string>();
  return deepest.filter((d) => {
    const key = `${d.path.join("/")}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * ajv reports a failed `oneOf` as its own error plus every branch's errors. When some branches take
 * the data's JSON type, the data was meant as one of them: their errors stay, while the other
 * branches' `type` errors and the `oneOf` summary go. When no branch takes the type, one error
 * lists the types allowed. A `oneOf` of `required` alternatives (an example's `json` or `value`)
 * gets its own message, whether none or several are given.
 */
function settleOneOfs(errors: ErrorObject[], data: unknown, root: JsonObject): { kept: ErrorObject[]; extra: Described[] } {
  const dropped = new Set<ErrorObject>();
  const extra: Described[] = [];
  for (const error of errors) {
    // ajv's `verbose` gives each error the schema objects themselves: a `oneOf`'s branches, and the
    // schema that holds a failing keyword, so branch errors are found by identity (schemaPath is
    // relative to whichever definition ajv compiled on its own, so it cannot say which branch).
    const branches = error.schema;
    if (error.keyword !== "oneOf" || !Array.isArray(branches)) continue;
    const path = pointerSegments(error.instancePath);
    const value = valueAt(data, path);
    const params = error.params as { passingSchemas?: number[] | null };
    const atSamePlace = (other: ErrorObject, keyword: string, holders: Set<unknown>) =>
      other.keyword === keyword && other.instancePath === error.instancePath && holders.has(other.parentSchema);

    const alternatives = requiredAlternatives(branches);
    if (alternatives && isObject(value)) {
      dropped.add(error);
      if (params.passingSchemas) {
        const given = alternatives.filter((k) => k in value).map((k) => `'${k}'`);
        extra.push({ path, at: "value", message: `${subject(path, value)} has both ${given.join(" and ")}; give one` });
      } else {
        const holders = new Set<unknown>(branches);
        errors.filter((other) => atSamePlace(other, "required", holders)).forEach((other) => dropped.add(other));
        extra.push({ path, at: "value", message: `${subject(path, value)} needs ${alternatives.map((k) => `'${k}'`).join(" or ")}` });
      }
      continue;
    }
    if (params.passingSchemas) continue;

    const type = jsonType(value);
    const otherBranches = new Set<unknown>();
    const allowed: string[] = [];
    let anyTakesType = false;
    for (const branch of branches) {
      const types = acceptedTypes(branch, root);
      if (types === undefined || types.includes(type) || (type === "integer" && types.includes("number"))) {
        anyTakesType = true;
      } else {
        allowed.push(...types.filter((t) => !allowed.includes(t)));
        for (const holder of refChain(branch, root)) otherBranches.add(holder);
      }
    }
    errors.filter((other) => atSamePlace(other, "type", otherBranches)).forEach((other) => dropped.add(other));
    dropped.add(error);
    if (!anyTakesType) extra.push({ path, at: "value", message: `${label(path)} must be ${typeList(allowed)}` });
  }
  return { kept: errors.filter((e) => !dropped.has(e)), extra };
}

/** The keys of a `oneOf` whose branches each only require one key, or undefined. */
function requiredAlternatives(branches: unknown[]): string[] | undefined {
  const keys: string[] = [];
  for (const branch of branches) {
    if (!isObject(branch) || Object.keys(branch).length !== 1 || !Array.isArray(branch.required) || branch.required.length !== 1) return undefined;
    keys.push(String(branch.required[0]));
  }
  return keys;
}

/** The JSON types a branch takes, or undefined when it says nothing about the type. */
function acceptedTypes(branch: unknown, root: JsonObject, depth = 0): string[] | undefined {
  if (!isObject(branch) || depth > 20) return undefined;
  if (typeof branch.type === "string") return [branch.type];
  if (Array.isArray(branch.type)) return branch.type.map(String);
  if (Array.isArray(branch.enum)) return [...new Set(branch.enum.map(jsonType))];
  if (branch.const !== undefined) return [jsonType(branch.const)];
  if (typeof branch.$ref === "string") return acceptedTypes(atPointer(root, branch.$ref), root, depth + 1);
  return undefined;
}

/** A branch and the definitions its `$ref`s lead to: the schemas a branch's `type` error can sit in. */
function refChain(branch: unknown, root: JsonObject): unknown[] {
  const chain: unknown[] = [];
  let current = branch;
  while (isObject(current) && !chain.includes(current)) {
    chain.push(current);
    current = typeof current.$ref === "string" ? atPointer(root, current.$ref) : undefined;
  }
  return chain;
}

function describeOne(error: ErrorObject, data: unknown): Described[] {
  const path = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const suggestion = closestKey(key, knownKeys(error.parentSchema));
      return [{ path: [...path, key], at: "key", message: `unknown key '${key}'${where(path)}${suggestion ? ` (did you mean '${suggestion}'?)` : ""}` }];
    }
    case "required":
      return [{ path, at: "value", message: `missing required key '${String(params.missingProperty)}'${where(path)}` }];
    case "type":
      return [{ path, at: "value", message: `${label(path)} must be ${typeList(String(params.type).split(","))}` }];
    case "enum":
      return [{ path, at: "value", message: `${label(path)} must be one of: ${(params.allowedValues as unknown[]).map(String).join(", ")}` }];
    case "pattern": {
      if (error.propertyName !== undefined) {
        return [{ path: [...path, error.propertyName], at: "key", message: `name '${error.propertyName}' ${namingRule(String(params.pattern))}` }];
      }
      const rule = namingRule(String(params.pattern));
      if (rule !== undefined) return [{ path, at: "value", message: `name '${String(valueAt(data, path))}' ${rule}` }];
      return [{ path, at: "value", message: `${label(path)} must match ${String(params.pattern)}` }];
    }
    case "minLength":
    case "minItems":
    case "minProperties":
      if (params.limit === 1) return [{ path, at: "value", message: `${label(path)} must not be empty` }];
      return [{ path, at: "value", message: `${label(path)} ${error.message ?? "is invalid"}` }];
    case "propertyNames":
      return [];
    case "oneOf":
      if (params.passingSchemas) return [{ path, at: "value", message: `${label(path)} matches more than one allowed form` }];
      return [{ path, at: "value", message: `${label(path)} does not match any allowed form` }];
    default:
      return [{ path, at: "value", message: `${label(path)} ${error.message ?? "is invalid"}` }];
  }
}

/** The keys a closed object schema declares (the `properties` beside its `additionalProperties: false`). */
function knownKeys(schema: unknown): string[] {
  return isObject(schema) && isObject(schema.properties) ? Object.keys(schema.properties) : [];
}

/** The declared key a misspelling most likely meant: within two edits, and fewer than half its letters. */
function closestKey(key: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && distance < Math.ceil(name.length / 2) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}

function namingRule(pattern: string): string | undefined {
  if (pattern === "^[A-Z][A-Za-z0-9]*$") return "must be PascalCase";
  if (pattern === "^[a-z][A-Za-z0-9]*$") return "must be camelCase";
  return undefined;
}

/** "example 'hello'" when the value is a named example, else the label of its path. */
function subject(path: PathSegment[], value: JsonObject): string {
  if (path[path.length - 2] === "examples" && typeof value.name === "string") return `example '${value.name}'`;
  return label(path);
}

function label(path: PathSegment[]): string {
  const last = path[path.length - 1];
  return last === undefined ? "the file" : `'${String(last)}'`;
}

function where(path: PathSegment[]): string {
  return path.length === 0 ? " at the top level" : ` in '${path.join(".")}'`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeList(types: string[]): string {
  const named = types.map(article);
  return named.length <= 1 ? (named[0] ?? "something else") : `${named.slice(0, -1).join(", ")} or ${named[named.length - 1]}`;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueAt(data: unknown, path: PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[String(segment)];
  }
  return value;
}

/** The part of a schema a `#/...` pointer (an ajv schemaPath or a `$ref`) names. */
function atPointer(root: JsonObject, pointer: string): unknown {
  if (!pointer.startsWith("#")) return undefined;
  return valueAt(root, pointerSegments(pointer.slice(1)));
}

function startsWith(path: PathSegment[], prefix: PathSegment[]): boolean {
  return prefix.every((segment, i) => String(path[i]) === String(segment));
}
