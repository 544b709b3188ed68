/**
 * A fake Graph API (Messenger Send API) for tests: a real HTTP server that
 * checks each request with the generated validators and answers like Graph.
 *
 * - Success: the operation's documented success example.
 * - A missing or unknown access token (Authorization: Bearer, or the
 *   access_token query parameter): error code 190, Graph's documented example.
 * - A page id the fake does not know (when `pages` is given): error code 100,
 *   subcode 33 ("Unsupported post request. Object with ID … does not exist").
 * - A body that is not JSON or breaks the schema: error code 100 naming the
 *   first problem.
 * - Unknown routes: error code 100 (subcode 33) with HTTP 400, as Graph does.
 *
 * `fake.deliverWebhook(url, body, appSecret)` POSTs a webhook delivery signed
 * the way Meta signs it (X-Hub-Signature-256), e.g. a drifted one, to an
 * endpoint under test.
 *
 * Errors come in Graph's envelope `{ "error": { message, type, code,
 * error_subcode?, fbtrace_id } }` with HTTP 400. Paths may carry a version
 * prefix (`/v21.0/…`); `fake.url` includes one, ready for `baseUrl`.
 */

import { hmacSha256Hex } from "../core/signature.js";
import { issuesOf } from "../core/validation.js";
import {
  decodeMultipart,
  decodeQuery,
  matchPath,
  randomHex,
  startFakeServer,
  type Fault,
  type FakeAnswer,
  type FakeApi,
  type FakeOperation,
  type FakeRequest,
  type FakeServer,
} from "./fake-server.js";

export interface FakeGraphOptions {
  /** Access tokens the fake accepts. Default ["fake-page-access-token"]. */
  accessTokens?: string[];
  /** Page ids the fake knows; any other gets error 100/33. Default: every id is known. */
  pages?: string[];
  /** Version prefix of `fake.url`. Default "v21.0". */
  apiVersion?: string;
  /** Port to listen on. Default: a free one. */
  port?: number;
}

export interface FakeGraph extends FakeServer {
  /** The base URL including the version prefix, e.g. http://127.0.0.1:40123/v21.0. */
  readonly url: string;
  /** The first accepted access token, for building clients. */
  readonly accessToken: string;
  /**
   * POSTs `body` (a string is sent as is, anything else as JSON) to a webhook
   * endpoint, signed with `appSecret` as Meta signs it; resolves to the answer.
   */
  deliverWebhook(url: string, body: unknown, appSecret: string): Promise<{ status: number; body: string }>;
}

/** Query parameters of the transport, not of an operation's request. */
const TRANSPORT_PARAMETERS = ["access_token", "appsecret_proof"] as const;

/** What the generated src/testing/graph-spec.ts provides. */
export interface GraphFakeSpec {
  operations: readonly FakeOperation[];
  errorExamples: Readonly<Record<string, unknown>>;
}

export async function launchFakeGraph(
  spec: GraphFakeSpec,
  options: FakeGraphOptions = {},
): Promise<FakeGraph> {
  const accessTokens = options.accessTokens ?? ["fake-page-access-token"];
  const pages = options.pages === undefined ? undefined : new Set(options.pages);
  const version = options.apiVersion ?? "v21.0";

  const error = (code: number, message: string, type: string, subcode?: number): FakeAnswer => ({
    status: 400,
    acted: false,
    errorCode: code,
    body: {
      error: {
        message,
        type,
        code,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        fbtrace_id: `Fake${randomHex(8)}`,
      },
    },
  });
  const documented = (name: string, fallback: FakeAnswer): FakeAnswer => {
    const example = spec.errorExamples[name] as { error?: { code?: number } } | undefined;
    if (!example?.error || typeof example.error.code !== "number") return fallback;
    return {
      status: 400,
      acted: false,
      errorCode: example.error.code,
      body: { error: { ...example.error, fbtrace_id: `Fake${randomHex(8)}` } },
    };
  };
  const unsupported = (id: string): FakeAnswer =>
    error(
      100,
      `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      "GraphMethodException",
      33,
    );

  const api: FakeApi = {
    stripPrefix: /^\/v\d+\.\d+(?=\/)/,
    route(method, path, contentType, query) {
      // A route may carry a JSON body and a body with files: the media type tells them apart. Two
      // query operations on one route (GET /{NODE_ID} of a person or a persona): the first whose
      // check accepts the query.
      const multipart = /^multipart\/form-data/i.test(contentType ?? "");
      const candidates: { operation: FakeOperation; params: Record<string, string> }[] = [];
      for (const operation of spec.operations) {
        if (operation.method !== method) continue;
        const params = matchPath(operation.path, path);
        if (params) candidates.push({ operation, params });
      }
      if (candidates.length < 2) return candidates[0];
      const byMedia = candidates.find(({ operation }) => Boolean(operation.partTypes) === multipart);
      if (candidates.some(({ operation }) => operation.partTypes)) return byMedia ?? candidates[0];
      const accepting = candidates.find(
        ({ operation }) =>
          operation.requestIn === "query" &&
          operation.validate(decodeQuery(query ?? {}, operation, TRANSPORT_PARAMETERS)),
      );
      return accepting ?? candidates[0];
    },
    notFound(request: FakeRequest) {
      return unsupported(request.path.split("/")[1] ?? "");
    },
    rateLimited(fault: Extract<Fault, { kind: "rate-limit" }>) {
      const code = typeof fault.code === "number" ? fault.code : 613;
      const answer =
        code === 613
          ? documented(
              "rateLimited",
              error(613, "(#613) Calls to this api have exceeded the rate limit.", "OAuthException"),
            )
          : error(code, `(#${code}) Application request limit reached`, "OAuthException");
      return {
        ...answer,
        status: fault.httpStatus ?? 400,
        ...(fault.retryAfter === undefined ? {} : { headers: { "retry-after": fault.retryAfter } }),
      };
    },
    async answer(request, operation, params) {
      const bearer = /^Bearer\s+(.+)$/i.exec(request.headers["authorization"] ?? "")?.[1];
      const token = bearer ?? request.query["access_token"];
      if (operation.auth && (token === undefined || !accessTokens.includes(token))) {
        return documented("invalidAccessToken", error(190, "Invalid OAuth access token.", "OAuthException"));
      }
      const pageId = params["PAGE_ID"];
      if (pages && pageId !== undefined && !pages.has(pageId)) return unsupported(pageId);

      let payload: unknown;
      if (operation.requestIn === "query") {
        payload = decodeQuery(request.query, operation, TRANSPORT_PARAMETERS);
      } else if (operation.partTypes) {
        const decoded = await decodeMultipart(request, operation);
        if (!decoded)
          return error(100, "(#100) The request body is not multipart/form-data", "OAuthException");
        request.files = decoded.files;
        payload = decoded.payload;
      } else {
        try {
          payload = JSON.parse(request.body);
        } catch {
          return error(100, "(#100) The request body is not valid JSON", "OAuthException");
        }
      }
      if (!operation.validate(payload)) {
        const [first] = issuesOf(operation.validate, payload);
        const where = first ? `${first.pointer || "(root)"}: ${first.message}` : "invalid request";
        return error(100, `(#100) Invalid parameter: ${where}`, "OAuthException");
      }
      return { status: 200, acted: true, body: operation.success };
    },
  };

  const server = await startFakeServer(api, options.port === undefined ? {} : { port: options.port });
  return Object.assign(server, {
    url: `${server.url}/${version}`,
    accessToken: accessTokens[0] ?? "",
    async deliverWebhook(url: string, body: unknown, appSecret: string) {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const signature = `sha256=${await hmacSha256Hex(text, appSecret)}`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signature },
        body: text,
      });
      return { status: response.status, body: await response.text() };
    },
  });
}
