import { join } from "node:path";
import { loadSpec, type LoadOptions } from "../load/index.js";
import { SpecError, type Loc } from "../load/problems.js";
import { listSpecFiles, readSpecFile, type PathSegment, type SpecFile } from "../load/read-files.js";
import type { ApiModel, SchemaNode, SpecModel } from "../model/types.js";

/**
 * `npm run spec:lint`: the loader's checks, then style rules the loader does not enforce. Errors
 * fail the run; warnings fail it only with `--strict`.
 */
export type LintSeverity = "error" | "warning";

export interface Finding extends Loc {
  rule: string;
  severity: LintSeverity;
  message: string;
}

/** Every rule, with its severity and what it asks for (the table in spec/README.md). */
export const LINT_RULES = {
  load: { severity: "error", what: "the spec loads (npm run spec:check): YAML, spec.schema.json, references, examples; this is where schema (PascalCase), operation, webhook and example (camelCase) and event kind (snake_case) names are checked" },
  "text-zh": { severity: "warning", what: "an API of `language: zh` (Sobot: source 003 is Chinese): every description and summary has `zh`; a warning, since where the source gives no Chinese (fields known only from an example, Meta's fields Sobot forwards) the spec must not translate" },
  "text-en": { severity: "error", what: "an API of `language: en` (Graph: English sources): every description and summary has `en`" },
  "example-request": { severity: "error", what: "every operation's request schema has an example (on it, or on a oneOf/allOf branch it names)" },
  "example-response": { severity: "error", what: "every operation's response schema has an example" },
  "example-webhook": { severity: "error", what: "every webhook's payload schema has an example" },
  "example-webhook-event": { severity: "warning", what: "every webhook event kind's schema has an example" },
  "naming-property": { severity: "warning", what: "property names are snake_case or the wire names as given; warns on camelCase among snake_case siblings and on spaces" },
  "naming-client-option": { severity: "warning", what: "a path parameter's clientOption is camelCase (it becomes a client option)" },
  "decision-sources": { severity: "error", what: "every `decisions` entry names its sources" },
  "decision-source-known": { severity: "warning", what: "a decision's source starts with a source id of its API (`003 …`) or `meta-docs`" },
} as const satisfies Record<string, { severity: LintSeverity; what: string }>;

export type RuleId = keyof typeof LINT_RULES;

/** The rule that asks for a text in each language an API can declare (`api.language`). */
const LANGUAGE_RULES: Record<"zh" | "en", RuleId> = { zh: "text-zh", en: "text-en" };

/** Source prefixes valid in every API besides its own source ids. */
const GENERAL_SOURCES = ["meta-docs"];

export function lintSpec(options: LoadOptions & { formatSchema: string }): Finding[] {
  const findings: Finding[] = [];
  const report = (rule: RuleId, loc: Loc, message: string) => findings.push({ ...loc, rule, severity: LINT_RULES[rule].severity, message });
  let model: SpecModel;
  try {
    model = loadSpec(options);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    for (const problem of error.problems) report("load", problem, problem.message);
    return sortFindings(findings);
  }
  const files = listSpecFiles(options.specDir)
    .map((path) => readSpecFile(path, options.rootDir, options.specDir))
    .filter((f): f is SpecFile => !Array.isArray(f));
  const apis = new Map(model.apis.map((api) => [api.name, api]));
  for (const file of files) lintFile(file, apis.get(file.api), report);
  for (const api of model.apis) lintApi(api, report);
  return sortFindings(findings);
}

type Report = (rule: RuleId, loc: Loc, message: string) => void;

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule));
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.col}  [${f.rule}] ${f.severity === "warning" ? "warning: " : ""}${f.message}`;
}

const TEXT_KEYS = new Set(["description", "summary"]);
/** Maps whose keys are names, not keywords: their values are walked as keyword objects. */
const NAME_MAPS = new Set(["schemas", "operations", "webhooks", "errorTables", "properties", "pathParams"]);

/** Walks a file as written (so positions are exact): texts and decisions. */
function lintFile(file: SpecFile, api: ApiModel | undefined, report: Report): void {
  const sourceIds = api?.sources.map((s) => s.id) ?? [];
  const language = api?.language && { lang: api.language, rule: LANGUAGE_RULES[api.language] };
  const visit = (value: unknown, path: PathSegment[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const at = [...path, key];
      if (NAME_MAPS.has(key) && child && typeof child === "object" && !Array.isArray(child)) {
        for (const [name, inner] of Object.entries(child as Record<string, unknown>)) visit(inner, [...at, name]);
        continue;
      }
      if (key === "examples" || key === "value" || key === "json" || key === "original") continue; // data, not text
      if (key === "decisions" && Array.isArray(child)) {
        child.forEach((decision: unknown, i) => lintDecision(file, decision, [...at, i], sourceIds, report));
        continue;
      }
      if (TEXT_KEYS.has(key) && language && (typeof child === "string" || (child && typeof child === "object"))) {
        const has = typeof child === "string" ? language.lang === "en" : Boolean((child as Record<string, unknown>)[language.lang]);
        if (!has) {
          const what = path.length ? `${key} of ${describePath(path)}` : key;
          report(language.rule, file.locate(at, "key"), `${what} has no '${language.lang}' text (${file.api} descriptions are given in ${language.lang === "zh" ? "Chinese by source 003" : "English"})`);
        }
        continue;
      }
      visit(child, at);
    }
  };
  visit(file.data, []);
}

function describePath(path: PathSegment[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".").replace(/\.\[/g, "[");
}

function lintDecision(file: SpecFile, decision: unknown, path: PathSegment[], sourceIds: string[], report: Report): void {
  const sources = (decision as { sources?: unknown }).sources;
  if (!Array.isArray(sources) || sources.length === 0) {
    report("decision-sources", file.locate(path), `decision at ${describePath(path)} names no sources (add sources: ["<id> <section>"])`);
    return;
  }
  sources.forEach((source: unknown, i) => {
    const id = String(source).split(/\s+/)[0] ?? "";
    if (!sourceIds.includes(id) && !GENERAL_SOURCES.includes(id)) {
      report("decision-source-known", file.locate([...path, "sources", i]), `source '${String(source)}' does not start with a source id of API '${file.api}' (${[...sourceIds, ...GENERAL_SOURCES].join(", ") || "none declared"})`);
    }
  });
}

const CAMEL = /^[a-z][A-Za-z0-9]*$/;

function lintApi(api: ApiModel, report: Report): void {
  const schemas = new Map(api.schemas.map((s) => [s.name, s.schema]));
  const hasExample = (name: string): boolean => {
    const node = schemas.get(name);
    if (!node) return false;
    if (node.examples?.some((e) => e.valid)) return true;
    return [...(node.oneOf ?? []), ...(node.allOf ?? [])].some((branch) => (branch.ref ? Boolean(schemas.get(branch.ref)?.examples?.some((e) => e.valid)) : Boolean(branch.examples?.some((e) => e.valid))));
  };
  for (const { schema } of api.schemas) lintProperties(schema, report);
  for (const op of api.operations) {
    for (const param of op.pathParams) {
      if (param.clientOption && !CAMEL.test(param.clientOption)) {
        report("naming-client-option", op.locs.pathParams[param.name] ?? op.loc, `clientOption '${param.clientOption}' of path parameter '${param.name}' is not camelCase`);
      }
    }
    if (!hasExample(op.request.schema)) report("example-request", op.locs.request, `operation '${op.name}': request schema ${op.request.schema} has no example`);
    if (!hasExample(op.response.schema)) report("example-response", op.locs.response, `operation '${op.name}': response schema ${op.response.schema} has no example`);
  }
  for (const hook of api.webhooks) {
    if (!hasExample(hook.payload)) report("example-webhook", hook.payloadLoc, `webhook '${hook.name}': payload schema ${hook.payload} has no example`);
    for (const event of hook.events) {
      if (!hasExample(event.schema)) report("example-webhook-event", event.loc, `webhook '${hook.name}' event '${event.kind}': schema ${event.schema} has no example`);
    }
  }
}

/** Warns only on what is obviously inconsistent: a camelCase name among snake_case siblings, or a space. */
function lintProperties(node: SchemaNode, report: Report): void {
  const names = Object.keys(node.properties ?? {});
  const snakeSiblings = names.some((n) => n.includes("_") && n === n.toLowerCase());
  for (const name of names) {
    const property = node.properties![name]!;
    if (/\s/.test(name)) report("naming-property", property.loc, `property name '${name}' contains whitespace`);
    else if (snakeSiblings && /^[a-z]+[A-Z]/.test(name)) {
      report("naming-property", property.loc, `property '${name}' is camelCase among snake_case siblings; keep it only if that is the wire name`);
    }
  }
  for (const child of [...Object.values(node.properties ?? {}), node.items, ...(node.oneOf ?? []), ...(node.allOf ?? [])]) {
    if (child) lintProperties(child, report);
  }
  if (typeof node.additionalProperties === "object") lintProperties(node.additionalProperties, report);
}

/** The repository's spec, as `npm run spec:lint` checks it by default. */
export function defaultLintOptions(rootDir: string, specDir = join(rootDir, "spec")): LoadOptions & { formatSchema: string } {
  return { rootDir, specDir, formatSchema: join(rootDir, "spec", "spec.schema.json") };
}

/** The lint rules as a Markdown table (docs/spec-review.md holds a copy; a test keeps them equal). */
export function lintRulesTable(): string {
  return [
    "| rule | severity | what it asks for |",
    "|---|---|---|",
    ...Object.entries(LINT_RULES).map(([id, rule]) => `| \`${id}\` | ${rule.severity} | ${rule.what} |`),
  ].join("\n");
}
