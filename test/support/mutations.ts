import type { ApiModel, SchemaNode } from "../../generator/model/types.js";

export type MutationKind = "over-limit" | "missing-required" | "wrong-enum" | "mixed-variants" | "unknown-property";

export interface Mutation {
  kind: MutationKind;
  /** JSON pointer of the value changed. */
  at: string;
  /** JSON pointer where the validator must report it. */
  expectPointer: string;
  value: unknown;
  what: string;
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const pointer = (path: (string | number)[]) => path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

/**
 * Derives invalid variants of a valid example from the spec alone: each limit exceeded, each
 * required field dropped, each enum given an unknown value, each mutually exclusive field added.
 * The expected pointer follows from where the change was made, not from what the validator says.
 */
export function mutationsOf(api: ApiModel, root: SchemaNode, example: Json): Mutation[] {
  const schemas = new Map(api.schemas.map((s) => [s.name, s.schema]));
  const mutations: Mutation[] = [];

  const applicable = (node: SchemaNode, value: Json): SchemaNode[] => {
    const out: SchemaNode[] = [node];
    if (node.ref) out.push(...applicable(schemas.get(node.ref)!, value));
    for (const part of node.allOf ?? []) out.push(...applicable(part, value));
    if (node.oneOf) {
      const branch = node.oneOf.find((b) => matches(b, value, node.discriminator));
      if (branch) out.push(...applicable(branch, value));
    }
    return out;
  };

  const matches = (branch: SchemaNode, value: Json, discriminator?: string): boolean => {
    const nodes = applicable(branch, value);
    if (discriminator && isObject(value)) {
      const tag = nodes.map((n) => n.properties?.[discriminator]).find(Boolean);
      const resolved = tag?.ref ? schemas.get(tag.ref) : tag;
      return resolved?.const === value[discriminator] || Boolean(resolved?.enum?.some((e) => e.value === value[discriminator]));
    }
    const types = nodes.flatMap((n) => (n.type ? [n.type].flat() : n.properties ? ["object"] : []));
    if (types.length && !types.some((t) => typeMatches(t, value))) return false;
    if (!isObject(value)) return true;
    const required = nodes.flatMap((n) => n.required ?? []);
    const forbidden = nodes.flatMap((n) => n.forbidden ?? []);
    const consts = nodes.flatMap((n) => Object.entries(n.properties ?? {}).filter(([, p]) => p.const !== undefined));
    return required.every((k) => k in value) && !forbidden.some((k) => k in value) && consts.every(([k, p]) => !(k in value) || value[k] === p.const);
  };

  const visit = (nodes: SchemaNode[], value: Json, path: (string | number)[]) => {
    const all = nodes.flatMap((n) => applicable(n, value));
    const here = pointer(path);
    const replace = (newValue: Json) => setAt(example, path, newValue);

    if (typeof value === "string") {
      const max = Math.min(...all.map((n) => n.maxLength ?? Infinity));
      if (Number.isFinite(max)) mutations.push({ kind: "over-limit", at: here, expectPointer: here, value: replace("é".repeat(max + 1)), what: `${max + 1} characters where ${max} are allowed` });
    }
    const enumNode = all.find((n) => n.enum && n.enum.length > 1);
    if (enumNode && !all.some((n) => n.const !== undefined)) {
      const wrong = typeof value === "number" ? 987654321 : "NOT_A_DOCUMENTED_VALUE";
      mutations.push({ kind: "wrong-enum", at: here, expectPointer: here, value: replace(wrong), what: `unknown enum value ${JSON.stringify(wrong)}` });
    }
    if (Array.isArray(value)) {
      const max = Math.min(...all.map((n) => n.maxItems ?? Infinity));
      if (Number.isFinite(max) && value.length > 0) {
        const padded = [...value, ...Array.from({ length: max + 1 - value.length }, () => value[value.length - 1])];
        mutations.push({ kind: "over-limit", at: here, expectPointer: here, value: replace(padded), what: `${max + 1} items where ${max} are allowed` });
      }
      const items = all.map((n) => n.items).filter((n): n is SchemaNode => Boolean(n));
      value.forEach((item, i) => visit(items, item, [...path, i]));
    }
    if (isObject(value)) {
      const required = new Set(all.flatMap((n) => n.required ?? []));
      for (const key of required) {
        if (!(key in value)) continue;
        const { [key]: _dropped, ...rest } = value;
        mutations.push({ kind: "missing-required", at: pointer([...path, key]), expectPointer: here, value: replace(rest), what: `'${key}' removed` });
      }
      for (const key of new Set(all.flatMap((n) => n.forbidden ?? []))) {
        const donor = Object.values(value).find((v) => typeof v === "string") ?? "x";
        mutations.push({ kind: "mixed-variants", at: pointer([...path, key]), expectPointer: pointer([...path, key]), value: replace({ ...value, [key]: donor }), what: `'${key}' added beside its alternative` });
      }
      // A closed object (what we send) refuses a property the spec does not name.
      if (all.length && all.every((n) => n.additionalProperties === false) && !("x_unknown_property" in value)) {
        mutations.push({ kind: "unknown-property", at: pointer([...path, "x_unknown_property"]), expectPointer: pointer([...path, "x_unknown_property"]), value: replace({ ...value, x_unknown_property: "x" }), what: "'x_unknown_property' added" });
      }
      for (const [key, child] of Object.entries(value)) {
        const props = all.map((n) => n.properties?.[key]).filter((n): n is SchemaNode => Boolean(n));
        if (props.length) visit(props, child, [...path, key]);
      }
    }
  };

  visit([root], example, []);
  return mutations;
}

function typeMatches(type: string, value: Json): boolean {
  switch (type) {
    case "object": return isObject(value);
    case "array": return Array.isArray(value);
    case "integer": return Number.isInteger(value);
    case "number": return typeof value === "number";
    case "null": return value === null;
    default: return typeof value === type;
  }
}

function setAt(root: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) return root.map((item, i) => (i === head ? setAt(item, rest, value) : item));
  const object = root as Record<string, Json>;
  return { ...object, [head!]: setAt(object[head!], rest, value) };
}
