import type { AjvInstance } from "./ajv.js";

/**
 * ajv's `standaloneCode` for many exports, built as a list of strings instead of ajv's code
 * objects. ajv's version appends each export by copying the whole module so far into a new code
 * object (`push(...items)`), which is quadratic and overflows the stack at about 12,000 exports.
 * The walk is the same as ajv 8's (`ajv/dist/standalone`): each validator's scope values, then its
 * body, every function emitted once, in first-use order, so the output is byte-identical.
 */
/** What a walk did, for tests that hold it linear: pieces written, and the deepest recursion. */
export interface StandaloneWork {
  pieces: number;
  maxDepth: number;
}

export function standaloneModule(ajv: AjvInstance, exports: Record<string, string>, work?: StandaloneWork): string {
  const options = ajv.opts.code;
  if (!options.source || !options.esm) throw new Error("standaloneModule needs an ajv instance with code.source and code.esm");
  const newline = ajv.scope.opts._n.toString();
  // ajv's own bookkeeping, kept exactly: a name is "started" while its code is being written (so
  // recursive references stop there) and "completed" once written from a scope.
  const states = new Map<string, Map<string, "started" | "completed">>();
  const out: string[] = ['"use strict";'];

  const stateOf = (name: ScopeName) => states.get(name.prefix)?.get(name.str);
  const setState = (name: ScopeName, state: "started" | "completed") => {
    let names = states.get(name.prefix);
    if (!names) states.set(name.prefix, (names = new Map()));
    names.set(name.str, state);
  };

  let depth = 0;
  function validatorCode(source: ValidatorSource | undefined): void {
    if (!source) throw new Error("standaloneModule: a validator has no source (was ajv created with code.source?)");
    if (stateOf(source.validateName) === "completed") return;
    setState(source.validateName, "started");
    depth++;
    if (work && depth > work.maxDepth) work.maxDepth = depth;
    scopeCode(source.scopeValues);
    depth--;
    out.push(newline, source.validateCode);
    if (source.evaluated) out.push(`${source.validateName.str}.evaluated = ${String(source.evaluated)};${newline}`);
  }

  function scopeCode(values: Record<string, Set<ScopeName> | undefined>): void {
    for (const prefix in values) {
      for (const name of values[prefix] ?? []) {
        if (stateOf(name) !== undefined) continue;
        setState(name, "started");
        if (name.value === undefined) throw new Error(`standaloneModule: "${name.str}" has no value`);
        if (name.value.code) {
          out.push(`const ${name.str} = ${String(name.value.code)};${newline}`);
        } else {
          referencedCode(name);
          out.push(newline);
        }
        setState(name, "completed");
      }
    }
  }

  function referencedCode(name: ScopeName): void {
    const ref = name.value?.ref;
    if (name.prefix === "validate" && typeof ref === "function") return validatorCode((ref as { source?: ValidatorSource }).source);
    if ((name.prefix === "root" || name.prefix === "wrapper") && typeof ref === "object" && ref !== null) {
      const { validate, validateName } = ref as { validate?: { source?: ValidatorSource }; validateName?: ScopeName };
      if (!validateName) throw new Error("standaloneModule: ajv internal error (a wrapper without validateName)");
      out.push(`const ${name.str} = {validate: ${validateName.str}};`);
      if (stateOf(validateName) === "started") return;
      out.push(newline);
      return validatorCode(validate?.source);
    }
    throw new Error(`standaloneModule: no code for "${name.str}"`);
  }

  for (const [exportName, id] of Object.entries(exports)) {
    const validate = ajv.getSchema(id) as { source?: ValidatorSource } | undefined;
    if (!validate) throw new Error(`standaloneModule: no schema with id ${id}`);
    out.push(`${newline}export const ${exportName} = ${validate.source?.validateName.str ?? "?"};${newline}`);
    validatorCode(validate.source);
  }
  if (work) work.pieces = out.length;
  return out.join("");
}

/** The parts of ajv's internal code objects the walk reads (ajv/dist/compile/codegen/scope). */
interface ScopeName {
  prefix: string;
  str: string;
  value?: { ref?: unknown; code?: unknown };
}

interface ValidatorSource {
  validateName: ScopeName;
  validateCode: string;
  scopeValues: Record<string, Set<ScopeName> | undefined>;
  evaluated?: unknown;
}
