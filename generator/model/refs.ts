import type { ApiModel, SchemaNode } from "./types.js";

/** The schema a node stands for: followed through its `ref`s to a node that has none (or stops at a loop or an unknown name). */
export function followRefs(node: SchemaNode, named: ReadonlyMap<string, SchemaNode>): SchemaNode {
  const seen = new Set<string>();
  let current = node;
  while (current.ref && named.has(current.ref) && !seen.has(current.ref)) {
    seen.add(current.ref);
    current = named.get(current.ref)!;
  }
  return current;
}

/**
 * An API's named schemas by name, built once per list of schemas: emitters look schemas up per
 * operation and per page, and a map per lookup made the 100x spec's run quadratic.
 */
export function namedSchemas(api: ApiModel): ReadonlyMap<string, SchemaNode> {
  let named = byList.get(api.schemas);
  if (!named || named.size !== api.schemas.length) {
    named = new Map(api.schemas.map((s) => [s.name, s.schema]));
    byList.set(api.schemas, named);
  }
  return named;
}

const byList = new WeakMap<ApiModel["schemas"], Map<string, SchemaNode>>();

/** Whether a value of this schema is an object or a list: what a form part carries as JSON text. */
export function holdsStructure(node: SchemaNode, named: ReadonlyMap<string, SchemaNode>): boolean {
  const resolved = followRefs(node, named);
  const types = [resolved.type ?? []].flat();
  return types.includes("object") || types.includes("array") || Boolean(resolved.properties || resolved.oneOf || resolved.allOf);
}
