import { describe, expect, it } from "vitest";
import { meantVariant, type VariantHint } from "../../generated/src/core/check.js";
import { validateSendMessageRequest } from "../../generated/src/graph/validate.js";
import { validateSendMessageRequest as validateSobotSend } from "../../generated/src/sobot/validate.js";

const send = (message: unknown, extra: Record<string, unknown> = {}) => ({ recipient: { id: "1" }, messaging_type: "RESPONSE", message, ...extra });

/**
 * One mistake, one issue: where the value says which variant of a union it meant (a discriminator,
 * a tag every variant fixes, a key only one variant requires, its JSON type), only that variant's
 * issue is reported, at the broken field, not one per variant.
 */
describe("one precise issue per mistake", () => {
  it("a quick reply title over 20 characters (content_type tags the variant)", () => {
    const request = send({ text: "hi", quick_replies: [{ content_type: "text", title: "x".repeat(21), payload: "P" }] });
    expect(validateSendMessageRequest(request)).toEqual([{ pointer: "/message/quick_replies/0/title", message: "must NOT have more than 20 characters" }]);
  });

  it("a text over 2,000 characters (only the text variant requires text)", () => {
    expect(validateSendMessageRequest(send({ text: "x".repeat(2001) }))).toEqual([{ pointer: "/message/text", message: "must NOT have more than 2000 characters" }]);
  });

  it("a button title deep inside a template (discriminators all the way down)", () => {
    const payload = { template_type: "button", text: "t", buttons: [{ type: "web_url", title: "x".repeat(21), url: "https://example.com" }] };
    expect(validateSendMessageRequest(send({ attachment: { type: "template", payload } }))).toEqual([
      { pointer: "/message/attachment/payload/buttons/0/title", message: "must NOT have more than 20 characters" },
    ]);
  });

  it("an unknown discriminator value, at the tag", () => {
    expect(validateSendMessageRequest(send({ attachment: { type: "imagex", payload: {} } }))).toEqual([
      { pointer: "/message/attachment/type", message: 'must be one of "image", "audio", "video", "file", "template"' },
    ]);
  });

  it("a MESSAGE_TAG send without its tag (the messaging_type value tags the variant)", () => {
    expect(validateSendMessageRequest(send({ text: "a" }, { messaging_type: "MESSAGE_TAG" }))).toEqual([{ pointer: "", message: "must have required property 'tag'" }]);
  });

  it("Sobot: a text payload that is not a string", () => {
    const request = { messaging_type: "RESPONSE", recipientid: "R", pageid: "P", type: "text", payload: 5 };
    expect(validateSobotSend(request)).toEqual([{ pointer: "/payload", message: "must be string" }]);
  });

  it("lists every variant's failure where the value does not say which it meant", () => {
    const issues = validateSendMessageRequest({ recipient: {}, messaging_type: "RESPONSE", message: { text: "a" } });
    expect(issues.map((i) => i.message)).toEqual([
      "must have required property 'id'",
      "must have required property 'user_ref'",
      "must have required property 'phone_number'",
      "must have required property 'post_id'",
      "must have required property 'comment_id'",
      "must have required property 'notification_messages_token'",
    ]);
    expect(new Set(issues.map((i) => i.pointer))).toEqual(new Set(["/recipient"]));
  });
});

describe("meantVariant", () => {
  const hints: VariantHint[] = [
    [["object"], ["kind", ["a"]], ["alpha"]],
    [["object"], ["kind", ["b"]], ["beta"]],
    [["string"]],
  ];

  it("tells variants apart by JSON type, then tag, then a key only one requires", () => {
    expect(meantVariant("x", hints)).toBe(2);
    expect(meantVariant({ kind: "b", alpha: 1 }, hints)).toBe(1);
    expect(meantVariant({ alpha: 1 }, hints)).toBe(0);
  });

  it("names none when the value fits several or none", () => {
    expect(meantVariant({ alpha: 1, beta: 2 }, hints)).toBe(-1);
    expect(meantVariant(5, hints)).toBe(-1);
    expect(meantVariant({}, hints)).toBe(-1);
  });
});
