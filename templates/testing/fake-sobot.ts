/**
 * A fake Sobot Messenger API for tests: a real HTTP server that checks each
 * request with the generated validators and answers like Sobot.
 *
 * - Tokens: `get_token` checks sign = md5(appid + create_time + app_key) and
 *   issues a new token that replaces (invalidates) the previous one, as Sobot
 *   does; it expires after `tokenTtlSeconds`. A wrong appid or sign gets
 *   ret_code 999999.
 * - No `token` header: 900001. A replaced or expired token: 900002.
 * - A request that breaks the schema: the business code of the offending field
 *   (210001 page id empty, 210003/210004 topic, 210005/210006 description,
 *   210007 button type, 210009 user id, 210012 image ratio, 210013 configid),
 *   else 999999 naming the first problem.
 * - A page id the fake does not know (when `pages` is given): 210002. A
 *   business request's `pageid`, or its `appid` (which names the Facebook Page
 *   in Sobot's business operations), is the page id.
 * - Success: the operation's documented success example. upload_async answers
 *   a fresh track id as `item` and then POSTs the upload result
 *   `{ track_id, attachment_id }` to `webhookUrl`.
 *
 * Errors come in Sobot's envelope `{ ret_code, ret_msg }` with HTTP 200.
 */

import { md5Hex } from "../core/md5.js";
import { issuesOf } from "../core/validation.js";
import {
  decodeQuery,
  randomDigits,
  randomHex,
  startFakeServer,
  type FakeAnswer,
  type FakeApi,
  type FakeOperation,
  type FakeServer,
} from "./fake-server.js";

export interface FakeSobotOptions {
  /** Default "fake-app-id". */
  appId?: string;
  /** Default "fake-app-key". */
  appKey?: string;
  /** Lifetime of an issued token. Default 86400 (Sobot's 24 hours). */
  tokenTtlSeconds?: number;
  /** Page ids the fake knows; any other gets 210002. Default: every id is known. */
  pages?: string[];
  /** Where upload results are POSTed. Default: nowhere (they are only recorded). */
  webhookUrl?: string;
  /** How long after upload_async the upload result is POSTed. Default 20 ms. */
  uploadDelayMs?: number;
  /** Clock in epoch milliseconds, for token expiry. Default Date.now. */
  now?: () => number;
  /** Port to listen on. Default: a free one. */
  port?: number;
}

/** One POST of an upload result to the webhook URL. */
export interface FakeWebhookDelivery {
  url: string;
  body: { track_id: string; attachment_id: string };
  /** The receiver's HTTP status, or undefined when the POST failed. */
  status: number | undefined;
  error?: string;
}

export interface FakeSobot extends FakeServer {
  readonly appId: string;
  readonly appKey: string;
  /** How many tokens get_token has issued. */
  readonly tokensIssued: number;
  /** The one valid token, if any. */
  currentToken(): string | undefined;
  /** Invalidates the current token, as if it had expired (the next use gets 900002). */
  expireToken(): void;
  /** Upload results POSTed (or attempted) so far. */
  readonly webhookDeliveries: readonly FakeWebhookDelivery[];
  /** Waits until every pending upload result has been POSTed. */
  webhooksSettled(): Promise<void>;
}

/** What the generated src/testing/sobot-spec.ts provides. */
export interface SobotFakeSpec {
  operations: readonly FakeOperation[];
}

/** Which field, when it breaks the schema, gets which business code. */
const FIELD_CODES: ReadonlyArray<{ field: RegExp; missing: string; tooLong?: string }> = [
  { field: /^(pageid|appid|appids)$/, missing: "210001" },
  { field: /^title$/, missing: "210003", tooLong: "210004" },
  { field: /^describe$/, missing: "210005", tooLong: "210006" },
  { field: /^button_type$/, missing: "210007" },
  { field: /^(recipientid|recipient_id|recipient_token|facebookid)$/, missing: "210009" },
  { field: /^image_ratio$/, missing: "210012" },
  { field: /^configid$/, missing: "210013" },
];

const MESSAGES: Readonly<Record<string, string>> = {
  "900001": "token 为空",
  "900002": "token 已失效,请重新获取",
  "999999": "系统未知异常",
  "210001": "Facebook主页ID不能为空",
  "210002": "Facebook主页ID不存在或者输入错误",
  "210003": "订阅主题不能为空",
  "210004": "订阅主题长度不能超过65个字符",
  "210005": "订阅主题描述不能为空",
  "210006": "订阅主题描述不能超过65个字符",
  "210007": "按钮类型不能为空",
  "210009": "用户Facebook ID不能为空",
  "210012": "图片比例不能为空",
  "210013": "传入的configID不正确或已删除",
};

export async function launchFakeSobot(
  spec: SobotFakeSpec,
  options: FakeSobotOptions = {},
): Promise<FakeSobot> {
  const appId = options.appId ?? "fake-app-id";
  const appKey = options.appKey ?? "fake-app-key";
  const ttlSeconds = options.tokenTtlSeconds ?? 86_400;
  const pages = options.pages === undefined ? undefined : new Set(options.pages);
  const now = options.now ?? Date.now;
  const uploadDelayMs = options.uploadDelayMs ?? 20;

  let current: { token: string; expiresAt: number } | undefined;
  let tokensIssued = 0;
  const deliveries: FakeWebhookDelivery[] = [];
  const pendingWebhooks = new Set<Promise<void>>();

  const fail = (code: string, detail?: string): FakeAnswer => ({
    status: 200,
    acted: false,
    errorCode: code,
    body: {
      ret_code: code,
      ret_msg: detail === undefined ? (MESSAGES[code] ?? "") : `${MESSAGES[code] ?? ""} (${detail})`,
    },
  });

  const issueToken = (query: Record<string, string>): FakeAnswer => {
    const createTime = query["create_time"] ?? "";
    if (query["appid"] !== appId || query["sign"] !== md5Hex(appId + createTime + appKey)) {
      return fail("999999", "appid or sign is wrong");
    }
    current = { token: randomHex(16), expiresAt: now() + ttlSeconds * 1000 };
    tokensIssued += 1;
    return {
      status: 200,
      acted: true,
      body: {
        item: { token: current.token, expires_in: String(ttlSeconds) },
        ret_code: "000000",
        ret_msg: "操作成功",
      },
    };
  };

  const postUploadResult = (trackId: string): void => {
    const url = options.webhookUrl;
    const body = { track_id: trackId, attachment_id: randomDigits(16) };
    const delivery: FakeWebhookDelivery = { url: url ?? "", body, status: undefined };
    deliveries.push(delivery);
    if (url === undefined) return;
    const sent = new Promise<void>((resolve) => setTimeout(resolve, uploadDelayMs))
      .then(() =>
        fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      )
      .then(async (response) => {
        delivery.status = response.status;
        await response.text();
      })
      .catch((error: unknown) => {
        delivery.error = error instanceof Error ? error.message : String(error);
      })
      .finally(() => pendingWebhooks.delete(sent));
    pendingWebhooks.add(sent);
  };

  const byRoute = new Map(spec.operations.map((op) => [`${op.method} ${op.path}`, op]));

  const api: FakeApi = {
    route(method, path) {
      const operation = byRoute.get(`${method} ${path}`);
      return operation ? { operation, params: {} } : undefined;
    },
    notFound() {
      return { status: 404, acted: false, body: "Not Found" };
    },
    rateLimited(fault) {
      const retryAfter =
        fault.retryAfter === undefined ? {} : { headers: { "retry-after": fault.retryAfter } };
      if (fault.code !== undefined) return { ...fail(String(fault.code), "rate limited"), ...retryAfter };
      return { status: fault.httpStatus ?? 429, acted: false, body: "Too Many Requests", ...retryAfter };
    },
    answer(request, operation) {
      if (!operation.auth) return issueToken(request.query);

      const presented = request.headers["token"];
      if (presented === undefined || presented === "") return fail("900001");
      if (!current || presented !== current.token || now() >= current.expiresAt) return fail("900002");

      let payload: unknown;
      if (operation.requestIn === "query") {
        payload = decodeQuery(request.query, operation);
      } else {
        try {
          payload = JSON.parse(request.body);
        } catch {
          return fail("999999", "request body is not JSON");
        }
      }
      if (!operation.validate(payload)) return invalid(issuesOf(operation.validate, payload));

      const record =
        typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : {};
      const pageId =
        typeof record["pageid"] === "string"
          ? record["pageid"]
          : typeof record["appid"] === "string"
            ? record["appid"]
            : undefined;
      if (pages && pageId !== undefined && !pages.has(pageId)) return fail("210002");

      const success = operation.success as Record<string, unknown>;
      if (operation.path.endsWith("/upload_async")) {
        const trackId = randomHex(16);
        postUploadResult(trackId);
        return { status: 200, acted: true, body: { ...success, item: trackId } };
      }
      return { status: 200, acted: true, body: success };
    },
  };

  function invalid(issues: ReturnType<typeof issuesOf>): FakeAnswer {
    for (const issue of issues) {
      const field = fieldOf(issue.pointer, issue.message);
      const rule = FIELD_CODES.find((r) => r.field.test(field));
      if (!rule) continue;
      const tooLong = /more than|longer|maxLength/i.test(issue.message);
      return fail(
        tooLong && rule.tooLong ? rule.tooLong : rule.missing,
        `${issue.pointer || "(root)"}: ${issue.message}`,
      );
    }
    const [first] = issues;
    return fail("999999", first ? `${first.pointer || "(root)"}: ${first.message}` : "invalid request");
  }

  const server = await startFakeServer(api, options.port === undefined ? {} : { port: options.port });
  const fake = Object.assign(server, {
    appId,
    appKey,
    tokensIssued: 0,
    currentToken: () => current?.token,
    expireToken() {
      current = undefined;
    },
    webhookDeliveries: deliveries,
    async webhooksSettled() {
      while (pendingWebhooks.size > 0) await Promise.allSettled([...pendingWebhooks]);
    },
  });
  // A live count, not the value at start-up.
  Object.defineProperty(fake, "tokensIssued", { get: () => tokensIssued, enumerable: true });
  return fake;
}

/** The field a problem concerns: the first pointer segment, or the property a "required" message names. */
function fieldOf(pointer: string, message: string): string {
  const first = pointer.split("/")[1];
  if (first !== undefined && first !== "") return first;
  return /'([^']+)'/.exec(message)?.[1] ?? "";
}
