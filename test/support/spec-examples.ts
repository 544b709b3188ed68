import { loadSpec } from "../../generator/load/index.js";
import { schemaChildren as children } from "../../generator/model/sides.js";
import type { ApiModel, Example, SchemaNode, SpecModel } from "../../generator/model/types.js";
import { rootDir, specDir } from "./paths.js";

let cached: SpecModel | undefined;

/** The real spec, loaded once per test file. */
export function loadRealSpec(): SpecModel {
  cached ??= loadSpec({ rootDir, specDir });
  return cached;
}

export interface OwnedExample {
  api: string;
  /** The named schema the example belongs to. */
  schema: string;
  /** Whether it sits on the named schema itself (not on a property inside it). */
  topLevel: boolean;
  example: Example;
}

/** Every example in the spec, with the named schema it sits in: the tests follow the spec, not a list. */
export function examplesOf(api: ApiModel): OwnedExample[] {
  const found: OwnedExample[] = [];
  const visit = (node: SchemaNode, schema: string, topLevel: boolean) => {
    for (const example of node.examples ?? []) found.push({ api: api.name, schema, topLevel, example });
    children(node).forEach((child) => visit(child, schema, false));
  };
  for (const { name, schema } of api.schemas) visit(schema, name, true);
  return found;
}
