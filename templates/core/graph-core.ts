/**
 * What every generated Graph API operation shares: the URL, the bearer token,
 * the JSON body, and reading Graph's `{ "error": { … } }` envelope into a
 * GraphApiError.
 */

import {
  isRecord,
  lookupErrorInfo,
  resolveFetch,
  resolveTimeout,
  responseDetails,
  toHttpRequest,
  withDefaultTimeout,
} from "./client-support.js";
import { GraphApiError, HttpError, MessengerError, type ErrorInfo } from "./errors.js";
import { redactSecrets } from "./redact.js";
import { isRateLimitError, type SendRateLimiter } from "./rate-limit.js";
import {
  parseRetryAfter,
  resolveRetryPolicy,
  withRetry,
  type RetryOptions,
  type RetryPolicy,
} from "./retry.js";
import type { OperationCall } from "./operation.js";
import { parseJson, sendHttp, type FetchLike, type HttpResponse, type RequestOptions } from "./transport.js";

export const DEFAULT_GRAPH_BASE_URL = "https://graph.facebook.com/v21.0";

/** Where Graph puts the id of a request (its trace id, `x-fb-trace-id`, goes to `fbtraceId`). */
const GRAPH_REQUEST_ID_HEADERS = ["x-fb-request-id"] as const;

export interface GraphClientOptions {
  /** Page (or system user) access token. Sent only in the Authorization header. */
  accessToken: string;
  /** Default for the `{PAGE_ID}` path parameter. */
  pageId?: string;
  /** Default https://graph.facebook.com/v21.0. */
  baseUrl?: string;
  /** E.g. 'v21.0': the Graph version to use with the default base URL. */
  apiVersion?: string;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Per request, response body included. Default 30000 (DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Check request bodies against the spec's schemas before sending. Default true. */
  validateRequests?: boolean;
  /**
   * When failed requests are sent again (see RetryOptions for the rules);
   * `false` never. Default: up to 3 attempts, 500 ms base delay, 30 s in all.
   */
  retry?: RetryOptions | false;
  /**
   * A send rate shared with the other processes of the fleet, per Page (the
   * call's first path parameter, e.g. {PAGE_ID}), e.g. RedisRateLimiter. When
   * Graph answers with a rate-limit code (4, 17, 32, 341, 613) or 429, every
   * process holds its sends for that Page back. Default: none.
   */
  rateLimiter?: SendRateLimiter;
}

/**
 * The options in effect, defaults applied. The access token is deliberately not
 * part of it, so that logging a client does not log its credential.
 */
export interface ResolvedGraphClientOptions {
  readonly pageId: string | undefined;
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly validateRequests: boolean;
  readonly retry: RetryPolicy | false;
}

export type { OperationCall } from "./operation.js";

export class GraphCore {
  readonly options: ResolvedGraphClientOptions;
  readonly #accessToken: string;
  readonly #errorTable: Readonly<Record<number, ErrorInfo>>;
  readonly #retry: RetryOptions | false | undefined;
  readonly #rateLimiter: SendRateLimiter | undefined;

  constructor(options: GraphClientOptions, errorTable: Readonly<Record<number, ErrorInfo>>) {
    if (typeof options.accessToken !== "string" || options.accessToken === "") {
      throw new MessengerError("GraphClientOptions.accessToken is required");
    }
    this.#accessToken = options.accessToken;
    this.#errorTable = errorTable;

    this.options = Object.freeze({
      pageId: options.pageId,
      baseUrl: resolveBaseUrl(options.baseUrl, options.apiVersion),
      fetch: resolveFetch(options.fetch),
      timeoutMs: resolveTimeout(options.timeoutMs),
      validateRequests: options.validateRequests ?? true,
      retry: resolveRetryPolicy(options.retry),
    });
    this.#retry = options.retry;
    this.#rateLimiter = options.rateLimiter;
  }

  /**
   * Sends one operation, repeating it as the retry policy allows (see
   * retry.ts): only where the server certainly did not act, unless the
   * operation is idempotent.
   */
  async call<T>(call: OperationCall, requestOptions: RequestOptions = {}): Promise<T> {
    const policy =
      requestOptions.retry === undefined
        ? this.options.retry
        : resolveRetryPolicy(this.#retry, requestOptions.retry);
    return withRetry(
      policy,
      { operation: call.operation, idempotent: call.idempotent === true, signal: requestOptions.signal },
      async (state) => {
        const limiter = this.#rateLimiter;
        if (!limiter) {
          state.dispatched = true;
          return this.#send<T>(call, requestOptions);
        }
        const key = `graph:${Object.values(call.pathParams ?? {})[0] ?? "app"}`;
        await limiter.acquire(key, requestOptions.signal);
        state.dispatched = true;
        try {
          return await this.#send<T>(call, requestOptions);
        } catch (error) {
          if (isRateLimitError(error))
            await limiter.backOff(key, (error as { retryAfterMs?: number }).retryAfterMs);
          throw error;
        }
      },
    );
  }

  async #send<T>(call: OperationCall, requestOptions: RequestOptions): Promise<T> {
    const auth: Record<string, string> =
      call.auth === false ? {} : { authorization: `Bearer ${this.#accessToken}` };
    const request = toHttpRequest(this.options.baseUrl, call, auth);

    const response = await sendHttp(
      this.options.fetch,
      request,
      withDefaultTimeout(requestOptions, this.options.timeoutMs),
    );
    return this.#read<T>(call.operation, response);
  }

  #read<T>(operation: string, response: HttpResponse): T {
    const redact = (text: string): string => redactSecrets(text, [this.#accessToken]);
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const details = responseDetails(response.headers, GRAPH_REQUEST_ID_HEADERS, redact);
    const parsed = parseJson(response.text);
    if (parsed === undefined) {
      throw new HttpError(
        operation,
        response.status,
        "response is not JSON",
        redact(response.text),
        retryAfterMs,
        details,
      );
    }

    // Graph reports failures as an `error` object, normally with a 4xx status
    // but occasionally with 200; the object decides, not the status.
    const error = isRecord(parsed) ? parsed["error"] : undefined;
    if (error !== undefined) {
      const code = isRecord(error) ? asInteger(error["code"]) : undefined;
      if (!isRecord(error) || code === undefined) {
        throw new HttpError(
          operation,
          response.status,
          "error object without a numeric code",
          redact(response.text),
          retryAfterMs,
          details,
        );
      }
      const message = typeof error["message"] === "string" ? error["message"] : "(no message)";
      throw new GraphApiError({
        operation,
        status: response.status,
        code,
        subcode: asInteger(error["error_subcode"]),
        type: typeof error["type"] === "string" ? error["type"] : undefined,
        fbtraceId:
          typeof error["fbtrace_id"] === "string" ? error["fbtrace_id"] : details.headers["x-fb-trace-id"],
        info: lookupErrorInfo(this.#errorTable, code),
        serverMessage: redact(message),
        retryAfterMs,
        ...details,
      });
    }

    // Without an error object there is no code to report, so a failing status
    // is an unexpected response rather than a GraphApiError.
    if (response.status < 200 || response.status >= 300) {
      throw new HttpError(
        operation,
        response.status,
        "error status without a Graph error object",
        redact(response.text),
        retryAfterMs,
        details,
      );
    }
    return parsed as T;
  }
}

function resolveBaseUrl(baseUrl: string | undefined, apiVersion: string | undefined): string {
  if (apiVersion === undefined) return baseUrl ?? DEFAULT_GRAPH_BASE_URL;
  if (baseUrl !== undefined) {
    // Which version a custom base URL serves is its own business; guessing where
    // to splice a version into it would be wrong as often as right.
    throw new MessengerError("GraphClientOptions: pass either baseUrl or apiVersion, not both");
  }
  if (!/^v\d+\.\d+$/.test(apiVersion)) {
    throw new MessengerError(`GraphClientOptions.apiVersion must look like 'v21.0', got '${apiVersion}'`);
  }
  return DEFAULT_GRAPH_BASE_URL.replace(/v\d+\.\d+$/, apiVersion);
}

/** Graph sends codes as numbers; a numeric string is accepted too. */
function asInteger(value: unknown): number | undefined {
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) ? number : undefined;
}
