import { Definitions, plainRef, type Node } from "./schema-facts.js";

/**
 * Names JavaScript could confuse with a generated check: the globals and helpers the checks use
 * and their own variables. A schema named so gets a check with a trailing `_`, exported under its name.
 */
const RESERVED = new Set([
  "Array", "Number", "Object", "String", "Boolean", "JSON", "Set", "Map", "RegExp", "Symbol", "undefined", "NaN", "Infinity",
  "x", "p", "q", "e", "v", "ok", "k", "i", "n", "tag",
]);

/** The runtime helpers of `core/check.ts` and the files it shares with the rest of the core. */
const HELPER_MODULES: Record<string, string> = {
  fail: "../core/check.js",
  missing: "../core/check.js",
  oneOfMessage: "../core/check.js",
  checkObject: "../core/check.js",
  has: "../core/check.js",
  own: "../core/check.js",
  num: "../core/check.js",
  str: "../core/check.js",
  issue: "../core/check.js",
  isObject: "../core/check.js",
  isArray: "../core/check.js",
  isInteger: "../core/check.js",
  setOf: "../core/check.js",
  escapePointerToken: "../core/check.js",
  reportUnion: "../core/check.js",
  failTag: "../core/check.js",
  isBinaryData: "../core/check.js",
  ucs2length: "../core/ucs2length.js",
  equal: "../core/equal.js",
};

/** The pointer a callee gets: computed only when issues are collected. */
export function pointerArgument(pointer: string): string {
  return /^[pq]$/.test(pointer) ? pointer : `e && ${pointer}`;
}

/** Names every object inherits: a property of such a name is read as the object's own (core's `own`). */
const INHERITED: object = Object.prototype;

/** Most values an array's `includes` tests before a set is faster. */
const MAX_LISTED_IN_ARRAY = 16;

/** Most values a `===` chain tests before a set is faster. */
const MAX_CHAINED_VALUES = 6;

/**
 * The module being written: its imports, module-level constants (patterns, sets, union hints) and
 * functions, and the naming that keeps them apart. Every check has the signature of `Check`.
 */
export class CheckWriter {
  readonly definitions: Definitions;
  private readonly helpers = new Set<string>();
  private readonly constants = new Map<string, string>();
  private readonly definitionChecks = new Set<string>();
  private readonly used = new Set<string>();
  /** The check of each named schema, by the schema's name. */
  private readonly checkNames = new Map<string, string>();
  private readonly pending: { node: Node; name: string }[] = [];
  private readonly inlineNames = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** Set by the caller: writes one function's body. */
  compileBody: (node: Node, name: string) => string[] = () => [];

  constructor(defs: Readonly<Record<string, Node>>) {
    this.definitions = new Definitions(defs);
    for (const name of Object.keys(defs)) {
      const checkName = RESERVED.has(name) || name in HELPER_MODULES ? `${name}_` : name;
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`checks: schema name ${JSON.stringify(name)} is not a JavaScript identifier`);
      this.used.add(checkName);
      this.definitionChecks.add(checkName);
      this.checkNames.set(name, checkName);
    }
  }

  /** A helper of the runtime, imported once. */
  helper(name: string): string {
    if (!(name in HELPER_MODULES)) throw new Error(`checks: no runtime helper ${name}`);
    this.helpers.add(name);
    return name;
  }

  /** The check of a variant, a part or a child: the named check it refers to, or its own. */
  checkOf(node: Node, owner: string): string {
    const ref = plainRef(node);
    return ref ? this.refCheck(ref) : this.inlineCheck(node, owner);
  }

  /** The check of a named schema. */
  refCheck(ref: string): string {
    const name = this.definitions.nameOf(ref);
    const checkName = this.checkNames.get(name)!;
    this.pending.push({ node: this.definitions.defs[name]!, name: checkName });
    return checkName;
  }

  /**
   * A function for an inline node, named after the check that holds it (`Owner$1`), written later.
   * Inline nodes that are the same JSON share one function: a check depends on nothing else, and a
   * spec repeats them (a template's `buttons`, each the same list of the same limits).
   */
  inlineCheck(node: Node, owner: string): string {
    const key = JSON.stringify(node);
    const known = this.inlineNames.get(key);
    if (known) return known;
    const base = owner.replace(/\$\d+$/, "");
    const count = (this.counters.get(base) ?? 0) + 1;
    this.counters.set(base, count);
    let name = `${base}$${count}`;
    while (this.used.has(name)) name = `${name}_`;
    this.used.add(name);
    this.inlineNames.set(key, name);
    this.pending.push({ node, name });
    return name;
  }

  /** A module constant, shared by every check that needs the same one. */
  constant(prefix: string, code: string): string {
    const existing = this.constants.get(code);
    if (existing) return existing;
    let name = `${prefix}${this.constants.size}`;
    while (this.used.has(name)) name = `${name}_`;
    this.used.add(name);
    this.constants.set(code, name);
    return name;
  }

  pattern(source: string): string {
    return this.constant("pattern", `/* @__PURE__ */ new RegExp(${JSON.stringify(source)}, "u")`);
  }

  /** A test that `value` is none of `allowed`. */
  notEqual(value: string, allowed: readonly unknown[]): string {
    // Longer lists of scalars go through `valueList` and `notIn`: what comes here is a const, or values with objects among them.
    const scalar = allowed.every((a) => a === null || typeof a !== "object");
    if (!scalar) return `!${JSON.stringify(allowed)}.some((allowed) => ${this.helper("equal")}(${value}, allowed))`;
    return allowed.map((a) => `${value} !== ${JSON.stringify(a)}`).join(" && ");
  }

  /** A test that the string `key` is one of `keys`. */
  isOneOf(key: string, keys: readonly string[]): string {
    if (keys.length === 0) return "false";
    if (keys.length <= MAX_CHAINED_VALUES) return keys.map((k) => `${key} === ${JSON.stringify(k)}`).join(" || ");
    return `${this.stringSet(keys)}.has(${key})`;
  }

  private stringSet(values: readonly string[]): string {
    return this.constant("values", `/* @__PURE__ */ ${this.helper("setOf")}(${JSON.stringify(values)})`);
  }

  /**
   * Whether the function being written records a failure and goes on (when collecting issues):
   * it then counts the issues it started with, and passes when it added none.
   */
  goesOnAfterFailure = false;

  /** `if (condition) report at pointer`, returning at once when nobody collects issues. */
  failWhen(condition: string, pointer: string, message: string): string {
    return this.failWhenCode(condition, pointer, JSON.stringify(message));
  }

  /** As `failWhen`, with the message as a JavaScript expression (evaluated only on failure). */
  failWhenCode(condition: string, pointer: string, message: string): string {
    this.goesOnAfterFailure = true;
    return `if (${condition} && ${this.helper("issue")}(e, ${pointer}, ${message})) return false;`;
  }

  /** A module constant holding `values`, for a test and a message to share. */
  valueList(values: readonly unknown[]): string {
    return this.constant("values", JSON.stringify(values));
  }

  /** A test that `value` is none of the scalars `values`, held in the constant `list`. */
  notIn(value: string, values: readonly unknown[], list: string): string {
    if (values.length > MAX_LISTED_IN_ARRAY && values.every((v) => typeof v === "string")) {
      return `!${this.constant("set", `/* @__PURE__ */ ${this.helper("setOf")}(${list})`)}.has(${value})`;
    }
    return `!${list}.includes(${value})`;
  }

  failNow(pointer: string, message: string): string {
    return this.failNowCode(pointer, JSON.stringify(message));
  }

  failNowCode(pointer: string, message: string): string {
    this.goesOnAfterFailure = true;
    return `if (${this.helper("issue")}(e, ${pointer}, ${message})) return false;`;
  }

  /** Calls `check` (with its extra arguments) on `value`; its issues go below `pointer`. */
  callCheck(check: string, value: string, pointer: string, extra = ""): string {
    this.goesOnAfterFailure = true;
    return `if (!${check}(${value}, ${pointerArgument(pointer)}, e${extra}) && !e) return false;`;
  }

  /** `object.key`, or `object["key"]` when the key is not an identifier; an inherited name is read as own. */
  read(object: string, key: string): string {
    if (key in INHERITED) return `${this.helper("own")}(${object}, ${JSON.stringify(key)})`;
    return /^[A-Za-z_$][\w$]*$/.test(key) ? `${object}.${key}` : `${object}[${JSON.stringify(key)}]`;
  }

  /** A required property of `x` that is absent. */
  missing(key: string): string {
    this.goesOnAfterFailure = true;
    return `if (${this.read("x", key)} === undefined && ${this.helper("missing")}(e, p, ${JSON.stringify(key)})) return false;`;
  }

  /** Writes a named check and everything it reaches, then the module. */
  module(exports: readonly string[], header: string): string {
    for (const name of exports) this.pending.push({ node: this.definitions.defs[name]!, name: this.checkNames.get(name)! });
    const written = new Set<string>();
    const bodies: string[] = [];
    while (this.pending.length) {
      const { node, name } = this.pending.shift()!;
      if (written.has(name)) continue;
      written.add(name);
      bodies.push(this.functionCode(node, name));
    }
    const renamed = exports.filter((name) => this.checkNames.get(name) !== name);
    const imports = new Map<string, string[]>();
    for (const helper of [...this.helpers].sort()) {
      const from = HELPER_MODULES[helper]!;
      imports.set(from, [...(imports.get(from) ?? []), helper]);
    }
    const importLines = [...imports].map(([from, names]) =>
      from.endsWith("check.js") ? `import { ${names.join(", ")} } from "${from}";` : `import ${names[0]} from "${from}";`,
    );
    const constants = [...this.constants].map(([code, name]) => `const ${name} = ${code};`);
    const exportLine = renamed.length ? [`export { ${renamed.map((n) => `${this.checkNames.get(n)} as ${n}`).join(", ")} };`] : [];
    const sections = [importLines.join("\n"), constants.join("\n"), bodies.join("\n\n"), exportLine.join("\n")].filter(Boolean);
    return `${header}${sections.join("\n\n")}\n`;
  }

  private functionCode(node: Node, name: string): string {
    const exported = this.definitionChecks.has(name) && !name.endsWith("_") ? "export " : "";
    this.goesOnAfterFailure = false;
    const body = this.compileBody(node, name);
    return [`${exported}function ${name}(x, p, e) {`, ...body.map((line) => `  ${line}`), "}"].join("\n");
  }
}
