import type { ApiModel, Decision, EnumValue, ErrorTable, Example, Operation, SchemaNode, Text, Webhook, WebhookEventKind } from "../model/types.js";
import { clientOf } from "./client.js";
import { limitLines } from "./docs.js";
import { otherLanguages, primaryText } from "./languages.js";
import { ERROR_RESPONSE } from "./openapi.js";
import type { Emitter } from "./types.js";
import { namedSchemas } from "../model/refs.js";

/**
 * `docs/`: Markdown reference pages. Per API an index (`docs/<api>/README.md`), one page per
 * operation (`docs/<api>/operations/<name>.md`) and one per webhook event kind
 * (`docs/<api>/webhooks/<kind>.md`). Each page is self-contained: the fields of its bodies (name,
 * type, required, limits, description in every language the spec gives), then every named type
 * they use, enum values with their meanings, the examples as pretty JSON, the error codes of the
 * tables the operation lists, and the decisions the spec records.
 */
export const emitReferenceDocs: Emitter = (model) =>
  [
    { path: "docs/README.md", content: rootIndex(model.apis) },
    ...model.apis.flatMap((api) => [
      { path: `docs/${api.name}/README.md`, content: apiIndex(api) },
      ...api.operations.map((op) => ({ path: operationDoc(api, op), content: operationPage(api, op) })),
      ...api.webhooks.flatMap((hook) => hook.events.map((event) => ({ path: eventDoc(api, event), content: eventPage(api, hook, event) }))),
    ]),
    // Written in final form: prettier's only change to these pages was padding table cells, at a
    // third of the generation time.
  ].map((file) => ({ ...file, final: true }));

/** Paths relative to the package root; links inside docs/ are relative to the page. */
export const apiDoc = (api: ApiModel) => `docs/${api.name}/README.md`;
export const operationDoc = (api: ApiModel, op: Operation) => `docs/${api.name}/operations/${op.name}.md`;
export const eventDoc = (api: ApiModel, event: WebhookEventKind) => `docs/${api.name}/webhooks/${event.kind}.md`;


// ---------------------------------------------------------------------------------------------
// Text

/** Spec prose as Markdown text: no HTML tags, no emphasis the source did not mean ("Nutzer*innen"). */
function prose(value: string): string {
  return value.replace(/</g, "&lt;").replace(/\*/g, "\\*");
}

/** The text in its first language (English where the sources give it), as Markdown. */
function primary(text: Text | undefined): string {
  const value = primaryText(text);
  return value ? prose(value) : "";
}

/** The first language as paragraphs, then each other language the spec gives, labelled. */
function paragraphs(text: Text | undefined): string {
  return [primary(text), ...otherLanguages(text).map((other) => `*${other.label} (source text):* ${prose(other.text)}`)].filter(Boolean).join("\n\n");
}

/** The same in one table cell. */
function cellText(text: Text | undefined): string {
  return [primary(text), ...otherLanguages(text).map((other) => `*${other.label}:* ${prose(other.text)}`)].filter(Boolean).map(cell).join("<br><br>");
}

function firstLine(text: Text | undefined): string {
  return (text?.en ?? text?.zh ?? text?.de ?? "").split("\n")[0]!.trim();
}

/** A table cell: no raw pipes or line breaks. */
function cell(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

function code(value: string): string {
  const ticks = value.includes("`") ? "``" : "`";
  const pad = ticks.length > 1 ? " " : "";
  return `${ticks}${pad}${value}${pad}${ticks}`;
}

function json(value: unknown): string {
  return code(JSON.stringify(value));
}

function fence(language: string, body: string): string {
  const ticks = body.includes("```") ? "````" : "```";
  return `${ticks}${language}\n${body.replace(/\n$/, "")}\n${ticks}`;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function section(...blocks: (string | undefined | false)[]): string {
  return blocks.filter((b): b is string => Boolean(b && b.trim())).join("\n\n");
}

const anchor = (name: string) => `#${name.toLowerCase().replace(/[^a-z0-9_ -]/g, "").replace(/ /g, "-")}`;

// ---------------------------------------------------------------------------------------------
// Schemas

interface Context {
  api: ApiModel;
  schemas: ReadonlyMap<string, SchemaNode>;
}

function context(api: ApiModel): Context {
  return { api, schemas: namedSchemas(api) };
}

/** Every named schema a node uses, transitively, in first-use order. */
function namedTypes(ctx: Context, roots: SchemaNode[], skip: Set<string>): string[] {
  const found: string[] = [];
  const seen = new Set(skip);
  const visit = (node: SchemaNode | undefined) => {
    if (!node) return;
    if (node.ref && !seen.has(node.ref)) {
      seen.add(node.ref);
      found.push(node.ref);
      visit(ctx.schemas.get(node.ref));
    }
    for (const child of children(node)) visit(child);
  };
  roots.forEach(visit);
  return found;
}

function children(node: SchemaNode): SchemaNode[] {
  return [
    ...Object.values(node.properties ?? {}),
    ...(node.items ? [node.items] : []),
    ...(node.allOf ?? []),
    ...(node.oneOf ?? []),
    ...(node.additionalProperties && typeof node.additionalProperties === "object" ? [node.additionalProperties] : []),
  ];
}

/** What a value of the node is, in a few words; named types link to their section on the page. */
function typeLabel(node: SchemaNode): string {
  if (node.ref) return `[${node.ref}](${anchor(node.ref)})`;
  if (node.const !== undefined) return json(node.const);
  if (node.enum) return node.enum.map((e) => json(e.value)).join(", ");
  if (node.oneOf) return `one of ${node.oneOf.map(typeLabel).join(", ")}`;
  if (node.allOf) return `all of ${node.allOf.map(typeLabel).join(", ")}`;
  const types = node.type === undefined ? [] : [node.type].flat();
  if (types.length === 0) return node.properties ? "object" : "any JSON value";
  return types
    .map((t) => {
      if (t === "array") return node.items ? `array of ${typeLabel(node.items)}` : "array";
      if (t === "object" && node.additionalProperties && typeof node.additionalProperties === "object" && !node.properties) {
        return `map of ${typeLabel(node.additionalProperties)}`;
      }
      return t;
    })
    .join(" or ");
}

function limits(node: SchemaNode): string {
  return limitLines(node).map(cell).join("<br>");
}

interface Row {
  path: string;
  node: SchemaNode;
  required: "yes" | "no" | "must be absent";
}

/** The fields of an object node, nested inline objects and arrays of them as `a.b` and `a[].b`. */
function rowsOf(node: SchemaNode, prefix = ""): Row[] {
  const required = new Set(node.required ?? []);
  const rows: Row[] = [];
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${name}`;
    rows.push({ path, node: property, required: required.has(name) ? "yes" : "no" });
    if (!property.ref && property.properties) rows.push(...rowsOf(property, `${path}.`));
    const items = property.items;
    if (items && !items.ref && items.properties) rows.push(...rowsOf(items, `${path}[].`));
  }
  for (const name of node.forbidden ?? []) rows.push({ path: `${prefix}${name}`, node: { loc: node.loc }, required: "must be absent" });
  return rows;
}

function fieldsTable(rows: Row[]): string {
  return table(
    ["field", "type", "required", "limits", "description"],
    rows.map((r) => [
      code(r.path),
      r.required === "must be absent" ? "—" : cell(typeLabel(r.node)),
      r.required,
      r.required === "must be absent" ? "" : limits(r.node),
      [cellText(r.node.description), r.node.deprecated ? "**Deprecated.**" : ""].filter(Boolean).join("<br><br>"),
    ]),
  );
}

function enumTable(values: EnumValue[]): string {
  const described = values.some((v) => v.name || v.description);
  if (!described) return `Values: ${values.map((v) => json(v.value)).join(", ")}.`;
  return table(["value", "name", "meaning"], values.map((v) => [json(v.value), v.name ?? "", cellText(v.description)]));
}

/** Enum values with their meanings, for every field of the rows that has described values. */
function fieldEnums(rows: Row[]): string | undefined {
  const withMeanings = rows.filter((r) => r.node.enum?.some((v) => v.name || v.description));
  if (!withMeanings.length) return undefined;
  return withMeanings.map((r) => `Values of ${code(r.path)}:\n\n${enumTable(r.node.enum!)}`).join("\n\n");
}

function decisionsBlock(decisions: { where?: string; decision: Decision }[]): string | undefined {
  if (!decisions.length) return undefined;
  return decisions
    .map(({ where, decision }) =>
      [
        `- ${where ? `${code(where)}: ` : ""}**Source conflict:** ${inline(decision.issue)}`,
        `  **Decision:** ${inline(decision.decision)}`,
        ...(decision.sources.length ? [`  Sources: ${decision.sources.join(", ")}.`] : []),
      ].join("\n"),
    )
    .join("\n");
}

/** The first language on one list line, the others after it, labelled. */
function inline(text: Text): string {
  const flat = (value: string) => value.replace(/\s*\n\s*/g, " ");
  const others = otherLanguages(text).map((other) => `*${other.label}:* ${flat(prose(other.text))}`);
  return `${flat(primary(text))}${others.length ? ` (${others.join("; ")})` : ""}`;
}

/** Decisions recorded on the node's fields (the node's own come first). */
function rowDecisions(node: SchemaNode, rows: Row[]): { where?: string; decision: Decision }[] {
  return [
    ...(node.decisions ?? []).map((decision) => ({ decision })),
    ...rows.flatMap((r) => (r.node.decisions ?? []).map((decision) => ({ where: r.path, decision }))),
  ];
}

/** How a schema is built: fields table, variants, parts, values, decisions. */
function schemaBody(ctx: Context, node: SchemaNode, level: number): string {
  const rows = rowsOf(node);
  const h = "#".repeat(level);
  const variants = (node.oneOf ?? []).map((variant, i) => {
    const title = variant.ref ?? variant.title ?? `Variant ${i + 1}`;
    if (variant.ref) return `- ${typeLabel(variant)}${ctx.schemas.get(variant.ref)?.description ? `: ${inline(ctx.schemas.get(variant.ref)!.description!)}` : ""}`;
    return { title, variant };
  });
  const parts = (node.allOf ?? []).map((part, i) => (part.ref ? `- ${typeLabel(part)}` : { title: part.title ?? `Part ${i + 1}`, variant: part }));
  const render = (list: (string | { title: string; variant: SchemaNode })[]) =>
    list.map((item) => (typeof item === "string" ? item : `${h} ${item.title}\n\n${schemaBody(ctx, item.variant, level + 1)}`));
  const simpleType = !rows.length && !node.oneOf && !node.allOf && !node.enum && !node.ref;
  return section(
    node.ref ? `Same as ${typeLabel(node)}.` : undefined,
    node.allOf ? introduced("All of these parts at once:", render(parts.filter((p) => typeof p === "string"))) : undefined,
    ...render(parts.filter((p) => typeof p !== "string")),
    node.unevaluatedProperties === false || node.additionalProperties === false ? "Closed: a field not listed here is rejected." : undefined,
    node.oneOf
      ? introduced(
          `Exactly one of these variants${node.discriminator ? `, told apart by ${code(node.discriminator)}` : ""}:`,
          render(variants.filter((v) => typeof v === "string")),
        )
      : undefined,
    ...render(variants.filter((v) => typeof v !== "string")),
    rows.length ? fieldsTable(rows) : undefined,
    simpleType ? `Type: ${typeLabel(node)}.${limitLines(node).length ? ` ${limitLines(node).join(" ")}` : ""}` : undefined,
    node.enum ? enumTable(node.enum) : undefined,
    fieldEnums(rows),
    decisionsBlock(rowDecisions(node, rows)),
  );
}

/** A lead-in line and, when there are any, the list items under it. */
function introduced(lead: string, items: string[]): string {
  return items.length ? `${lead}\n\n${items.join("\n")}` : lead;
}

/** `## Types`: every named schema the page's bodies use, each under its own heading. */
function typesSection(ctx: Context, roots: SchemaNode[], shown: Set<string>): string | undefined {
  const names = namedTypes(ctx, roots, shown);
  if (!names.length) return undefined;
  return section(
    "## Types",
    "The named types the bodies above use, in order of first use.",
    ...names.map((name) => {
      const node = ctx.schemas.get(name)!;
      return section(`### ${name}`, paragraphs(node.description), schemaBody(ctx, node, 4));
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Examples and errors

function examplesBlock(examples: Example[] | undefined, level: number): string | undefined {
  if (!examples?.length) return undefined;
  const h = "#".repeat(level);
  return examples
    .map((e) =>
      section(
        `${h} ${e.name}${e.valid ? "" : " (invalid on purpose)"}`,
        paragraphs(e.summary),
        `Source: ${e.source}.`,
        e.valid ? undefined : `The spec keeps this verbatim example although it breaks the schema; it must fail at ${code(e.expectError ?? "")}.`,
        e.decision ? `Decision: ${inline(e.decision)}` : undefined,
        fence("json", JSON.stringify(e.value, null, 2)),
        e.original ? `As documented:\n\n${fence("text", e.original)}` : undefined,
      ),
    )
    .join("\n\n");
}

function errorTableBlock(table_: ErrorTable, level: number): string {
  const h = "#".repeat(level);
  const decisions = [
    ...table_.decisions.map((decision) => ({ decision })),
    ...table_.entries.flatMap((e) => e.decisions.map((decision) => ({ where: String(e.code), decision }))),
  ];
  return section(
    `${h} ${table_.name}`,
    paragraphs(table_.description),
    table_.field ? `Read from ${code(table_.field)}. Source: ${table_.source}.` : `Source: ${table_.source}.`,
    table(
      ["code", "name", "retryable", "description"],
      table_.entries.map((e) => [code(String(e.code)), e.name, e.retryable ? "yes" : "no", cellText(e.description)]),
    ),
    decisionsBlock(decisions),
  );
}

// ---------------------------------------------------------------------------------------------
// Pages

function rootIndex(apis: ApiModel[]): string {
  return section(
    "# messenger-sdk reference",
    "Generated from the spec by messenger-codegen. One index per API, one page per operation and per webhook event kind.",
    table(
      ["API", "operations", "webhook event kinds"],
      apis.map((api) => [
        `[${api.title}](${api.name}/README.md)`,
        String(api.operations.length),
        String(api.webhooks.reduce((n, h) => n + h.events.length, 0)),
      ]),
    ),
    "The OpenAPI 3.1 documents are `openapi/<api>.openapi.json`; the JSON Schemas are `schemas/<api>.schema.json`.",
  ) + "\n";
}

function authText(api: ApiModel): string {
  return api.auth.kind === "header"
    ? `Every call sends the ${code(api.auth.name)} header.`
    : `Every call sends the token as ${code("Authorization: Bearer <token>")} (the API's name for it: ${code(api.auth.name)}).`;
}

function apiIndex(api: ApiModel): string {
  const hooks = api.webhooks.map((hook) =>
    section(
      `### ${hook.name}`,
      paragraphs(hook.summary),
      paragraphs(hook.description),
      webhookMechanics(hook),
      table(
        ["event kind", "recognised by", "schema", "description"],
        hook.events.map((e) => [`[${e.kind}](webhooks/${e.kind}.md)`, recognised(e), code(e.schema), cellText(e.description)]),
      ),
    ),
  );
  return section(
    `# ${api.title}`,
    paragraphs(api.description),
    table(["", ""], [["Base URL", code(api.baseUrl)], ...(api.version ? [["Version", code(api.version)]] : []), ["SDK entry point", code(`messenger-sdk/${api.name}`)], ["OpenAPI", code(`openapi/${api.name}.openapi.json`)]]),
    "## Authentication",
    section(authText(api), paragraphs(api.auth.description)),
    "## Operations",
    table(
      ["operation", "endpoint", "summary"],
      api.operations.map((op) => [`[${op.name}](operations/${op.name}.md)`, code(`${op.method} ${op.path}`), cellText(op.summary)]),
    ),
    api.webhooks.length ? section("## Webhooks", ...hooks) : undefined,
    api.errorTables.length ? section("## Error codes", ...api.errorTables.map((t) => errorTableBlock(t, 3))) : undefined,
    api.decisions.length ? section("## Decisions", decisionsBlock(api.decisions.map((decision) => ({ decision })))) : undefined,
    api.sources.length
      ? section("## Sources", api.sources.map((s) => `- ${code(s.id)}: ${s.title}${s.language ? ` (${s.language})` : ""}`).join("\n"))
      : undefined,
  ) + "\n";
}

function operationPage(api: ApiModel, op: Operation): string {
  const ctx = context(api);
  const request = ctx.schemas.get(op.request.schema)!;
  const response = ctx.schemas.get(op.response.schema)!;
  const tables = op.errors.map((name) => api.errorTables.find((t) => t.name === name)).filter((t): t is ErrorTable => Boolean(t));
  const errorResponse = ctx.schemas.get(ERROR_RESPONSE);
  const envelopeErrors = tables.filter((t) => t.field && response.properties?.[t.field.split(".")[0]!]);
  const statusErrors = tables.filter((t) => !envelopeErrors.includes(t));
  const shown = new Set([op.request.schema, op.response.schema]);
  const roots = [request, response, ...(statusErrors.length && errorResponse ? [{ ref: ERROR_RESPONSE, loc: errorResponse.loc }] : [])];

  return section(
    `# ${op.name}`,
    `[${api.title}](../README.md) › ${op.name}`,
    paragraphs(op.summary),
    table(
      ["", ""],
      [
        ["Endpoint", code(`${op.method} ${op.path}`)],
        ["Base URL", code(api.baseUrl)],
        ["Authentication", op.auth ? authText(api) : "None: this call is made without the API's credentials."],
        ["SDK", code(`${clientOf(api, op)}.${op.name}(${[...op.pathParams.flatMap((p) => (p.argument ? [p.argument] : [])), "request"].join(", ")})`)],
        ...(op.helpers.length
          ? [["Helpers", op.helpers.map((h) => `${code(`${h.name}(client, ${h.arguments.map((a) => a.name).join(", ")})`)}: ${cellText(h.summary)}`).join("<br>")]]
          : []),
        ["Source", op.source],
      ],
    ),
    paragraphs(op.description),
    op.pathParams.length
      ? section(
          "## Path parameters",
          table(
            ["name", "description"],
            op.pathParams.map((p) => [code(p.name), [cellText(p.description), p.clientOption ? `Filled from the client option ${code(p.clientOption)}.` : ""].filter(Boolean).join("<br><br>")]),
          ),
        )
      : undefined,
    section(
      op.request.in === "query" ? "## Request (query parameters)" : "## Request body",
      `${code(op.request.schema)}${op.request.in === "query" ? ", sent as query parameters" : op.request.files ? `, sent as JSON, or as multipart/form-data when it holds ${op.request.files.map(code).join(" or ")} (one part per property, objects and lists as JSON text)` : ", sent as JSON"}.`,
      paragraphs(request.description),
      schemaBody(ctx, request, 3),
    ),
    section(
      "## Response body",
      `${code(op.response.schema)}, JSON.${op.response.unwrap ? ` The SDK returns its ${code(op.response.unwrap)} on success.` : ""}${op.response.paging ? ` Paged: the list is ${code(op.response.paging.items)}; the SDK's ${code(`${op.name}Pages`)} walks every page.` : ""}${op.response.cursorPaging ? ` Paged by cursors: ${code(op.response.cursorPaging.cursor)} goes into the next request as ${code(op.response.cursorPaging.request)} while ${code(op.response.cursorPaging.next)} is there; the SDK's ${code(`${op.name}Pages`)} walks every page.` : ""}`,
      paragraphs(response.description),
      schemaBody(ctx, response, 3),
    ),
    typesSection(ctx, roots, shown),
    request.examples?.length || response.examples?.length ? section(
      "## Examples",
      request.examples?.length ? section("### Requests", examplesBlock(request.examples, 4)) : undefined,
      response.examples?.length ? section("### Responses", examplesBlock(response.examples, 4)) : undefined,
      statusErrors.length && errorResponse?.examples?.length ? section("### Error responses", examplesBlock(errorResponse.examples, 4)) : undefined,
    ) : undefined,
    tables.length
      ? section(
          "## Error codes",
          ...envelopeErrors.map((t) => `Failures come back with HTTP 200 in the same envelope: ${code(t.field!)} tells success from failure; the SDK raises every code but ${code(String(t.entries[0]?.code ?? ""))} as an error.`),
          statusErrors.length ? `Failures come back with an HTTP error status and the ${errorResponse ? "[ErrorResponse](#errorresponse)" : "error"} body.` : undefined,
          ...tables.map((t) => errorTableBlock(t, 3)),
        )
      : undefined,
    op.decisions.length ? section("## Decisions", decisionsBlock(op.decisions.map((decision) => ({ decision })))) : undefined,
  ) + "\n";
}

function recognised(event: WebhookEventKind): string {
  if (event.topLevel) return `the body has ${code(event.field)}`;
  return `the event has ${code(event.field)}${event.lists ? ` (in ${event.lists.map((l) => code(`${l}[]`)).join(", ")})` : ""}`;
}

function identityOf(event: WebhookEventKind): string {
  const fields = event.identity.map(code).join(" + ");
  return `${code("event.id")}${fields ? ` from ${fields}` : ""}; ${fields ? "where one is missing, " : ""}a hash of the event as received. Stable across redeliveries: deduplicate on it`;
}

function webhookMechanics(hook: Webhook): string | undefined {
  const lines = [
    hook.envelope
      ? `Events arrive in ${code(`${hook.envelope.entries}[]`)}, each entry's ${hook.envelope.lists.map((l) => code(`${l}[]`)).join(" or ")} (Page id ${code(hook.envelope.pageId)}, time ${code(hook.envelope.entryTime)}); an event's kind is the first kind whose field it has, and an event of no known kind arrives as ${code("unknown")}. Only the envelope${Object.keys(hook.envelope.match).length ? ` (${Object.entries(hook.envelope.match).map(([k, v]) => code(`${k}: ${JSON.stringify(v)}`)).join(", ")}, ${code(`${hook.envelope.entries}[]`)})` : ""} can refuse a delivery; each event is checked on its own and delivered either way.`
      : undefined,
    hook.signature
      ? `Signed: ${code(hook.signature.header)} is ${code(hook.signature.prefix)} followed by the ${hook.signature.algorithm} of the raw body.${hook.signature.description ? ` ${inline(hook.signature.description)}` : ""}`
      : "Not signed: the source describes no signature.",
    hook.verification
      ? `Verification: a GET with ${code(hook.verification.mode)} = ${code(hook.verification.expectedMode)}, ${code(hook.verification.verifyToken)} and ${code(hook.verification.challenge)}; answer the challenge when the token matches.${hook.verification.description ? ` ${inline(hook.verification.description)}` : ""}`
      : undefined,
  ];
  return lines.filter(Boolean).map((l) => `- ${l}`).join("\n");
}

/** Payload examples that carry an event of this kind. */
function payloadExamplesWith(hook: Webhook, payload: SchemaNode, event: WebhookEventKind): Example[] {
  const has = (value: unknown): boolean => {
    if (!value || typeof value !== "object") return false;
    if (event.topLevel) return event.field in value;
    const body = value as Record<string, unknown>;
    const entries = hook.envelope ? body[hook.envelope.entries] : undefined;
    if (!Array.isArray(entries)) return false;
    return entries.some((entry) =>
      (hook.envelope?.lists ?? []).some((list) => {
        const events = (entry as Record<string, unknown>)?.[list];
        return Array.isArray(events) && events.some((e) => e && typeof e === "object" && kindOf(hook, e as object) === event.kind);
      }),
    );
  };
  return (payload.examples ?? []).filter((e) => has(e.value));
}

function kindOf(hook: Webhook, event: object): string | undefined {
  return hook.events.find((k) => !k.topLevel && k.field in event)?.kind;
}

function eventPage(api: ApiModel, hook: Webhook, event: WebhookEventKind): string {
  const ctx = context(api);
  const schema = ctx.schemas.get(event.schema)!;
  const payload = ctx.schemas.get(hook.payload)!;
  const payloadExamples = payloadExamplesWith(hook, payload, event);
  return section(
    `# Webhook event: ${event.kind}`,
    `[${api.title}](../README.md) › webhook ${code(hook.name)} › ${event.kind}`,
    paragraphs(event.description),
    table(
      ["", ""],
      [
        ["Recognised by", recognised(event)],
        ["Schema", code(event.schema)],
        ["Webhook", `${code(hook.name)}: ${cell(prose(firstLine(hook.summary)))} (payload ${code(hook.payload)})`],
        ["SDK", `${code(`{ kind: "${event.kind}", conforms, data, issues }`)} from the SDK's webhook parser; an event that departs from the schema arrives as received with ${code("conforms: false")}`],
        ["Identity", identityOf(event)],
        ["Source", hook.source],
      ],
    ),
    webhookMechanics(hook),
    section(`## Fields`, `${code(event.schema)}${event.topLevel ? ", the whole body" : ", one event of the envelope's lists"}.`, paragraphs(schema.description), schemaBody(ctx, schema, 3)),
    typesSection(ctx, [schema], new Set([event.schema])),
    schema.examples?.length || payloadExamples.length
      ? section(
          "## Examples",
          schema.examples?.length ? section("### Events", examplesBlock(schema.examples, 4)) : undefined,
          payloadExamples.length ? section(`### Whole bodies with this event`, examplesBlock(payloadExamples, 4)) : undefined,
        )
      : undefined,
  ) + "\n";
}
