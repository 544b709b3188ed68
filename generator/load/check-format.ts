import { readFileSync } from "node:fs";
import AjvModule, { type ErrorObject } from "ajv";
import type { Problem } from "./problems.js";
import type { PathSegment, SpecFile } from "./read-files.js";

// ajv is CommonJS; under NodeNext its default export arrives wrapped.
const Ajv = AjvModule.default ?? AjvModule;

/** Checks a file against spec/spec.schema.json, the definition of the spec format. */
export function makeFormatChecker(formatSchemaPath: string): (file: SpecFile) => Problem[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(formatSchemaPath, "utf8")));
  return (file) => {
    if (validate(file.data ?? {})) return [];
    return describe(validate.errors ?? []).map(({ path, at, message }) => ({ ...file.locate(path, at), message }));
  };
}

interface Described {
  path: PathSegment[];
  at: "key" | "value";
  message: string;
}

/**
 * Turns ajv's errors into one message per mistake. A `oneOf` failure makes ajv report every
 * branch; only the errors at the deepest place say what is actually wrong, so shallower ones go.
 */
function describe(errors: ErrorObject[]): Described[] {
  const described = errors.flatMap((error) => describeOne(error));
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

function describeOne(error: ErrorObject): Described[] {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return [{ path: [...path, String(params.additionalProperty)], at: "key", message: `unknown key '${String(params.additionalProperty)}'${where(path)}` }];
    case "required":
      return [{ path, at: "value", message: `missing required key '${String(params.missingProperty)}'${where(path)}` }];
    case "type":
      return [{ path, at: "value", message: `${label(path)} must be ${article(String(params.type))}` }];
    case "enum":
      return [{ path, at: "value", message: `${label(path)} must be one of: ${(params.allowedValues as unknown[]).map(String).join(", ")}` }];
    case "pattern":
      if (error.propertyName !== undefined) {
        return [{ path: [...path, error.propertyName], at: "key", message: `name '${error.propertyName}' ${namingRule(String(params.pattern))}` }];
      }
      return [{ path, at: "value", message: `${label(path)} must match ${String(params.pattern)}` }];
    case "propertyNames":
      return [];
    case "oneOf":
      if (params.passingSchemas) {
        return [{ path, at: "value", message: `${label(path)} matches more than one allowed form (e.g. both 'json' and 'value')` }];
      }
      return [{ path, at: "value", message: `${label(path)} does not match any allowed form` }];
    default:
      return [{ path, at: "value", message: `${label(path)} ${error.message ?? "is invalid"}` }];
  }
}

function namingRule(pattern: string): string {
  if (pattern.startsWith("^[A-Z]")) return "must be PascalCase";
  if (pattern.startsWith("^[a-z][A-Za-z0-9]")) return "must be camelCase";
  return `must match ${pattern}`;
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

function startsWith(path: PathSegment[], prefix: PathSegment[]): boolean {
  return prefix.every((segment, i) => String(path[i]) === String(segment));
}

export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
