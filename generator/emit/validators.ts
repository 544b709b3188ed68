import { compiledBundle } from "../schema/compiled-bundle.js";
import { standaloneModule } from "../schema/standalone.js";
import type { ApiModel } from "../model/types.js";
import { guardsFile } from "./guards.js";
import { GENERATED_HEADER } from "./project.js";
import { hashOf } from "./hash.js";
import type { Emitter, GeneratedFile, StepCache } from "./types.js";

/** The runtime helpers ajv's standalone code `require`s, and the package files that replace them. */
const RUNTIME_HELPERS: Record<string, string> = {
  "ajv/dist/runtime/ucs2length": "../core/ucs2length.js",
  "ajv/dist/runtime/equal": "../core/equal.js",
};

/**
 * Validators compiled now, at generation time: the package never compiles a schema, so it runs
 * where `eval` is forbidden. Three files per API: the ajv code, its declarations, and typed guards.
 */
export const emitValidators: Emitter = (model, context) => model.apis.flatMap((api) => validatorFiles(api, context.cache));

function validatorFiles(api: ApiModel, cache: StepCache | undefined): GeneratedFile[] {
  return [
    { path: `src/${api.name}/validators.js`, content: standaloneValidators(api, cache) },
    // One short line per schema, already as prettier prints it; prettier took seconds on large specs.
    { path: `src/${api.name}/validators.d.ts`, content: validatorDeclarations(api), final: true },
    guardsFile(api),
  ];
}

/**
 * The ajv module of an API's validators. Compiling is most of an emit, and the bundle it compiles
 * leaves out descriptions and examples: after an edit of those, the cache has the module already.
 */
export function standaloneValidators(api: ApiModel, cache?: StepCache): string {
  const { ajv, exports, text } = compiledBundle(api);
  const key = cache && hashOf(text);
  const cached = key === undefined ? undefined : cache?.get("validators", key);
  if (cached !== undefined) return cached;
  const module = `${GENERATED_HEADER}${treeShakeable(replaceRequires(standaloneModule(ajv, exports)))}`;
  if (key !== undefined) cache?.set("validators", key, module);
  return module;
}

/**
 * ajv keeps what a validator has evaluated (for `unevaluatedProperties`) on the function itself:
 * `validate54.evaluated = {...}` after its declaration, read as `validate54.evaluated` in the
 * bodies. Such a top-level assignment is a side effect, so a bundler kept every validator of the
 * file even when an app used one. As a module-level constant (`const validate54_evaluated = {...}`)
 * the state is the same object, shared the same way, and an unused validator drops out.
 */
export function treeShakeable(code: string): string {
  const assigned = new Set<string>();
  const declared = code.replace(/^validate(\d+)\.evaluated = /gm, (_match, id: string) => {
    assigned.add(id);
    return `const validate${id}_evaluated = `;
  });
  const rewritten = declared.replace(/\bvalidate(\d+)\.evaluated\b/g, (match, id: string) => {
    if (!assigned.has(id)) throw new Error(`ajv standalone code reads ${match}, which it never assigns at the top level`);
    return `validate${id}_evaluated`;
  });
  const leftover = /\.evaluated\b/.exec(rewritten);
  if (leftover) throw new Error(`ajv standalone code still uses '.evaluated' at offset ${leftover.index}`);
  return rewritten;
}

/** ESM cannot `require`: each helper becomes an import of the package's own copy at the top. */
export function replaceRequires(code: string): string {
  const imports: string[] = [];
  const body = code.replace(/const (\w+) = require\("([^"]+)"\)\.default;?/g, (_match, local: string, module: string) => {
    const target = RUNTIME_HELPERS[module];
    if (!target) throw new Error(`ajv standalone code requires '${module}', which the package does not provide`);
    imports.push(`import ${local} from "${target}";`);
    return "";
  });
  const leftover = /require\(("[^"]+")\)/.exec(body);
  if (leftover) throw new Error(`ajv standalone code still requires ${leftover[1]}`);
  return `${[...new Set(imports)].join("\n")}\n${body.replace(/^"use strict";/, "")}`;
}

function validatorDeclarations(api: ApiModel): string {
  const lines = api.schemas.map(({ name }) => `export declare const ${name}: RawValidator;`);
  return `${GENERATED_HEADER}import type { RawValidator } from "../core/validation.js";\n\n${lines.join("\n")}\n`;
}
