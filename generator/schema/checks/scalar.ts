import type { JsonSchema } from "../to-json-schema.js";
import { pointerArgument, type CheckWriter } from "./writer.js";
import { listValues } from "../../../templates/core/check.js";
import { jsonTypeOf, keywordsOf, typesOf } from "./schema-facts.js";

/** The test that `value` has one of `types`, as JavaScript. */
export function typeTest(types: readonly string[], value: string, w: CheckWriter): string {
  const wanted = types.includes("number") ? types.filter((t) => t !== "integer") : [...types];
  return wanted
    .map((type) => {
      switch (type) {
        case "object":
          return `${w.helper("isObject")}(${value})`;
        case "array":
          return `${w.helper("isArray")}(${value})`;
        case "integer":
          return `${w.helper("isInteger")}(${value})`;
        case "null":
          return `${value} === null`;
        case "string":
        case "number":
        case "boolean":
          return `typeof ${value} === "${type}"`;
        default:
          throw new Error(`checks: unknown type ${JSON.stringify(type)}`);
      }
    })
    .join(" || ");
}

/** A failure: when `condition` holds, the message `message` (a JavaScript expression). */
interface Rule {
  condition: string;
  message: string;
}

const text = (message: string) => JSON.stringify(message);

/**
 * A node's scalar keywords as rules on `value`: its type (absent when the caller tested it, or when
 * its allowed values say it all), then const, enum, lengths, pattern, bounds and item counts, each
 * guarded by its type where the node does not fix it. A bounded string or number is one helper call.
 */
function scalarRules(node: JsonSchema, value: string, w: CheckWriter, typeChecked: boolean): { call?: { helper: string; extra: string }; type?: Rule; rules: Rule[] } {
  const types = typesOf(node);
  // A file's bytes (the loader allows format binary on a bare string only): in JSON a string, in
  // the SDK also a Blob, Uint8Array or stream. To JSON values the check answers as `type: string`.
  if (node.format === "binary") {
    return typeChecked ? { rules: [] } : { type: { condition: `!${w.helper("isBinaryData")}(${value})`, message: text("must be string") }, rules: [] };
  }
  const { minLength, maxLength, pattern, minimum, maximum, minItems, maxItems } = node as Record<string, number | string | undefined>;
  const rules: Rule[] = [];
  const patternRule = () => ({ condition: `!${w.pattern(pattern as string)}.test(${value})`, message: text(`must match pattern "${pattern}"`) });
  const call = typeChecked ? undefined : helperCall(node, w);
  if (call) return { call, rules: typeof pattern === "string" ? [patternRule()] : [] };
  const guarded = (kind: "string" | "number" | "array", test: string) => {
    const pinned = types !== undefined && types.every((t) => (kind === "number" ? t === "number" || t === "integer" : t === kind));
    return pinned ? test : `${typeTest([kind], value, w)} && ${test}`;
  };
  const rule = (condition: string, message: string) => rules.push({ condition, message: text(message) });
  const allowed = "const" in node ? [node.const] : Array.isArray(node.enum) ? (node.enum as unknown[]) : undefined;
  if ("const" in node) rule(w.notEqual(value, [node.const]), `must be ${JSON.stringify(node.const)}`);
  if (Array.isArray(node.enum)) {
    const values = node.enum as unknown[];
    // The values once, in a module constant the test and the message share.
    const list = values.length > 1 && values.every((v) => typeof v !== "object" || v === null) ? w.valueList(values) : undefined;
    if (list) rules.push({ condition: w.notIn(value, values, list), message: `${w.helper("oneOfMessage")}(${list})` });
    else rule(w.notEqual(value, values), `must be one of ${listValues(values)}`);
  }
  const length = () => w.helper("ucs2length");
  // A string has at least half as many code points as UTF-16 units and at most as many: most
  // lengths are decided without counting.
  if (typeof minLength === "number") rule(guarded("string", `${value}.length < ${minLength * 2} && ${length()}(${value}) < ${minLength}`), `must NOT have fewer than ${minLength} characters`);
  if (typeof maxLength === "number") rule(guarded("string", `${value}.length > ${maxLength} && ${length()}(${value}) > ${maxLength}`), `must NOT have more than ${maxLength} characters`);
  if (typeof pattern === "string") {
    const matches = patternRule();
    rules.push({ ...matches, condition: guarded("string", matches.condition) });
  }
  if (typeof minimum === "number") rule(guarded("number", `${value} < ${minimum}`), `must be >= ${minimum}`);
  if (typeof maximum === "number") rule(guarded("number", `${value} > ${maximum}`), `must be <= ${maximum}`);
  if (typeof minItems === "number") rule(guarded("array", `${value}.length < ${minItems}`), `must NOT have fewer than ${minItems} items`);
  if (typeof maxItems === "number") rule(guarded("array", `${value}.length > ${maxItems}`), `must NOT have more than ${maxItems} items`);
  // Only values of the node's types are allowed: the test of the value says it all.
  const valuesPinType = allowed !== undefined && rules.length === 1 && (types === undefined || allowed.every((a) => types.includes(jsonTypeOf(a)) || (jsonTypeOf(a) === "integer" && types.includes("number"))));
  if (!types || typeChecked || valuesPinType) return { rules };
  return { type: { condition: `!(${typeTest(types, value, w)})`, message: text(`must be ${types.join(",")}`) }, rules };
}

/**
 * The checks of a node's scalar keywords on `value`, in a function that goes on after a failure
 * when it collects issues, each failure reported at `pointer`. A wrong type is reported alone; with
 * `typeChecked`, the caller has tested the type already.
 */
export function scalarChecks(node: JsonSchema, value: string, pointer: string, w: CheckWriter, typeChecked = false): string[] {
  const { call, type, rules } = scalarRules(node, value, w, typeChecked);
  const ruleLines = rules.map((r) => w.failWhenCode(r.condition, pointer, r.message));
  if (call) {
    if (!ruleLines.length) return [w.callCheck(call.helper, value, pointer, call.extra)];
    return [`if (!${call.helper}(${value}, ${pointerArgument(pointer)}, e${call.extra})) {`, "  if (!e) return false;", `} else ${ruleLines.join(" else ")}`];
  }
  if (!type) return ruleLines;
  if (!ruleLines.length) return [w.failWhenCode(type.condition, pointer, type.message)];
  // A value of the wrong type is not measured.
  return [`if (${type.condition}) {`, `  ${w.failNowCode(pointer, type.message)}`, "} else {", ...ruleLines.map((line) => `  ${line}`), "}"];
}

/** The body of a check that is nothing but scalar keywords: the first failure returns, with its issue. */
export function scalarBody(node: JsonSchema, w: CheckWriter): string[] {
  const { call, type, rules } = scalarRules(node, "x", w, false);
  const fail = (r: Rule) => `if (${r.condition}) return ${w.helper("fail")}(e, p, ${r.message});`;
  if (call && !rules.length) return [`return ${call.helper}(x, p, e${call.extra});`];
  return [...(call ? [`if (!${call.helper}(x, p, e${call.extra})) return false;`] : []), ...(type ? [fail(type)] : []), ...rules.map(fail), "return true;"];
}

/**
 * A bounded string (a pattern aside) or a bounded number: a call of the runtime's `str` or `num`,
 * the same check in far fewer bytes. The extra arguments start with a comma.
 */
export function helperCall(node: JsonSchema, w: CheckWriter): { helper: string; extra: string } | undefined {
  const types = typesOf(node);
  if (types?.length !== 1) return undefined;
  const { minLength, maxLength, minimum, maximum } = node as Record<string, number | undefined>;
  const keys = keywordsOf(node).filter((key) => key !== "type");
  const type = types[0]!;
  if (type === "string" && keys.every((key) => ["minLength", "maxLength", "pattern"].includes(key))) {
    const extra = maxLength !== undefined ? `, ${minLength ?? 0}, ${maxLength}` : minLength !== undefined ? `, ${minLength}` : "";
    return { helper: w.helper("str"), extra };
  }
  if ((type === "integer" || type === "number") && keys.every((key) => ["minimum", "maximum"].includes(key))) {
    const bounds = maximum !== undefined ? `, ${minimum ?? "undefined"}, ${maximum}` : minimum !== undefined ? `, ${minimum}` : "";
    return { helper: w.helper("num"), extra: `, ${type === "integer"}${bounds}` };
  }
  return undefined;
}
