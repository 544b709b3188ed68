/**
 * The payloads every section measures, valid against the spec (bench/validation.ts checks that the
 * generated validators, Ajv and zod all accept them before timing anything).
 */

/** A Graph webhook delivery of about 1 KB: one entry, five events of four kinds. */
export const webhookPayload = {
  object: "page",
  entry: [
    {
      id: "107412345678901",
      time: 1732170000123,
      messaging: [
        {
          sender: { id: "6543210987654321" },
          recipient: { id: "107412345678901" },
          timestamp: 1732170000001,
          message: {
            mid: "m_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyz",
            text: "Hi! Is my order #1234 on its way?",
            quick_reply: { payload: "ORDER_STATUS" },
          },
        },
        {
          sender: { id: "6543210987654321" },
          recipient: { id: "107412345678901" },
          timestamp: 1732170000002,
          message: {
            mid: "m_BcDeFgHiJkLmNoPqRsTuVwXyZa1234567890bcdefghijklmnopqrstuvwxyza",
            attachments: [{ type: "image", payload: { url: "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg" } }],
          },
        },
        {
          sender: { id: "6543210987654321" },
          recipient: { id: "107412345678901" },
          timestamp: 1732170000003,
          postback: { mid: "m_CdEfGhIjKlMnOpQrStUvWxYzAb2345678901", title: "Track my order", payload: "TRACK_ORDER" },
        },
        {
          sender: { id: "6543210987654321" },
          recipient: { id: "107412345678901" },
          timestamp: 1732170000004,
          delivery: { mids: ["m_DeFgHiJkLmNoPqRsTuVwXyZaBc3456789012"], watermark: 1732170000000 },
        },
        {
          sender: { id: "6543210987654321" },
          recipient: { id: "107412345678901" },
          timestamp: 1732170000005,
          read: { watermark: 1732170000004 },
        },
      ],
    },
  ],
};

export const webhookBody = JSON.stringify(webhookPayload);

/** A typical send: a text with three quick replies, in answer to a message. */
export const sendRequest = {
  recipient: { id: "6543210987654321" },
  messaging_type: "RESPONSE",
  notification_type: "REGULAR",
  message: {
    text: "Your order #1234 has shipped and arrives on Friday. Anything else I can help with?",
    quick_replies: [
      { content_type: "text", title: "Track order", payload: "TRACK_ORDER" },
      { content_type: "text", title: "Talk to a human", payload: "HUMAN_AGENT" },
      { content_type: "user_email" },
    ],
    metadata: "order-1234",
  },
};
