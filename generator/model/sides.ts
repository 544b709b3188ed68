import type { ApiModel, SchemaNode, SchemaSide } from "./types.js";

/** The nodes directly inside a schema node (properties, items, variants, parts). */
export function schemaChildren(node: SchemaNode): SchemaNode[] {
  const out: SchemaNode[] = [];
  if (node.properties) out.push(...Object.values(node.properties));
  if (node.additionalProperties && typeof node.additionalProperties === "object") out.push(node.additionalProperties);
  if (node.items) out.push(node.items);
  if (node.oneOf) out.push(...node.oneOf);
  if (node.allOf) out.push(...node.allOf);
  return out;
}

/**
 * Which side of the wire each named schema describes. What we send is checked strictly; what we
 * receive (responses, webhooks) is read openly, because the APIs change it without notice. A
 * schema reached from a request is `send`; from a response or a webhook, `receive`; from both,
 * `both`; from neither (kept for reference, e.g. an error body), `none`.
 */
export function schemaSides(api: ApiModel): Map<string, SchemaSide> {
  const byName = new Map(api.schemas.map((s) => [s.name, s.schema]));
  const reach = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const pending = roots.filter((name) => byName.has(name));
    pending.forEach((name) => seen.add(name));
    while (pending.length) {
      const stack = [byName.get(pending.pop()!)!];
      while (stack.length) {
        const node = stack.pop()!;
        if (node.ref && byName.has(node.ref) && !seen.has(node.ref)) {
          seen.add(node.ref);
          pending.push(node.ref);
        }
        stack.push(...schemaChildren(node));
      }
    }
    return seen;
  };
  const sent = reach(api.operations.map((op) => op.request.schema));
  const received = reach([
    ...api.operations.map((op) => op.response.schema),
    ...api.webhooks.flatMap((hook) => [hook.payload, ...(hook.envelope?.schema ? [hook.envelope.schema] : []), ...hook.events.map((e) => e.schema)]),
  ]);
  return new Map(api.schemas.map(({ name }) => {
    const side: SchemaSide = sent.has(name) ? (received.has(name) ? "both" : "send") : received.has(name) ? "receive" : "none";
    return [name, side];
  }));
}

/** A schema both sides may share: a scalar, whose received form is opened where it is referenced. */
export function isScalarSchema(node: SchemaNode): boolean {
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  return !node.ref && !node.oneOf && !node.allOf && !node.properties && !node.items && types.every((t) => t !== "object" && t !== "array");
}
