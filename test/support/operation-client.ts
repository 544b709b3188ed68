import { clientOf } from "../../generator/emit/client.js";
import type { ApiModel, Operation } from "../../generator/model/types.js";
import * as graphSdk from "../../generated/src/graph/index.js";
import * as sobotSdk from "../../generated/src/sobot/index.js";
import { loadRealSpec } from "./spec-examples.js";

export type Call = (request: unknown) => Promise<unknown>;

const sdks: Record<string, Record<string, unknown>> = { graph: graphSdk, sobot: sobotSdk };

/**
 * The generated package's method for `op`, on a new client of the class the spec gives it (its
 * group's, or the API's), made with `options`.
 */
export function operationCall(model: ApiModel, op: Operation, options: Record<string, unknown>): Call {
  const client = new (clientClassOf(model.name, op.name))(options);
  const method = client[op.name];
  if (typeof method !== "function") throw new Error(`${clientOf(model, op)} has no method ${op.name}`);
  const args = op.pathParams.flatMap((p) => (p.argument ? [pathArgument(p.name)] : []));
  return (request) => method.call(client, ...args, request);
}

/** The value the tests give a path parameter the caller fills (one with no client option). */
export const pathArgument = (name: string): string => `${name}_1`;

/** The leading arguments of the real spec's operation `operation` of API `api`: its caller-given path parameters. */
export function pathArgumentsOf(api: string, operation: string): string[] {
  const op = loadRealSpec().apis.find((a) => a.name === api)?.operations.find((o) => o.name === operation);
  return (op?.pathParams ?? []).flatMap((p) => (p.argument ? [pathArgument(p.name)] : []));
}

/** The path a call of `op` goes to: `{PAGE_ID}` (and any client option) as `pageId`, arguments as pathArgument gives them. */
export function calledPath(op: Operation, pageId: string): string {
  return op.pathParams.reduce((path, p) => path.replace(`{${p.name}}`, p.argument ? pathArgument(p.name) : pageId), op.path);
}

type ClientClass = new (options: Record<string, unknown>) => Record<string, (...args: unknown[]) => Promise<unknown>>;

/** The generated class whose method the real spec's operation `operation` of API `api` is. */
export function clientClassOf(api: string, operation: string): ClientClass {
  const model = loadRealSpec().apis.find((a) => a.name === api);
  const op = model?.operations.find((o) => o.name === operation);
  if (!model || !op) throw new Error(`the spec has no operation ${api}.${operation}`);
  const Client = sdks[api]?.[clientOf(model, op)] as ClientClass | undefined;
  if (!Client) throw new Error(`the package has no class ${clientOf(model, op)}`);
  return Client;
}
