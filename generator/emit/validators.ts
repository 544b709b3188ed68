import type { ApiModel } from "../model/types.js";
import { checkModule } from "../schema/checks/index.js";
import { toJsonSchemaBundle } from "../schema/to-json-schema.js";
import { guardsFile } from "./guards.js";
import { GENERATED_HEADER } from "./project.js";
import { hashOf } from "./hash.js";
import type { Emitter, GeneratedFile, StepCache } from "./types.js";

/**
 * The checks, written now as plain functions (generator/schema/checks/): the package never compiles
 * a schema, so it runs where `eval` is forbidden, and an app bundles only the checks it calls.
 * Three files per API: the checks, their declarations, and typed guards.
 */
export const emitValidators: Emitter = (model, context) => model.apis.flatMap((api) => validatorFiles(api, context.cache));

function validatorFiles(api: ApiModel, cache: StepCache | undefined): GeneratedFile[] {
  return [
    { path: `src/${api.name}/validators.js`, content: checksModule(api, cache), final: true },
    // One short line per schema, already as prettier prints it; prettier took seconds on large specs.
    { path: `src/${api.name}/validators.d.ts`, content: validatorDeclarations(api), final: true },
    guardsFile(api),
  ];
}

/**
 * The checks module of an API. It depends on the bundle without descriptions or examples: after an
 * edit of those, the cache has the module already.
 */
export function checksModule(api: ApiModel, cache?: StepCache): string {
  const bundle = toJsonSchemaBundle(api, { annotations: false });
  const exports = api.schemas.map(({ name }) => name);
  const key = cache && hashOf(JSON.stringify([bundle, exports]));
  const cached = key === undefined ? undefined : cache?.get("validators", key);
  if (cached !== undefined) return cached;
  const module = checkModule(bundle, exports, GENERATED_HEADER);
  if (key !== undefined) cache?.set("validators", key, module);
  return module;
}

function validatorDeclarations(api: ApiModel): string {
  const lines = api.schemas.map(({ name }) => `export declare const ${name}: Check;`);
  return `${GENERATED_HEADER}import type { Check } from "../core/check.js";\n\n${lines.join("\n")}\n`;
}
