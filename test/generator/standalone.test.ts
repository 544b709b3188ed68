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

  it("writes a module of 15,000 exports, where ajv's own overflows the stack", () => {
    const defs: Record<string, object> = {};
    for (let i = 0; i < 15_000; i++) defs[`S${i}`] = { type: "object", properties: { next: { $ref: `#/$defs/S${i % 10}` } } };
    const ajv = createAjv({ standalone: true });
    ajv.addSchema({ $id: "big", $defs: defs });
    const exports = Object.fromEntries(Object.keys(defs).map((name) => [name, `big#/$defs/${name}`]));
    expect(() => ajvStandalone(ajv, exports)).toThrow(RangeError);
    const code = standaloneModule(ajv, exports);
    expect(code.match(/^export const S\d+ = validate\d+;$/gm)).toHaveLength(15_000);
    // Compiling 15,000 schemas is real work (about 30 s on a busy 2-core machine): its pass must not
    // depend on the machine's speed, only on the module it writes.
  }, 600_000);
});
