import type { ApiModel } from "../model/types.js";
import { createAjv, type AjvInstance } from "./ajv.js";
import { toJsonSchemaBundle } from "./to-json-schema.js";

/** An API's validation bundle in ajv, the oracle the spec check asks about examples. */
export interface CompiledBundle {
  ajv: AjvInstance;
  /** The bundle (without descriptions or examples), as text: what the compile depends on. */
  text: string;
}

/** The last bundle per API name: a watch session keeps it while edits leave it unchanged. */
const lastCompiled = new Map<string, CompiledBundle>();

/**
 * The ajv instance holding `api`'s bundle. Schemas compile when first asked for (`getSchema`), so
 * only those with examples, and what they reach, are compiled; an edit of descriptions or examples
 * keeps the instance and what it compiled.
 */
export function compiledBundle(api: ApiModel): CompiledBundle {
  const bundle = toJsonSchemaBundle(api, { annotations: false });
  const text = JSON.stringify(bundle);
  const last = lastCompiled.get(api.name);
  if (last?.text === text) return last;
  // Each schema compiled once and called where it is referenced: inlined, the references made the
  // compiled code of a large spec several times its size (x100: 45 s and 1.75 GB instead of 60 s and 2.7 GB).
  const ajv = createAjv({ inlineRefs: false });
  ajv.addSchema(bundle);
  const compiled = { ajv, text };
  lastCompiled.set(api.name, compiled);
  return compiled;
}

/**
 * Lets the compiled bundles go: a one-off run calls it once the spec is checked, so the memory they
 * hold (most of a large spec's) is free for emitting; a watch session keeps them for its next run.
 */
export function forgetCompiledBundles(): void {
  lastCompiled.clear();
}
