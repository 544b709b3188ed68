/**
 * Every error this SDK throws is a `MessengerError`, so callers can tell SDK
 * failures apart from their own bugs with a single `instanceof`.
 *
 * Secrets (Graph access token, app secret, Sobot app_key and token) never reach
 * these classes: the cores redact server-supplied text before building an error,
 * and no error keeps a reference to the request that carried the credentials.
 */

/** One problem found by request validation. */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) of the offending value; "" is the request itself. */
  pointer: string;
  message: string;
}

/** Text in the languages the source documents use. */
export interface LocalizedText {
  en?: string;
  zh?: string;
  de?: string;
}

/** What the spec's error table says about one error code. */
/** What the runtime reads of an error code: its name and the retry policy the spec gives it. */
export interface ErrorPolicy {
  name: string;
  /** The retry policy reviewed in the spec: may the same request be sent again? */
  retryable: boolean;
  /** The code means "sending too fast": a shared rate limiter holds back every process's sends. */
  rateLimit?: boolean;
}

/** An error code as the spec's table gives it: name, description and retry policy. */
export interface ErrorInfo extends ErrorPolicy {
  description: LocalizedText;
}

/** Outcome of a request that failed before a response arrived. */
export type RequestOutcome = "not-sent" | "unknown";

export class MessengerError extends Error {
  // Names are literal strings rather than `new.target.name` so that they
  // survive minifiers that rename classes.
  override readonly name: string = "MessengerError";
  /**
   * How many times the request was sent (or tried) before this error was
   * thrown, when the retry policy made more than one attempt.
   */
  attempts?: number;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The request did not match the schema; nothing was sent. */
export class RequestValidationError extends MessengerError {
  override readonly name: string = "RequestValidationError";
  readonly operation: string;
  readonly issues: ValidationIssue[];

  constructor(operation: string, issues: ValidationIssue[]) {
    super(`${operation}: invalid request: ${formatIssueList(issues)}`);
    this.operation = operation;
    this.issues = issues;
  }
}

/** What an error keeps of the response it came in besides the status. */
export interface ResponseDetails {
  /** The response headers by lower-case name, Set-Cookie left out and known secrets redacted. */
  headers: Readonly<Record<string, string>>;
  /** The id the server gave the request (Graph: `x-fb-request-id`; Sobot: `x-request-id`), when it sent one. */
  requestId?: string | undefined;
}

/** What every API error is made of: the call, the response, and what the spec says of the code. */
export interface ApiErrorInit extends Partial<ResponseDetails> {
  operation: string;
  status: number;
  info?: ErrorInfo | undefined;
  /** What the spec says of a finer code (Graph's subcode), when it names it: it decides the retry policy. */
  finerInfo?: ErrorPolicy | undefined;
  /** The response's Retry-After, in milliseconds, when it had one. */
  retryAfterMs?: number | undefined;
}

/**
 * The API answered with an error of its own (Graph's `error` object, Sobot's `ret_code`): what the
 * retry policy and the rate limiter read, whichever API it came from.
 */
export abstract class ApiError extends MessengerError {
  readonly operation: string;
  readonly status: number;
  /** What the spec's error table says of the code: name, description, retryable. */
  readonly info?: ErrorInfo;
  /** The response's Retry-After, in milliseconds, when it had one. */
  readonly retryAfterMs?: number;
  /** The response headers by lower-case name (Set-Cookie left out, known secrets redacted). */
  readonly headers: Readonly<Record<string, string>>;
  /** The id the server gave the request (Graph: `x-fb-request-id`; Sobot: `x-request-id`), when it sent one. */
  readonly requestId?: string;

  /**
   * The table entry the retry policy and the rate limiter follow: a finer code's where the spec
   * names it (Graph's subcode), else the code's.
   */
  readonly policyInfo?: ErrorPolicy;
  constructor(message: string, init: ApiErrorInit) {
    super(message);
    this.operation = init.operation;
    this.status = init.status;
    // Assigned only when present so that the optional properties stay absent
    // (exactOptionalPropertyTypes) rather than holding `undefined`.
    if (init.info !== undefined) this.info = init.info;
    const policy = init.finerInfo ?? init.info;
    if (policy !== undefined) this.policyInfo = policy;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    this.headers = init.headers ?? {};
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }
}

export interface GraphApiErrorInit extends ApiErrorInit {
  code: number;
  subcode?: number | undefined;
  type?: string | undefined;
  fbtraceId?: string | undefined;
  /** The server's `error.message`, already redacted. */
  serverMessage: string;
}

/** The Graph API answered with an `error` object. */
export class GraphApiError extends ApiError {
  override readonly name: string = "GraphApiError";
  readonly code: number;
  readonly subcode?: number;
  /** What the spec's subcode table says of the subcode (its name and retry policy), when it names it. */
  readonly subcodeInfo?: ErrorPolicy;
  readonly type?: string;
  /** Meta's trace id: the body's `fbtrace_id`, or the `x-fb-trace-id` header. Quote it to Meta's support. */
  readonly fbtraceId?: string;

  constructor(init: GraphApiErrorInit) {
    const codes = init.subcode === undefined ? `${init.code}` : `${init.code}/${init.subcode}`;
    const known = `${init.info ? ` ${init.info.name}` : ""}${init.finerInfo ? `/${init.finerInfo.name}` : ""}`;
    super(
      `${init.operation}: Graph API error ${codes}${known} (HTTP ${init.status}): ${init.serverMessage}`,
      init,
    );
    this.code = init.code;
    if (init.subcode !== undefined) this.subcode = init.subcode;
    if (init.finerInfo !== undefined) this.subcodeInfo = init.finerInfo;
    if (init.type !== undefined) this.type = init.type;
    if (init.fbtraceId !== undefined) this.fbtraceId = init.fbtraceId;
  }
}

export interface SobotApiErrorInit extends ApiErrorInit {
  retCode: string;
  /** The server's `ret_msg`, already redacted. */
  retMsg: string;
}

/** Sobot answered with a `ret_code` other than "000000". */
export class SobotApiError extends ApiError {
  override readonly name: string = "SobotApiError";
  readonly retCode: string;
  readonly retMsg: string;

  constructor(init: SobotApiErrorInit) {
    const known = init.info ? ` ${init.info.name}` : "";
    super(`${init.operation}: Sobot error ${init.retCode}${known}: ${init.retMsg}`, init);
    this.retCode = init.retCode;
    this.retMsg = init.retMsg;
  }
}

/**
 * The token store (Redis, say) failed or did not answer in time. Nothing was
 * sent: the operation needed a token first. It is not retried here; the next
 * call tries the store again, so the client recovers by itself once the store
 * is back.
 */
export class TokenStoreError extends MessengerError {
  override readonly name: string = "TokenStoreError";
  /** The store call that failed: get, set, delete, tryLock, extend or release. */
  readonly storeCall: string;
  readonly outcome = "not-sent" as const;

  constructor(storeCall: string, detail: string) {
    super(`token store: ${storeCall} failed: ${detail}; the request was not sent`);
    this.storeCall = storeCall;
  }
}

/**
 * A shared rate limiter (RedisRateLimiter) held the send back: its turn would
 * have come too late, or the limiter was unavailable and set to fail. Nothing
 * was sent.
 */
export class SendRateLimitError extends MessengerError {
  override readonly name: string = "SendRateLimitError";
  /** The limiter's key, e.g. "graph:<page id>" or "sobot:<app id>". */
  readonly key: string;
  readonly outcome = "not-sent" as const;

  constructor(key: string, reason: string) {
    super(`send held back by the shared rate limit for ${key}: ${reason}; the request was not sent`);
    this.key = key;
  }
}

/** Longest response body an HttpError keeps; enough to diagnose, small enough to log. */
export const MAX_ERROR_BODY_LENGTH = 500;

/** The server answered, but not with a response this SDK understands. */
export class HttpError extends MessengerError {
  override readonly name: string = "HttpError";
  readonly operation: string;
  readonly status: number;
  /** The response body (redacted), cut to about 500 characters. */
  readonly body: string;
  /** The response's Retry-After, in milliseconds, when it had one (429, 503). */
  readonly retryAfterMs?: number;
  /** The response headers by lower-case name (Set-Cookie left out, known secrets redacted). */
  readonly headers: Readonly<Record<string, string>>;
  /** The id the server gave the request, when it sent one (see ResponseDetails). */
  readonly requestId?: string;

  /**
   * @param reason what was wrong with the response, e.g. "response is not JSON"
   * @param body the raw response text; it must already be redacted
   * @param details the response's headers and request id; their values must already be redacted
   */
  constructor(
    operation: string,
    status: number,
    reason: string,
    body: string,
    retryAfterMs?: number,
    details?: ResponseDetails,
  ) {
    const truncated = body.length > MAX_ERROR_BODY_LENGTH ? `${body.slice(0, MAX_ERROR_BODY_LENGTH)}…` : body;
    super(`${operation}: unexpected HTTP ${status} response: ${reason}`);
    this.operation = operation;
    this.status = status;
    this.body = truncated;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
    this.headers = details?.headers ?? {};
    if (details?.requestId !== undefined) this.requestId = details.requestId;
  }
}

/**
 * No response arrived because the connection failed.
 *
 * `outcome` tells whether it is safe to send the request again: 'not-sent'
 * means the connection was never established (refused, DNS failure), so the
 * server cannot have acted; 'unknown' means it may have.
 */
export class ConnectionError extends MessengerError {
  override readonly name: string = "ConnectionError";
  readonly operation: string;
  readonly outcome: RequestOutcome;

  constructor(operation: string, outcome: RequestOutcome, detail: string, options?: { cause?: unknown }) {
    const consequence =
      outcome === "not-sent" ? "the request was not sent" : "the server may have received the request";
    super(`${operation}: connection failed (${detail}); ${consequence}`, options);
    this.operation = operation;
    this.outcome = outcome;
  }
}

/**
 * The server answered with a redirect. The SDK never follows one: it sends credentials in
 * headers (Sobot's `token`, Graph's bearer token), which must not reach another host. Sending
 * again would get the same answer, so it is not retried.
 */
export class RedirectError extends MessengerError {
  override readonly name: string = "RedirectError";
  readonly operation: string;
  readonly outcome = "unknown" as const;

  /** @param target method and host, e.g. "POST graph.facebook.com" */
  constructor(operation: string, target: string, options?: { cause?: unknown }) {
    super(
      `${operation}: ${target} answered with a redirect, which the SDK does not follow; check baseUrl`,
      options,
    );
    this.operation = operation;
  }
}

/** No complete response arrived in time; the server may have acted on the request. */
export class TimeoutError extends MessengerError {
  override readonly name: string = "TimeoutError";
  readonly operation: string;
  readonly outcome = "unknown" as const;

  constructor(operation: string, timeoutMs: number) {
    super(
      `${operation}: no complete response within ${timeoutMs} ms; the server may have received the request`,
    );
    this.operation = operation;
  }
}

// Kept here (rather than imported from validation.ts) so that errors.ts has no
// dependencies; validation.ts re-exports the same formatting as formatIssues.
export function formatIssueList(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return "the request does not match its schema";
  return issues
    .map((issue) => `${issue.pointer === "" ? "(root)" : issue.pointer}: ${issue.message}`)
    .join("; ");
}
