import type { ApiModel, Operation } from "../model/types.js";
import { batchable, callParameters, clientUnits, resultType, typeImports } from "./client.js";
import { GENERATED_HEADER } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";

/**
 * `src/<api>/batch-items.ts`, for an API whose runtime names a batch operation: one builder per
 * operation that can go into a batch (`sendMessageItem(request)`), typed like the client's method,
 * whose result the batch answers. The builders are functions, so an app bundles those it uses.
 */
export const emitBatchItems: Emitter = (model) => model.apis.filter((api) => api.runtime?.batch).map(batchItemsFile);

function batchItemsFile(api: ApiModel): GeneratedFile {
  const path = `src/${api.name}/batch-items.ts`;
  const operations = batchable(api);
  const imports = [
    `import { batchItem, type BatchItem, type BatchItemOptions } from "../core/graph-batch.js";`,
    `import type { ${typeImports(api, operations).join(", ")} } from "./types.js";`,
    `import * as validators from "./validators.js";`,
  ];
  // One builder per operation: in sections, so that prettier never holds the whole file (3,000
  // builders on the 100x synthetic spec) as one syntax tree.
  const classes = new Map(clientUnits(api).flatMap((unit) => unit.operations.map((op) => [op.name, unit.name] as const)));
  const batchClass = classes.get(api.runtime!.batch!)!;
  const sections = [`${GENERATED_HEADER}\n${imports.join("\n")}\n`, ...operations.map((op) => `${builder(api, op, classes.get(op.name)!, batchClass)}\n`)];
  return { path, content: sections.join("\n"), sections };
}

function builder(api: ApiModel, op: Operation, className: string, batchClass: string): string {
  const { parameters, typeParameter } = callParameters(api, op);
  const params = parameters.map((p) => `${p.name}: ${p.type}${p.initializer ? ` = ${p.initializer}` : ""}`);
  const pathParams = op.pathParams.flatMap((p) => (p.argument ? [`${JSON.stringify(p.name)}: ${p.argument}`] : []));
  const call = [
    `operation: ${JSON.stringify(op.name)}`,
    `method: ${JSON.stringify(op.method)}`,
    `path: ${JSON.stringify(op.path)}`,
    `pathParams: { ${pathParams.join(", ")} }`,
    op.request.in === "query" ? "query: { ...request }" : "body: request",
    ...(op.idempotent ? ["idempotent: true"] : []),
  ];
  const docs = [
    "/**",
    ` * {@link ${className}.${op.name}} as an item of a batch ({@link ${batchClass}.batch}):`,
    " * the request is checked now, and sent with the batch.",
    " */",
  ];
  return [
    ...docs,
    `export function ${op.name}Item${typeParameter ? `<F extends ${typeParameter}>` : ""}(`,
    ...[...params, "options: BatchItemOptions = {}"].map((param) => `  ${param},`),
    `): BatchItem<${resultType(api, op)}> {`,
    `  return batchItem({ ${call.join(", ")} }, validators.${op.request.schema}, request, options);`,
    "}",
  ].join("\n");
}
