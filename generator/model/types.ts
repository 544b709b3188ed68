/** A place in a spec file, 1-based like editors show it. */
export interface Loc {
  file: string;
  line: number;
  col: number;
}

/** The in-memory model every emitter reads. Built once from the checked spec. */
export type Lang = "en" | "zh" | "de";
export type Text = Partial<Record<Lang, string>>;
export type Scalar = string | number | boolean;
export type TypeName = "string" | "integer" | "number" | "boolean" | "object" | "array" | "null";

export interface Decision {
  issue: Text;
  decision: Text;
  sources: string[];
}

export interface EnumValue {
  value: Scalar;
  name?: string;
  description?: Text;
  source?: string;
}

export interface Example {
  name: string;
  summary?: Text;
  source: string;
  /** The example as data (parsed from `json`, or the YAML `value`). */
  value: unknown;
  /** The source's JSON text, byte for byte, when the spec gives it. */
  json?: string;
  original?: string;
  valid: boolean;
  expectError?: string;
  decision?: Text;
  loc: Loc;
  /** Where the value at a JSON pointer of the example sits in the spec (in its YAML or its JSON text). */
  locateValue: (pointer: string) => Loc;
  /** The `json` text's syntax error, at its place, when it has one. */
  jsonError?: { loc: Loc; message: string };
}

export interface SchemaNode {
  ref?: string;
  type?: TypeName | TypeName[];
  title?: string;
  description?: Text;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  forbidden?: string[];
  additionalProperties?: boolean | SchemaNode;
  unevaluatedProperties?: boolean;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  enum?: EnumValue[];
  const?: Scalar;
  default?: unknown;
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  discriminator?: string;
  deprecated?: boolean;
  examples?: Example[];
  decisions?: Decision[];
  source?: string;
  loc: Loc;
  /** Where some parts were written, for problems that concern one part; only parts the spec gives. */
  locs?: SchemaLocs;
}

/** Positions of the parts of a schema that the meaning check points at. */
export interface SchemaLocs {
  /** Each name in `required`, in order. */
  required?: Loc[];
  /** Each name in `forbidden`, in order. */
  forbidden?: Loc[];
  /** The `discriminator` key. */
  discriminator?: Loc;
  /** Each entry of `enum`, in order. */
  enum?: Loc[];
  /** The `minLength` key. */
  minLength?: Loc;
  /** The `minItems` key. */
  minItems?: Loc;
  /** The `pattern` value. */
  pattern?: Loc;
}

/** Which side of the wire a named schema describes (see model/sides.ts). */
export type SchemaSide = "send" | "receive" | "both" | "none";

export interface NamedSchema {
  name: string;
  schema: SchemaNode;
  /** Sent (checked strictly), received (read openly), both, or neither. */
  side: SchemaSide;
}

export interface PathParam {
  name: string;
  description: Text;
  /** The client option (and call option) that fills it, e.g. pageId. */
  clientOption?: string;
  /**
   * Without a client option, the caller gives the value: the name of the method's leading argument
   * that takes it (camelCase of the name: PERSONA_ID → personaId).
   */
  argument?: string;
}

export interface Paging {
  items: string;
  pageNo: string;
  pageSize: string;
  pageCount: string;
  totalCount: string;
}

/** A list paged by cursors: dotted paths into the response, and the request property the cursor goes into. */
export interface CursorPaging {
  next: string;
  cursor: string;
  request: string;
}

/** An answer that holds only the fields the request names (Graph's `fields`). */
export interface FieldSelection {
  /** The request property listing the fields: an array of an enum's values. */
  request: string;
  /** Response properties that come whatever is asked for. */
  always?: string[];
}

/** A typed shortcut for a common request of an operation: `name(client, ...arguments, options?)`. */
export interface Helper {
  name: string;
  summary: Text;
  /** In order, after the client: each argument's schema gives its type. */
  arguments: { name: string; schema: SchemaNode }[];
  /** The request sent: JSON in which `{ $arg: name }` stands for an argument. */
  request: unknown;
  loc: Loc;
}

export interface Operation {
  name: string;
  method: "GET" | "POST" | "DELETE" | "PUT" | "PATCH";
  path: string;
  summary: Text;
  description?: Text;
  source: string;
  auth: boolean;
  /** The client class it belongs to: `<Api><Group>Client`; without one, `<Api>Client`. */
  group?: string;
  /**
   * Sending the request twice is harmless: the client may repeat it after a timeout or a lost
   * connection. From the spec's `idempotent`, else true for GET, PUT and DELETE.
   */
  idempotent: boolean;
  pathParams: PathParam[];
  /**
   * The request schema and how it is sent: a JSON body or query parameters. `files` names the
   * properties that are files: a body holding one goes as multipart/form-data instead.
   */
  request: { schema: string; in: "body" | "query"; files?: string[] };
  response: { schema: string; unwrap?: string; paging?: Paging; cursorPaging?: CursorPaging; selectedBy?: FieldSelection };
  errors: string[];
  decisions: Decision[];
  /** Typed shortcuts for common requests (spec `helpers`). */
  helpers: Helper[];
  /** Another query operation on this method and path, told apart by the request's values. */
  sharesRouteWith?: string;
  loc: Loc;
  /** Where each part was written, for problems that concern one part. */
  locs: { request: Loc; requestIn: Loc; response: Loc; path: Loc; errors: Loc[]; pathParams: Record<string, Loc> };
}

export interface WebhookEventKind {
  kind: string;
  field: string;
  schema: string;
  topLevel: boolean;
  /** Dotted paths into the event whose values identify it across redeliveries (may be empty). */
  identity: string[];
  /** The envelope lists whose items can be of this kind; every list when absent. */
  lists?: string[];
  description?: Text;
  loc: Loc;
  /** Where the event names its schema: problems with that schema point there. */
  schemaLoc: Loc;
}

/** How a webhook body holds its events: body[entries][] carries the lists of events. */
export interface WebhookEnvelope {
  /** The envelope's own schema, when the payload is a union of it and top-level kinds; else the payload. */
  schema?: string;
  /** Top-level values a body must have to be this envelope (e.g. object: page); others are refused. */
  match: Record<string, Scalar>;
  entries: string;
  lists: string[];
  standby?: string;
  pageId: string;
  entryTime: string;
}

export interface Webhook {
  name: string;
  summary: Text;
  description?: Text;
  source: string;
  payload: string;
  signature?: { header: string; algorithm: "hmac-sha256"; prefix: string; description?: Text };
  verification?: { mode: string; verifyToken: string; challenge: string; expectedMode: string; description?: Text };
  envelope?: WebhookEnvelope;
  events: WebhookEventKind[];
  loc: Loc;
  payloadLoc: Loc;
}

export interface ErrorEntry {
  code: string | number;
  name: string;
  description: Text;
  retryable: boolean;
  /** The code means "too fast": a shared rate limiter backs every process off. */
  rateLimit: boolean;
  source?: string;
  decisions: Decision[];
  loc: Loc;
}

export interface ErrorTable {
  name: string;
  description: Text;
  source: string;
  codeType: "string" | "integer";
  field?: string;
  /** Whether the runtime table carries the descriptions (else name, retryable, rateLimit only). */
  descriptionsAtRuntime: boolean;
  decisions: Decision[];
  entries: ErrorEntry[];
  loc: Loc;
}

/** The hand-written runtimes whose conventions an API can follow (see spec.schema.json, `runtime`). */
export type RuntimeConventions = "graph" | "sobot";

export interface ApiModel {
  /** Folder name under spec/ ("graph", "sobot", or any other API's). */
  name: string;
  title: string;
  description: Text;
  version?: string;
  baseUrl: string;
  /** The language of the API's sources, which every text must have (spec:lint). */
  language?: "en" | "zh";
  /** The runtime that drives the API's client and fake server; absent for an API of schemas only. `loc`: its errorSchema's. */
  runtime?: {
    conventions: RuntimeConventions;
    errorSchema?: string;
    /** The operation that sends a batch of the API's requests: its client gets `batch(items)`. */
    batch?: string;
    loc: Loc;
  };
  auth: { kind: "header" | "bearer"; name: string; description?: Text };
  sources: { id: string; title: string; language?: string }[];
  decisions: Decision[];
  schemas: NamedSchema[];
  operations: Operation[];
  webhooks: Webhook[];
  errorTables: ErrorTable[];
}

export interface SpecModel {
  apis: ApiModel[];
}
