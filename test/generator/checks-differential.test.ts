import { describe, expect, it } from "vitest";
import { createAjv } from "../../generator/schema/ajv.js";
import { toJsonSchemaBundle } from "../../generator/schema/to-json-schema.js";
import type { ValidationIssue } from "../../templates/core/errors.js";
import { compileChecks } from "../support/compile-checks.js";
import { InputMaker } from "../support/schema-inputs.js";
import { loadRealSpec } from "../support/spec-examples.js";

/** Values built per schema, and as many broken copies of them: over 100,000 inputs a run. */
const VALUES_PER_SCHEMA = 250;

/** Names every object inherits, which ajv reads as present in any object (its issue #2664). */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Whether a value has, anywhere, a property of an inherited name: there ajv's verdict is not the spec's. */
function hasInheritedName(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasInheritedName);
  if (typeof value !== "object" || value === null) return false;
  return Object.keys(value).some((key) => INHERITED.has(key) || hasInheritedName((value as Record<string, unknown>)[key]));
}

/**
 * Ajv is the oracle: on every schema of both APIs, the generated checks must give ajv's verdict on
 * every input (the spec's examples, values built from the schema, and the same values broken at a
 * random place), with and without collecting issues, and report an issue exactly when they fail.
 * One known exception: ajv takes a property named like a member of Object.prototype
 * (`constructor`) as evaluated by any subschema (its issue #2664), so it accepts such a property
 * where `unevaluatedProperties: false` forbids it; the checks reject it. Such inputs are counted
 * apart, and must disagree in that one direction only.
 * The seed is fixed (CHECKS_SEED explores others); a failure prints the seed and the input.
 */
describe("the generated checks against ajv", () => {
  const seed = Number(process.env.CHECKS_SEED ?? 7);

  it(`agree with ajv's verdict on 100,000+ inputs (seed ${seed})`, async () => {
    let inputs = 0;
    let valid = 0;
    const disagreements: string[] = [];
    let ajvDefect = 0;
    for (const api of loadRealSpec().apis) {
      const annotated = toJsonSchemaBundle(api);
      const bundle = toJsonSchemaBundle(api, { annotations: false });
      const defs = bundle.$defs as Record<string, unknown>;
      const checks = await compileChecks(defs);
      const ajv = createAjv();
      ajv.addSchema({ ...bundle, $id: `${api.name}-oracle` });
      const maker = new InputMaker(annotated.$defs as Record<string, boolean | Record<string, unknown>>, seed);
      for (const name of Object.keys(defs)) {
        const oracle = ajv.getSchema(`${api.name}-oracle#/$defs/${name}`)!;
        const check = checks[name]!;
        const examples = ((annotated.$defs as Record<string, { examples?: unknown[] }>)[name]?.examples ?? []);
        const values: unknown[] = [...examples];
        for (let i = 0; i < VALUES_PER_SCHEMA; i++) {
          const value = maker.value(defs[name] as Record<string, unknown>);
          values.push(value, maker.mutate(value));
        }
        for (const value of values) {
          inputs++;
          const expected = oracle(value) as boolean;
          if (expected) valid++;
          const issues: ValidationIssue[] = [];
          const fast = check(value);
          const collecting = check(value, "", issues);
          if (expected && !fast && !collecting && hasInheritedName(value) && issues.every((i) => INHERITED.has(i.pointer.split("/").pop()!))) {
            ajvDefect++;
            continue;
          }
          if (fast !== expected || collecting !== expected || (issues.length === 0) !== expected) {
            disagreements.push(`${api.name}.${name}: ajv ${expected}, check ${fast}/${collecting} ${JSON.stringify(issues.slice(0, 2))} on ${JSON.stringify(value)}`);
          }
        }
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(ajvDefect).toBeLessThan(inputs / 1000);
    expect(inputs).toBeGreaterThanOrEqual(100_000);
    // Both verdicts are exercised in earnest, not a stream of trivially broken values.
    expect(valid / inputs).toBeGreaterThan(0.3);
    expect(valid / inputs).toBeLessThan(0.9);
  });
});
