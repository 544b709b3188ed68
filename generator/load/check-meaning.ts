import { ajvIssues, type RawValidator } from "../schema/ajv-issues.js";
import { compiledBundle } from "../schema/compiled-bundle.js";
import { schemaId, sharedSchemas, toJsonSchema } from "../schema/to-json-schema.js";
import { isScalarSchema, schemaChildren } from "../model/sides.js";
import type { ApiModel, Example, Operation, SchemaNode, SpecModel } from "../model/types.js";
import { checkBatch, checkFileParts, checkHelpers, checkPathArguments, checkRouteShapes, checkSelectedBy } from "./check-operations.js";
import type { Loc, Problem } from "./problems.js";
import { namedSchemas } from "../model/refs.js";

/** Checks what the format schema cannot: references, uniqueness, naming, and every example. */
export function checkMeaning(model: SpecModel, options: { removed?: ReadonlySet<string> } = {}): Problem[] {
  const removed = options.removed ?? new Set<string>();
  return model.apis.flatMap((api) => {
    // A cycle of references makes every later step that follows references go round forever.
    const cycles = checkRefCycles(api);
    if (cycles.length > 0) return cycles;
    // A name taken out for a format mistake is reported there already, not again where it is used.
    const wasRemoved = (section: string, name: string) => removed.has(`${api.name} ${section} ${name}`) || removed.has(`${api.name} ${section} *`);
    const { problems: structural, brokenSchemas } = checkApi(api, wasRemoved);
    // Examples need compiled schemas, which need every reference to resolve: the examples of a
    // schema that cannot compile are skipped quietly when a structural problem says why. Nor are
    // the examples of a schema that reaches a broken one checked: their failures would be echoes.
    const echoes = schemasReaching(api, brokenSchemas);
    return [...structural, ...checkExamples(api, { quiet: structural.length > 0 || removed.size > 0, skip: (owner) => echoes.has(owner) })];
  });
}

function checkApi(api: ApiModel, wasRemoved: (section: string, name: string) => boolean): { problems: Problem[]; brokenSchemas: Set<string> } {
  const problems: Problem[] = [];
  const brokenSchemas = new Set<string>();
  let currentSchema: string | undefined;
  const report = (loc: Loc, message: string) => {
    problems.push({ ...loc, message });
    if (currentSchema !== undefined) brokenSchemas.add(currentSchema);
  };
  const schemas = new Map(api.schemas.map((s) => [s.name, s.schema]));
  const tables = new Set(api.errorTables.map((t) => t.name));
  /** Follows `ref`s to the schema they name; stops at an unknown name or on coming round again. */
  const resolve = (node: SchemaNode): SchemaNode => {
    const seen = new Set<SchemaNode>();
    let current = node;
    while (current.ref && schemas.has(current.ref) && !seen.has(current)) {
      seen.add(current);
      current = schemas.get(current.ref)!;
    }
    return current;
  };

  /** The property names a value of `node` can have, through refs and composition. */
  const declaredProperties = (node: SchemaNode, seen = new Set<SchemaNode>()): Set<string> => {
    const names = new Set<string>();
    if (seen.has(node)) return names;
    seen.add(node);
    const target = node.ref ? resolve(node) : node;
    if (target !== node) return declaredProperties(target, seen);
    for (const name of Object.keys(node.properties ?? {})) names.add(name);
    for (const part of [...(node.allOf ?? []), ...(node.oneOf ?? [])]) for (const name of declaredProperties(part, seen)) names.add(name);
    return names;
  };

  const walk = (node: SchemaNode, owner: string): void => {
    const locs = node.locs ?? {};
    if (node.ref && !schemas.has(node.ref) && !wasRemoved("schemas", node.ref)) report(node.loc, `unknown schema '${node.ref}' in ref`);
    const composed = Boolean(node.allOf || node.oneOf || node.ref);
    if (node.properties || composed) {
      // Composed, a schema's properties are its own and those of its parts (allOf, oneOf, ref).
      const known = declaredProperties(node);
      (node.required ?? []).forEach((name, i) => {
        if (!known.has(name) && !(node.forbidden ?? []).includes(name)) {
          report(locs.required?.[i] ?? node.loc, composed ? `required property '${name}' is declared neither here nor in the schemas this one is composed of` : `required property '${name}' is not declared in properties`);
        }
      });
    }
    (node.forbidden ?? []).forEach((name, i) => {
      if (node.required?.includes(name)) report(locs.forbidden?.[i] ?? node.loc, `property '${name}' is both required and forbidden`);
    });
    if (node.pattern !== undefined) {
      try {
        new RegExp(node.pattern, "u"); // how ajv compiles a pattern
      } catch (error) {
        const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
        report(locs.pattern ?? node.loc, `pattern '${node.pattern}' is not a valid regular expression: ${reason}`);
      }
    }
    if (node.discriminator) {
      if (!node.oneOf) report(locs.discriminator ?? node.loc, `discriminator '${node.discriminator}' needs a oneOf`);
      node.oneOf?.forEach((branch, i) => {
        const target = resolve(branch);
        const tag = target.properties?.[node.discriminator!];
        if (!tag || (tag.const === undefined && !tag.enum)) {
          report(branch.loc, `oneOf branch ${i + 1} has no const '${node.discriminator}' for the discriminator`);
        }
      });
    }
    if (node.enum) {
      const seen = new Set<string>();
      const names = new Set<string>();
      node.enum.forEach((entry, i) => {
        const at = locs.enum?.[i] ?? node.loc;
        const key = JSON.stringify(entry.value);
        if (seen.has(key)) report(at, `duplicate enum value ${key} in schema '${owner}'`);
        seen.add(key);
        if (entry.name && names.has(entry.name)) report(at, `duplicate enum name '${entry.name}' in schema '${owner}'`);
        if (entry.name) names.add(entry.name);
      });
    }
    if (node.minLength !== undefined && node.maxLength !== undefined && node.minLength > node.maxLength) {
      report(locs.minLength ?? node.loc, `minLength ${node.minLength} is greater than maxLength ${node.maxLength}`);
    }
    const binaryKeywords = ["minLength", "maxLength", "pattern", "enum", "const"] as const;
    if (node.format === "binary" && (node.type !== "string" || binaryKeywords.some((key) => node[key] !== undefined))) {
      report(node.loc, `format binary in schema '${owner}' needs type: string and no text constraints (a file's bytes are not text)`);
    }
    if (node.minItems !== undefined && node.maxItems !== undefined && node.minItems > node.maxItems) {
      report(locs.minItems ?? node.loc, `minItems ${node.minItems} is greater than maxItems ${node.maxItems}`);
    }
    schemaChildren(node).forEach((child) => walk(child, owner));
  };
  api.schemas.forEach((s) => {
    currentSchema = s.name;
    walk(s.schema, s.name);
  });
  currentSchema = undefined;
  for (const { name, schema, side } of api.schemas) {
    // A received value is read openly and a sent one strictly; only a scalar can be both, opened where received data refers to it.
    if (side === "both" && !isScalarSchema(schema)) {
      report(schema.loc, `schema '${name}' is used both in requests and in received data (responses, webhooks); declare one schema for each side`);
    }
  }

  const needSchema = (loc: Loc, name: string, what: string) => {
    if (!schemas.has(name) && !wasRemoved("schemas", name)) report(loc, `unknown schema '${name}' in ${what}`);
  };
  if (api.runtime?.errorSchema !== undefined) needSchema(api.runtime.loc, api.runtime.errorSchema, "the runtime's errorSchema");
  if (api.runtime?.batch !== undefined) checkBatch(api, api.runtime.batch, api.runtime.loc, schemas, resolve, report);
  const helperNames = new Set<string>();
  for (const op of api.operations) {
    const pascal = op.name[0]!.toUpperCase() + op.name.slice(1);
    needSchema(op.locs.request, op.request.schema, `operation '${op.name}' request`);
    needSchema(op.locs.response, op.response.schema, `operation '${op.name}' response`);
    if (op.request.schema !== `${pascal}Request`) report(op.locs.request, `request schema of '${op.name}' must be named '${pascal}Request'`);
    if (op.response.schema !== `${pascal}Response`) report(op.locs.response, `response schema of '${op.name}' must be named '${pascal}Response'`);
    if (op.method === "GET" && op.request.in === "body") report(op.locs.requestIn, `operation '${op.name}' is a GET and cannot send a body`);
    checkFileParts(api, op, schemas, resolve, report);
    const cursorPaging = op.response.cursorPaging;
    if (cursorPaging) {
      // The cursor goes back as a property of the request: one the request schema declares.
      const request = resolve(schemas.get(op.request.schema) ?? { loc: op.locs.request });
      if (schemas.has(op.request.schema) && !request.properties?.[cursorPaging.request]) {
        report(op.locs.response, `cursorPaging.request '${cursorPaging.request}' of '${op.name}' is not a property of ${op.request.schema}`);
      }
      if (op.response.paging) report(op.locs.response, `operation '${op.name}' has both paging and cursorPaging`);
    }
    checkSelectedBy(op, schemas, resolve, report);
    checkHelpers(op, report);
    if (op.sharesRouteWith) {
      const other = api.operations.find((o) => o.name === op.sharesRouteWith);
      if (!other || other.method !== op.method || other.path !== op.path) {
        report(op.loc, `sharesRouteWith '${op.sharesRouteWith}' of '${op.name}' is not an operation on ${op.method} ${op.path}`);
      }
    }
    for (const helper of op.helpers) {
      if (helperNames.has(helper.name)) report(helper.loc, `helper '${helper.name}' is declared twice in API '${api.name}' (helpers share one module)`);
      helperNames.add(helper.name);
    }
    op.errors.forEach((table, i) => {
      if (!tables.has(table) && !wasRemoved("errorTables", table)) report(op.locs.errors[i]!, `unknown error table '${table}' in operation '${op.name}'`);
    });
    const inPath = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const declared = op.pathParams.map((p) => p.name);
    for (const name of inPath.filter((n) => !declared.includes(n))) report(op.locs.path, `path parameter '{${name}}' of '${op.name}' is not declared in pathParams`);
    for (const name of declared.filter((n) => !inPath.includes(n))) report(op.locs.pathParams[name]!, `pathParams '${name}' of '${op.name}' does not appear in the path`);
    checkPathArguments(op, report);
  }
  checkRouteShapes(api, report);
  for (const hook of api.webhooks) {
    needSchema(hook.payloadLoc, hook.payload, `webhook '${hook.name}' payload`);
    if (hook.envelope?.schema) needSchema(hook.loc, hook.envelope.schema, `webhook '${hook.name}' envelope`);
    const kinds = new Set<string>();
    for (const event of hook.events) {
      needSchema(event.schemaLoc, event.schema, `webhook '${hook.name}' event '${event.kind}'`);
      for (const list of event.lists ?? []) {
        if (!hook.envelope?.lists.includes(list)) report(event.loc, `event '${event.kind}' names list '${list}', which the envelope of webhook '${hook.name}' does not have`);
      }
      if (kinds.has(event.kind)) report(event.loc, `duplicate event kind '${event.kind}' in webhook '${hook.name}'`);
      kinds.add(event.kind);
    }
  }
  for (const table of api.errorTables) {
    const codes = new Map<string, string>();
    const names = new Set<string>();
    for (const entry of table.entries) {
      const code = String(entry.code);
      if (codes.has(code)) report(entry.loc, `duplicate error code ${code} in table '${table.name}' (also '${codes.get(code)}')`);
      codes.set(code, entry.name);
      if (names.has(entry.name)) report(entry.loc, `duplicate error name '${entry.name}' in table '${table.name}'`);
      names.add(entry.name);
      if (typeof entry.code !== (table.codeType === "integer" ? "number" : "string")) {
        report(entry.loc, `error code ${JSON.stringify(entry.code)} must be ${table.codeType === "integer" ? "an integer" : "a string"} in table '${table.name}'`);
      }
    }
  }
  return { problems, brokenSchemas };
}

/**
 * A schema that is, through `ref`, `allOf` and `oneOf` alone, made of itself has no finite form:
 * `Message: { ref: Content }` with `Content: { ref: Message }`. Recursion through a property,
 * `items` or `additionalProperties` is a legitimate tree (a value nests inside a value) and stays
 * allowed. Each cycle is reported once, from the member declared first, at that schema.
 */
function checkRefCycles(api: ApiModel): Problem[] {
  const order = new Map(api.schemas.map((s, i) => [s.name, i]));
  const byName = new Map(api.schemas.map((s) => [s.name, s.schema]));
  const edges = new Map(api.schemas.map((s) => [s.name, sameValueRefs(s.schema).filter((name) => byName.has(name))]));
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const reported = new Set<string>();
  const problems: Problem[] = [];

  const visit = (name: string): void => {
    state.set(name, "open");
    stack.push(name);
    for (const next of edges.get(name) ?? []) {
      if (state.get(next) === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        const first = cycle.reduce((a, b) => (order.get(b)! < order.get(a)! ? b : a));
        const start = cycle.indexOf(first);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const text = [...rotated, first].join(" -> ");
        if (!reported.has(text)) {
          reported.add(text);
          problems.push({ ...byName.get(first)!.loc, message: `ref cycle: ${text}` });
        }
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(name, "done");
  };
  for (const { name } of api.schemas) if (!state.has(name)) visit(name);
  return problems;
}

/** Names a schema refers to for its own value: through `ref`, `allOf` and `oneOf`, not inside properties or items. */
function sameValueRefs(node: SchemaNode): string[] {
  return [
    ...(node.ref ? [node.ref] : []),
    ...(node.allOf ?? []).flatMap(sameValueRefs),
    ...(node.oneOf ?? []).flatMap(sameValueRefs),
  ];
}

/** The schemas that are, or refer (through any depth of refs) to, one of `targets`. */
function schemasReaching(api: ApiModel, targets: Set<string>): Set<string> {
  if (targets.size === 0) return targets;
  const refsOf = new Map<string, string[]>();
  for (const { name, schema } of api.schemas) {
    const refs: string[] = [];
    const collect = (node: SchemaNode): void => {
      if (node.ref) refs.push(node.ref);
      schemaChildren(node).forEach(collect);
    };
    collect(schema);
    refsOf.set(name, refs);
  }
  const reaching = new Set(targets);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, refs] of refsOf) {
      if (!reaching.has(name) && refs.some((ref) => reaching.has(ref))) {
        reaching.add(name);
        grew = true;
      }
    }
  }
  return reaching;
}

function checkExamples(api: ApiModel, options: { quiet: boolean; skip: (owner: string) => boolean }): Problem[] {
  const problems: Problem[] = [];
  const { ajv } = compiledBundle(api);
  const refPrefix = `${schemaId(api.name)}#/$defs/`;

  const named = new Map(api.schemas.map(({ name, schema }) => [schema, name]));
  const sides = new Map(api.schemas.map(({ name, side }) => [name, side]));
  const checkNode = (node: SchemaNode, owner: string): void => {
    if (node.examples?.length) {
      let validator: RawValidator;
      try {
        // A named schema is already in the bundle: its validator is the one references use, so
        // compiling a copy would compile the same code twice.
        const name = named.get(node);
        const options = { received: sides.get(owner) === "receive", shared: sharedSchemas(api) };
        const compiled = name === undefined ? ajv.compile(toJsonSchema(node, refPrefix, options)) : ajv.getSchema(`${refPrefix}${name}`);
        if (!compiled) throw new Error(`'${name}' is missing from the JSON Schema bundle`);
        validator = compiled as RawValidator;
      } catch (error) {
        if (!options.quiet) problems.push({ ...node.loc, message: `schema of '${owner}' does not compile: ${(error as Error).message}` });
        return;
      }
      for (const example of node.examples) problems.push(...checkExample(example, owner, validator));
    }
    schemaChildren(node).forEach((child) => checkNode(child, owner));
  };
  for (const { name, schema } of api.schemas) if (!options.skip(name)) checkNode(schema, name);
  problems.push(...checkSharedRoutes(api, (name) => ajv.getSchema(`${refPrefix}${name}`) as RawValidator | undefined));
  return problems;
}

/**
 * Operations that share a route are told apart by their requests' values: each example of one must
 * be refused by the other's check, or the fakes (which answer as the first that accepts) could not.
 */
function checkSharedRoutes(api: ApiModel, validatorOf: (schema: string) => RawValidator | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const op of api.operations) {
    const other = api.operations.find((o) => o.name === op.sharesRouteWith);
    if (!other) continue;
    for (const [mine, theirs] of [[op, other], [other, op]] as const) {
      const validate = validatorOf(theirs.request.schema);
      const examples = namedSchemas(api).get(mine.request.schema)?.examples ?? [];
      for (const example of examples.filter((e) => e.valid)) {
        if (validate?.(example.value)) {
          problems.push({ ...example.loc, message: `example '${example.name}' of '${mine.name}' is also a valid request of '${theirs.name}', which shares its route: a server could not tell them apart` });
        }
      }
    }
  }
  return problems;
}

function checkExample(example: Example, owner: string, validator: RawValidator): Problem[] {
  const at = (message: string): Problem[] => [{ ...example.loc, message: `example '${example.name}' ${message}` }];
  if (example.jsonError) return [{ ...example.jsonError.loc, message: `example '${example.name}' is not valid JSON: ${example.jsonError.message}` }];
  const ok = validator(example.value);
  const issues = ok ? [] : ajvIssues(validator);
  if (example.valid) {
    // Each mistake at the value it is about, in the YAML or in the JSON text.
    return issues.map((i) => ({ ...example.locateValue(i.pointer), message: `example '${example.name}' does not match schema '${owner}': ${i.pointer || "/"}: ${i.message}` }));
  }
  if (ok) return at(`is marked valid: false but matches schema '${owner}'`);
  if (example.expectError !== undefined && !issues.some((i) => i.pointer === example.expectError)) {
    return at(`is expected to fail at '${example.expectError}' but fails at ${issues.map((i) => `'${i.pointer}'`).join(", ")}`);
  }
  return [];
}
