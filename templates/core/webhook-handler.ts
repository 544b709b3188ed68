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
 * - 403 when the signature does not match; it is checked on the raw bytes
 *   before anything is parsed;
 * - 400 when the body is not JSON or not the webhook's envelope (for Meta:
 *   no `object: "page"` or no `entry` array). Nothing else about its shape
 *   refuses a delivery: events that depart from the spec are passed on with
 *   `conforms: false`, and their issues go to `onIssues`;
 * - 500 when `onEvents` throws (the sender will deliver again);
 * - 200 once `onEvents` has returned.
 *
 * Response bodies are short fixed texts: no secret, no echo of the input.
 */

import type { ValidationIssue } from './errors.js';
import type { VerificationResult } from './signature.js';
import type { ParsedDelivery } from './webhook-parse.js';
import { WebhookPayloadError, WebhookSignatureError } from './webhook-errors.js';

export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** What the generated per-API factories (e.g. graphWebhookEndpoint) fill in. */
export interface WebhookEndpoint<E> {
  /**
   * Authenticates and parses one delivery; throws WebhookSignatureError (403)
   * or WebhookPayloadError (400, only for a broken envelope). `header` reads a
   * request header.
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

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

function reply(status: number, body: string, headers: Record<string, string> = {}): WebhookReply {
  return { status, headers: { ...TEXT, ...headers }, body };
}

/** Handles one request; never throws. */
export async function processWebhook<E>(endpoint: WebhookEndpoint<E>, input: WebhookInput): Promise<WebhookReply> {
  const method = input.method.toUpperCase();
  const allow = endpoint.verify ? 'GET, POST' : 'POST';

  if (method === 'GET' && endpoint.verify) {
    const result = endpoint.verify(new URLSearchParams(queryOf(input.url)));
    return result.ok ? reply(200, result.challenge) : reply(403, 'verification failed');
  }
  if (method !== 'POST') return reply(405, 'method not allowed', { allow });

  const limit = endpoint.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY_BYTES;
  const declared = Number(input.header('content-length') ?? '');
  if (Number.isFinite(declared) && declared > limit) {
    endpoint.onError?.(new WebhookPayloadError(`webhook body of ${declared} bytes exceeds ${limit}`), 413);
    return reply(413, 'payload too large', { connection: 'close' });
  }

  let rawBody: Uint8Array | undefined;
  try {
    rawBody = await readLimited(input.body(), limit);
  } catch (error) {
    endpoint.onError?.(error, 400);
    return reply(400, 'could not read the body');
  }
  if (rawBody === undefined) {
    endpoint.onError?.(new WebhookPayloadError(`webhook body exceeds ${limit} bytes`), 413);
    return reply(413, 'payload too large', { connection: 'close' });
  }

  let delivery: ParsedDelivery<E>;
  try {
    delivery = await endpoint.parse(rawBody, (name) => input.header(name));
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      endpoint.onError?.(error, 403);
      return reply(403, 'invalid signature');
    }
    if (error instanceof WebhookPayloadError) {
      endpoint.onError?.(error, 400);
      return reply(400, 'invalid payload');
    }
    endpoint.onError?.(error, 500);
    return reply(500, 'internal error');
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
    return reply(500, 'internal error');
  }
  return reply(200, 'EVENT_RECEIVED');
}

/** The whole body, or undefined as soon as it grows past `limit` bytes. */
async function readLimited(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    length += chunk.byteLength;
    if (length > limit) return undefined;
    parts.push(chunk);
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return body;
}

function queryOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? '' : url.slice(index + 1);
}

/**
 * A `(request: Request) => Promise<Response>` handler for one endpoint, for
 * fetch-style servers and edge runtimes.
 */
export function webhookFetchHandler<E>(endpoint: WebhookEndpoint<E>): (request: Request) => Promise<Response> {
  return async (request) => {
    const result = await processWebhook(endpoint, {
      method: request.method,
      url: request.url,
      header: (name) => request.headers.get(name),
      body: () => streamChunks(request.body),
    });
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
    // Stops the upload when the reader gives up early (413).
    reader.cancel().catch(() => undefined);
  }
}
