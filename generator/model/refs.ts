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

/** An API's named schemas by name. */
export function namedSchemas(api: ApiModel): Map<string, SchemaNode> {
  return new Map(api.schemas.map((s) => [s.name, s.schema]));
}

/** Whether a value of this schema is an object or a list: what a form part carries as JSON text. */
export function holdsStructure(node: SchemaNode, named: ReadonlyMap<string, SchemaNode>): boolean {
  const resolved = followRefs(node, named);
  const types = [resolved.type ?? []].flat();
  return types.includes("object") || types.includes("array") || Boolean(resolved.properties || resolved.oneOf || resolved.allOf);
}
