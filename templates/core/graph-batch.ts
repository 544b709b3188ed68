/**
 * Graph batches of typed calls: items built by the generated `<operation>Item` functions (checked
 * when built), sent in one request, and answered one typed result or one typed error per item, in
 * order. An item's failure does not fail the others; an item is sent again only where the retry
 * policy allows it for that item alone.
 */

import { MessengerError } from "./errors.js";
import type { GraphCore } from "./graph-core.js";
import type { OperationCall } from "./operation.js";
import { resolveRetryPolicy, retryReason } from "./retry.js";
import { buildUrl, type RequestOptions } from "./transport.js";
import type { Check } from "./check.js";
import { assertValid } from "./validation.js";

/** Graph's limit: requests per batch. */
export const MAX_BATCH_ITEMS = 50;

/** One call of a batch, answered by a `T`. Built by the generated `<operation>Item` functions. */
export interface BatchItem<T> {
  readonly call: OperationCall;
  /** The type of the item's answer; never set. */
  readonly answer?: T;
}

/** What the item builders take besides the request. */
export interface BatchItemOptions {
  /** The Page of the call ({PAGE_ID}); default the batch's, the client's `pageId`. */
  pageId?: string;
  /** Check the request against the spec now. Default true. */
  validate?: boolean;
}

/** One item's outcome: its answer, or the typed error it failed with. */
export type BatchResult<T> = { ok: true; value: T } | { ok: false; error: MessengerError };

/** The outcome of each item of `I`, in order. */
export type BatchResults<I extends readonly BatchItem<unknown>[]> = {
  -readonly [K in keyof I]: I[K] extends BatchItem<infer T> ? BatchResult<T> : never;
};

/** A batch request as the spec's batch operation sends it. */
export interface BatchRequest {
  batch: { method: "GET" | "POST" | "DELETE" | "PUT"; relative_url: string; body?: string }[];
  include_headers?: boolean;
}

/**
 * An item that did not complete: Graph answered null for it (the batch took too long). It may
 * have acted, so it is not sent again unless the operation is idempotent.
 */
export class BatchItemUnfinishedError extends MessengerError {
  override readonly name: string = "BatchItemUnfinishedError";
  readonly operation: string;
  readonly outcome = "unknown" as const;

  constructor(operation: string) {
    super(`${operation}: Graph did not complete this request of the batch; it may have acted`);
    this.operation = operation;
  }
}

/** An item, checked now (unless `validate: false`), as generated builders make them. */
export function batchItem<T>(
  call: OperationCall,
  check: Check,
  request: unknown,
  options: BatchItemOptions,
): BatchItem<T> {
  if (options.validate ?? true) assertValid(call.operation, check, request);
  return options.pageId === undefined ? { call } : { call: { ...call, page: options.pageId } };
}

/**
 * Sends `items` as one batch with `send` (the spec's batch operation, for the items' Page), and
 * again, in a smaller batch, the items the retry policy may repeat, until none is left or the
 * attempts are used up.
 */
export async function runBatch<I extends readonly BatchItem<unknown>[]>(
  core: GraphCore,
  items: I,
  send: (request: BatchRequest, pageId: string | undefined) => Promise<unknown>,
  options: RequestOptions & { pageId?: string } = {},
): Promise<BatchResults<I>> {
  if (items.length === 0 || items.length > MAX_BATCH_ITEMS) {
    throw new MessengerError(`batch: ${items.length} items; a batch holds 1 to ${MAX_BATCH_ITEMS}`);
  }
  const page = options.pageId ?? core.options.pageId;
  const calls = items.map((item) => withPage(item.call, page));
  // One request, one access token: the Page of every item must be the batch's.
  const pages = new Set(calls.map((call) => call.page));
  const [batchPage] = pages;
  if (pages.size > 1) {
    throw new MessengerError(
      `batch: items for ${pages.size} Pages; a batch is sent with one Page's token, so send one batch per Page`,
    );
  }
  // A per-call retry setting stands alone here (defaults filled in), as the client's is not at hand.
  const policy = options.retry === undefined ? core.options.retry : resolveRetryPolicy(options.retry);
  const results: BatchResult<unknown>[] = new Array(items.length);
  let pending = calls.map((_, i) => i);
  for (let attempt = 1; pending.length > 0; attempt++) {
    let answers: unknown;
    try {
      answers = await send(
        { batch: pending.map((i) => entryOf(calls[i]!)), include_headers: false },
        batchPage,
      );
    } catch (error) {
      // The first batch failed as a whole: nothing is known of any item. A later one holds only
      // the items sent again; the others have their answers, which must not be lost.
      if (attempt === 1 || !(error instanceof MessengerError)) throw error;
      for (const index of pending) results[index] = { ok: false, error };
      break;
    }
    const list = Array.isArray(answers) ? (answers as unknown[]) : [];
    const again: number[] = [];
    pending.forEach((index, at) => {
      const call = calls[index]!;
      const result = resultOf(core, call, list[at]);
      results[index] = result;
      const idempotent = call.idempotent === true;
      const repeatable =
        !result.ok &&
        (retryReason(result.error, idempotent, false) !== undefined ||
          (idempotent && result.error instanceof BatchItemUnfinishedError));
      const mayRepeat = repeatable && policy && attempt < policy.maxAttempts;
      if (mayRepeat) again.push(index);
    });
    if (again.length && policy) {
      await policy.sleep(
        Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)),
        options.signal,
      );
    }
    pending = again;
  }
  return results as BatchResults<I>;
}

/** The call with its Page: the builder's, else the batch's; a path parameter it leaves open is the Page ({PAGE_ID}). */
function withPage(call: OperationCall, page: string | undefined): OperationCall {
  const own = call.page ?? page;
  const pathParams: Record<string, string | undefined> = { ...call.pathParams };
  for (const [, name] of call.path.matchAll(/\{([^{}]+)\}/g)) {
    if (name !== undefined && pathParams[name] === undefined && own !== undefined) pathParams[name] = own;
  }
  return { ...call, pathParams, ...(own === undefined ? {} : { page: own }) };
}

/** The batch entry of a call: its path and query as relative_url, a POST's or PUT's parameters as a form. */
function entryOf(call: OperationCall): BatchRequest["batch"][number] {
  const method = call.method as BatchRequest["batch"][number]["method"];
  const hasBody = method === "POST" || method === "PUT";
  const params = fields(call.body);
  const query = hasBody ? call.query : { ...call.query, ...params };
  const relative = buildUrl("", call.path, call.pathParams ?? {}, query).replace(/^\//, "");
  if (!hasBody || call.body === undefined) return { method, relative_url: relative };
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined)
      form.append(key, typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));
  }
  return { method, relative_url: relative, body: form.toString() };
}

function fields(body: unknown): Record<string, unknown> {
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** One item's answer (`{ code, body }`, or null when it did not complete) as a result. */
function resultOf(core: GraphCore, call: OperationCall, answer: unknown): BatchResult<unknown> {
  if (answer === null || typeof answer !== "object") {
    return { ok: false, error: new BatchItemUnfinishedError(call.operation) };
  }
  const { code, body } = answer as { code?: unknown; body?: unknown };
  try {
    const value = core.read(
      call.operation,
      {
        status: typeof code === "number" ? code : 200,
        headers: new Headers(),
        text: typeof body === "string" ? body : JSON.stringify(body ?? null),
      },
      [],
    );
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: error instanceof MessengerError ? error : new MessengerError(String(error)) };
  }
}
