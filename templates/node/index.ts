/**
 * messenger-sdk/node: receiving webhooks with node:http (or Express, Fastify's
 * raw request, anything that hands over Node's IncomingMessage/ServerResponse).
 *
 * ```ts
 * import { createServer } from 'node:http';
 * import { graphWebhookEndpoint } from 'messenger-sdk/graph';
 * import { nodeWebhookHandler } from 'messenger-sdk/node';
 *
 * createServer(nodeWebhookHandler(graphWebhookEndpoint({ appSecret, verifyToken, onEvents }))).listen(8080);
 * ```
 *
 * The request and response are typed structurally (the members used below),
 * so this entry point compiles without Node's type declarations.
 */

import { processWebhook, type WebhookEndpoint } from "../core/webhook-handler.js";

/** The members of node:http's IncomingMessage used here. */
export interface NodeWebhookRequest extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** False while the body has not all arrived. */
  complete?: boolean;
  destroy?(): unknown;
}

/** The members of node:http's ServerResponse used here. */
export interface NodeWebhookResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string, callback?: () => void): unknown;
}

/**
 * A node:http request listener for one endpoint (see core/webhook-handler.ts for
 * the statuses it answers and the bounds on size, time and memory). It never
 * throws; failures of `onEvents` are 500.
 */
export function nodeWebhookHandler<E>(
  endpoint: WebhookEndpoint<E>,
): (request: NodeWebhookRequest, response: NodeWebhookResponse) => Promise<void> {
  return async (request, response) => {
    const result = await processWebhook(endpoint, {
      method: request.method ?? "GET",
      url: request.url ?? "/",
      header: (name) => {
        const value = request.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
      body: () => bytes(request),
    });
    response.statusCode = result.status;
    for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
    response.end(result.body, () => {
      // A body the handler gave up on (413, 408, 503) is not read to its end:
      // the connection goes, once the answer is out.
      if (result.headers["connection"] === "close" && request.complete === false) request.destroy?.();
    });
  };
}

async function* bytes(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of chunks) yield typeof chunk === "string" ? encoder.encode(chunk) : chunk;
}
