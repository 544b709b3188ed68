/**
 * Graph batches of typed calls through the generated GraphBatchClient, against a server on
 * 127.0.0.1 that answers each batch as the test says: one typed result or error per item, in
 * order; only the items the retry policy may repeat are sent again, in a smaller batch; what cannot
 * be one batch fails before anything is sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GraphBatchClient, getUserProfileItem, sendMessageItem } from "../../generated/src/graph/index.js";
import { BatchItemUnfinishedError, GraphApiError, MessengerError, RequestValidationError } from "../../generated/src/index.js";
import { startRecordingServer, type RecordedRequest, type RecordingServer } from "../support/recording-server.js";

let server: RecordingServer;
/** What the server answers to each batch, in turn. */
let answers: unknown[][] = [];
beforeAll(async () => {
  server = await startRecordingServer(() => ({ body: answers.shift() ?? [] }));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  answers = [];
});

const tokens = { PAGE_A: "token-of-page-a", PAGE_B: "token-of-page-b" };
const client = () =>
  new GraphBatchClient({ accessToken: tokens, pageId: "PAGE_A", baseUrl: server.url, retry: { baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined } });
const text = (id: string, body: string) => sendMessageItem({ recipient: { id }, messaging_type: "RESPONSE", message: { text: body } });
const error = (code: number, subcode?: number) =>
  JSON.stringify({ error: { message: `(#${code}) failed`, type: "OAuthException", code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: "T" } });
const sent = (request: RecordedRequest) => JSON.parse(request.body) as { batch: { method: string; relative_url: string; body?: string }[]; include_headers: boolean };

describe("GraphBatchClient.batch", () => {
  it("sends typed items as one batch and answers each with its own result or typed error, in order", async () => {
    answers = [
      [
        { code: 200, body: JSON.stringify({ recipient_id: "1", message_id: "m_1" }) },
        { code: 400, body: error(100, 2018001) },
        { code: 200, body: JSON.stringify({ id: "PSID_3", first_name: "Peter" }) },
      ],
    ];
    const [first, second, third] = await client().batch([text("PSID_1", "hello"), text("PSID_2", "hi"), getUserProfileItem("PSID_3", { fields: ["first_name"] })]);

    expect(first).toEqual({ ok: true, value: { recipient_id: "1", message_id: "m_1" } });
    expect(second.ok).toBe(false);
    const failure = (second as unknown as { error: GraphApiError }).error;
    expect(failure).toBeInstanceOf(GraphApiError);
    expect([failure.operation, failure.code, failure.subcodeInfo?.name]).toEqual(["sendMessage", 100, "NoMatchingUser"]);
    expect(third.ok && third.value.first_name).toBe("Peter");

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect([request!.method, request!.path, request!.headers["authorization"]]).toEqual(["POST", "/", `Bearer ${tokens.PAGE_A}`]);
    const envelope = sent(request!);
    expect(envelope.include_headers).toBe(false);
    expect(envelope.batch.map((item) => [item.method, item.relative_url])).toEqual([
      ["POST", "PAGE_A/messages"],
      ["POST", "PAGE_A/messages"],
      ["GET", "PSID_3?fields=first_name"],
    ]);
    // A POST's parameters as a form, objects as JSON text.
    expect(Object.fromEntries(new URLSearchParams(envelope.batch[0]!.body))).toEqual({ recipient: '{"id":"PSID_1"}', messaging_type: "RESPONSE", message: '{"text":"hello"}' });
  });

  it("sends again, in a smaller batch, only the items the retry policy may repeat", async () => {
    answers = [
      [
        { code: 400, body: error(613) }, // a rate limit: not acted on, so sent again
        { code: 400, body: error(613, 2018338) }, // a warning about message tags: never again
        null, // the send did not complete and may have acted: never again
        null, // a read that did not complete: idempotent, so sent again
      ],
      [
        { code: 200, body: JSON.stringify({ recipient_id: "1", message_id: "m_again" }) },
        { code: 200, body: JSON.stringify({ id: "PSID_4", last_name: "Chang" }) },
      ],
    ];
    const results = await client().batch([text("PSID_1", "a"), text("PSID_2", "b"), text("PSID_3", "c"), getUserProfileItem("PSID_4", { fields: ["last_name"] })]);

    expect(results.map((r) => (r.ok ? "ok" : r.error.name))).toEqual(["ok", "GraphApiError", "BatchItemUnfinishedError", "ok"]);
    expect((results[2] as unknown as { error: BatchItemUnfinishedError }).error.outcome).toBe("unknown");
    expect(server.requests).toHaveLength(2);
    expect(sent(server.requests[1]!).batch.map((item) => item.relative_url)).toEqual(["PAGE_A/messages", "PSID_4?fields=last_name"]);
    expect(new URLSearchParams(sent(server.requests[1]!).batch[0]!.body).get("recipient")).toBe('{"id":"PSID_1"}');
  });

  it("keeps every answer when a batch of items sent again fails as a whole", async () => {
    answers = [
      [{ code: 200, body: JSON.stringify({ recipient_id: "1", message_id: "m_1" }) }, { code: 400, body: error(613) }],
      // The second batch (the rate-limited item alone) is answered with a Graph error for the whole request.
      { error: { message: "Error validating access token", type: "OAuthException", code: 190, fbtrace_id: "T" } } as unknown as unknown[],
    ];
    const once = new GraphBatchClient({ accessToken: tokens, pageId: "PAGE_A", baseUrl: server.url, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined } });
    const [sentFirst, limited] = await once.batch([text("PSID_1", "a"), text("PSID_2", "b")]);
    expect(sentFirst).toEqual({ ok: true, value: { recipient_id: "1", message_id: "m_1" } });
    expect(limited.ok).toBe(false);
    expect(((limited as unknown as { error: GraphApiError }).error).code).toBe(190);
    expect(sent(server.requests[1]!).batch).toHaveLength(1);
  });

  it("uses the Page of its items: their token, never another Page's", async () => {
    answers = [[{ code: 200, body: JSON.stringify({ recipient_id: "1", message_id: "m" }) }]];
    await client().batch([sendMessageItem({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "x" } }, { pageId: "PAGE_B" })]);
    expect(server.requests[0]!.headers["authorization"]).toBe(`Bearer ${tokens.PAGE_B}`);
    expect(sent(server.requests[0]!).batch[0]!.relative_url).toBe("PAGE_B/messages");
  });

  it("refuses before sending: an invalid item, items for two Pages, no items, more than 50", async () => {
    expect(() => sendMessageItem({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "x".repeat(2001) } })).toThrow(RequestValidationError);
    const onB = sendMessageItem({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "x" } }, { pageId: "PAGE_B" });
    await expect(client().batch([text("PSID", "a"), onB])).rejects.toThrow(/items for 2 Pages/);
    await expect(client().batch([])).rejects.toBeInstanceOf(MessengerError);
    await expect(client().batch(Array.from({ length: 51 }, () => text("PSID", "a")))).rejects.toThrow(/51 items/);
    expect(server.requests).toHaveLength(0);
  });
});
