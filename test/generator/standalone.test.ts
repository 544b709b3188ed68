import standaloneCode from "ajv/dist/standalone/index.js";
import { describe, expect, it } from "vitest";
import { createAjv } from "../../generator/schema/ajv.js";
import { standaloneModule } from "../../generator/schema/standalone.js";
import { schemaId, toJsonSchemaBundle } from "../../generator/schema/to-json-schema.js";
import { loadRealSpec } from "../support/spec-examples.js";

type Standalone = (ajv: ReturnType<typeof createAjv>, exports: Record<string, string>) => string;
const ajvStandalone = ((standaloneCode as unknown as { default?: Standalone }).default ?? standaloneCode) as Standalone;

describe("standaloneModule", () => {
  const model = loadRealSpec();

  it.each(model.apis.map((api) => [api.name, api] as const))("writes byte for byte what ajv's standaloneCode writes for the %s validators", (_name, api) => {
    const ajv = createAjv({ standalone: true });
    ajv.addSchema(toJsonSchemaBundle(api, { annotations: false }));
    const exports = Object.fromEntries(api.schemas.map(({ name }) => [name, `${schemaId(api.name)}#/$defs/${name}`]));
    const ours = standaloneModule(ajv, exports);
    expect(ours.length).toBeGreaterThan(100_000);
    expect(ours).toBe(ajvStandalone(ajv, exports));
  });

  /**
   * ajv's own standaloneCode copies the module so far at each export (quadratic), spreading it as
   * call arguments, which overflows the stack at about 12,000 exports. Ours is held linear by
   * counting its work, not by timing it: the pieces and characters it writes grow in proportion to
   * the exports, and its recursion depth (which follows references, not exports) does not grow.
   */
  it("does work in proportion to the exports, at a recursion depth that does not grow with them", () => {
    const walk = (count: number) => {
      const defs: Record<string, object> = {};
      for (let i = 0; i < count; i++) defs[`S${i}`] = { type: "object", properties: { next: { $ref: `#/$defs/S${i % 10}` } } };
      const ajv = createAjv({ standalone: true });
      ajv.addSchema({ $id: "big", $defs: defs });
      const exports = Object.fromEntries(Object.keys(defs).map((name) => [name, `big#/$defs/${name}`]));
      const work = { pieces: 0, maxDepth: 0 };
      const code = standaloneModule(ajv, exports, work);
      expect(code.match(/^export const S\d+ = validate\d+;$/gm)).toHaveLength(count);
      return { ...work, length: code.length };
    };
    const small = walk(500);
    const large = walk(2_000);
    expect(large.pieces / small.pieces).toBeGreaterThan(3.9);
    expect(large.pieces / small.pieces).toBeLessThan(4.1);
    expect(large.length / small.length).toBeGreaterThan(3.9);
    expect(large.length / small.length).toBeLessThan(4.1);
    expect(large.maxDepth).toBe(small.maxDepth);
  });
});
