/**
 * Inputs for differential tests of validators: values built from a JSON Schema bundle (mostly
 * valid), then broken on purpose at a random place (a key dropped or added, a type changed, a
 * string or list pushed past its bound, a `null`, a variant's tag swapped). Seeded: a failure
 * names its seed and input, and repeats.
 */

type Schema = Record<string, unknown> | boolean;

/** mulberry32: a small seeded generator, so that a failing run can be repeated exactly. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_STRINGS = ["", " ", "x", "😀", "😀😀", "a😀", "\ud83d", "RESPONSE", "text", "null", "0", "https://example.com/a.png", "+15551234567", "constructor", "__proto__"];

export class InputMaker {
  private readonly random: () => number;
  private readonly strings: string[];
  /** Each string's length in code points, and the strings that match each pattern asked about. */
  private readonly lengths: number[];
  private readonly matching = new Map<string, string[]>();

  constructor(
    private readonly defs: Record<string, Schema>,
    seed: number,
  ) {
    this.random = randomSource(seed);
    this.strings = [...new Set([...ODD_STRINGS, ...collectStrings(defs)])];
    this.lengths = this.strings.map((text) => [...text].length);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** A value for `schema`, valid most of the time. */
  value(schema: Schema, depth = 0): unknown {
    if (schema === true || schema === false) return this.anyValue(depth);
    if (depth > 12) return this.anyValue(depth);
    const s = schema as Record<string, unknown>;
    if ("const" in s) return structuredClone(s.const);
    if (Array.isArray(s.enum)) return structuredClone(this.pick(s.enum));
    const parts: unknown[] = [];
    if (typeof s.$ref === "string") parts.push(this.value(this.defs[s.$ref.replace("#/$defs/", "")]!, depth + 1));
    for (const part of (s.allOf as Schema[] | undefined) ?? []) parts.push(this.value(part, depth + 1));
    const variants = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
    if (variants) parts.push(this.value(this.pick(variants), depth + 1));
    const own = this.ownValue(s, depth);
    if (own !== undefined) parts.push(own);
    const objects = parts.filter(isPlainObject);
    if (objects.length > 1 && objects.length === parts.length) return Object.assign({}, ...objects);
    return parts.length ? parts[parts.length - 1] : this.anyValue(depth);
  }

  private ownValue(s: Record<string, unknown>, depth: number): unknown {
    const types = s.type === undefined ? (s.properties || s.required ? ["object"] : s.items ? ["array"] : []) : ([] as string[]).concat(s.type as string);
    if (!types.length) return undefined;
    const type = this.pick(types);
    switch (type) {
      case "null":
        return null;
      case "boolean":
        return this.chance(0.5);
      case "integer":
      case "number": {
        const min = typeof s.minimum === "number" ? s.minimum : -5;
        const max = typeof s.maximum === "number" ? s.maximum : min + 1_000_000;
        const n = min + this.random() * (max - min);
        return type === "integer" ? Math.ceil(n) : n;
      }
      case "string":
        return this.string(s);
      case "array": {
        const min = (s.minItems as number | undefined) ?? 0;
        const max = Math.min((s.maxItems as number | undefined) ?? min + 3, min + 3);
        const length = min + Math.floor(this.random() * (max - min + 1));
        return Array.from({ length }, () => this.value((s.items as Schema | undefined) ?? true, depth + 1));
      }
      case "object": {
        const out: Record<string, unknown> = {};
        const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
        const required = new Set((s.required as string[] | undefined) ?? []);
        for (const [key, property] of Object.entries(properties)) {
          if (property === false) continue;
          if (required.has(key) || this.chance(0.35)) out[key] = this.value(property, depth + 1);
        }
        for (const key of required) if (!(key in out)) out[key] = this.anyValue(depth + 1);
        return out;
      }
      default:
        return undefined;
    }
  }

  private string(s: Record<string, unknown>): string {
    const min = (s.minLength as number | undefined) ?? 0;
    const max = (s.maxLength as number | undefined) ?? Math.max(min, 40);
    if (typeof s.pattern === "string") {
      let matching = this.matching.get(s.pattern);
      if (!matching) {
        const pattern = new RegExp(s.pattern, "u");
        this.matching.set(s.pattern, (matching = this.strings.filter((candidate) => pattern.test(candidate))));
      }
      if (matching.length && this.chance(0.9)) return this.pick(matching);
    }
    if (this.chance(0.6)) {
      // A few tries at a string of the spec's that fits, then one made to measure.
      for (let attempt = 0; attempt < 8; attempt++) {
        const index = Math.floor(this.random() * this.strings.length);
        if (this.lengths[index]! >= min && this.lengths[index]! <= max) return this.strings[index]!;
      }
    }
    const length = min + Math.floor(this.random() * (Math.min(max, min + 30) - min + 1));
    const unit = this.chance(0.15) ? "😀" : "a";
    return unit.repeat(length);
  }

  anyValue(depth: number): unknown {
    switch (Math.floor(this.random() * 7)) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return Math.floor(this.random() * 100) - 10;
      case 3:
        return this.random() * 10;
      case 4:
        return this.pick(this.strings);
      case 5:
        return depth > 3 ? [] : [this.anyValue(depth + 1)];
      default:
        return depth > 3 ? {} : { [this.pick(this.strings)]: this.anyValue(depth + 1) };
    }
  }

  /** `value` broken at one random place (a copy; sometimes unchanged in effect). */
  mutate(value: unknown): unknown {
    const copy = structuredClone(value);
    const holders: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach((item, index) => (holders.push({ parent: node, key: index }), walk(item)));
      else if (isPlainObject(node)) for (const key of Object.keys(node)) holders.push({ parent: node, key }), walk(node[key]);
    };
    walk(copy);
    const containers = [copy, ...holders.map(({ parent, key }) => (parent as Record<string | number, unknown>)[key])].filter(
      (node) => Array.isArray(node) || isPlainObject(node),
    );
    if (!holders.length || this.chance(0.1)) return this.chance(0.5) ? this.anyValue(0) : copy;
    const { parent, key } = this.pick(holders);
    const slot = parent as Record<string | number, unknown>;
    const current = slot[key];
    switch (Math.floor(this.random() * 9)) {
      case 0:
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete slot[key];
        break;
      case 1: {
        const container = this.pick(containers);
        if (Array.isArray(container)) container.push(structuredClone(container[0] ?? this.anyValue(2)));
        else (container as Record<string, unknown>)[this.pick(this.strings) || "extra"] = this.anyValue(2);
        break;
      }
      case 2:
        slot[key] = null;
        break;
      case 3:
        slot[key] = typeof current === "string" ? current.repeat(this.pick([2, 3, 40, 700])) + "😀" : current;
        break;
      case 4:
        slot[key] = typeof current === "string" ? [...current].slice(0, -1).join("") : this.anyValue(2);
        break;
      case 5:
        slot[key] = this.pick(this.strings);
        break;
      case 6:
        slot[key] = typeof current === "number" ? -current - 1 : this.random() * 1e6;
        break;
      case 7:
        slot[key] = Array.isArray(current) ? [...current, ...current, ...current, ...current] : [current];
        break;
      default:
        slot[key] = this.anyValue(2);
    }
    return copy;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every string of the bundle's examples, consts and enums: the values the spec itself shows. */
function collectStrings(node: unknown, out = new Set<string>()): Set<string> {
  if (typeof node === "string") out.add(node);
  else if (Array.isArray(node)) for (const item of node) collectStrings(item, out);
  else if (isPlainObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "description" || key === "title" || key === "pattern" || key === "$ref") continue;
      if (key === "properties" && isPlainObject(value)) Object.keys(value).forEach((k) => out.add(k));
      collectStrings(value, out);
    }
  }
  return out;
}
