import type { Operation, RuntimeConventions, Scalar, TypeName, Webhook } from "../model/types.js";

/**
 * The shapes of a spec file as YAML gives them, once spec.schema.json has accepted the file. They
 * mirror that schema; the model (model/types.ts) is what the rest of the generator reads.
 */
export type RawText = string | { en?: string; zh?: string; de?: string };

export interface RawDecision {
  issue: RawText;
  decision: RawText;
  sources?: string[];
}

export type RawEnumValue = Scalar | { value: Scalar; name?: string; description?: RawText; source?: string };

export interface RawExample {
  name: string;
  summary?: RawText;
  source: string;
  json?: string;
  value?: unknown;
  original?: string;
  valid?: boolean;
  expectError?: string;
  decision?: RawText;
}

export interface RawSchema {
  ref?: string;
  type?: TypeName | TypeName[];
  title?: string;
  description?: RawText;
  properties?: Record<string, RawSchema>;
  required?: string[];
  forbidden?: string[];
  additionalProperties?: boolean | RawSchema;
  unevaluatedProperties?: boolean;
  items?: RawSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  enum?: RawEnumValue[];
  const?: Scalar;
  default?: unknown;
  oneOf?: RawSchema[];
  allOf?: RawSchema[];
  discriminator?: string;
  deprecated?: boolean;
  examples?: RawExample[];
  decisions?: RawDecision[];
  source?: string;
}

export interface RawOperation {
  method: Operation["method"];
  path: string;
  summary: RawText;
  description?: RawText;
  source: string;
  auth?: boolean;
  group?: string;
  idempotent?: boolean;
  pathParams?: Record<string, { description: RawText; clientOption?: string; argument?: string }>;
  request: Operation["request"];
  response: Operation["response"];
  errors?: string[];
  decisions?: RawDecision[];
  helpers?: Record<string, { summary: RawText; arguments: Record<string, RawSchema>; request: unknown }>;
  sharesRouteWith?: string;
}

export interface RawWebhook {
  summary: RawText;
  description?: RawText;
  source: string;
  payload: string;
  signature?: Omit<NonNullable<Webhook["signature"]>, "description"> & { description?: RawText };
  verification?: Omit<NonNullable<Webhook["verification"]>, "description"> & { description?: RawText };
  envelope?: Omit<NonNullable<Webhook["envelope"]>, "match"> & { match?: Record<string, Scalar> };
  events: { kind: string; field: string; schema: string; topLevel?: boolean; identity?: string[]; lists?: string[]; description?: RawText }[];
}

export interface RawErrorTable {
  description: RawText;
  source: string;
  codeType: "string" | "integer";
  field?: string;
  descriptionsAtRuntime?: boolean;
  decisions?: RawDecision[];
  entries: { code: string | number; name: string; description: RawText; retryable: boolean; rateLimit?: boolean; source?: string; decisions?: RawDecision[] }[];
}

export interface RawApi {
  title: string;
  description: RawText;
  version?: string;
  baseUrl: string;
  language?: "en" | "zh";
  runtime?: { conventions: RuntimeConventions; errorSchema?: string; batch?: string };
  auth: { kind: "header" | "bearer"; name: string; description?: RawText };
  sources?: { id: string; title: string; language?: string }[];
  decisions?: RawDecision[];
}

export interface RawSpecFile {
  api?: RawApi;
  schemas?: Record<string, RawSchema>;
  operations?: Record<string, RawOperation>;
  webhooks?: Record<string, RawWebhook>;
  errorTables?: Record<string, RawErrorTable>;
  decisions?: RawDecision[];
}
