import type { ApiModel, Helper, Operation, SchemaNode } from "../model/types.js";
import { schemaChildren } from "../model/sides.js";
import { textLines } from "./docs.js";
import { clientOf, clientUnits, resultType } from "./client.js";
import { GENERATED_HEADER } from "./project.js";
import { propertyKey, typeOf } from "./ts-types.js";
import type { Emitter, GeneratedFile } from "./types.js";

/**
 * `src/<api>/helpers.ts`: the spec's typed shortcuts (`helpers` of an operation), each a function
 * that takes the client and calls the operation, so that an app bundles only those it calls. The
 * request is written out as the spec gives it; the compiler checks it against the request type.
 */
export const emitHelpers: Emitter = (model) => model.apis.filter(hasHelpers).map(helpersFile);

export function hasHelpers(api: ApiModel): boolean {
  return api.operations.some((op) => op.helpers.length > 0);
}

function helpersFile(api: ApiModel): GeneratedFile {
  const path = `src/${api.name}/helpers.ts`;
  const operations = api.operations.filter((op) => op.helpers.length > 0);
  const clients = [...new Set(operations.map((op) => clientOf(api, op)))].sort();
  const modules = new Map(clientUnits(api).map((unit) => [unit.name, unit.module]));
  const schemaNames = new Set(api.schemas.map((s) => s.name));
  const types = new Set<string>();
  for (const op of operations) {
    for (const name of resultType(api, op).match(/\b[A-Za-z_]\w*\b/g) ?? []) if (schemaNames.has(name)) types.add(name);
    for (const helper of op.helpers) for (const arg of helper.arguments) collectRefs(arg.schema, types);
  }
  const imports = [
    ...clients.map((name) => `import type { ${name}, ${name}CallOptions } from "${modules.get(name)}";`),
    `import type { ${[...types].sort().join(", ")} } from "./types.js";`,
  ];
  const functions = operations.flatMap((op) => op.helpers.map((helper) => `${helperFunction(api, op, helper)}\n`));
  const sections = [`${GENERATED_HEADER}\n${imports.join("\n")}\n`, ...functions];
  return { path, content: sections.join("\n"), sections };
}

function collectRefs(node: SchemaNode, into: Set<string>): void {
  if (node.ref) into.add(node.ref);
  schemaChildren(node).forEach((child) => collectRefs(child, into));
}

function helperFunction(api: ApiModel, op: Operation, helper: Helper): string {
  const className = clientOf(api, op);
  const named = new Map(api.schemas.map((s) => [s.name, s.schema]));
  const args = helper.arguments.map((arg) => `${arg.name}: ${typeOf(arg.schema, "", named)}`);
  const docs = [
    ...textLines(helper.summary),
    "",
    `Calls {@link ${className}.${op.name}} with \`${requestCode(helper.request, "")}\`, checked against the spec before it is sent.`,
    "",
    "@param client - the client to send with",
    ...helper.arguments.map((arg) => `@param ${arg.name} - ${textLines(arg.schema.description).join(" ") || `see {@link ${op.request.schema}}`}`),
    "@param options - per-call options (timeout, retry, pageId, ...)",
  ];
  const comment = ["/**", ...docs.map((line) => (line ? ` * ${line}` : " *")), " */"].join("\n");
  return [
    comment,
    `export function ${helper.name}(`,
    `  client: ${className},`,
    ...args.map((arg) => `  ${arg},`),
    `  options: ${className}CallOptions = {},`,
    `): Promise<${resultType(api, op)}> {`,
    `  return client.${op.name}(${requestCode(helper.request, "  ")}, options);`,
    "}",
  ].join("\n");
}

/** The request template as a TypeScript expression: `{ $arg: name }` becomes the argument. */
function requestCode(value: unknown, indent: string): string {
  if (Array.isArray(value)) return `[${value.map((item) => requestCode(item, indent)).join(", ")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  if (typeof record["$arg"] === "string") return record["$arg"];
  const entries = Object.entries(record).map(([key, child]) => {
    const code = requestCode(child, `${indent}  `);
    return code === key ? key : `${propertyKey(key)}: ${code}`;
  });
  return `{ ${entries.join(", ")} }`;
}
