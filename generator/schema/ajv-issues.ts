import { escapePointerToken, listValues } from "../../templates/core/check.js";
import type { ValidationIssue } from "../../templates/core/errors.js";


/**
 * ajv's errors as the SDK's issues (pointer and message), for the spec check, which asks ajv about
 * the spec's examples: ajv is the oracle the generated checks are held to.
 */
/** One error as ajv reports it. */
export interface RawValidationError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** A compiled ajv validator: a predicate that leaves its errors on itself. */
export interface RawValidator {
  (data: unknown): boolean;
  errors?: ReadonlyArray<RawValidationError> | null;
}

/** The validator's last errors as issues, in ajv's order, without duplicates or branch noise. */
export function ajvIssues(validator: RawValidator): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of withoutBranchNoise(validator.errors ?? [])) {
    const issue = describe(error);
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/**
 * A failed `oneOf` is reported both as the reasons each variant failed and as one summary line
 * ("must match exactly one schema in oneOf"); with the reasons listed, the summary adds nothing.
 * Which variant the caller meant cannot be told from the errors alone, so every reason stays.
 */
function withoutBranchNoise(errors: ReadonlyArray<RawValidationError>): RawValidationError[] {
  const isUnion = (e: RawValidationError) => e.keyword === "oneOf" || e.keyword === "anyOf";
  return errors.filter(
    (e) =>
      !(
        isUnion(e) &&
        errors.some(
          (o) =>
            !isUnion(o) &&
            (o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`)),
        )
      ),
  );
}

function describe(error: RawValidationError): ValidationIssue {
  const { instancePath: pointer, keyword, params } = error;
  switch (keyword) {
    case "additionalProperties":
      // ajv points at the object; the reader wants the property that is extra.
      return extraProperty(pointer, params["additionalProperty"]) ?? fallback(error);
    case "unevaluatedProperties":
      return extraProperty(pointer, params["unevaluatedProperty"]) ?? fallback(error);
    case "false schema":
      // `properties: { x: false }`, which is how a forbidden field is expressed.
      return { pointer, message: "is not allowed" };
    case "required": {
      const missing = params["missingProperty"];
      return typeof missing === "string"
        ? { pointer, message: `must have required property '${missing}'` }
        : fallback(error);
    }
    case "enum": {
      const allowed = params["allowedValues"];
      return Array.isArray(allowed)
        ? { pointer, message: `must be one of ${listValues(allowed as unknown[])}` }
        : fallback(error);
    }
    case "discriminator": {
      // ajv points at the object; the generated checks, like the reader, at the tag whose value
      // names no variant (or that is missing).
      const tag = params["tag"];
      return typeof tag === "string" && params["error"] === "mapping"
        ? { pointer: `${pointer}/${escapePointerToken(tag)}`, message: error.message ?? `must name one of the variants` }
        : fallback(error);
    }
    case "const":
      return "allowedValue" in params
        ? { pointer, message: `must be ${JSON.stringify(params["allowedValue"])}` }
        : fallback(error);
    default:
      return fallback(error);
  }
}

function extraProperty(pointer: string, property: unknown): ValidationIssue | undefined {
  if (typeof property !== "string") return undefined;
  return { pointer: `${pointer}/${escapePointerToken(property)}`, message: "is not allowed" };
}

function fallback(error: RawValidationError): ValidationIssue {
  // Validators compiled with `messages: false` carry no message.
  return {
    pointer: error.instancePath,
    message: error.message ?? `must pass "${error.keyword}" keyword validation`,
  };
}


