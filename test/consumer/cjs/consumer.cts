// A TypeScript CommonJS module (.cts) compiled with module/moduleResolution nodenext: its imports of
// the package become require() calls, which must both type-check and run.
import { GraphClient, MessengerError, RequestValidationError } from "messenger-sdk";
import { readGraphWebhookDelivery, type GraphWebhookEvent } from "messenger-sdk/graph";

export function main(): string[] {
  const client = new GraphClient({ accessToken: "token", pageId: "PAGE_ID" });
  const events: GraphWebhookEvent[] = readGraphWebhookDelivery(
    JSON.stringify({ object: "page", entry: [{ id: "P", time: 1, messaging: [{ sender: { id: "U" }, recipient: { id: "P" }, timestamp: 2, message: { mid: "m_cts", text: "hi" } }] }] }),
  ).events;
  const error = new RequestValidationError("sendMessage", []);
  return [typeof client.sendMessage, events[0]?.kind ?? "none", String(error instanceof MessengerError)];
}

console.log(JSON.stringify(main()));
