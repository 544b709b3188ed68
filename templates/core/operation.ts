/**
 * What a generated operation hands a core (graph-core.ts, sobot-core.ts): the pieces of one
 * request. On its own so that the cores and client-support.ts share it without importing each other.
 */

/** One request, as a generated operation describes it. */
export interface OperationCall {
  /** Operation name, e.g. "sendMessage"; appears in errors. */
  operation: string;
  method: string;
  /** Path template relative to the base URL, e.g. "/{PAGE_ID}/messages". */
  path: string;
  /** A value the caller left out (no option, no argument) fails before anything is sent. */
  pathParams?: Record<string, string | undefined>;
  /**
   * What the call acts for, where the runtime has such a scope (Graph: the Page). It picks the
   * access token and the rate-limit key; it need not be in the path (GET /{PSID} acts for a Page).
   */
  page?: string | undefined;
  query?: Record<string, unknown>;
  /** Serialized as JSON when present. */
  body?: unknown;
  /** A multipart/form-data body (see multipart.ts), sent as it is instead of `body`. */
  form?: FormData;
  /** False for operations called without credentials. Default true. */
  auth?: boolean;
  /**
   * Sending the request twice is harmless (reads, and the spec's
   * `idempotent: true`): it is then also retried after a timeout, a lost
   * connection or a 5xx. Default false.
   */
  idempotent?: boolean;
}
