import type { ApiModel } from "../model/types.js";
import { createAjv, type AjvInstance } from "./ajv.js";
import { schemaId, toJsonSchemaBundle } from "./to-json-schema.js";

/** An API's validation bundle compiled once, for the spec check and the shipped validators alike. */
export interface CompiledBundle {
  ajv: AjvInstance;
  /** Export name → schema id, in the order of the API's schemas. */
  exports: Record<string, string>;
  /** The bundle (without descriptions or examples) and exports, as text: what the compile depends on. */
  text: string;
}

/** The last bundle compiled per API name: a watch session keeps it while edits leave it unchanged. */
const lastCompiled = new Map<string, CompiledBundle>();

/**
 * The ajv instance (standalone options) holding `api`'s bundle, with every named schema compiled
 * in export order. Compiling is the most expensive step of a run; the spec check and the
 * validators emitter share this one, and an edit of descriptions or examples does not change it.
 * Compiling the exports first, in order, gives their functions the same names whatever compiles
 * on the instance later (the spec check's inline example schemas), so the module written from it
 * does not depend on what ran before.
 */
export function compiledBundle(api: ApiModel): CompiledBundle {
  const bundle = toJsonSchemaBundle(api, { annotations: false });
  const exports = Object.fromEntries(api.schemas.map(({ name }) => [name, `${schemaId(api.name)}#/$defs/${name}`]));
  const text = JSON.stringify([bundle, exports]);
  const last = lastCompiled.get(api.name);
  if (last?.text === text) return last;
  const ajv = createAjv({ standalone: true });
  ajv.addSchema(bundle);
  for (const id of Object.values(exports)) {
    try {
      ajv.getSchema(id);
    } catch {
      // A schema that does not compile: the spec check reports it at its place.
    }
  }
  const compiled = { ajv, exports, text };
  lastCompiled.set(api.name, compiled);
  return compiled;
}
