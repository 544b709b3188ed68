import { describe, expect, it } from "vitest";
import { examplesOf, loadRealSpec } from "../support/spec-examples.js";
import { generatedValidators } from "../support/generated.js";

const spec = loadRealSpec();

describe.each(spec.apis.map((api) => [api.name, api] as const))("%s: every documented example through its generated validator", (apiName, api) => {
  const examples = examplesOf(api).filter((e) => e.topLevel);

  it("has examples to check", () => {
    expect(examples.length).toBeGreaterThan(5);
  });

  it.each(examples.map((e) => [`${e.schema} / ${e.example.name}`, e] as const))("%s", async (_label, { schema, example }) => {
    const validators = await generatedValidators(apiName);
    const issues = validators.issues(schema, example.value);
    if (example.valid) {
      expect(issues, `${example.source}`).toEqual([]);
      expect(validators.is(schema, example.value)).toBe(true);
    } else {
      expect(validators.is(schema, example.value)).toBe(false);
      expect(issues.map((i) => i.pointer)).toContain(example.expectError);
    }
  });
});
