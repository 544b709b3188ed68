/**
 * Receiving webhooks over HTTP, for the Web `Request`/`Response` API (edge
 * runtimes, Deno, Bun, Node's fetch-style servers). The node:http flavour is in
 * `messenger-sdk/node` and shares `processWebhook` below.
 *
 * What a delivery gets:
 * - 405 for a method other than POST (and GET, when the endpoint answers the
 *   verification handshake), with an Allow header;
 * - 413 when the body is larger than `maxBodyBytes` (checked on
 *   Content-Length before reading, and again while reading);
 * - 408 when the body has not fully arrived within `bodyTimeoutMs`;
 * - 503 with Retry-After when the bodies being read at once would hold more
 *   than `maxInFlightBytes`: memory stays bounded however many arrive, and
 *   the sender delivers again later;
 * - 403 when the signature does not match; it is computed on the raw bytes as
 *   they stream in (where the runtime has incremental HMAC, as Node does)
 *   and checked before anything is parsed;
 * - 400 when the body is not JSON or not the webhook's envelope (for Meta:
 *   no `object: "page"` or no `entry` array). Nothing else about its shape
 *   refuses a delivery: events that depart from the spec are passed on with
 *   `conforms: false`, and their issues go to `onIssues`;
 * - 500 when `onEvents` throws (the sender will deliver again);
 * - 200 once `onEvents` has returned.
 *
 * Response bodies are short fixed texts: no secret, no echo of the input.
 */

import type { ValidationIssue } from "./errors.js";
import { constantTimeEqual, verifyHmacSha256Signature, type VerificationResult } from "./signature.js";
import type { ParsedDelivery } from "./webhook-parse.js";
import { WebhookPayloadError, WebhookSignatureError } from "./webhook-errors.js";

export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
/** Meta waits for an answer for some seconds, then delivers again: a body slower than this is not a delivery. */
export const DEFAULT_WEBHOOK_BODY_TIMEOUT_MS = 10_000;
/** Sixteen bodies of the default largest size at once, per endpoint. */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 16 * DEFAULT_MAX_WEBHOOK_BODY_BYTES;
/** What a 503 asks the sender to wait, in seconds. */
const BUSY_RETRY_AFTER_SECONDS = "1";

/** How a webhook signs its deliveries: an HMAC-SHA256 of the raw body, hex, in a header. */
export interface WebhookSignature {
  /** The header that carries it, e.g. "X-Hub-Signature-256". */
  header: string;
  /** What precedes the hex digest, e.g. "sha256=". */
  prefix: string;
  /** The app secret. */
  secret: string;
}

/** What the generated per-API factories (e.g. graphWebhookEndpoint) fill in. */
export interface WebhookEndpoint<E> {
  /**
   * When present, the handler checks the signature itself, as the body
   * streams in, and `parse` receives only bodies whose signature is right.
   */
  signature?: WebhookSignature | undefined;
  /**
   * Parses one delivery (and authenticates it, when `signature` is absent);
   * throws WebhookSignatureError (403) or WebhookPayloadError (400, only for a
   * broken envelope). `header` reads a request header.
   */
  parse(rawBody: Uint8Array, header: (name: string) => string | null): Promise<ParsedDelivery<E>>;
  /** Answers the GET verification handshake; without it GET is 405. */
  verify?: ((query: URLSearchParams) => VerificationResult) | undefined;
  /** Called with the events of each accepted delivery. */
  onEvents(events: E[]): void | Promise<void>;
  /** Told about the departures from the spec of each accepted delivery that has any. */
  onIssues?: IssuesHook<E> | undefined;
  /** Default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** Default 10000. */
  bodyTimeoutMs?: number | undefined;
  /** Default 16 MiB. */
  maxInFlightBytes?: number | undefined;
  /** Told about each rejected delivery and each failure of onEvents, e.g. to log it. */
  onError?: ((error: unknown, status: number) => void) | undefined;
}

/**
 * Told, before `onEvents`, where a delivery departs from the spec (a missing
 * field, a wrong type), so operators can see the API drift. What it throws is
 * passed to `onError` with status 200: a report never costs the delivery.
 */
export type IssuesHook<E> = (issues: ValidationIssue[], events: E[]) => void;

/** The options every generated endpoint factory takes besides its credentials. */
export interface WebhookEndpointOptions<E> {
  /** Every event of a delivery, conforming or not (check `event.conforms`). */
  onEvents(events: E[]): void | Promise<void>;
  /** Where the delivery departs from the spec; see IssuesHook. */
  onIssues?: IssuesHook<E>;
  /** Largest body accepted, in bytes; larger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** How long a body may take to arrive in full; a slower one gets 408. Default 10000. */
  bodyTimeoutMs?: number;
  /**
   * How many bytes the bodies being read at once may hold in all, for this
   * endpoint; a body that would go past it gets 503 with Retry-After. Default
   * 16 MiB.
   */
  maxInFlightBytes?: number;
  /** Check each event against its kind's schema (default true). */
  validate?: boolean;
  /** Told about each rejected delivery and each failure of onEvents, e.g. to log it. */
  onError?: (error: unknown, status: number) => void;
}

/** A request as processWebhook needs it, whatever server produced it. */
export interface WebhookInput {
  method: string;
  /** The request URL; only its query is read (a path alone is fine). */
  url: string;
  header(name: string): string | null;
  /** The body, chunk by chunk. */
  body(): AsyncIterable<Uint8Array>;
}

export interface WebhookReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const TEXT = { "content-type": "text/plain; charset=utf-8" };

function reply(status: number, body: string, headers: Record<string, string> = {}): WebhookReply {
  return { status, headers: { ...TEXT, ...headers }, body };
}

/** Handles one request; never throws. */
export async function processWebhook<E>(
  endpoint: WebhookEndpoint<E>,
  input: WebhookInput,
): Promise<WebhookReply> {
  const method = input.method.toUpperCase();
  const allow = endpoint.verify ? "GET, POST" : "POST";

  if (method === "GET" && endpoint.verify) {
    const result = endpoint.verify(new URLSearchParams(queryOf(input.url)));
    return result.ok ? reply(200, result.challenge) : reply(403, "verification failed");
  }
  if (method !== "POST") return reply(405, "method not allowed", { allow });

  const limit = endpoint.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY_BYTES;
  const declared = Number(input.header("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) {
    endpoint.onError?.(new WebhookPayloadError(`webhook body of ${declared} bytes exceeds ${limit}`), 413);
    return reply(413, "payload too large", { connection: "close" });
  }

  const budget = budgetOf(endpoint);
  const read = await readBody(
    input,
    endpoint,
    budget,
    Number.isFinite(declared) && declared > 0 ? declared : 0,
  );
  try {
    if (!read.ok) {
      endpoint.onError?.(read.error, read.status);
      return reply(read.status, read.text, {
        connection: "close",
        ...(read.status === 503 ? { "retry-after": BUSY_RETRY_AFTER_SECONDS } : {}),
      });
    }
    return await answer(endpoint, read.body, input);
  } finally {
    budget.release(read.reserved);
  }
}

async function answer<E>(
  endpoint: WebhookEndpoint<E>,
  rawBody: Uint8Array,
  input: WebhookInput,
): Promise<WebhookReply> {
  let delivery: ParsedDelivery<E>;
  try {
    delivery = await endpoint.parse(rawBody, (name) => input.header(name));
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      endpoint.onError?.(error, 403);
      return reply(403, "invalid signature");
    }
    if (error instanceof WebhookPayloadError) {
      endpoint.onError?.(error, 400);
      return reply(400, "invalid payload");
    }
    endpoint.onError?.(error, 500);
    return reply(500, "internal error");
  }

  if (delivery.issues.length > 0 && endpoint.onIssues) {
    try {
      endpoint.onIssues(delivery.issues, delivery.events);
    } catch (error) {
      endpoint.onError?.(error, 200);
    }
  }
  try {
    await endpoint.onEvents(delivery.events);
  } catch (error) {
    endpoint.onError?.(error, 500);
    return reply(500, "internal error");
  }
  return reply(200, "EVENT_RECEIVED");
}

/**
 * The bytes the bodies of one endpoint hold while they are read. Kept per
 * endpoint object, so that every handler made from one endpoint shares it.
 */
class ByteBudget {
  #used = 0;

  constructor(readonly limit: number) {}

  /** Takes `bytes` if they fit; false (taking nothing) when they do not. */
  take(bytes: number): boolean {
    if (this.#used + bytes > this.limit) return false;
    this.#used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#used -= bytes;
  }
}

const budgets = new WeakMap<object, ByteBudget>();

function budgetOf<E>(endpoint: WebhookEndpoint<E>): ByteBudget {
  let budget = budgets.get(endpoint);
  if (!budget) {
    budget = new ByteBudget(endpoint.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES);
    budgets.set(endpoint, budget);
  }
  return budget;
}

type BodyRead =
  | { ok: true; body: Uint8Array; reserved: number }
  | { ok: false; status: number; text: string; error: unknown; reserved: number };

/** Streaming HMAC-SHA256, where the runtime has it (Node's crypto); WebCrypto has none. */
interface IncrementalHmac {
  update(data: Uint8Array): unknown;
  digest(encoding: "hex"): string;
}

function incrementalHmac(secret: string): IncrementalHmac | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const crypto = runtime?.getBuiltinModule?.("node:crypto") as
    { createHmac?: (algorithm: string, key: string) => IncrementalHmac } | undefined;
  return crypto?.createHmac?.("sha256", secret);
}

const TIMED_OUT = Symbol("timed out");

/**
 * Reads the body within the endpoint's size, time and memory bounds, and
 * checks its signature when the endpoint declares one. Bytes are taken from
 * the budget before they are kept: the declared length at once, the rest as
 * it arrives.
 */
async function readBody<E>(
  input: WebhookInput,
  endpoint: WebhookEndpoint<E>,
  budget: ByteBudget,
  declared: number,
): Promise<BodyRead> {
  const limit = endpoint.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY_BYTES;
  const timeoutMs = endpoint.bodyTimeoutMs ?? DEFAULT_WEBHOOK_BODY_TIMEOUT_MS;
  let reserved = 0;
  const refuse = (status: number, text: string, error: unknown): BodyRead => ({
    ok: false,
    status,
    text,
    error,
    reserved,
  });
  const busy = (): BodyRead =>
    refuse(
      503,
      "busy, deliver again later",
      new WebhookPayloadError(`webhook bodies in flight would exceed ${budget.limit} bytes`),
    );

  if (declared > 0) {
    if (!budget.take(declared)) return busy();
    reserved = declared;
  }
  const signature = endpoint.signature;
  if (signature?.secret === "")
    return refuse(500, "internal error", new WebhookSignatureError(signature.header));
  const hmac = signature ? incrementalHmac(signature.secret) : undefined;

  const parts: Uint8Array[] = [];
  let length = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  const iterator = input.body()[Symbol.asyncIterator]();
  try {
    for (;;) {
      const pending = iterator.next();
      // A read still pending when the time is up may fail later, once the adapter drops the connection.
      pending.catch(() => undefined);
      const next = await Promise.race([pending, timedOut]);
      if (next === TIMED_OUT) {
        return refuse(
          408,
          "request timeout",
          new WebhookPayloadError(`webhook body did not arrive within ${timeoutMs} ms`),
        );
      }
      if (next.done) break;
      const chunk = next.value;
      length += chunk.byteLength;
      if (length > limit)
        return refuse(
          413,
          "payload too large",
          new WebhookPayloadError(`webhook body exceeds ${limit} bytes`),
        );
      if (length > reserved) {
        if (!budget.take(length - reserved)) return busy();
        reserved = length;
      }
      hmac?.update(chunk);
      parts.push(chunk);
    }
  } catch (error) {
    return refuse(400, "could not read the body", error);
  } finally {
    clearTimeout(timer);
  }

  if (signature) {
    const presented = input.header(signature.header);
    const valid = hmac
      ? signatureMatches(presented, signature.prefix, hmac.digest("hex"))
      : await verifyHmacSha256Signature(concat(parts, length), presented, signature.secret, signature.prefix);
    if (!valid) return refuse(403, "invalid signature", new WebhookSignatureError(signature.header));
  }
  return { ok: true, body: concat(parts, length), reserved };
}

function signatureMatches(header: string | null, prefix: string, expected: string): boolean {
  if (header === null || !header.startsWith(prefix)) return false;
  return constantTimeEqual(header.slice(prefix.length).trim().toLowerCase(), expected);
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const body = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return body;
}

function queryOf(url: string): string {
  const index = url.indexOf("?");
  return index === -1 ? "" : url.slice(index + 1);
}

/**
 * A `(request: Request) => Promise<Response>` handler for one endpoint, for
 * fetch-style servers and edge runtimes.
 */
export function webhookFetchHandler<E>(
  endpoint: WebhookEndpoint<E>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const chunks = streamChunks(request.body);
    const result = await processWebhook(endpoint, {
      method: request.method,
      url: request.url,
      header: (name) => request.headers.get(name),
      body: () => chunks,
    });
    // Stops an upload the handler gave up on (413, 408, 503); a no-op once read.
    void chunks.return(undefined).catch(() => undefined);
    return new Response(result.body, { status: result.status, headers: result.headers });
  };
}

async function* streamChunks(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (stream === null) return;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stops the upload when the reader gives up early.
    reader.cancel().catch(() => undefined);
  }
}
