/**
 * Small pieces both API cores (graph-core.ts, sobot-core.ts) need.
 */

import { MessengerError, type ErrorPolicy, type ResponseDetails } from "./errors.js";
import type { OperationCall } from "./operation.js";
import { buildUrl, type FetchLike, type HttpRequest, type RequestOptions } from "./transport.js";

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The configured timeout, or the default; rejects values setTimeout would misread. */
export function resolveTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new MessengerError(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  }
  return timeoutMs;
}

/** The caller's per-request options, with the client's timeout unless the caller set one. */
export function withDefaultTimeout(requestOptions: RequestOptions, timeoutMs: number): RequestOptions {
  return { ...requestOptions, timeoutMs: requestOptions.timeoutMs ?? timeoutMs };
}

/** The configured fetch, or the global one. */
export function resolveFetch(fetchFn: FetchLike | undefined): FetchLike {
  // Wrapped rather than stored: calling a detached `fetch` with another `this`
  // throws "Illegal invocation" in browsers. Looked up per call, so a fetch
  // installed later (a test stub, a polyfill) is used.
  return fetchFn ?? ((input, init) => globalThis.fetch(input, init));
}

/** The spec's entry for an error code, if it has one. */
export function lookupErrorInfo<K extends string | number, I extends ErrorPolicy>(
  table: Readonly<Record<K, I>>,
  code: K,
): I | undefined {
  // Own properties only: a code such as "constructor" must not find Object.prototype.
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
}

/**
 * What an error keeps of a response: every header but Set-Cookie (a session is no one's business in
 * a log), each value redacted, and the first of `requestIdHeaders` the response has.
 */
export function responseDetails(
  headers: Headers,
  requestIdHeaders: readonly string[],
  redact: (text: string) => string,
): ResponseDetails {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== "set-cookie") kept[name] = redact(value);
  });
  const requestId = requestIdHeaders
    .map((name) => kept[name])
    .find((value) => value !== undefined && value !== "");
  return requestId === undefined ? { headers: kept } : { headers: kept, requestId };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The HTTP request of one operation call: JSON in both directions, plus the API's auth headers. */
export function toHttpRequest(
  baseUrl: string,
  call: OperationCall,
  authHeaders: Record<string, string>,
): HttpRequest {
  const headers: Record<string, string> = { accept: "application/json", ...authHeaders };
  const request: HttpRequest = {
    operation: call.operation,
    method: call.method,
    url: buildUrl(baseUrl, call.path, call.pathParams ?? {}, call.query),
    headers,
  };
  if (call.form) {
    // fetch writes the multipart content type, with its boundary.
    request.body = call.form;
  } else if (call.body !== undefined) {
    headers["content-type"] = "application/json";
    request.body = JSON.stringify(call.body);
  }
  return request;
}
