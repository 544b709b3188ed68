/**
 * Hand-written zod 4 equivalents of the two Graph schemas the validation benchmark measures,
 * `SendMessageRequest` and `WebhookPayload`, written from generated/schemas/graph.schema.json.
 *
 * Equivalent for the payloads measured (bench/payloads.ts): every object, union and constraint a
 * measured payload reaches is modelled as the spec has it: closed request objects
 * (`z.strictObject`), open webhook objects (`z.looseObject`), `oneOf` as `z.xor` (exactly one
 * branch), a `discriminator` as `z.discriminatedUnion`, lengths, enums, integers, required and
 * forbidden fields. Branches no measured payload reaches are cut short: a message attachment's
 * payload, the event kinds the webhook payload does not carry (their objects stay open but their
 * fields are not typed), and sender actions' reaction payloads. String lengths are in UTF-16 units
 * here and in code points in the spec; the payloads are ASCII.
 */
import { z } from "zod";

// ------------------------------------------------------------------ SendMessageRequest (closed)

const nonEmpty = z.string().min(1);

const Recipient = z.xor([
  z.strictObject({ id: nonEmpty }),
  z.strictObject({ user_ref: nonEmpty }),
  z.strictObject({ phone_number: nonEmpty, name: z.strictObject({ first_name: z.string().optional(), last_name: z.string().optional() }).optional() }),
  z.strictObject({ post_id: nonEmpty }),
  z.strictObject({ comment_id: nonEmpty }),
  z.strictObject({ notification_messages_token: nonEmpty }),
]);

const QuickReply = z.discriminatedUnion("content_type", [
  z.strictObject({
    content_type: z.literal("text"),
    title: z.string().max(20),
    payload: z.union([z.string().max(1000), z.number()]),
    image_url: z.string().optional(),
  }),
  z.strictObject({ content_type: z.literal("user_phone_number") }),
  z.strictObject({ content_type: z.literal("user_email") }),
]);

const quickReplies = z.array(QuickReply).min(1).max(13).optional();
const metadata = z.string().max(999).optional();

// Not reached by the measured request: the attachment's payload is left unchecked.
const Attachment = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("image"), payload: z.unknown() }),
  z.looseObject({ type: z.literal("audio"), payload: z.unknown() }),
  z.looseObject({ type: z.literal("video"), payload: z.unknown() }),
  z.looseObject({ type: z.literal("file"), payload: z.unknown() }),
  z.looseObject({ type: z.literal("template"), payload: z.unknown() }),
]);

const Message = z.xor([
  z.strictObject({ text: z.string().min(1).max(2000), quick_replies: quickReplies, metadata, attachment: z.never().optional() }),
  z.strictObject({ attachment: Attachment, quick_replies: quickReplies, metadata, text: z.never().optional() }),
]);

const common = {
  recipient: Recipient,
  notification_type: z.enum(["REGULAR", "SILENT_PUSH", "NO_PUSH"]).optional(),
  persona_id: nonEmpty.optional(),
  thread_control: z.looseObject({}).optional(),
};
const MessageTag = z.enum(["ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "CUSTOMER_FEEDBACK", "HUMAN_AGENT", "POST_PURCHASE_UPDATE"]);
const tagged = { messaging_type: z.literal("MESSAGE_TAG"), tag: MessageTag };
const untagged = { messaging_type: z.enum(["RESPONSE", "UPDATE", "UTILITY"]) };
const untaggedOptional = { messaging_type: untagged.messaging_type.optional() };
const messageContent = { message: Message, reply_to: z.strictObject({ mid: nonEmpty }).optional() };
const senderActions = [
  { sender_action: z.enum(["mark_seen", "typing_on", "typing_off", "MARK_SEEN", "TYPING_ON", "TYPING_OFF"]) },
  { sender_action: z.enum(["react", "REACT"]), payload: z.union([z.looseObject({}), nonEmpty]) },
  { sender_action: z.enum(["unreact", "UNREACT"]), payload: z.union([z.looseObject({}), nonEmpty]) },
];

/**
 * allOf [common, oneOf(content), oneOf(messaging type)] + unevaluatedProperties: false, written
 * out as one exclusive union of closed objects (content × messaging type).
 */
export const SendMessageRequest = z.xor([
  z.strictObject({ ...common, ...messageContent, ...untagged }),
  z.strictObject({ ...common, ...messageContent, ...tagged }),
  ...senderActions.flatMap((action) => [
    z.strictObject({ ...common, ...action, ...untaggedOptional }),
    z.strictObject({ ...common, ...action, ...tagged }),
  ]),
]);

// -------------------------------------------------------------------- WebhookPayload (open)

const int = z.number().int();
const Party = z.looseObject({ id: z.string().optional(), user_ref: z.string().optional() });
const Referral = z.looseObject({
  ref: z.string().optional(),
  source: z.string().optional(),
  type: z.string().optional(),
  ad_id: z.string().optional(),
  referer_uri: z.string().optional(),
  ads_context_data: z.looseObject({}).optional(),
});

const WebhookMessage = z.looseObject({
  mid: z.string(),
  text: z.string().optional(),
  attachments: z
    .array(
      z.looseObject({
        type: z.string().optional(),
        payload: z
          .looseObject({ url: z.string().optional(), title: z.string().optional(), sticker_id: z.union([int, z.string()]).optional() })
          .optional(),
      }),
    )
    .optional(),
  quick_reply: z.looseObject({ payload: z.string().optional() }).optional(),
  reply_to: z.looseObject({ mid: z.string().optional() }).optional(),
  is_echo: z.boolean().optional(),
  app_id: z.union([z.string(), int]).optional(),
  metadata: z.string().optional(),
});

const open = z.looseObject({}).optional();

const WebhookMessagingItem = z.looseObject({
  sender: Party.optional(),
  recipient: z.looseObject({ id: z.string().optional() }).optional(),
  timestamp: int.optional(),
  message: WebhookMessage.optional(),
  postback: z
    .looseObject({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional(), referral: Referral.optional() })
    .optional(),
  referral: Referral.optional(),
  delivery: z.looseObject({ mids: z.array(z.string()).optional(), watermark: int.optional() }).optional(),
  read: z.looseObject({ watermark: int.optional() }).optional(),
  // Kinds the measured payload does not carry.
  message_edit: open,
  reaction: open,
  optin: open,
  pass_thread_control: open,
  take_thread_control: open,
  request_thread_control: open,
  messaging_feedback: open,
  account_linking: open,
  game_play: open,
  policy_enforcement: open,
});

export const WebhookPayload = z.looseObject({
  object: z.literal("page"),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      time: int,
      messaging: z.array(WebhookMessagingItem).optional(),
      standby: z.array(WebhookMessagingItem).optional(),
    }),
  ),
});
