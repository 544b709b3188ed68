/**
 * The classification rules of `npm run spec:diff`, one row per kind of change. A schema change is
 * judged by the side it is seen from: the request side is what callers send (request bodies and
 * query parameters), the response side what callers receive (response bodies, and webhook payloads,
 * which the SDK parses and hands to callers). A schema used on both sides is judged on both.
 *
 * `typeVisible` says whether the change can show in the generated TypeScript types, so that the
 * type check (generator/diff/typecheck.ts) is expected to confirm a breaking verdict.
 */
export type Severity = "breaking" | "non-breaking" | "documentation";
export type Side = "request" | "response";

export interface Rule {
  request: Severity;
  response: Severity;
  typeVisible: boolean;
  /** One line for the table in spec/README.md. */
  why: string;
}

const B = "breaking" as const;
const N = "non-breaking" as const;
const D = "documentation" as const;

export const SCHEMA_RULES = {
  "property-removed": { request: B, response: B, typeVisible: true, why: "request: callers sending it fail validation (requests are closed); response: callers reading it get nothing" },
  "property-added-optional": { request: N, response: N, typeVisible: false, why: "nobody has to send it; readers may ignore it" },
  "property-added-required": { request: B, response: N, typeVisible: true, why: "existing requests lack it; a response gaining a field is harmless" },
  "property-made-required": { request: B, response: N, typeVisible: true, why: "existing requests may omit it; readers now always get it" },
  "property-made-optional": { request: N, response: B, typeVisible: true, why: "callers relied on it being present in responses" },
  "enum-value-removed": { request: B, response: N, typeVisible: true, why: "callers sending it fail; a response value that no longer comes is safe" },
  "enum-value-added": { request: N, response: N, typeVisible: false, why: "callers may send it; received enums are open (the known values or any string), so readers already handle values they do not know" },
  "const-changed": { request: B, response: B, typeVisible: true, why: "the one allowed value is a different one" },
  "values-restricted": { request: B, response: N, typeVisible: true, why: "a free value became an enum or const (narrowed)" },
  "values-unrestricted": { request: N, response: B, typeVisible: true, why: "an enum or const became a free value (widened)" },
  "type-narrowed": { request: B, response: N, typeVisible: true, why: "fewer JSON types accepted (e.g. number → integer)" },
  "type-widened": { request: N, response: B, typeVisible: true, why: "more JSON types possible (e.g. string → string or integer); null on an optional received property is no change, it may be null already" },
  "type-changed": { request: B, response: B, typeVisible: true, why: "unrelated JSON type" },
  "limit-tightened": { request: B, response: N, typeVisible: false, why: "maxLength/maxItems/maximum lowered or added, minLength/minItems/minimum raised or added" },
  "limit-relaxed": { request: N, response: B, typeVisible: false, why: "the reverse: callers may have relied on the old bound of received values" },
  "pattern-tightened": { request: B, response: N, typeVisible: false, why: "a pattern was added" },
  "pattern-relaxed": { request: N, response: B, typeVisible: false, why: "a pattern was removed" },
  "pattern-changed": { request: B, response: B, typeVisible: false, why: "neither pattern is known to contain the other" },
  "variant-removed": { request: B, response: N, typeVisible: true, why: "a oneOf branch is gone (like an enum value)" },
  "variant-added": { request: N, response: B, typeVisible: true, why: "a oneOf branch is new (like an enum value)" },
  "discriminator-changed": { request: B, response: B, typeVisible: false, why: "variants are told apart by another property" },
  "composition-changed": { request: B, response: B, typeVisible: true, why: "oneOf/allOf added, removed or re-shaped; judged as a different type" },
  "properties-closed": { request: B, response: N, typeVisible: false, why: "unknown properties are now rejected" },
  "properties-opened": { request: N, response: N, typeVisible: false, why: "unknown properties are now accepted" },
  "forbidden-added": { request: B, response: N, typeVisible: true, why: "a property must now be absent" },
  "forbidden-removed": { request: N, response: N, typeVisible: false, why: "a property may now be present" },
  "ref-changed": { request: N, response: N, typeVisible: false, why: "a property now names another schema; its shape is compared as usual" },
  "default-changed": { request: N, response: N, typeVisible: false, why: "noteworthy: the documented default differs" },
  "deprecated": { request: N, response: N, typeVisible: false, why: "deprecation is announced (semver minor)" },
  "docs-changed": { request: D, response: D, typeVisible: false, why: "description, title, examples, decisions, source, format, enum names/descriptions" },
} as const satisfies Record<string, Rule>;

/** Changes that do not depend on a side: operations, webhooks, error tables, named schemas, APIs. */
export const OTHER_RULES = {
  "operation-removed": { severity: B, typeVisible: true, why: "the client method is gone" },
  "operation-added": { severity: N, typeVisible: false, why: "a new client method" },
  "operation-method-changed": { severity: B, typeVisible: false, why: "the HTTP method is part of the endpoint" },
  "operation-path-changed": { severity: B, typeVisible: false, why: "another endpoint (path parameters included)" },
  "operation-request-in-changed": { severity: B, typeVisible: false, why: "body ↔ query parameters, or which properties go as files (multipart)" },
  "operation-result-changed": { severity: B, typeVisible: true, why: "`unwrap`, `paging` or `selectedBy` changed what the method returns" },
  "operation-pages-added": { severity: N, typeVisible: false, why: "a new `<operation>Pages` method (`cursorPaging`)" },
  "operation-pages-changed": { severity: B, typeVisible: true, why: "the `<operation>Pages` method walks the pages differently, or is gone (`cursorPaging`)" },
  "operation-auth-changed": { severity: N, typeVisible: false, why: "noteworthy: the SDK adds or drops credentials itself" },
  "operation-group-changed": { severity: B, typeVisible: false, why: "the method moves to another client class (`<Api><Group>Client`)" },
  "operation-helper-added": { severity: N, typeVisible: false, why: "a new typed helper function (`helpers`)" },
  "operation-helper-changed": { severity: B, typeVisible: true, why: "a helper function's arguments or request changed, or it is gone (`helpers`)" },
  "operation-client-option-removed": { severity: B, typeVisible: true, why: "a call option filling a path parameter is gone" },
  "operation-client-option-added": { severity: N, typeVisible: false, why: "a new call option" },
  "operation-other-changed": { severity: N, typeVisible: false, why: "noteworthy: another operation setting changed (e.g. `idempotent`, which the retry policy reads)" },
  "operation-docs-changed": { severity: D, typeVisible: false, why: "summary, description, source, decisions, listed error tables" },
  "webhook-removed": { severity: B, typeVisible: true, why: "its parser is gone" },
  "webhook-added": { severity: N, typeVisible: false, why: "a new parser" },
  "webhook-event-removed": { severity: B, typeVisible: true, why: "events of that kind now arrive as `unknown`; handlers stop firing" },
  "webhook-event-added": { severity: B, typeVisible: true, why: "events that arrived as `unknown` now arrive under a new kind (like a response enum value added)" },
  "webhook-event-changed": { severity: B, typeVisible: false, why: "an event kind is recognised by another field, or became (or stopped being) a top-level body" },
  "webhook-delivery-changed": { severity: B, typeVisible: false, why: "signature, verification or envelope changed: callers pass other headers/parameters" },
  "webhook-docs-changed": { severity: D, typeVisible: false, why: "summary, description, source" },
  "schema-removed": { severity: B, typeVisible: true, why: "an exported type is gone (a rename is a removal plus an addition)" },
  "schema-added": { severity: N, typeVisible: false, why: "a new exported type" },
  "error-table-removed": { severity: B, typeVisible: true, why: "an exported error enum is gone" },
  "error-table-added": { severity: N, typeVisible: false, why: "a new exported error enum" },
  "error-table-changed": { severity: B, typeVisible: true, why: "the code type (string ↔ integer) changed" },
  "error-field-changed": { severity: N, typeVisible: false, why: "noteworthy: the SDK reads the code from another field" },
  "error-code-removed": { severity: B, typeVisible: true, why: "the enum member is gone; code comparing against it stops compiling" },
  "error-code-added": { severity: N, typeVisible: false, why: "error enums are open: the SDK already surfaced unknown codes" },
  "error-code-renamed": { severity: B, typeVisible: true, why: "the enum member has another name" },
  "error-retryable-changed": { severity: N, typeVisible: false, why: "noteworthy: the SDK's retry policy for that code changes" },
  "error-rate-limit-changed": { severity: N, typeVisible: false, why: "noteworthy: whether a shared rate limiter backs every process off on that code changes" },
  "error-docs-changed": { severity: D, typeVisible: false, why: "description, source, decisions" },
  "api-removed": { severity: B, typeVisible: true, why: "a whole API (client, types, entry point) is gone" },
  "api-added": { severity: N, typeVisible: false, why: "a new API" },
  "api-auth-changed": { severity: B, typeVisible: false, why: "callers supply other credentials" },
  "api-base-url-changed": { severity: N, typeVisible: false, why: "noteworthy: the default base URL differs" },
  "api-docs-changed": { severity: D, typeVisible: false, why: "title, description, version, sources, decisions" },
} as const satisfies Record<string, { severity: Severity; typeVisible: boolean; why: string }>;

export type SchemaChangeKind = keyof typeof SCHEMA_RULES;
export type OtherChangeKind = keyof typeof OTHER_RULES;
export type ChangeKind = SchemaChangeKind | OtherChangeKind;

export function isSchemaKind(kind: ChangeKind): kind is SchemaChangeKind {
  return kind in SCHEMA_RULES;
}

export function severityOf(kind: ChangeKind, side: Side | undefined): Severity {
  if (isSchemaKind(kind)) return SCHEMA_RULES[kind][side ?? "request"];
  return OTHER_RULES[kind].severity;
}

export function typeVisible(kind: ChangeKind): boolean {
  return isSchemaKind(kind) ? SCHEMA_RULES[kind].typeVisible : OTHER_RULES[kind].typeVisible;
}

/** The rules as a Markdown table (the source of the table in spec/README.md; a test keeps them equal). */
export function rulesTable(): string {
  const rows = [
    "| change | request side | response side | why |",
    "|---|---|---|---|",
    ...Object.entries(SCHEMA_RULES).map(([kind, r]) => `| \`${kind}\` | ${r.request} | ${r.response} | ${r.why} |`),
    ...Object.entries(OTHER_RULES).map(([kind, r]) => `| \`${kind}\` | ${r.severity} | ${r.severity} | ${r.why} |`),
  ];
  return rows.join("\n");
}
