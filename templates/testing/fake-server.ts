/**
 * The HTTP side shared by the fake API servers (fake-graph.ts, fake-sobot.ts):
 * a real node:http server on 127.0.0.1, a log of every request, and faults
 * injected on demand. Node-only (messenger-sdk/testing); it loads node:http at
 * run time and declares the little of it that it uses, so that the package
 * compiles without Node's type declarations.
 */

import type { Check } from "../core/check.js";

/** One operation as a fake serves it; generated from the spec (src/testing/<api>-spec.ts). */
export interface FakeOperation {
  name: string;
  method: string;
  /** Path template, e.g. "/{PAGE_ID}/messages". */
  path: string;
  requestIn: "body" | "query";
  /** For a body that may hold files (multipart/form-data): how each part is read back. */
  partTypes?: Readonly<Record<string, PartType>>;
  /** For a query request: how each parameter's text is read back (the client joins a list with commas). */
  queryTypes?: Readonly<Record<string, QueryValueType>>;
  auth: boolean;
  idempotent: boolean;
  /** The documented success response: what the fake answers. */
  success: unknown;
  requestExamples: Readonly<Record<string, unknown>>;
  responseExamples: Readonly<Record<string, unknown>>;
  validate: Check;
}

/** What a multipart part is: a file, JSON text (an object or a list), or text. */
export type PartType = "file" | "json" | "text";

/** A file part as the fake received it. */
export interface ReceivedFile {
  name: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/**
 * A multipart request as the value its validator checks: each file part as a FileUpload (its
 * bytes as a Uint8Array), JSON parts parsed (text where they are not JSON, so the validator reports
 * it), text parts as they are. The files also come back as received, for a test to compare bytes.
 */
export async function decodeMultipart(
  request: FakeRequest,
  operation: FakeOperation,
): Promise<{ payload: Record<string, unknown>; files: ReceivedFile[] } | undefined> {
  let form: FormData;
  try {
    // The bytes the fake read itself, on an ArrayBuffer of their own.
    form = await new Response(request.bytes as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": request.headers["content-type"] ?? "" },
    }).formData();
  } catch {
    return undefined;
  }
  const payload: Record<string, unknown> = {};
  const files: ReceivedFile[] = [];
  // forEach rather than for…of: the edge's DOM typings have no iterable FormData.
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => entries.push([name, value]));
  for (const [name, value] of entries) {
    const type = operation.partTypes?.[name] ?? "text";
    if (typeof value !== "string") {
      const bytes = new Uint8Array(await value.arrayBuffer());
      files.push({ name, filename: value.name, contentType: value.type, bytes });
      // A part that should not be a file stays one, so that the validator refuses it.
      payload[name] =
        type === "file" ? { data: bytes, filename: value.name, contentType: value.type } : bytes;
    } else if (type === "json") {
      try {
        payload[name] = JSON.parse(value) as unknown;
      } catch {
        payload[name] = value;
      }
    } else {
      payload[name] = value;
    }
  }
  return { payload, files };
}

/** The JSON type a query parameter's text stands for. */
export type QueryValueType = "string" | "number" | "boolean" | "array";

/**
 * A query request as the value its validator checks: each parameter read back as the type the
 * spec gives it (a list from its comma-separated items, a number, a boolean), text where the text
 * is not of that type (so the validator reports it), and the transport's own parameters left out.
 */
export function decodeQuery(
  query: Record<string, string>,
  operation: FakeOperation,
  transportParameters: readonly string[] = [],
): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(query)) {
    if (transportParameters.includes(key)) continue;
    const type = operation.queryTypes?.[key] ?? "string";
    if (type === "array") decoded[key] = text === "" ? [] : text.split(",");
    else if (type === "number" && /^-?\d+(\.\d+)?$/.test(text)) decoded[key] = Number(text);
    else if (type === "boolean" && (text === "true" || text === "false")) decoded[key] = text === "true";
    else decoded[key] = text;
  }
  return decoded;
}

/**
 * What can go wrong, injected with `fake.inject(fault, { operation, times })`.
 * "Acts" means the fake does what the operation asks (a send is delivered)
 * before the fault hits the response.
 */
export type Fault =
  /** Waits before handling the request; the request is then handled normally (and acts). */
  | { kind: "latency"; ms: number }
  /** Answers this status with a plain-text body, without acting. */
  | { kind: "status"; status: number; retryAfter?: string }
  /**
   * Answers the API's rate-limit error without acting. Graph: error code 613
   * (or `code`, e.g. 4) with HTTP 400, or HTTP 429 when `httpStatus` says so.
   * Sobot: HTTP 429 with a plain body, or an envelope with `code` (e.g. "2534040").
   */
  | { kind: "rate-limit"; retryAfter?: string; code?: number | string; httpStatus?: number }
  /** Resets the connection before reading the body: nothing acted, no answer. */
  | { kind: "reset-before-body" }
  /** Reads the body and acts, then resets the connection without answering. */
  | { kind: "reset-after-body" }
  /** Acts, then answers 200 with half of the JSON body. */
  | { kind: "malformed-json" }
  /** Acts, sends the headers and half of the body, and the rest after `ms`. */
  | { kind: "slow-body"; ms: number }
  /**
   * Acts and answers as usual, with the API's drift added to a JSON object
   * answer: `fields` (default: a field the spec does not know, and a null),
   * as the APIs add fields and send nulls without notice. What the SDK
   * receives must arrive intact.
   */
  | { kind: "drift"; fields?: Record<string, unknown> };

/** The fields a `drift` fault adds by default. */
export const DRIFT_FIELDS: Readonly<Record<string, unknown>> = {
  x_fake_added_field: { nested: [1, "two", null] },
  x_fake_null: null,
};

export type FaultKind = Fault["kind"];

/** One request as the fake received and answered it. */
export interface FakeRequest {
  /** Order of arrival, from 1. */
  seq: number;
  method: string;
  /** Path without the query (and without Graph's version prefix). */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body as text (UTF-8). */
  body: string;
  /** The body as it arrived. */
  bytes: Uint8Array;
  /** The file parts of a multipart request, as received. */
  files?: ReceivedFile[];
  /** The operation the route names, if any. */
  operation: string | undefined;
  /** The fault applied to this request, if any. */
  fault: FaultKind | undefined;
  /** Whether the fake acted on it (a send counts as delivered). */
  acted: boolean;
  /** The HTTP status answered; undefined when the connection was reset or not answered yet. */
  status: number | undefined;
  /** The API error code answered (Graph error.code, Sobot ret_code), if an error. */
  errorCode: string | number | undefined;
}

export interface FakeServer {
  /** The base URL to give the client (`baseUrl`). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly FakeRequest[];
  /** The requests the fake acted on, optionally of one operation. */
  delivered(operation?: string): FakeRequest[];
  /** Applies `fault` to the next `times` (default 1) requests of `operation` (default: every operation). */
  inject(fault: Fault, options?: { operation?: string; times?: number }): void;
  /** Drops the faults not used yet. */
  clearFaults(): void;
  /** Forgets the request log and the pending faults. */
  reset(): void;
  /**
   * Stops accepting connections for `ms` (they are refused), then listens on the
   * same port again. Resolves once listening again.
   */
  refuseConnections(ms: number): Promise<void>;
  /** Waits until the requests in progress (including slow bodies) are answered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** An answer as an API module produces it. */
export interface FakeAnswer {
  status: number;
  /** JSON-encoded unless a string. */
  body: unknown;
  headers?: Record<string, string>;
  /** Whether answering this meant acting on the request. */
  acted: boolean;
  errorCode?: string | number;
}

/** What an API module (Graph, Sobot) tells the shared server. */
export interface FakeApi {
  /** The operation a method and path name, and the path parameters; undefined for unknown routes. */
  route(
    method: string,
    path: string,
    contentType?: string,
    query?: Record<string, string>,
  ): { operation: FakeOperation; params: Record<string, string> } | undefined;
  /** Answers one request (authentication, validation, acting). */
  answer(
    request: FakeRequest,
    operation: FakeOperation,
    params: Record<string, string>,
  ): FakeAnswer | Promise<FakeAnswer>;
  /** The answer to an unknown route. */
  notFound(request: FakeRequest): FakeAnswer;
  /** The answer of a 'rate-limit' fault. */
  rateLimited(fault: Extract<Fault, { kind: "rate-limit" }>): FakeAnswer;
  /** A prefix to strip from paths before routing (Graph's "/v21.0"). */
  stripPrefix?: RegExp;
}

// ---- the little of node:http used here ----------------------------------------------------

interface NodeSocket {
  destroy(error?: Error): void;
  resetAndDestroy?(): void;
}

interface NodeIncomingMessage extends AsyncIterable<Uint8Array | string> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  socket: NodeSocket;
}

interface NodeServerResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): unknown;
  end(chunk?: string): unknown;
  readonly destroyed: boolean;
  readonly writableEnded: boolean;
  on(event: "error", listener: (error: Error) => void): unknown;
}

interface NodeHttpServer {
  listen(port: number, host: string, callback: () => void): unknown;
  address(): { port: number } | string | null;
  close(callback?: (error?: Error) => void): unknown;
  closeAllConnections(): void;
  closeIdleConnections(): void;
  once(event: "error", listener: (error: Error) => void): unknown;
}

interface NodeHttp {
  createServer(
    listener: (request: NodeIncomingMessage, response: NodeServerResponse) => void,
  ): NodeHttpServer;
}

// A variable, so that bundlers and the package's type check leave node:http alone.
const NODE_HTTP: string = "node:http";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface PendingFault {
  fault: Fault;
  operation: string | undefined;
  remaining: number;
}

/** Starts a fake server for `api` on 127.0.0.1 (port 0: a free one, unless `port` is given). */
export async function startFakeServer(
  api: FakeApi,
  options: { port?: number } = {},
): Promise<FakeServer & { port: number }> {
  const http = (await import(NODE_HTTP)) as NodeHttp;
  const requests: FakeRequest[] = [];
  let faults: PendingFault[] = [];
  let seq = 0;
  const inFlight = new Set<Promise<void>>();

  const takeFault = (operation: string | undefined): Fault | undefined => {
    const index = faults.findIndex((f) => f.operation === undefined || f.operation === operation);
    const pending = index === -1 ? undefined : faults[index];
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) faults.splice(index, 1);
    return pending.fault;
  };

  const handle = async (incoming: NodeIncomingMessage, response: NodeServerResponse): Promise<void> => {
    response.on("error", () => undefined); // a client that went away is not the fake's problem
    const url = new URL(incoming.url ?? "/", "http://fake.invalid");
    const path = api.stripPrefix ? url.pathname.replace(api.stripPrefix, "") || "/" : url.pathname;
    const method = (incoming.method ?? "GET").toUpperCase();
    const contentType = incoming.headers["content-type"];
    const query = queryRecord(url.searchParams);
    const route = api.route(method, path, typeof contentType === "string" ? contentType : undefined, query);
    const record: FakeRequest = {
      seq: ++seq,
      method,
      path,
      query,
      headers: flattenHeaders(incoming.headers),
      body: "",
      bytes: new Uint8Array(0),
      operation: route?.operation.name,
      fault: undefined,
      acted: false,
      status: undefined,
      errorCode: undefined,
    };
    requests.push(record);
    const fault = takeFault(record.operation);
    record.fault = fault?.kind;

    if (fault?.kind === "reset-before-body") {
      reset(incoming.socket);
      return;
    }
    record.bytes = await readBody(incoming);
    record.body = new TextDecoder().decode(record.bytes);
    if (fault?.kind === "latency") await sleep(fault.ms);

    let answer: FakeAnswer;
    if (fault?.kind === "status") {
      answer = {
        status: fault.status,
        body: `fake: HTTP ${fault.status}`,
        acted: false,
        ...(fault.retryAfter === undefined ? {} : { headers: { "retry-after": fault.retryAfter } }),
      };
    } else if (fault?.kind === "rate-limit") {
      answer = api.rateLimited(fault);
    } else if (route) {
      answer = await api.answer(record, route.operation, route.params);
    } else {
      answer = api.notFound(record);
    }
    record.acted = answer.acted;
    record.errorCode = answer.errorCode;

    if (fault?.kind === "reset-after-body") {
      reset(incoming.socket);
      return;
    }
    // An answer that is a list (a batch's) drifts by an element of unknown shape at its end.
    if (fault?.kind === "drift" && isPlainObject(answer.body))
      answer = { ...answer, body: { ...answer.body, ...(fault.fields ?? DRIFT_FIELDS) } };
    else if (fault?.kind === "drift" && Array.isArray(answer.body))
      answer = { ...answer, body: [...(answer.body as unknown[]), { ...(fault.fields ?? DRIFT_FIELDS) }] };
    const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    const isJson = typeof answer.body !== "string";
    const headers = {
      "content-type": isJson ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
      // One connection per request. A kept-alive connection that the fake closes (refuseConnections,
      // close) could otherwise carry the client's next request at the moment it closes: the client
      // then cannot tell whether the request arrived, and a test would depend on timing.
      connection: "close",
      ...answer.headers,
    };
    record.status = answer.status;
    if (response.destroyed) return;

    if (fault?.kind === "malformed-json") {
      const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      response.writeHead(200, {
        ...headers,
        "content-type": "application/json; charset=utf-8",
        "content-length": String(byteLength(cut)),
      });
      record.status = 200;
      response.end(cut);
      return;
    }
    if (fault?.kind === "slow-body") {
      const half = Math.floor(text.length / 2);
      response.writeHead(answer.status, { ...headers, "content-length": String(byteLength(text)) });
      response.write(text.slice(0, half));
      await sleep(fault.ms);
      if (!response.destroyed) response.end(text.slice(half));
      return;
    }
    response.writeHead(answer.status, { ...headers, "content-length": String(byteLength(text)) });
    response.end(text);
  };

  const listener = (incoming: NodeIncomingMessage, response: NodeServerResponse): void => {
    const done = handle(incoming, response)
      .catch(() => {
        if (!response.destroyed && !response.writableEnded) reset(incoming.socket);
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  const servers: NodeHttpServer[] = [];
  const listen = async (port: number): Promise<NodeHttpServer> => {
    const server = http.createServer(listener);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    servers.push(server);
    return server;
  };

  let current = await listen(options.port ?? 0);
  const address = current.address();
  if (address === null || typeof address === "string") throw new Error("fake server: no TCP address");
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    delivered: (operation) =>
      requests.filter((r) => r.acted && (operation === undefined || r.operation === operation)),
    inject(fault, injectOptions = {}) {
      faults.push({ fault, operation: injectOptions.operation, remaining: injectOptions.times ?? 1 });
    },
    clearFaults() {
      faults = [];
    },
    reset() {
      requests.length = 0;
      faults = [];
    },
    async refuseConnections(ms) {
      const closing = current;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        // Kept-alive connections would otherwise carry the next request.
        closing.closeIdleConnections();
        setTimeout(resolve, 50); // a busy connection is not waited for
      });
      await sleep(ms);
      current = await listen(port);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

function queryRecord(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  params.forEach((value, key) => {
    query[key] = value;
  });
  return query;
}

function reset(socket: NodeSocket): void {
  if (socket.resetAndDestroy) socket.resetAndDestroy();
  else socket.destroy();
}

async function readBody(incoming: NodeIncomingMessage): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of incoming) {
    chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : (chunk as Uint8Array));
  }
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** Matches a path against a template such as "/{PAGE_ID}/messages". */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
    .replace(/\{([^{}]+)\}/g, (_m, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
  const match = new RegExp(`^${pattern}/?$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]));
}

export { randomHex } from "../core/random-id.js";

/** A random decimal id of `digits` digits (Meta's ids look like this). */
export function randomDigits(digits: number): string {
  let id = String(1 + Math.floor(Math.random() * 9));
  while (id.length < digits) id += String(Math.floor(Math.random() * 10));
  return id;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
