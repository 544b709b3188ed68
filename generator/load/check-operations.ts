/** Checks of what an operation declares beyond its schemas: its helpers, and the API's batch operation. */

import type { ApiModel, Operation, SchemaNode } from "../model/types.js";
import type { Loc } from "./problems.js";

/**
 * A helper's request template names only its own arguments, and uses each; it is for an operation
 * the helper can call with one request (no caller-given path parameter, no field selection).
 */
export function checkHelpers(op: Operation, report: (loc: Loc, message: string) => void): void {
  for (const helper of op.helpers) {
    if (op.pathParams.some((p) => p.argument) || op.response.selectedBy || op.response.paging) {
      report(helper.loc, `helper '${helper.name}' of '${op.name}': helpers are for operations whose request is all they take (no path argument, selectedBy or paging)`);
    }
    const declared = new Set(helper.arguments.map((a) => a.name));
    const used = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (value === null || typeof value !== "object") return;
      const record = value as Record<string, unknown>;
      if ("$arg" in record) {
        const name = record["$arg"];
        if (typeof name !== "string" || !declared.has(name) || Object.keys(record).length !== 1) {
          report(helper.loc, `helper '${helper.name}' of '${op.name}': { $arg: ${JSON.stringify(name)} } is not one of its arguments (${[...declared].join(", ") || "none"})`);
        } else used.add(name);
        return;
      }
      Object.values(record).forEach(visit);
    };
    visit(helper.request);
    for (const name of declared) if (!used.has(name)) report(helper.loc, `helper '${helper.name}' of '${op.name}': argument '${name}' is not used in its request`);
    if (["client", "options"].some((name) => declared.has(name))) report(helper.loc, `helper '${helper.name}' of '${op.name}': 'client' and 'options' are the helper's own parameters`);
  }
}

/**
 * The batch operation carries what the runtime's batch sends and reads: a request whose `batch` is
 * a list (of { method, relative_url, body }), and an answer that is a list (of { code, body } or null).
 */
export function checkBatch(
  api: ApiModel,
  name: string,
  loc: Loc,
  schemas: ReadonlyMap<string, SchemaNode>,
  resolve: (node: SchemaNode) => SchemaNode,
  report: (loc: Loc, message: string) => void,
): void {
  const op = api.operations.find((o) => o.name === name);
  if (!op) return report(loc, `runtime.batch '${name}' is not an operation of API '${api.name}'`);
  if (api.runtime?.conventions !== "graph") report(loc, `runtime.batch: only the graph runtime sends batches`);
  const request = schemas.get(op.request.schema);
  const response = schemas.get(op.response.schema);
  const list = request ? resolve(request).properties?.["batch"] : undefined;
  const item = list?.items ? resolve(list.items) : undefined;
  if (op.request.in !== "body" || !item?.properties?.["relative_url"] || !item.properties["method"]) {
    report(op.locs.request, `batch operation '${name}' must send a body whose 'batch' is a list of { method, relative_url, body }`);
  }
  if (response && resolve(response).type !== "array") report(op.locs.response, `batch operation '${name}' must answer a list (one answer per request)`);
}
