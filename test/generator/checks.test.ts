import { describe, expect, it } from "vitest";
import { checkModule } from "../../generator/schema/checks/index.js";
import { issuesOf } from "../../templates/core/validation.js";
import { compileChecks } from "../support/compile-checks.js";

describe("the check emitter", () => {
  /**
   * A spec with 15,000 schemas once overflowed ajv's standalone writer. The emitter is held linear
   * by the size of what it writes, not by a timer: four times the schemas, four times the code, and
   * 15,000 schemas that refer to each other are written without a stack overflow.
   */
  it("writes code in proportion to the schemas, for 15,000 of them too", () => {
    const defsOf = (count: number) =>
      Object.fromEntries(
        Array.from({ length: count }, (_, i) => [`S${i}`, { type: "object", required: ["id"], properties: { id: { type: "string", maxLength: 5 }, next: { $ref: `#/$defs/S${(i + 1) % count}` } } }]),
      );
    const small = checkModule({ $defs: defsOf(1_000) }, Object.keys(defsOf(1_000)));
    const large = checkModule({ $defs: defsOf(4_000) }, Object.keys(defsOf(4_000)));
    expect(large.length / small.length).toBeGreaterThan(3.9);
    expect(large.length / small.length).toBeLessThan(4.1);
    const huge = checkModule({ $defs: defsOf(15_000) }, Object.keys(defsOf(15_000)));
    expect(huge.match(/^export function S\d+\(x, p, e\) \{$/gm)).toHaveLength(15_000);
  });

  it("refuses a keyword it does not implement instead of passing everything", () => {
    expect(() => checkModule({ $defs: { A: { type: "object", patternProperties: { "^x": { type: "string" } } } } }, ["A"])).toThrow(
      /keyword "patternProperties" is not supported/,
    );
  });

  it("reads a property named like an Object.prototype member only when the object has it (ajv's #2664)", async () => {
    const { Named, Closed } = await compileChecks({
      Named: { type: "object", required: ["toString"], properties: { constructor: { type: "number" } } },
      Closed: { allOf: [{ type: "object", properties: { a: { type: "string" } } }, { anyOf: [{ properties: { b: {} } }] }], unevaluatedProperties: false },
    });
    expect(issuesOf(Named!, {})).toEqual([{ pointer: "", message: "must have required property 'toString'" }]);
    expect(Named!({ toString: 1 })).toBe(true);
    expect(issuesOf(Named!, { toString: 1, constructor: "x" })).toEqual([{ pointer: "/constructor", message: "must be number" }]);
    expect(issuesOf(Closed!, { a: "x", constructor: 1 })).toEqual([{ pointer: "/constructor", message: "is not allowed" }]);
  });

  it("gives a schema named like a global a check of its own, exported under its name", async () => {
    const checks = await compileChecks({ Set: { type: "string" }, Uses: { type: "object", properties: { s: { $ref: "#/$defs/Set" } } } });
    expect(checks.Set!("a")).toBe(true);
    expect(issuesOf(checks.Uses!, { s: 1 })).toEqual([{ pointer: "/s", message: "must be string" }]);
  });
});

describe("issues of the generated checks", () => {
  const defs = {
    Send: {
      type: "object",
      required: ["recipient", "payload"],
      additionalProperties: false,
      properties: {
        recipient: { type: "object", required: ["id"], properties: { id: { type: "string" }, user_ref: false } },
        messaging_type: { enum: ["RESPONSE", "UPDATE", "MESSAGE_TAG"] },
        type: { const: "button" },
        payload: {
          type: "object",
          properties: { text: { type: "string", maxLength: 3 }, buttons: { type: "array", maxItems: 3 } },
          unevaluatedProperties: false,
        },
        "a/b~c": { type: "integer", minimum: 1 },
      },
    },
  };

  it("reports each mistake once, at its field: required keys first, then a closed object's keys in the value's order", async () => {
    const { Send } = await compileChecks(defs);
    expect(issuesOf(Send!, { recipient: {}, payload: { buttons: [1, 2, 3, 4] } })).toEqual([
      { pointer: "/recipient", message: "must have required property 'id'" },
      { pointer: "/payload/buttons", message: "must NOT have more than 3 items" },
    ]);
    expect(issuesOf(Send!, { payload: {} })).toEqual([{ pointer: "", message: "must have required property 'recipient'" }]);
  });

  it("points at the property that is not allowed, escaped as RFC 6901 says", async () => {
    const { Send } = await compileChecks(defs);
    expect(issuesOf(Send!, { recipient: { id: "1", user_ref: "x" }, payload: { txt: "typo", "a/b~c": 1 }, extra: true, "a/b~c": 0 })).toEqual([
      { pointer: "/recipient/user_ref", message: "is not allowed" },
      { pointer: "/payload/txt", message: "is not allowed" },
      { pointer: "/payload/a~1b~0c", message: "is not allowed" },
      { pointer: "/extra", message: "is not allowed" },
      { pointer: "/a~1b~0c", message: "must be >= 1" },
    ]);
  });

  it("names the allowed values of enum and const, and counts characters as code points", async () => {
    const { Send } = await compileChecks(defs);
    expect(issuesOf(Send!, { recipient: { id: "1" }, payload: { text: "😀😀😀" }, messaging_type: "X", type: "text" })).toEqual([
      { pointer: "/messaging_type", message: 'must be one of "RESPONSE", "UPDATE", "MESSAGE_TAG"' },
      { pointer: "/type", message: 'must be "button"' },
    ]);
    expect(issuesOf(Send!, { recipient: { id: "1" }, payload: { text: "😀😀😀😀" } })).toEqual([
      { pointer: "/payload/text", message: "must NOT have more than 3 characters" },
    ]);
  });

  it("answers the same with and without an issue list", async () => {
    const { Send } = await compileChecks(defs);
    for (const value of [{ recipient: { id: "1" }, payload: {} }, { recipient: { id: 1 }, payload: {} }, null, [], "x"]) {
      const issues: { pointer: string; message: string }[] = [];
      expect(Send!(value, "", issues)).toBe(Send!(value));
      expect(issues.length === 0).toBe(Send!(value));
    }
  });
});
