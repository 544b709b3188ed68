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
import { GraphApiError, HttpError, MessengerError, type ErrorInfo, type ErrorPolicy } from "./errors.js";
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
  /**
   * The access token, sent only in the Authorization header: one (a Page or system user token), or
   * one per Page for an app that serves many with one client: a map from Page id to its token, or
   * a function that gives a Page's token (from a vault, say; awaited). The Page of a call is its
   * {PAGE_ID}, else the call's or the client's `pageId`. A Page's token is never sent for another.
   */
  accessToken: AccessTokenSource;
  /** Default for the `{PAGE_ID}` path parameter, and the Page of calls whose path has none (GET /{PSID}). */
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
   * call's Page, as for its token), e.g. RedisRateLimiter. When
   * Graph answers with a rate-limit code (4, 17, 32, 341, 613) or 429, every
   * process holds its sends for that Page back. Default: none.
   */
  rateLimiter?: SendRateLimiter;
  /**
   * The app secret. Given it, every call carries `appsecret_proof`: the
   * HMAC-SHA256 of the access token keyed by the app secret, in hex, which
   * Graph requires of apps with "Require App Secret" on (meta-docs: Graph
   * API, Securing Requests). Computed once; the secret itself is never sent.
   */
  appSecret?: string;
}

/** Where a call's access token comes from (see GraphClientOptions.accessToken). */
export type AccessTokenSource =
  string | Readonly<Record<string, string>> | ((pageId: string | undefined) => string | Promise<string>);

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
  readonly #tokens: AccessTokenSource;
  /** Every token known up front (one, or a map's), redacted from every error. */
  readonly #knownTokens: readonly string[];
  readonly #errorTable: Readonly<Record<number, ErrorInfo>>;
  readonly #subcodeTable: Readonly<Record<number, ErrorPolicy>>;
  readonly #retry: RetryOptions | false | undefined;
  readonly #rateLimiter: SendRateLimiter | undefined;
  readonly #appSecret: string | undefined;
  readonly #proofs = new Map<string, Promise<string>>();

  constructor(
    options: GraphClientOptions,
    errorTable: Readonly<Record<number, ErrorInfo>>,
    subcodeTable: Readonly<Record<number, ErrorPolicy>> = {},
  ) {
    const tokens = options.accessToken;
    const map = typeof tokens === "object" && tokens !== null ? Object.values(tokens) : undefined;
    const valid =
      (typeof tokens === "string" && tokens !== "") ||
      typeof tokens === "function" ||
      (map !== undefined &&
        map.length > 0 &&
        map.every((token) => typeof token === "string" && token !== ""));
    if (!valid) {
      throw new MessengerError(
        "GraphClientOptions.accessToken is required: a token, a map of Page id to token, or a function giving a Page's token",
      );
    }
    if (
      options.appSecret !== undefined &&
      (typeof options.appSecret !== "string" || options.appSecret === "")
    ) {
      throw new MessengerError("GraphClientOptions.appSecret must be a non-empty string when given");
    }
    this.#tokens = tokens;
    this.#knownTokens = typeof tokens === "string" ? [tokens] : (map ?? []);
    this.#appSecret = options.appSecret;
    this.#errorTable = errorTable;
    this.#subcodeTable = subcodeTable;

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
        const key = `graph:${this.#pageOf(call) ?? "app"}`;
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
    const token = call.auth === false ? undefined : await this.#tokenFor(call);
    const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    const proof =
      token === undefined || this.#appSecret === undefined
        ? undefined
        : await this.#proof(this.#appSecret, token);
    const withProof =
      proof === undefined ? call : { ...call, query: { ...call.query, appsecret_proof: proof } };
    const request = toHttpRequest(this.options.baseUrl, withProof, auth);

    const response = await sendHttp(
      this.options.fetch,
      request,
      withDefaultTimeout(requestOptions, this.options.timeoutMs),
    );
    return this.read<T>(call.operation, response, [token, proof]);
  }

  /** The call's Page: the one the generated method names, else the client's `pageId`. */
  #pageOf(call: OperationCall): string | undefined {
    return call.page ?? this.options.pageId;
  }

  /** The token for the call's Page. Fails before anything is sent when there is none. */
  async #tokenFor(call: OperationCall): Promise<string> {
    const source = this.#tokens;
    if (typeof source === "string") return source;
    const pageId = this.#pageOf(call);
    const page = pageId ?? "(none)";
    let token: unknown;
    if (typeof source === "function") {
      try {
        token = await source(pageId);
      } catch {
        // The resolver's own error is left out: it may hold what it was resolving.
        throw new MessengerError(
          `${call.operation}: the access token of Page '${page}' could not be resolved; the request was not sent`,
        );
      }
    } else {
      token =
        pageId === undefined || !Object.prototype.hasOwnProperty.call(source, pageId)
          ? undefined
          : source[pageId];
    }
    if (typeof token !== "string" || token === "") {
      throw new MessengerError(
        `${call.operation}: no access token for Page '${page}'; the request was not sent`,
      );
    }
    return token;
  }

  /** appsecret_proof for a token, computed on its first use (WebCrypto is asynchronous). */
  #proof(appSecret: string, token: string): Promise<string> {
    let proof = this.#proofs.get(token);
    if (!proof) {
      proof = hmacSha256Hex(appSecret, token);
      this.#proofs.set(token, proof);
    }
    return proof;
  }

  /**
   * An answer as the SDK returns it: the parsed body, or the typed error it holds (a batch reads
   * each item's answer here too). Every known secret is redacted from what an error keeps.
   */
  read<T>(operation: string, response: HttpResponse, used: (string | undefined)[]): T {
    // The call's token and proof too: the proof stands for the token wherever a server echoes the URL.
    const redact = (text: string): string =>
      redactSecrets(text, [...this.#knownTokens, this.#appSecret, ...used]);
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
      const subcode = asInteger(error["error_subcode"]);
      throw new GraphApiError({
        operation,
        status: response.status,
        code,
        subcode,
        finerInfo: subcode === undefined ? undefined : lookupErrorInfo(this.#subcodeTable, subcode),
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

/** HMAC-SHA256 of `message` keyed by `key`, as lower-case hex, with WebCrypto (Node and edge runtimes alike). */
async function hmacSha256Hex(key: string, message: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, "0")).join("");
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
