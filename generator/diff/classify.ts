import type { Loc } from "../load/problems.js";
import type {
  ApiModel, Decision, EnumValue, ErrorTable, Example, Operation, Scalar, SchemaNode, SpecModel, Text, TypeName, Webhook,
} from "../model/types.js";
import { severityOf, typeVisible, type ChangeKind, type SchemaChangeKind, type Severity, type Side } from "./rules.js";

/** Who reaches a schema change: an operation's request or response, or a webhook (response side). */
export interface Usage {
  kind: "operation" | "webhook" | "schema";
  name: string;
  side: Side;
}

export interface Change {
  kind: ChangeKind;
  severity: Severity;
  api: string;
  /** `SendMessageRequest.message.text`, `operation sendMessage`, `errors GraphErrorCode.613`, … */
  path: string;
  /** The side a schema change was judged on; absent for other changes and for documentation. */
  side?: Side;
  message: string;
  /** Where to look: the new spec, or the old one for what was removed (then `locSide` is "old"). */
  loc: Loc;
  locSide: "old" | "new";
  /** Operations and webhooks whose request or response reach the change. */
  usedBy: Usage[];
  typeVisible: boolean;
}

export interface DiffResult {
  changes: Change[];
  /** The highest severity present, or "none". */
  level: Severity | "none";
}

const SEVERITY_ORDER: Severity[] = ["breaking", "non-breaking", "documentation"];

/** Compares two loaded specs. Pure: locations come from the models. */
export function diffSpecs(oldModel: SpecModel, newModel: SpecModel): DiffResult {
  const collector = new Collector();
  const oldApis = new Map(oldModel.apis.map((a) => [a.name, a]));
  const newApis = new Map(newModel.apis.map((a) => [a.name, a]));
  for (const [name, oldApi] of oldApis) {
    const newApi = newApis.get(name);
    if (!newApi) collector.add({ kind: "api-removed", api: name, path: `api ${name}`, message: `API '${name}' removed`, loc: firstLoc(oldApi) });
    else new ApiDiff(oldApi, newApi, collector).run();
  }
  for (const [name, newApi] of newApis) {
    if (!oldApis.has(name)) collector.add({ kind: "api-added", api: name, path: `api ${name}`, message: `API '${name}' added`, loc: firstLoc(newApi) });
  }
  const changes = collector.list();
  const level = SEVERITY_ORDER.find((s) => changes.some((c) => c.severity === s)) ?? "none";
  return { changes, level };
}

function firstLoc(api: ApiModel): Loc {
  const locs = [...api.operations.map((o) => o.loc), ...api.schemas.map((s) => s.schema.loc), ...api.errorTables.map((t) => t.loc)];
  return locs[0] ?? { file: `spec/${api.name}`, line: 1, col: 1 };
}

type NewChange = Omit<Change, "severity" | "usedBy" | "typeVisible" | "locSide"> & { usedBy?: Usage[] };

/** Changes located in the old spec: what is gone has no place in the new one. */
const OLD_SIDE_KINDS = new Set<ChangeKind>([
  "api-removed", "operation-removed", "webhook-removed", "webhook-event-removed", "schema-removed",
  "error-table-removed", "error-code-removed", "property-removed", "variant-removed",
]);

class Collector {
  private readonly byKey = new Map<string, Change>();

  add(change: NewChange): void {
    const severity = severityOf(change.kind, change.side);
    // Documentation does not depend on the side: report it once.
    const side = severity === "documentation" ? undefined : change.side;
    const key = [change.api, side ?? "", change.path, change.kind, change.message].join("|");
    const existing = this.byKey.get(key);
    if (existing) {
      for (const usage of change.usedBy ?? []) {
        if (!existing.usedBy.some((u) => u.kind === usage.kind && u.name === usage.name && u.side === usage.side)) existing.usedBy.push(usage);
      }
      return;
    }
    this.byKey.set(key, {
      ...change,
      side,
      severity,
      locSide: OLD_SIDE_KINDS.has(change.kind) ? "old" : "new",
      usedBy: [...(change.usedBy ?? [])],
      typeVisible: typeVisible(change.kind),
    });
  }

  list(): Change[] {
    const rank = (s: Severity) => SEVERITY_ORDER.indexOf(s);
    return [...this.byKey.values()].sort(
      (a, b) => rank(a.severity) - rank(b.severity) || a.api.localeCompare(b.api) || a.path.localeCompare(b.path) ||
        (a.side ?? "").localeCompare(b.side ?? "") || a.kind.localeCompare(b.kind) || a.message.localeCompare(b.message),
    );
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** Where a spec part was written says nothing about what it is. */
const withoutLocs = (key: string, value: unknown) => (key === "loc" || key === "locs" ? undefined : value);
const sameShape = (a: unknown, b: unknown) => JSON.stringify(a, withoutLocs) === JSON.stringify(b, withoutLocs);
const show = (value: unknown) => JSON.stringify(value);

/** Every field of a Text, a Decision list or an example list, compared as data (locations aside). */
function docData(value: Text | Decision[] | Example[] | undefined): unknown {
  if (!value) return undefined;
  if (Array.isArray(value)) return value.map((v) => ("loc" in v ? { ...v, loc: undefined } : v));
  return value;
}

interface Root {
  usage: Usage;
  oldName: string;
  newName: string;
}

const KNOWN_OPERATION_KEYS = new Set([
  "name", "method", "path", "summary", "description", "source", "auth", "group", "pathParams", "request", "response", "errors", "decisions", "helpers", "loc", "locs",
]);

class ApiDiff {
  private readonly oldSchemas: Map<string, SchemaNode>;
  private readonly newSchemas: Map<string, SchemaNode>;
  private readonly api: string;

  constructor(private readonly oldApi: ApiModel, private readonly newApi: ApiModel, private readonly out: Collector) {
    this.oldSchemas = new Map(oldApi.schemas.map((s) => [s.name, s.schema]));
    this.newSchemas = new Map(newApi.schemas.map((s) => [s.name, s.schema]));
    this.api = newApi.name;
  }

  private add(change: Omit<NewChange, "api">): void {
    this.out.add({ ...change, api: this.api });
  }

  run(): void {
    this.apiLevel();
    const roots: Root[] = [];
    this.operations(roots);
    this.webhooks(roots);
    this.errorTables();
    this.namedSchemas(roots);
    for (const root of roots) new SchemaWalk(this, root).run();
  }

  private apiLevel(): void {
    const o = this.oldApi;
    const n = this.newApi;
    const loc = firstLoc(n);
    if (o.baseUrl !== n.baseUrl) this.add({ kind: "api-base-url-changed", path: `api ${n.name}`, message: `base URL ${o.baseUrl} → ${n.baseUrl}`, loc });
    if (!same(o.auth, n.auth)) {
      const kind = o.auth.kind !== n.auth.kind || o.auth.name !== n.auth.name ? "api-auth-changed" : "api-docs-changed";
      this.add({ kind, path: `api ${n.name}`, message: kind === "api-auth-changed" ? `auth ${o.auth.kind} '${o.auth.name}' → ${n.auth.kind} '${n.auth.name}'` : "auth description changed", loc });
    }
    for (const key of ["title", "description", "version", "sources", "decisions"] as const) {
      if (!same(o[key], n[key])) this.add({ kind: "api-docs-changed", path: `api ${n.name}`, message: `${key} changed`, loc });
    }
  }

  private operations(roots: Root[]): void {
    const oldOps = new Map(this.oldApi.operations.map((op) => [op.name, op]));
    const newOps = new Map(this.newApi.operations.map((op) => [op.name, op]));
    for (const [name, o] of oldOps) {
      const n = newOps.get(name);
      const path = `operation ${name}`;
      if (!n) {
        this.add({ kind: "operation-removed", path, message: `operation '${name}' (${o.method} ${o.path}) removed`, loc: o.loc });
        continue;
      }
      this.operation(o, n, path);
      roots.push({ usage: { kind: "operation", name, side: "request" }, oldName: o.request.schema, newName: n.request.schema });
      roots.push({ usage: { kind: "operation", name, side: "response" }, oldName: o.response.schema, newName: n.response.schema });
    }
    for (const [name, n] of newOps) {
      if (!oldOps.has(name)) this.add({ kind: "operation-added", path: `operation ${name}`, message: `operation '${name}' (${n.method} ${n.path}) added`, loc: n.loc });
    }
  }

  private operation(o: Operation, n: Operation, path: string): void {
    const usedBy: Usage[] = [{ kind: "operation", name: n.name, side: "request" }];
    const responseUse: Usage[] = [{ kind: "operation", name: n.name, side: "response" }];
    if (o.method !== n.method) this.add({ kind: "operation-method-changed", path, message: `method ${o.method} → ${n.method}`, loc: n.loc, usedBy });
    if (o.path !== n.path) this.add({ kind: "operation-path-changed", path, message: `path ${o.path} → ${n.path}`, loc: n.locs.path, usedBy });
    if (o.request.in !== n.request.in) this.add({ kind: "operation-request-in-changed", path, message: `request sent in ${o.request.in} → ${n.request.in}`, loc: n.locs.requestIn, usedBy });
    if (!same(o.request.files ?? null, n.request.files ?? null)) {
      this.add({ kind: "operation-request-in-changed", path, message: `request files ${show(o.request.files ?? null)} → ${show(n.request.files ?? null)} (multipart/form-data)`, loc: n.locs.requestIn, usedBy });
    }
    if (o.response.unwrap !== n.response.unwrap) {
      this.add({ kind: "operation-result-changed", path, message: `response.unwrap ${show(o.response.unwrap ?? null)} → ${show(n.response.unwrap ?? null)}`, loc: n.locs.response, usedBy: responseUse });
    }
    if (!same(o.response.paging, n.response.paging)) {
      this.add({ kind: "operation-result-changed", path, message: `response.paging ${show(o.response.paging ?? null)} → ${show(n.response.paging ?? null)}`, loc: n.locs.response, usedBy: responseUse });
    }
    if (!same(o.response.selectedBy, n.response.selectedBy)) {
      this.add({ kind: "operation-result-changed", path, message: `response.selectedBy ${show(o.response.selectedBy ?? null)} → ${show(n.response.selectedBy ?? null)}`, loc: n.locs.response, usedBy: responseUse });
    }
    if (!same(o.response.cursorPaging, n.response.cursorPaging)) {
      const kind = o.response.cursorPaging === undefined ? "operation-pages-added" : "operation-pages-changed";
      this.add({ kind, path, message: `response.cursorPaging ${show(o.response.cursorPaging ?? null)} → ${show(n.response.cursorPaging ?? null)}`, loc: n.locs.response, usedBy: responseUse });
    }
    if (o.auth !== n.auth) this.add({ kind: "operation-auth-changed", path, message: `auth ${o.auth} → ${n.auth}`, loc: n.loc, usedBy });
    if (o.group !== n.group) this.add({ kind: "operation-group-changed", path, message: `group ${show(o.group ?? null)} → ${show(n.group ?? null)}`, loc: n.loc, usedBy });
    const shape = (helper: Operation["helpers"][number]) => ({ arguments: helper.arguments.map((a) => [a.name, a.schema]), request: helper.request });
    for (const helper of n.helpers) {
      const before = o.helpers.find((h) => h.name === helper.name);
      if (!before) this.add({ kind: "operation-helper-added", path, message: `helper '${helper.name}' added`, loc: helper.loc });
      else if (!sameShape(shape(before), shape(helper))) this.add({ kind: "operation-helper-changed", path, message: `helper '${helper.name}' changed its arguments or request`, loc: helper.loc, usedBy });
      else if (!same(before.summary, helper.summary)) this.add({ kind: "operation-docs-changed", path, message: `helper '${helper.name}' summary changed`, loc: helper.loc });
    }
    for (const helper of o.helpers) {
      if (!n.helpers.some((h) => h.name === helper.name)) this.add({ kind: "operation-helper-changed", path, message: `helper '${helper.name}' removed`, loc: n.loc, usedBy });
    }
    const oldOptions = new Set(o.pathParams.map((p) => p.clientOption).filter(Boolean));
    const newOptions = new Set(n.pathParams.map((p) => p.clientOption).filter(Boolean));
    for (const option of oldOptions) if (!newOptions.has(option)) this.add({ kind: "operation-client-option-removed", path, message: `call option '${option}' removed`, loc: n.loc, usedBy });
    for (const option of newOptions) if (!oldOptions.has(option)) this.add({ kind: "operation-client-option-added", path, message: `call option '${option}' added`, loc: n.loc, usedBy });
    const docs: [string, unknown, unknown][] = [
      ["summary", o.summary, n.summary],
      ["description", o.description, n.description],
      ["source", o.source, n.source],
      ["decisions", o.decisions, n.decisions],
      ["errors", o.errors, n.errors],
      ["path parameter descriptions", o.pathParams.map((p) => p.description), n.pathParams.map((p) => p.description)],
    ];
    for (const [what, a, b] of docs) if (!same(a, b)) this.add({ kind: "operation-docs-changed", path, message: `${what} changed`, loc: n.loc });
    // Fields this diff has no rule for yet (added to the format later): reported, never silently equal.
    const record = (op: Operation) => op as unknown as Record<string, unknown>;
    for (const key of new Set([...Object.keys(o), ...Object.keys(n)])) {
      if (KNOWN_OPERATION_KEYS.has(key) || same(record(o)[key], record(n)[key])) continue;
      this.add({ kind: "operation-other-changed", path, message: `${key} ${show(record(o)[key] ?? null)} → ${show(record(n)[key] ?? null)}`, loc: n.loc, usedBy });
    }
  }

  private webhooks(roots: Root[]): void {
    const oldHooks = new Map(this.oldApi.webhooks.map((h) => [h.name, h]));
    const newHooks = new Map(this.newApi.webhooks.map((h) => [h.name, h]));
    for (const [name, o] of oldHooks) {
      const n = newHooks.get(name);
      const path = `webhook ${name}`;
      if (!n) {
        this.add({ kind: "webhook-removed", path, message: `webhook '${name}' removed`, loc: o.loc });
        continue;
      }
      const usage: Usage = { kind: "webhook", name, side: "response" };
      roots.push({ usage, oldName: o.payload, newName: n.payload });
      this.webhook(o, n, path, usage, roots);
    }
    for (const [name, n] of newHooks) {
      if (!oldHooks.has(name)) this.add({ kind: "webhook-added", path: `webhook ${name}`, message: `webhook '${name}' added`, loc: n.loc });
    }
  }

  private webhook(o: Webhook, n: Webhook, path: string, usage: Usage, roots: Root[]): void {
    const usedBy = [usage];
    for (const key of ["signature", "verification", "envelope"] as const) {
      const strip = (v: Webhook[typeof key]) => (v ? { ...v, description: undefined } : v);
      if (!same(strip(o[key]), strip(n[key]))) this.add({ kind: "webhook-delivery-changed", path, message: `${key} ${show(strip(o[key]) ?? null)} → ${show(strip(n[key]) ?? null)}`, loc: n.loc, usedBy });
      else if (!same(o[key], n[key])) this.add({ kind: "webhook-docs-changed", path, message: `${key} description changed`, loc: n.loc });
    }
    for (const key of ["summary", "description", "source"] as const) {
      if (!same(o[key], n[key])) this.add({ kind: "webhook-docs-changed", path, message: `${key} changed`, loc: n.loc });
    }
    const oldEvents = new Map(o.events.map((e) => [e.kind, e]));
    const newEvents = new Map(n.events.map((e) => [e.kind, e]));
    for (const [kind, oe] of oldEvents) {
      const ne = newEvents.get(kind);
      const eventPath = `${path} event ${kind}`;
      if (!ne) {
        this.add({ kind: "webhook-event-removed", path: eventPath, message: `event kind '${kind}' removed`, loc: oe.loc, usedBy });
        continue;
      }
      if (oe.field !== ne.field) this.add({ kind: "webhook-event-changed", path: eventPath, message: `recognised by field '${oe.field}' → '${ne.field}'`, loc: ne.loc, usedBy });
      if (oe.topLevel !== ne.topLevel) this.add({ kind: "webhook-event-changed", path: eventPath, message: `topLevel ${oe.topLevel} → ${ne.topLevel}`, loc: ne.loc, usedBy });
      if (!same(oe.description, ne.description)) this.add({ kind: "webhook-docs-changed", path: eventPath, message: "description changed", loc: ne.loc });
      roots.push({ usage, oldName: oe.schema, newName: ne.schema });
    }
    for (const [kind, ne] of newEvents) {
      if (!oldEvents.has(kind)) this.add({ kind: "webhook-event-added", path: `${path} event ${kind}`, message: `event kind '${kind}' added`, loc: ne.loc, usedBy });
    }
  }

  private errorTables(): void {
    const oldTables = new Map(this.oldApi.errorTables.map((t) => [t.name, t]));
    const newTables = new Map(this.newApi.errorTables.map((t) => [t.name, t]));
    for (const [name, o] of oldTables) {
      const n = newTables.get(name);
      const path = `errors ${name}`;
      if (!n) this.add({ kind: "error-table-removed", path, message: `error table '${name}' removed`, loc: o.loc });
      else this.errorTable(o, n, path);
    }
    for (const [name, n] of newTables) {
      if (!oldTables.has(name)) this.add({ kind: "error-table-added", path: `errors ${name}`, message: `error table '${name}' added`, loc: n.loc });
    }
  }

  private errorTable(o: ErrorTable, n: ErrorTable, path: string): void {
    if (o.codeType !== n.codeType) this.add({ kind: "error-table-changed", path, message: `codeType ${o.codeType} → ${n.codeType}`, loc: n.loc });
    if (o.field !== n.field) this.add({ kind: "error-field-changed", path, message: `code field ${show(o.field ?? null)} → ${show(n.field ?? null)}`, loc: n.loc });
    for (const key of ["description", "source", "decisions"] as const) {
      if (!same(o[key], n[key])) this.add({ kind: "error-docs-changed", path, message: `${key} changed`, loc: n.loc });
    }
    const oldEntries = new Map(o.entries.map((e) => [String(e.code), e]));
    const newEntries = new Map(n.entries.map((e) => [String(e.code), e]));
    for (const [code, oe] of oldEntries) {
      const ne = newEntries.get(code);
      const entryPath = `${path} ${code}`;
      if (!ne) {
        this.add({ kind: "error-code-removed", path: entryPath, message: `code ${code} (${oe.name}) removed`, loc: oe.loc });
        continue;
      }
      if (oe.name !== ne.name) this.add({ kind: "error-code-renamed", path: entryPath, message: `renamed ${oe.name} → ${ne.name}`, loc: ne.loc });
      if (oe.retryable !== ne.retryable) this.add({ kind: "error-retryable-changed", path: entryPath, message: `${ne.name}: retryable ${oe.retryable} → ${ne.retryable}`, loc: ne.loc });
      if (oe.rateLimit !== ne.rateLimit) this.add({ kind: "error-rate-limit-changed", path: entryPath, message: `${ne.name}: rateLimit ${oe.rateLimit} → ${ne.rateLimit}`, loc: ne.loc });
      for (const key of ["description", "source", "decisions"] as const) {
        if (!same(oe[key], ne[key])) this.add({ kind: "error-docs-changed", path: entryPath, message: `${ne.name}: ${key} changed`, loc: ne.loc });
      }
    }
    for (const [code, ne] of newEntries) {
      if (!oldEntries.has(code)) this.add({ kind: "error-code-added", path: `${path} ${code}`, message: `code ${code} (${ne.name}) added, retryable: ${ne.retryable}`, loc: ne.loc });
    }
  }

  /**
   * Named schemas are exported types: removing one is breaking even when nothing uses it. A schema
   * that no operation or webhook reaches is still compared, judged on both sides (it is public).
   */
  private namedSchemas(roots: Root[]): void {
    for (const [name, node] of this.oldSchemas) {
      if (!this.newSchemas.has(name)) this.add({ kind: "schema-removed", path: name, message: `schema '${name}' removed`, loc: node.loc });
    }
    for (const [name, node] of this.newSchemas) {
      if (!this.oldSchemas.has(name)) this.add({ kind: "schema-added", path: name, message: `schema '${name}' added`, loc: node.loc });
    }
    const reached = new Set<string>();
    for (const root of roots) {
      for (const name of reachable(root.newName, this.newSchemas)) reached.add(name);
      for (const name of reachable(root.oldName, this.oldSchemas)) reached.add(name);
    }
    for (const name of this.newSchemas.keys()) {
      if (reached.has(name) || !this.oldSchemas.has(name)) continue;
      for (const side of ["request", "response"] as const) roots.push({ usage: { kind: "schema", name, side }, oldName: name, newName: name });
    }
  }

  oldSchema(name: string): SchemaNode | undefined {
    return this.oldSchemas.get(name);
  }

  newSchema(name: string): SchemaNode | undefined {
    return this.newSchemas.get(name);
  }

  report(change: Omit<NewChange, "api">): void {
    this.add(change);
  }
}

function reachable(name: string, schemas: Map<string, SchemaNode>): Set<string> {
  const seen = new Set<string>();
  const visit = (node: SchemaNode | undefined): void => {
    if (!node) return;
    if (node.ref && !seen.has(node.ref)) {
      seen.add(node.ref);
      visit(schemas.get(node.ref));
    }
    for (const child of [...Object.values(node.properties ?? {}), node.items, ...(node.oneOf ?? []), ...(node.allOf ?? [])]) visit(child);
    if (typeof node.additionalProperties === "object") visit(node.additionalProperties);
  };
  seen.add(name);
  visit(schemas.get(name));
  return seen;
}

/** Compares the schema reached from one root (an operation's request, say) on that root's side. */
class SchemaWalk {
  private readonly visited = new Set<string>();
  private readonly side: Side;
  /** Set while the node compared next is a property optional on both sides of the change. */
  private optionalProperty = false;

  constructor(private readonly api: ApiDiff, private readonly root: Root) {
    this.side = root.usage.side;
  }

  run(): void {
    this.named(this.root.oldName, this.root.newName);
  }

  private add(kind: SchemaChangeKind, path: string, message: string, loc: Loc): void {
    this.api.report({ kind, path, side: this.side, message, loc, usedBy: [this.root.usage] });
  }

  private named(oldName: string, newName: string): void {
    const key = `${oldName}|${newName}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const o = this.api.oldSchema(oldName);
    const n = this.api.newSchema(newName);
    if (!o || !n) return; // a missing schema is reported as removed or added
    this.node(o, n, newName);
  }

  private resolveOld(node: SchemaNode): SchemaNode {
    return node.ref ? this.api.oldSchema(node.ref) ?? node : node;
  }

  private resolveNew(node: SchemaNode): SchemaNode {
    return node.ref ? this.api.newSchema(node.ref) ?? node : node;
  }

  private node(o: SchemaNode, n: SchemaNode, path: string): void {
    this.docs(o, n, path);
    if (!o.deprecated && n.deprecated) this.add("deprecated", path, "deprecated", n.loc);
    if (!same(o.default, n.default)) this.add("default-changed", path, `default ${show(o.default ?? null)} → ${show(n.default ?? null)}`, n.loc);

    if (o.ref || n.ref) {
      if (o.ref && n.ref) {
        if (o.ref !== n.ref) this.add("ref-changed", path, `refers to ${n.ref} (was ${o.ref})`, n.loc);
        this.named(o.ref, n.ref);
      } else {
        if (o.ref) this.add("ref-changed", path, `inline schema instead of ${o.ref}`, n.loc);
        else this.add("ref-changed", path, `refers to ${n.ref} (was an inline schema)`, n.loc);
        this.shape(this.resolveOld(o), this.resolveNew(n), path);
      }
      return;
    }
    this.shape(o, n, path);
  }

  /** Everything but the documentation of the site node (a ref site's own docs are compared by node()). */
  private shape(o: SchemaNode, n: SchemaNode, path: string): void {
    // Received optional properties may be null already (see schema/to-json-schema.ts): a null added there changes nothing.
    const nullable = this.optionalProperty && this.side === "response";
    this.optionalProperty = false;
    this.values(o, n, path);
    this.types(o, n, path, nullable);
    this.limits(o, n, path);
    this.object(o, n, path);
    if (o.items && n.items) this.node(o.items, n.items, `${path}[]`);
    if (typeof o.additionalProperties === "object" && typeof n.additionalProperties === "object") {
      this.node(o.additionalProperties, n.additionalProperties, `${path}.*`);
    }
    this.variants(o, n, path);
  }

  private docs(o: SchemaNode, n: SchemaNode, path: string): void {
    const fields: [string, unknown, unknown][] = [
      ["description", o.description, n.description],
      ["title", o.title, n.title],
      ["examples", docData(o.examples), docData(n.examples)],
      ["decisions", o.decisions, n.decisions],
      ["source", o.source, n.source],
      ["format", o.format, n.format],
    ];
    for (const [what, a, b] of fields) if (!same(a, b)) this.add("docs-changed", path, `${what} changed`, n.loc);
    if (o.enum && n.enum) {
      const oldByValue = new Map(o.enum.map((e) => [show(e.value), e]));
      for (const e of n.enum) {
        const before = oldByValue.get(show(e.value));
        const strip = (v: EnumValue) => ({ name: v.name, description: v.description, source: v.source });
        if (before && !same(strip(before), strip(e))) this.add("docs-changed", path, `enum value ${show(e.value)}: name or description changed`, n.loc);
      }
    }
  }

  private values(o: SchemaNode, n: SchemaNode, path: string): void {
    const oldValues = valuesOf(o);
    const newValues = valuesOf(n);
    if (!oldValues && !newValues) return;
    if (!oldValues) {
      this.add("values-restricted", path, `now limited to ${newValues!.map(show).join(", ")}`, n.loc);
      return;
    }
    if (!newValues) {
      this.add("values-unrestricted", path, `no longer limited to ${oldValues.map(show).join(", ")}`, n.loc);
      return;
    }
    if (o.const !== undefined && n.const !== undefined) {
      if (o.const !== n.const) this.add("const-changed", path, `const ${show(o.const)} → ${show(n.const)}`, n.loc);
      return;
    }
    const oldSet = new Set(oldValues.map(show));
    const newSet = new Set(newValues.map(show));
    for (const v of oldSet) if (!newSet.has(v)) this.add("enum-value-removed", path, `enum value ${v} removed`, n.loc);
    for (const v of newSet) if (!oldSet.has(v)) this.add("enum-value-added", path, `enum value ${v} added`, n.loc);
  }

  private types(o: SchemaNode, n: SchemaNode, path: string, nullable: boolean): void {
    const a = typesOf(o);
    const b = typesOf(n);
    if (!a || !b) return;
    if (nullable) {
      a.delete("null");
      b.delete("null");
    }
    const within = (x: Set<TypeName>, y: Set<TypeName>) => [...x].every((t) => y.has(t) || (t === "integer" && y.has("number")));
    const narrowed = within(b, a);
    const widened = within(a, b);
    if (narrowed && widened) return;
    const list = (s: Set<TypeName>) => [...s].sort().join(" | ");
    const message = `type ${list(a)} → ${list(b)}`;
    if (narrowed) this.add("type-narrowed", path, message, n.loc);
    else if (widened) this.add("type-widened", path, message, n.loc);
    else this.add("type-changed", path, message, n.loc);
  }

  private limits(o: SchemaNode, n: SchemaNode, path: string): void {
    for (const key of ["maxLength", "maxItems", "maximum"] as const) {
      const a = o[key];
      const b = n[key];
      if (a === b) continue;
      const message = `${key} ${a ?? "none"} → ${b ?? "none"}`;
      if (b !== undefined && (a === undefined || b < a)) this.add("limit-tightened", path, message, n.loc);
      else this.add("limit-relaxed", path, message, n.loc);
    }
    for (const key of ["minLength", "minItems", "minimum"] as const) {
      const a = o[key];
      const b = n[key];
      if (a === b) continue;
      const message = `${key} ${a ?? "none"} → ${b ?? "none"}`;
      if (b !== undefined && (a === undefined || b > a)) this.add("limit-tightened", path, message, n.loc);
      else this.add("limit-relaxed", path, message, n.loc);
    }
    if (o.pattern !== n.pattern) {
      const message = `pattern ${show(o.pattern ?? null)} → ${show(n.pattern ?? null)}`;
      if (o.pattern === undefined) this.add("pattern-tightened", path, message, n.loc);
      else if (n.pattern === undefined) this.add("pattern-relaxed", path, message, n.loc);
      else this.add("pattern-changed", path, message, n.loc);
    }
  }

  private object(o: SchemaNode, n: SchemaNode, path: string): void {
    const oldProps = o.properties ?? {};
    const newProps = n.properties ?? {};
    const oldRequired = new Set(o.required ?? []);
    const newRequired = new Set(n.required ?? []);
    const newForbidden = new Set(n.forbidden ?? []);
    const oldForbidden = new Set(o.forbidden ?? []);
    for (const [name, prop] of Object.entries(oldProps)) {
      const at = `${path}.${name}`;
      const next = newProps[name];
      if (!next) {
        if (!newForbidden.has(name)) this.add("property-removed", at, `property '${name}' removed${oldRequired.has(name) ? " (was required)" : ""}`, prop.loc);
        continue;
      }
      if (!oldRequired.has(name) && newRequired.has(name)) this.add("property-made-required", at, `'${name}' is now required`, next.loc);
      if (oldRequired.has(name) && !newRequired.has(name)) this.add("property-made-optional", at, `'${name}' is now optional`, next.loc);
      this.optionalProperty = !oldRequired.has(name) && !newRequired.has(name);
      this.node(prop, next, at);
      this.optionalProperty = false;
    }
    for (const [name, prop] of Object.entries(newProps)) {
      if (name in oldProps) continue;
      if (newRequired.has(name)) this.add("property-added-required", `${path}.${name}`, `required property '${name}' added`, prop.loc);
      else this.add("property-added-optional", `${path}.${name}`, `optional property '${name}' added`, prop.loc);
    }
    // `required` naming properties declared elsewhere (allOf parts).
    for (const name of newRequired) {
      if (!(name in newProps) && !(name in oldProps) && !oldRequired.has(name)) this.add("property-made-required", `${path}.${name}`, `'${name}' is now required`, n.loc);
    }
    for (const name of oldRequired) {
      if (!(name in newProps) && !(name in oldProps) && !newRequired.has(name)) this.add("property-made-optional", `${path}.${name}`, `'${name}' is now optional`, n.loc);
    }
    for (const name of newForbidden) if (!oldForbidden.has(name)) this.add("forbidden-added", `${path}.${name}`, `'${name}' must now be absent`, n.loc);
    for (const name of oldForbidden) if (!newForbidden.has(name)) this.add("forbidden-removed", `${path}.${name}`, `'${name}' is no longer forbidden`, n.loc);
    const closed = (node: SchemaNode) => node.additionalProperties === false || node.unevaluatedProperties === false;
    const objectLike = (node: SchemaNode) => Boolean(node.properties) || node.type === "object";
    if (objectLike(o) && objectLike(n)) {
      if (!closed(o) && closed(n)) this.add("properties-closed", path, "unknown properties are now rejected", n.loc);
      if (closed(o) && !closed(n)) this.add("properties-opened", path, "unknown properties are now accepted", n.loc);
    }
  }

  private variants(o: SchemaNode, n: SchemaNode, path: string): void {
    if (Boolean(o.oneOf) !== Boolean(n.oneOf)) {
      this.add("composition-changed", path, o.oneOf ? "no longer a oneOf" : "now a oneOf", n.loc);
    } else if (o.oneOf && n.oneOf) {
      if (o.discriminator !== n.discriminator) {
        this.add("discriminator-changed", path, `discriminator ${show(o.discriminator ?? null)} → ${show(n.discriminator ?? null)}`, n.loc);
      }
      const oldKeys = o.oneOf.map((b, i) => this.branchKey(b, i, o.discriminator, "old"));
      const newKeys = n.oneOf.map((b, i) => this.branchKey(b, i, n.discriminator, "new"));
      o.oneOf.forEach((branch, i) => {
        const j = newKeys.indexOf(oldKeys[i]!);
        if (j < 0) this.add("variant-removed", `${path}<${oldKeys[i]}>`, `variant ${oldKeys[i]} removed`, branch.loc);
        else this.node(branch, n.oneOf![j]!, `${path}<${oldKeys[i]}>`);
      });
      n.oneOf.forEach((branch, j) => {
        if (!oldKeys.includes(newKeys[j]!)) this.add("variant-added", `${path}<${newKeys[j]}>`, `variant ${newKeys[j]} added`, branch.loc);
      });
    }
    if (Boolean(o.allOf) !== Boolean(n.allOf) || (o.allOf && n.allOf && o.allOf.length !== n.allOf.length)) {
      this.add("composition-changed", path, `allOf with ${o.allOf?.length ?? 0} → ${n.allOf?.length ?? 0} parts`, n.loc);
    } else if (o.allOf && n.allOf) {
      o.allOf.forEach((part, i) => this.node(part, n.allOf![i]!, `${path}&${i + 1}`));
    }
  }

  /** A oneOf branch is matched by its discriminator value, else by the schema it names, else by position. */
  private branchKey(branch: SchemaNode, index: number, discriminator: string | undefined, side: "old" | "new"): string {
    const resolved = side === "old" ? this.resolveOld(branch) : this.resolveNew(branch);
    if (discriminator) {
      const tag = resolved.properties?.[discriminator];
      const value = tag?.const ?? (tag?.enum?.length === 1 ? tag.enum[0]!.value : undefined);
      if (value !== undefined) return `${discriminator}=${String(value)}`;
    }
    if (branch.ref) return branch.ref;
    return `#${index + 1}`;
  }
}

function valuesOf(node: SchemaNode): Scalar[] | undefined {
  if (node.const !== undefined) return [node.const];
  if (node.enum) return node.enum.map((e) => e.value);
  return undefined;
}

function typesOf(node: SchemaNode): Set<TypeName> | undefined {
  if (node.type !== undefined) return new Set(Array.isArray(node.type) ? node.type : [node.type]);
  if (node.properties || node.additionalProperties !== undefined) return new Set(["object"]);
  if (node.items) return new Set(["array"]);
  return undefined;
}
