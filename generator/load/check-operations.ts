/**
 * Checks of what operations declare beyond their schemas: files, field selection, path arguments,
 * shared routes, helpers, and the API's batch operation.
 */

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

/** A file part names a property that is the runtime's FileUpload; only the graph runtime sends files, in a body. */
export function checkFileParts(
  api: ApiModel,
  op: Operation,
  schemas: ReadonlyMap<string, SchemaNode>,
  resolve: (node: SchemaNode) => SchemaNode,
  report: (loc: Loc, message: string) => void,
): void {
  if (!op.request.files) return;
  if (op.request.in !== "body") report(op.locs.requestIn, `operation '${op.name}' names files but sends no body`);
  if (api.runtime?.conventions !== "graph") {
    report(op.locs.requestIn, `operation '${op.name}' sends files (multipart/form-data), which only the graph runtime does`);
  }
  const request = schemas.get(op.request.schema);
  if (!request) return;
  const properties = resolve(request).properties ?? {};
  for (const file of op.request.files) {
    const part = properties[file] ? resolve(properties[file]!) : undefined;
    const data = part?.properties?.["data"] ? resolve(part.properties["data"]) : undefined;
    const filename = part?.properties?.["filename"] ? resolve(part.properties["filename"]) : undefined;
    // The runtime's FileUpload: what the client turns into a file part.
    if (data?.format !== "binary" || filename?.type !== "string" || !part?.required?.includes("data") || !part.required.includes("filename")) {
      report(op.locs.requestIn, `file part '${file}' of '${op.name}' must be a property whose object requires data (type: string, format: binary) and filename (a string)`);
    }
  }
}

/** `selectedBy` names a request list of an enum's values, and answer fields the answer has. */
export function checkSelectedBy(
  op: Operation,
  schemas: ReadonlyMap<string, SchemaNode>,
  resolve: (node: SchemaNode) => SchemaNode,
  report: (loc: Loc, message: string) => void,
): void {
  const selectedBy = op.response.selectedBy;
  const request = schemas.get(op.request.schema);
  if (!selectedBy || !request) return;
  const list = resolve(request).properties?.[selectedBy.request];
  const item = list?.items ? resolve(list.items) : undefined;
  if (list?.type !== "array" || !item?.enum) {
    report(op.locs.response, `selectedBy.request '${selectedBy.request}' of '${op.name}' is not a list of an enum's values in ${op.request.schema}`);
  }
  const response = schemas.get(op.response.schema);
  for (const field of selectedBy.always ?? []) {
    if (response && !response.properties?.[field]) report(op.locs.response, `selectedBy.always '${field}' of '${op.name}' is not a property of ${op.response.schema}`);
  }
  if (op.response.unwrap || op.response.paging) report(op.locs.response, `operation '${op.name}' selects fields of an answer it unwraps or pages (selectedBy with unwrap or paging)`);
}

/** A path parameter the caller gives is a free parameter name of the generated method, and has no client option. */
export function checkPathArguments(op: Operation, report: (loc: Loc, message: string) => void): void {
  for (const param of op.pathParams) {
    if (param.clientOption && param.argument) report(op.locs.pathParams[param.name]!, `path parameter '${param.name}' of '${op.name}' has both a clientOption and an argument: the option fills it, so it takes no argument`);
  }
  const taken = new Set(["request", "options"]);
  for (const param of op.pathParams) {
    if (!param.argument) continue;
    // The argument is a parameter name of the generated method, beside `request` and `options`.
    if (!/^[a-z][A-Za-z0-9]*$/.test(param.argument) || taken.has(param.argument)) {
      report(op.locs.pathParams[param.name]!, `path parameter '${param.name}' of '${op.name}' would be the method argument '${param.argument}', which is not a free name: rename it or give it a clientOption`);
    }
    taken.add(param.argument);
  }
}

/**
 * Two operations on one method and path shape (GET /{PSID}, GET /{PERSONA_ID}) cannot be told apart
 * by a server that routes by path, by the fakes or by an OpenAPI document.
 */
export function checkRouteShapes(api: ApiModel, report: (loc: Loc, message: string) => void): void {
  const shapes = new Map<string, Operation[]>();
  for (const op of api.operations) {
    const shape = op.path.replace(/\{[^}]+\}/g, "{}");
    const others = shapes.get(shape) ?? [];
    for (const other of others) {
      if (other.path !== op.path) {
        report(op.locs.path, `paths '${op.path}' ('${op.name}') and '${other.path}' ('${other.name}') differ only in the names of path parameters: use one name (an operation's method argument can still have its own)`);
      } else if (other.method === op.method && !Boolean(op.request.files) === !Boolean(other.request.files)) {
        // A body with files (multipart) and one without (JSON) are told apart by their media type;
        // two query requests by their values, when the spec says so (sharesRouteWith).
        const declared = op.sharesRouteWith === other.name || other.sharesRouteWith === op.name;
        if (!declared || op.request.in !== "query" || other.request.in !== "query") {
          report(op.locs.path, `operations '${op.name}' and '${other.name}' are both ${op.method} ${op.path}: a request could be either (a JSON body and one with files may share a route, and two query operations that say sharesRouteWith)`);
        }
      }
    }
    shapes.set(shape, [...others, op]);
  }
}
