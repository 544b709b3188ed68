/**
 * What every generated Sobot operation shares: the `token` header, the token
 * itself (fetched with an md5 signature, cached, refreshed when rejected), and
 * reading Sobot's `{ ret_code, ret_msg, … }` envelope.
 *
 * Source: Sobot's Facebook Messenger API, sections 接口声明 and 获取Token.
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
import { HttpError, MessengerError, SobotApiError, type ErrorInfo, type ResponseDetails } from "./errors.js";
import type { OperationCall } from "./operation.js";
import { md5Hex } from "./md5.js";
import { redactSecrets } from "./redact.js";
import { isRateLimitError, type SendRateLimiter } from "./rate-limit.js";
import {
  parseRetryAfter,
  resolveRetryPolicy,
  withRetry,
  type RetryOptions,
  type RetryPolicy,
} from "./retry.js";
import { TokenManager, type TokenStore } from "./token.js";
import {
  abortable,
  buildUrl,
  parseJson,
  sendHttp,
  type FetchLike,
  type HttpResponse,
  type RequestOptions,
} from "./transport.js";

export const DEFAULT_SOBOT_BASE_URL = "https://sg.sobot.com";

/** `ret_code` of success; every other code is an error. */
const SUCCESS = "000000";
/** 900001 "token 为空" and 900002 "token 已失效,请重新获取". */
const TOKEN_REJECTED = new Set(["900001", "900002"]);
/** How much longer than a token request a waiter waits for another process's. */
const LOCK_WAIT_SLACK_MS = 5_000;
/** Operation name of the token request in errors. */
const TOKEN_OPERATION = "getToken";

export interface SobotClientOptions {
  appId: string;
  /** Never sent: only signs the token request. */
  appKey: string;
  /** Default https://sg.sobot.com. */
  baseUrl?: string;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Per request, response body included. Default 30000. */
  timeoutMs?: number;
  /** Check request bodies against the spec's schemas before sending. Default true. */
  validateRequests?: boolean;
  /**
   * Where the token is kept. Default: in memory, per client. Several processes
   * with one app id should share one store (RedisTokenStore): each get_token
   * call invalidates the token every other process holds. Each call to the
   * store is bounded by `timeoutMs`; a store that fails or hangs makes the
   * call fail with TokenStoreError (nothing sent) instead of stalling it.
   */
  tokenStore?: TokenStore;
  /**
   * When failed requests are sent again (see RetryOptions for the rules);
   * `false` never. Default: up to 3 attempts, 500 ms base delay, 30 s in all.
   * A rejected token (900001/900002) is always replaced and the call replayed
   * once, independently of this.
   */
  retry?: RetryOptions | false;
  /** Clock in epoch milliseconds. Default: Date.now. */
  now?: () => number;
  /**
   * A send rate shared with the other processes of the fleet, per app id,
   * e.g. RedisRateLimiter. When Sobot answers with a rate-limit code or 429,
   * every process holds its calls for the app back. Default: none.
   */
  rateLimiter?: SendRateLimiter;
}

/** The options in effect, defaults applied; the app key is deliberately left out. */
export interface ResolvedSobotClientOptions {
  readonly appId: string;
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly validateRequests: boolean;
  readonly now: () => number;
  readonly retry: RetryPolicy | false;
}

export interface SobotOperationCall extends OperationCall {
  /** Envelope field to return on success (e.g. "item"); the whole body without it. */
  unwrap?: string;
}

/** sign = md5(appid + create_time + app_key), as the token request requires. */
export function sobotSign(appId: string, createTime: string, appKey: string): string {
  return md5Hex(appId + createTime + appKey);
}

/** A parsed Sobot response. */
interface Envelope {
  status: number;
  retCode: string;
  retMsg: string;
  body: Record<string, unknown>;
  retryAfterMs: number | undefined;
  details: ResponseDetails;
}

/** Sobot documents no request id; a proxy or gateway in front of it may add the common one. */
const SOBOT_REQUEST_ID_HEADERS = ["x-request-id"] as const;

export class SobotCore {
  readonly options: ResolvedSobotClientOptions;
  readonly tokens: TokenManager;
  readonly #appKey: string;
  readonly #retCodeTable: Readonly<Record<string, ErrorInfo>>;
  readonly #tokenPath: string;
  readonly #retry: RetryOptions | false | undefined;
  readonly #rateLimiter: SendRateLimiter | undefined;

  constructor(
    options: SobotClientOptions,
    retCodeTable: Readonly<Record<string, ErrorInfo>>,
    tokenPath: string,
  ) {
    if (typeof options.appId !== "string" || options.appId === "") {
      throw new MessengerError("SobotClientOptions.appId is required");
    }
    if (typeof options.appKey !== "string" || options.appKey === "") {
      throw new MessengerError("SobotClientOptions.appKey is required");
    }
    this.#appKey = options.appKey;
    this.#retCodeTable = retCodeTable;
    this.#tokenPath = tokenPath;
    this.options = Object.freeze({
      appId: options.appId,
      baseUrl: options.baseUrl ?? DEFAULT_SOBOT_BASE_URL,
      fetch: resolveFetch(options.fetch),
      timeoutMs: resolveTimeout(options.timeoutMs),
      validateRequests: options.validateRequests ?? true,
      now: options.now ?? Date.now,
      retry: resolveRetryPolicy(options.retry),
    });
    this.#retry = options.retry;
    this.#rateLimiter = options.rateLimiter;
    this.tokens = new TokenManager({
      ...(options.tokenStore ? { store: options.tokenStore } : {}),
      fetchToken: () => this.#fetchToken(),
      now: this.options.now,
      // A store that hangs costs a call no more than a request may take; and a
      // waiter gives the lock holder's token request its whole timeout.
      storeTimeoutMs: this.options.timeoutMs,
      lockWaitMs: this.options.timeoutMs + LOCK_WAIT_SLACK_MS,
    });
  }

  /**
   * Sends one operation with the current token. When Sobot rejects the token
   * (900001/900002) the token is replaced and the call replayed, once: Sobot
   * refused the request before acting on it, so the replay cannot duplicate a
   * send. A second rejection is thrown as a SobotApiError.
   *
   * Other failures are repeated as the retry policy allows (see retry.ts): only
   * where the server certainly did not act, unless the operation is idempotent.
   */
  async call<T>(call: SobotOperationCall, requestOptions: RequestOptions = {}): Promise<T> {
    const policy =
      requestOptions.retry === undefined
        ? this.options.retry
        : resolveRetryPolicy(this.#retry, requestOptions.retry);
    return withRetry(
      policy,
      {
        operation: call.operation,
        idempotent: call.idempotent === true,
        signal: requestOptions.signal,
        // A token rejected twice has had its replay; a third try would only
        // churn tokens further.
        exclude: (error) => error instanceof SobotApiError && TOKEN_REJECTED.has(error.retCode),
      },
      (state) => this.#attempt<T>(call, requestOptions, state),
    );
  }

  async #attempt<T>(
    call: SobotOperationCall,
    requestOptions: RequestOptions,
    state: { dispatched: boolean },
  ): Promise<T> {
    if (call.auth === false) {
      state.dispatched = true;
      return this.#result<T>(call, await this.#exchange(call, undefined, requestOptions));
    }

    // The token fetch is shared with other callers, so the caller's signal stops
    // waiting for it rather than cancelling it.
    const token = await abortable(this.tokens.getToken(), requestOptions.signal);
    state.dispatched = true;
    let envelope = await this.#exchange(call, token, requestOptions);
    if (TOKEN_REJECTED.has(envelope.retCode)) {
      // Refused before Sobot acted on it: until the replay goes out, nothing
      // about this call has reached the server.
      state.dispatched = false;
      await this.tokens.invalidate(token);
      const freshToken = await abortable(this.tokens.getToken(), requestOptions.signal);
      state.dispatched = true;
      envelope = await this.#exchange(call, freshToken, requestOptions);
    }
    return this.#result<T>(call, envelope);
  }

  async #exchange(
    call: OperationCall,
    token: string | undefined,
    requestOptions: RequestOptions,
  ): Promise<Envelope> {
    const request = toHttpRequest(this.options.baseUrl, call, token === undefined ? {} : { token });
    const limiter = this.#rateLimiter;
    const key = `sobot:${this.options.appId}`;
    if (limiter) await limiter.acquire(key, requestOptions.signal);

    try {
      const response = await sendHttp(
        this.options.fetch,
        request,
        withDefaultTimeout(requestOptions, this.options.timeoutMs),
      );
      // tokenIn: an auth: false call may be the token request itself.
      const envelope = this.#readEnvelope(call.operation, response, [token], tokenIn);
      if (
        limiter &&
        envelope.retCode !== SUCCESS &&
        isRateLimitError(this.#apiError(call.operation, envelope))
      ) {
        await limiter.backOff(key, envelope.retryAfterMs);
      }
      return envelope;
    } catch (error) {
      if (limiter && isRateLimitError(error)) await limiter.backOff(key, (error as HttpError).retryAfterMs);
      throw error;
    }
  }

  #result<T>(call: SobotOperationCall, envelope: Envelope): T {
    if (envelope.retCode !== SUCCESS) throw this.#apiError(call.operation, envelope);
    return (call.unwrap === undefined ? envelope.body : envelope.body[call.unwrap]) as T;
  }

  /** GET {tokenPath}?appid=…&create_time=…&sign=…; called by the TokenManager only. */
  async #fetchToken(): Promise<{ token: string; expiresInSeconds: number }> {
    const { appId } = this.options;
    const createTime = Math.floor(this.options.now() / 1000).toString();
    // The sign is valid only for its create_time, but is a credential until then.
    const sign = sobotSign(appId, createTime, this.#appKey);
    const response = await sendHttp(
      this.options.fetch,
      {
        operation: TOKEN_OPERATION,
        method: "GET",
        url: buildUrl(
          this.options.baseUrl,
          this.#tokenPath,
          {},
          { appid: appId, create_time: createTime, sign },
        ),
        headers: { accept: "application/json" },
      },
      { timeoutMs: this.options.timeoutMs },
    );

    const envelope = this.#readEnvelope(TOKEN_OPERATION, response, [sign], tokenIn);
    if (envelope.retCode !== SUCCESS) throw this.#apiError(TOKEN_OPERATION, envelope);

    const item = envelope.body["item"];
    const token = tokenIn(envelope.body);
    // expires_in is documented as a string of seconds ("86400"); a number is accepted too.
    const expiresIn = isRecord(item) ? item["expires_in"] : undefined;
    const expiresInSeconds =
      typeof expiresIn === "string" || typeof expiresIn === "number" ? Number(expiresIn) : NaN;
    if (token === undefined || token === "" || !Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) {
      throw new HttpError(
        TOKEN_OPERATION,
        response.status,
        "token response has no usable item.token and item.expires_in",
        this.#redact(response.text, [sign, token]),
        undefined,
        envelope.details,
      );
    }
    return { token, expiresInSeconds };
  }

  /**
   * Parses a response into an envelope, or throws HttpError when it is not one.
   * `secretsInBody` names secrets the body itself may carry (a fresh token), so
   * that they are redacted too.
   */
  #readEnvelope(
    operation: string,
    response: HttpResponse,
    secrets: ReadonlyArray<string | undefined>,
    secretsInBody: (body: unknown) => string | undefined = () => undefined,
  ): Envelope {
    const { status, text } = response;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const details = responseDetails(response.headers, SOBOT_REQUEST_ID_HEADERS, (value) =>
      this.#redact(value, secrets),
    );
    const body = parseJson(text);
    if (body === undefined) {
      throw new HttpError(
        operation,
        status,
        "response is not JSON",
        this.#redact(text, secrets),
        retryAfterMs,
        details,
      );
    }
    const retCode = isRecord(body) ? normalizeRetCode(body["ret_code"]) : undefined;
    if (!isRecord(body) || retCode === undefined) {
      const allSecrets = [...secrets, secretsInBody(body)];
      throw new HttpError(
        operation,
        status,
        "response has no ret_code",
        this.#redact(text, allSecrets),
        retryAfterMs,
        details,
      );
    }
    const retMsg = typeof body["ret_msg"] === "string" ? this.#redact(body["ret_msg"], secrets) : "";
    return { status, retCode, retMsg, body, retryAfterMs, details };
  }

  #apiError(operation: string, envelope: Envelope): SobotApiError {
    return new SobotApiError({
      operation,
      status: envelope.status,
      retCode: envelope.retCode,
      retMsg: envelope.retMsg,
      info: lookupErrorInfo(this.#retCodeTable, envelope.retCode),
      retryAfterMs: envelope.retryAfterMs,
      ...envelope.details,
    });
  }

  #redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
    return redactSecrets(text, [this.#appKey, ...secrets]);
  }
}

/** item.token of a token response, if there is one. */
function tokenIn(body: unknown): string | undefined {
  const item = isRecord(body) ? body["item"] : undefined;
  return isRecord(item) && typeof item["token"] === "string" ? item["token"] : undefined;
}

/**
 * ret_code is a six-digit string. A number is accepted as well, padded back to
 * six digits (000000 would otherwise arrive as 0).
 */
function normalizeRetCode(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0)
    return String(value).padStart(6, "0");
  return undefined;
}
