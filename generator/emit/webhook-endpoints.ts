import type { ApiModel, Webhook } from "../model/types.js";
import { GENERATED_HEADER } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";
import { readerName } from "./webhooks.js";

const pascal = (name: string) => name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());

/**
 * `src/<api>/webhook-endpoint.ts`: the API's webhook parser wired to the HTTP helpers of
 * core/webhook-handler.ts: `<api>WebhookEndpoint(options)` for any server (messenger-sdk/node takes it
 * for node:http) and `create<Api>WebhookHandler(options)`, a Web `Request` → `Response` handler.
 */
export const emitWebhookEndpoints: Emitter = (model) => model.apis.filter((api) => api.webhooks.length === 1).map((api) => endpointFile(api, api.webhooks[0]!));

function endpointFile(api: ApiModel, hook: Webhook): GeneratedFile {
  const Api = pascal(api.name);
  const infix = hook.name === "webhook" ? "" : pascal(hook.name);
  const eventType = `${Api}${infix}WebhookEvent`;
  const reader = readerName(api, hook);
  const verifier = hook.verification ? `answer${Api}WebhookVerification` : undefined;
  const options = `${Api}WebhookEndpointOptions`;
  const signature = hook.signature;

  const fields = [
    ...(signature ? [`  /** The app secret the \`${signature.header}\` signature is made with. */`, "  appSecret: string;"] : []),
    ...(hook.verification
      ? [
          `  /** The verify token set up with the webhook: GET requests (\`${hook.verification.mode}=${hook.verification.expectedMode}\`) are answered with the challenge. Without it, GET is 405. */`,
          "  verifyToken?: string;",
        ]
      : []),
  ];
  const readOptions = "options.validate === undefined ? {} : { validate: options.validate }";
  const content = `${GENERATED_HEADER}
import { webhookFetchHandler, type WebhookEndpoint, type WebhookEndpointOptions } from "../core/webhook-handler.js";
import { ${[reader, ...(verifier ? [verifier] : []), `type ${eventType}`].join(", ")} } from "./webhooks.js";

export interface ${options} extends WebhookEndpointOptions<${eventType}> {
${fields.join("\n")}
}

/**
 * ${api.title}'s webhook as an endpoint for the HTTP helpers: pass it to \`nodeWebhookHandler\`
 * (messenger-sdk/node) or use {@link create${Api}WebhookHandler}.
 * ${signature ? `The \`${signature.header}\` signature is computed as the body streams in and checked before it is parsed (403 when wrong).` : "This webhook carries no signature."}
 * Bodies are bounded in size (\`maxBodyBytes\`, 413), time (\`bodyTimeoutMs\`, 408) and, all together, in
 * memory (\`maxInFlightBytes\`, 503 with Retry-After).
 * A delivery whose envelope is sound is answered 200 once \`onEvents\` has returned, with every event
 * in it; events that depart from the spec are among them and are reported to \`onIssues\`.
 * ${hook.verification ? "GET answers the verification handshake when `verifyToken` is set." : "GET is 405: this webhook has no verification handshake."}
 */
export function ${api.name}WebhookEndpoint(options: ${options}): WebhookEndpoint<${eventType}> {
  return {
    ${signature ? `signature: { header: ${JSON.stringify(signature.header)}, prefix: ${JSON.stringify(signature.prefix)}, secret: options.appSecret },` : ""}
    parse: async (rawBody) => ${reader}(rawBody, ${readOptions}),
    ${verifier ? `verify: options.verifyToken === undefined ? undefined : (query) => ${verifier}(query, options.verifyToken ?? ""),` : ""}
    onEvents: (events) => options.onEvents(events),
    onIssues: options.onIssues,
    maxBodyBytes: options.maxBodyBytes,
    bodyTimeoutMs: options.bodyTimeoutMs,
    maxInFlightBytes: options.maxInFlightBytes,
    onError: options.onError,
  };
}

/** A \`(request: Request) => Promise<Response>\` handler for ${api.title}'s webhook (edge runtimes, fetch-style servers). */
export function create${Api}WebhookHandler(options: ${options}): (request: Request) => Promise<Response> {
  return webhookFetchHandler(${api.name}WebhookEndpoint(options));
}
`;
  return { path: `src/${api.name}/webhook-endpoint.ts`, content };
}
