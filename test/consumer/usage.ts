// A consumer's program, compiled under `strict` against the published package (see types.test.ts
// and pack.test.ts). Lines marked @ts-expect-error are misuses the types must reject.
import {
  GraphApiError,
  GraphAttachmentsClient,
  GraphBatchClient,
  GraphClient,
  GraphErrorCode,
  GraphHandoverClient,
  GraphPersonasClient,
  GraphProfileClient,
  GraphUsersClient,
  RequestValidationError,
  SobotApiError,
  SobotClient,
  SobotRetCode,
  type Page,
} from "messenger-sdk";
import { getUserProfileItem, isSendMessageRequest, parseGraphWebhook, sendMessageItem, sendSenderAction, sendTemplate, sendText, validateSendMessageRequest, type SendMessageRequest } from "messenger-sdk/graph";
import type { SendMessageRequest as SobotSendMessageRequest, SendRecord } from "messenger-sdk/sobot";

export async function main(baseUrl: string): Promise<string[]> {
  const out: string[] = [];
  const graph = new GraphClient({ accessToken: "consumer-token", pageId: "PAGE_1", baseUrl });
  const sent = await graph.sendMessage({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "hello, world" } });
  out.push(`graph message_id=${sent.message_id ?? "none"}`);

  const tagged: SendMessageRequest = { recipient: { id: "PSID" }, messaging_type: "MESSAGE_TAG", tag: "ACCOUNT_UPDATE", message: { text: "Your order shipped" } };
  out.push(`valid tagged=${isSendMessageRequest(tagged)}`);
  const tooLong = { recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "😀".repeat(2001) } };
  const [first] = validateSendMessageRequest(tooLong);
  out.push(`first issue=${first ? `${first.pointer}: ${first.message}` : "none"}`);
  try {
    await graph.sendMessage(tooLong as SendMessageRequest);
  } catch (error) {
    if (error instanceof RequestValidationError) out.push(`rejected before sending: ${error.operation}`);
  }
  try {
    // retry: false: this call reports the rate limit at once instead of backing off and trying again.
    await graph.sendMessage({ recipient: { id: "RATE_LIMITED" }, messaging_type: "RESPONSE", message: { text: "hi" } }, { retry: false });
  } catch (error) {
    if (error instanceof GraphApiError && error.code === GraphErrorCode.RateLimitExceeded) {
      out.push(`graph error ${error.code} retryable=${error.info?.retryable ?? "?"}`);
    }
  }

  const sobot = new SobotClient({ appId: "1", appKey: "2", baseUrl });
  const request: SobotSendMessageRequest = { messaging_type: "RESPONSE", recipientid: "R", pageid: "P", type: "text", payload: "What do you want to do next?" };
  // Unwrapped like every Sobot operation: a failure is thrown, success gives the envelope's item (here none).
  const item: unknown = await sobot.sendMessage(request);
  out.push(`sobot sent item=${JSON.stringify(item ?? null)}`);
  const page: Page<SendRecord> = await sobot.listSendRecords({ page_no: 1, page_size: 15 });
  out.push(`sobot records=${page.items.length} total=${page.total_count}`);
  try {
    await sobot.deleteTopic({ configid: "missing" });
  } catch (error) {
    if (error instanceof SobotApiError && error.retCode === SobotRetCode.ConfigIdInvalid) out.push(`sobot error ${error.retCode}`);
  }

  const secret = "app-secret";
  const body = JSON.stringify({ object: "page", entry: [{ id: "PAGE_1", time: 1, messaging: [{ sender: { id: "U" }, recipient: { id: "PAGE_1" }, timestamp: 2, message: { mid: "m_1", text: "hi" } }] }] });
  const events = await parseGraphWebhook(body, { signature: await sign(body, secret), appSecret: secret });
  for (const event of events) {
    if (event.kind === "message" && event.conforms) out.push(`webhook message text=${event.data.message.text ?? ""}`);
  }
  return out;
}

async function sign(body: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Never called: each statement is a misuse the compiler must reject. */
export function misuses(graph: GraphClient, sobot: SobotClient, handovers: GraphHandoverClient): void {
  // @ts-expect-error Sobot: MESSAGE_TAG without `tag`
  const noTag: SobotSendMessageRequest = { messaging_type: "MESSAGE_TAG", recipientid: "R", pageid: "P", type: "text", payload: "hi" };
  // @ts-expect-error Sobot: both `recipientid` and `recipient_token`
  const bothRecipients: SobotSendMessageRequest = { recipientid: "R", recipient_token: "T", pageid: "P", type: "text", payload: "hi" };
  // @ts-expect-error Sobot: an image payload on a text message
  const imageOnText: SobotSendMessageRequest = { recipientid: "R", pageid: "P", type: "text", payload: { url: "https://example.com/a.png" } };
  // @ts-expect-error Sobot: an unknown enum value
  const unknownType: SobotSendMessageRequest = { messaging_type: "PROMOTION", recipientid: "R", pageid: "P", type: "text", payload: "hi" };
  // @ts-expect-error Graph: MESSAGE_TAG without `tag`
  void graph.sendMessage({ recipient: { id: "PSID" }, messaging_type: "MESSAGE_TAG", message: { text: "hi" } });
  // @ts-expect-error Graph: an unknown notification_type
  void graph.sendMessage({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", notification_type: "LOUD", message: { text: "hi" } });
  // @ts-expect-error Graph: text and attachment in one message
  void graph.sendMessage({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "hi", attachment: { type: "image", payload: { url: "https://example.com/a.png" } } } });
  // @ts-expect-error Graph: a message and a sender action in one request
  void graph.sendMessage({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "hi" }, sender_action: "typing_on" });
  // @ts-expect-error Graph: two recipient kinds at once
  void graph.sendMessage({ recipient: { id: "PSID", user_ref: "REF" }, messaging_type: "RESPONSE", message: { text: "hi" } });
  // @ts-expect-error Sobot: a misspelt field
  void sobot.sendMessage({ recipientid: "R", pageid: "P", type: "text", payload: "hi", tagg: "ACCOUNT_UPDATE" });
  // @ts-expect-error Graph: a handover without the person it is about
  void handovers.takeThreadControl({ metadata: "to a human" });
  // @ts-expect-error Graph: an app id given as a name
  void handovers.passThreadControl({ recipient: { id: "PSID" }, target_app_id: "page inbox" });
  // @ts-expect-error Graph: the Handover Protocol has a client of its own (GraphHandoverClient)
  void graph.passThreadControl;
  void [noTag, bothRecipients, imageOnText, unknownType];
}

/** A bot's first day: Get Started button, greeting and menu, read back and taken away (types only). */
export async function profile(profiles: GraphProfileClient): Promise<string[]> {
  const set = await profiles.setMessengerProfile({
    get_started: { payload: "GET_STARTED" },
    greeting: [{ locale: "default", text: "Hello {{user_first_name}}!" }],
    ice_breakers: [{ locale: "default", call_to_actions: [{ question: "Where is my order?", payload: "ORDER" }] }],
    persistent_menu: [{ locale: "default", call_to_actions: [{ type: "postback", title: "Talk to an agent", payload: "AGENT" }] }],
  });
  const read = await profiles.getMessengerProfile({ fields: ["get_started", "greeting"] });
  const greetings = read.data.flatMap((profile) => profile.greeting ?? []).map((greeting) => greeting?.text ?? "");
  const deleted = await profiles.deleteMessengerProfile({ fields: ["persistent_menu"] }, { pageId: "OTHER_PAGE" });
  return [set.result, deleted.result, ...greetings];
}

export function profileMisuses(profiles: GraphProfileClient): void {
  // @ts-expect-error Graph: a menu item with neither a URL nor a payload
  void profiles.setMessengerProfile({ persistent_menu: [{ locale: "default", call_to_actions: [{ type: "postback", title: "Help" }] }] });
  // @ts-expect-error Graph: ice breakers in both formats in one request
  void profiles.setMessengerProfile({ ice_breakers: [{ question: "Hours?", payload: "HOURS" }, { locale: "default", call_to_actions: [] }] });
  // @ts-expect-error Graph: a property the Messenger profile does not have
  void profiles.getMessengerProfile({ fields: ["home_page"] });
}

/** A human agent's persona: created once, found again in the first page or through every page (types only). */
export async function personas(client: GraphPersonasClient): Promise<string | undefined> {
  const created = await client.createPersona({ name: "John Z.", profile_picture_url: "https://example.com/john.jpg" });
  const first = await client.listPersonas({ fields: ["id", "name"], limit: 25 });
  if (first.data.some((persona) => persona?.id === created.id)) return created.id;
  for await (const page of client.listPersonasPages({ fields: ["id", "name"], limit: 25 })) {
    const found = page.data.find((persona) => persona?.id === created.id);
    if (found) return found.name ?? undefined;
  }
  // @ts-expect-error Graph: a persona needs a picture
  void client.createPersona({ name: "Nameless picture" });
  const read = await client.getPersona(created.id, { fields: ["name", "profile_picture_url"] });
  const deleted = await client.deletePersona(read.id ?? created.id);
  // @ts-expect-error Graph: deleting a persona needs its ID
  void client.deletePersona({});
  return deleted.success ? undefined : created.id;
}

/** A person's name for a greeting: the result holds just the fields asked for, and id (types only). */
export async function userProfile(users: GraphUsersClient, psid: string): Promise<string> {
  const person = await users.getUserProfile(psid, { fields: ["first_name", "last_name"] }, { pageId: "OTHER_PAGE" });
  const name: string | null | undefined = person.first_name;
  const id: string | null | undefined = person.id;
  // @ts-expect-error Graph: the locale was not asked for, so the result has none
  void person.locale;
  // @ts-expect-error Graph: a field the User Profile API does not serve
  void users.getUserProfile(psid, { fields: ["is_payment_enabled"] });
  return `${name ?? ""} ${person.last_name ?? ""} ${id ?? ""}`;
}

/** A person's own menu, set, read back and taken away (types only). */
export async function customMenu(profiles: GraphProfileClient, psid: string): Promise<number> {
  const set = await profiles.setCustomUserSettings({ psid, persistent_menu: [{ locale: "default", call_to_actions: [{ type: "postback", title: "Talk to an agent", payload: "AGENT" }] }] });
  const read = await profiles.getCustomUserSettings({ psid });
  const deleted = await profiles.deleteCustomUserSettings({ psid, params: ["persistent_menu"] });
  // @ts-expect-error Graph: a per-person menu without the person
  void profiles.setCustomUserSettings({ persistent_menu: [] });
  return [set.result, deleted.result].length + read.data.flatMap((entry) => entry?.user_level_persistent_menu ?? []).length;
}

/** The Handover Protocol as a bot hands a person to a human agent and back (types only). */
export async function handover(graph: GraphHandoverClient): Promise<boolean> {
  const passed = await graph.passThreadControl({ recipient: { id: "PSID" }, target_app_id: 263902037430900, metadata: "asked for a human" });
  const asked = await graph.requestThreadControl({ recipient: { id: "PSID" } });
  const taken = await graph.takeThreadControl({ recipient: { id: "PSID" }, metadata: "back to the bot" }, { pageId: "OTHER_PAGE" });
  const owner = await graph.getThreadOwner({ recipient: "PSID" });
  const receivers = await graph.getSecondaryReceivers({ fields: ["id", "name"] });
  const released = await graph.releaseThreadControl({ recipient: { id: "PSID" } });
  const owners = owner.data.map((entry) => entry?.thread_owner?.app_id);
  const names = receivers.data.map((app) => app?.name);
  return passed.success && asked.success && taken.success && released.success && owners.length + names.length >= 0;
}

/** A file uploaded from bytes, a Blob or a stream, with its name and type (types only). */
export async function uploadFile(attachments: GraphAttachmentsClient, bytes: Uint8Array, stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const message = { attachment: { type: "image" as const, payload: { is_reusable: true } } };
  const fromBytes = await attachments.uploadAttachmentFile({ message, filedata: { data: bytes, filename: "shirt.png", contentType: "image/png" } });
  const fromBlob = await attachments.uploadAttachmentFile({ message, filedata: { data: new Blob([bytes as Uint8Array<ArrayBuffer>]), filename: "shirt.png" } });
  const fromStream = await attachments.uploadAttachmentFile({ message, filedata: { data: stream, filename: "shirt.png" } });
  // @ts-expect-error Graph: a file upload without the file's name
  void attachments.uploadAttachmentFile({ message, filedata: { data: bytes } });
  // @ts-expect-error Graph: a file upload's payload has no URL (the bytes are the file part)
  void attachments.uploadAttachmentFile({ message: { attachment: { type: "image", payload: { url: "https://example.com/a.png" } } }, filedata: { data: bytes, filename: "a.png" } });
  return [fromBytes.attachment_id, fromBlob.attachment_id, fromStream.attachment_id];
}

/** The typed helpers: a text, a template and a typing indicator for one person (types only). */
export async function helpers(graph: GraphClient): Promise<string[]> {
  await sendSenderAction(graph, "PSID", "typing_on");
  const text = await sendText(graph, "PSID", "Your order has shipped", { pageId: "OTHER_PAGE" });
  const card = await sendTemplate(graph, "PSID", { template_type: "button", text: "What next?", buttons: [{ type: "postback", title: "Talk to an agent", payload: "AGENT" }] });
  // @ts-expect-error Graph: react takes a payload, so sendSenderAction does not offer it
  void sendSenderAction(graph, "PSID", "react");
  // @ts-expect-error Graph: a button template needs its buttons
  void sendTemplate(graph, "PSID", { template_type: "button", text: "What next?" });
  return [text.message_id ?? "", card.message_id ?? ""];
}

/** A batch: a send and a read, each answered on its own, typed by the item (types only). */
export async function batchOfTwo(batch: GraphBatchClient): Promise<string> {
  const [sent, person] = await batch.batch([
    sendMessageItem({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "hi" } }),
    getUserProfileItem("PSID", { fields: ["first_name"] }),
  ]);
  const messageId: string | undefined = sent.ok ? (sent.value.message_id ?? undefined) : undefined;
  const name = person.ok ? person.value.first_name : person.error.message;
  // @ts-expect-error Graph: the profile item asked for first_name only
  void (person.ok && person.value.locale);
  return `${messageId ?? ""} ${name ?? ""}`;
}
