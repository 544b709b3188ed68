/**
 * The one place that talks to the network. It turns everything that can go wrong
 * before a complete response is in hand into a typed error, and knows nothing
 * about either API's envelope (graph-core.ts and sobot-core.ts do that).
 */

import {
  ConnectionError,
  MessengerError,
  RedirectError,
  TimeoutError,
  type RequestOutcome,
} from "./errors.js";
import type { RetryOptions } from "./retry.js";

/** The subset of `fetch` this SDK uses; the global `fetch` satisfies it. */
export type FetchLike = (
  input: string,
  init: {
    method: string;
    headers: Record<string, string>;
    /** JSON text, or a FormData for a multipart upload. */
    body?: string | FormData;
    signal?: AbortSignal;
    /**
     * Always 'error': the SDK sends credentials in headers, and `fetch` would
     * forward a custom header such as Sobot's `token` to whatever host a redirect
     * points at. A redirect therefore rejects, and surfaces as a RedirectError.
     * ('manual' would keep the 3xx response, but undici then copies every request
     * body to be able to replay it: about a fifth of a small request's cost.)
     */
    redirect?: "error";
  },
) => Promise<Response>;

export interface HttpRequest {
  /** Operation name, used in error messages. */
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** JSON text, or a multipart form. */
  body?: string | FormData;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface RequestOptions {
  /** Time allowed for the whole exchange, response body included. */
  timeoutMs?: number;
  /**
   * Cancels the request. An abort rejects with `signal.reason` itself (by default
   * a DOMException named "AbortError"), as `fetch` does, not with a MessengerError:
   * the caller asked for it, so it is not an SDK failure.
   */
  signal?: AbortSignal;
  /**
   * This call's retry policy, laid over the client's: `false` turns retries off
   * for it, an object changes single settings (see RetryOptions).
   */
  retry?: RetryOptions | false;
}

// setTimeout stores its delay in a signed 32-bit integer; longer delays fire at once.
const MAX_TIMER_DELAY_MS = 0x7fffffff;

/**
 * Sends one request and reads the whole response body.
 *
 * Rejects with TimeoutError when `timeoutMs` elapses, with ConnectionError when
 * the network fails, and with the caller's abort reason when `signal` aborts.
 * HTTP error statuses are not errors here: the caller reads the envelope.
 */
export async function sendHttp(
  fetchFn: FetchLike,
  request: HttpRequest,
  options: RequestOptions,
): Promise<HttpResponse> {
  const callerSignal = options.signal;
  callerSignal?.throwIfAborted();

  // One controller carries both the timeout and the caller's abort to fetch; its
  // `reason` tells afterwards which of the two happened.
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs;
  // The error is made only when the timer fires: building one (and its stack) per request costs
  // more than the rest of the bookkeeping here.
  const timer =
    timeoutMs !== undefined && timeoutMs > 0
      ? setTimeout(
          () => controller.abort(new TimeoutError(request.operation, timeoutMs)),
          Math.min(timeoutMs, MAX_TIMER_DELAY_MS),
        )
      : undefined;
  const forwardCallerAbort = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", forwardCallerAbort, { once: true });

  let requestWasSent = false;
  try {
    const init: Parameters<FetchLike>[1] = {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
      redirect: "error",
    };
    if (request.body !== undefined) init.body = request.body;

    const response = await abortable(fetchFn(request.url, init), controller.signal);
    // Response headers arrived, so the server has the request; any failure from
    // here on leaves its outcome unknown.
    requestWasSent = true;
    const text = await abortable(response.text(), controller.signal);
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (controller.signal.aborted) {
      // Throws the TimeoutError or the caller's own reason, whichever came first.
      throw controller.signal.reason;
    }
    if (isRefusedRedirect(error))
      throw new RedirectError(request.operation, `${request.method} ${hostOf(request.url)}`, {
        cause: error,
      });
    throw toConnectionError(request, error, requestWasSent);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    callerSignal?.removeEventListener("abort", forwardCallerAbort);
  }
}

/**
 * Rejects as soon as `signal` aborts, even if `promise` never settles: a custom
 * FetchLike may ignore the signal, and the timeout must hold regardless.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined); // the loser's rejection is not the caller's problem
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** undici's rejection for `redirect: 'error'` (browsers give no reason, so there it is a ConnectionError). */
function isRefusedRedirect(error: unknown): boolean {
  const cause =
    typeof error === "object" && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return cause instanceof Error && cause.message === "unexpected redirect";
}

/**
 * Error codes (Node, undici) meaning no connection was ever established, so the
 * server cannot have seen the request. Anything else (ECONNRESET, EPIPE, a socket
 * closed mid-response) may have happened after the request was written.
 */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL",
  // TLS handshake failures: the request is written only after the handshake.
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

function toConnectionError(request: HttpRequest, error: unknown, requestWasSent: boolean): ConnectionError {
  const codes = collectErrorCodes(error);
  const neverConnected =
    !requestWasSent && codes.length > 0 && codes.every((code) => NOT_SENT_CODES.has(code));
  const outcome: RequestOutcome = neverConnected ? "not-sent" : "unknown";
  // Only the host: the path and query are not needed to diagnose a network
  // failure, and a query may carry a signature.
  const target = `${request.method} ${hostOf(request.url)}`;
  const detail = codes.length > 0 ? `${target}: ${codes.join(", ")}` : target;
  return new ConnectionError(request.operation, outcome, detail, { cause: error });
}

/** The `code` strings on an error, its `cause` chain and AggregateError members. */
function collectErrorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const pending: unknown[] = [error];
  // Bounded: a cause chain can in principle be cyclic.
  for (let visited = 0; pending.length > 0 && visited < 20; visited++) {
    const current = pending.shift();
    if (typeof current !== "object" || current === null) continue;
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === "string" && !codes.includes(code)) codes.push(code);
    if (cause !== undefined) pending.push(cause);
    if (Array.isArray(errors)) pending.push(...(errors as unknown[]));
  }
  return codes;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}

/**
 * Joins a base URL and a path template such as `/{PAGE_ID}/messages`, filling
 * each `{NAME}` from `pathParams` (URL-encoded, so a value cannot add path
 * segments) and appending `query`.
 *
 * Query values: undefined and null are skipped, arrays are joined with commas
 * (Graph's convention for list parameters), other values are stringified.
 */
export function buildUrl(
  baseUrl: string,
  path: string,
  pathParams: Record<string, string | undefined>,
  query?: Record<string, unknown>,
): string {
  const filledPath = path.replace(/\{([^{}]+)\}/g, (_placeholder, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(pathParams, name) ? pathParams[name] : undefined;
    if (value === undefined || value === "") {
      throw new MessengerError(
        `missing path parameter '${name}' for ${path}: pass it as the method's argument, or in the call or client options`,
      );
    }
    if (value === "." || value === "..") {
      // Encoding leaves dots alone, and a URL resolves them: /v21.0/.. would be another endpoint.
      throw new MessengerError(`path parameter '${name}' for ${path} cannot be '${value}'`);
    }
    return encodeURIComponent(value);
  });

  const base = baseUrl.replace(/\/+$/, "");
  const suffix = filledPath === "" || filledPath.startsWith("/") ? filledPath : `/${filledPath}`;
  let url = `${base}${suffix}`;

  if (query) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      search.append(key, queryValue(value));
    }
    const encoded = search.toString();
    if (encoded !== "") url += `${url.includes("?") ? "&" : "?"}${encoded}`;
  }
  return url;
}

function queryValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => queryValue(item)).join(",");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Parses JSON text; undefined when the text is not JSON (an HTML error page, say). */
export function parseJson(text: string): unknown | undefined {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
