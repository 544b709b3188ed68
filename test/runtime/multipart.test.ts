/**
 * Attachment upload from a file (multipart/form-data) through the generated client, against the fake
 * Graph over real HTTP on 127.0.0.1: the bytes arrive intact from every kind of input, and a retry
 * sends the same bytes again although a stream can be read only once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphAttachmentsClient, GraphClient } from "../../generated/src/graph/index.js";
import { startFakeGraph, type FakeGraph } from "../../generated/src/testing/index.js";

const TOKEN = "EAAmultipartTOKEN";
const PAGE_ID = "PAGE_1";
let fake: FakeGraph;

beforeAll(async () => {
  fake = await startFakeGraph({ accessTokens: [TOKEN], pages: [PAGE_ID] });
});
afterAll(() => fake.close());

/** Every byte value, twice, and a run that is not valid UTF-8: what a text round trip would spoil. */
const BYTES = new Uint8Array([...Array.from({ length: 512 }, (_, i) => i % 256), 0xc3, 0x28, 0xff, 0xfe]);

const message = { attachment: { type: "image" as const, payload: { is_reusable: true } } };

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  // In three chunks, as a file read from disk would come.
  const cuts = [0, 100, 333, bytes.length];
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i + 1 >= cuts.length) return controller.close();
      controller.enqueue(bytes.slice(cuts[i], cuts[i + 1]));
      i++;
    },
  });
}

const client = (retry = false as const) =>
  new GraphAttachmentsClient({ accessToken: TOKEN, pageId: PAGE_ID, baseUrl: fake.url, retry });

describe("uploadAttachmentFile", () => {
  it.each([
    ["a Uint8Array", () => BYTES, "image/png"],
    ["a Blob, its type taken when none is given", () => new Blob([BYTES], { type: "image/png" }), undefined],
    ["a ReadableStream", () => streamOf(BYTES), "image/png"],
  ] as const)("sends the bytes of %s intact, with file name and type", async (_kind, data, contentType) => {
    fake.reset();
    const answer = await client().uploadAttachmentFile({
      message,
      filedata: { data: data(), filename: "shirt.png", ...(contentType ? { contentType } : {}) },
    });
    expect(answer.attachment_id).toMatch(/^\d+$/);
    const [request] = fake.delivered("uploadAttachmentFile");
    expect(request!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(request!.files).toHaveLength(1);
    const file = request!.files![0]!;
    expect({ name: file.name, filename: file.filename, contentType: file.contentType }).toEqual({ name: "filedata", filename: "shirt.png", contentType: "image/png" });
    expect(Buffer.from(file.bytes).equals(Buffer.from(BYTES))).toBe(true);
  });

  it("sends the same bytes again when the retry policy repeats the upload, a stream included", async () => {
    fake.reset();
    fake.inject({ kind: "rate-limit", code: 4, retryAfter: "0" }, { operation: "uploadAttachmentFile", times: 1 });
    const retrying = new GraphAttachmentsClient({ accessToken: TOKEN, pageId: PAGE_ID, baseUrl: fake.url, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    await retrying.uploadAttachmentFile({ message, filedata: { data: streamOf(BYTES), filename: "shirt.png", contentType: "image/png" } });
    const attempts = fake.requests.filter((r) => r.operation === "uploadAttachmentFile");
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.fault).toBe("rate-limit");
    expect(Buffer.from(attempts[1]!.files![0]!.bytes).equals(Buffer.from(BYTES))).toBe(true);
  });

  it("shares its route with the JSON upload from a URL: the fake tells them apart by media type", async () => {
    fake.reset();
    const graph = new GraphClient({ accessToken: TOKEN, pageId: PAGE_ID, baseUrl: fake.url, retry: false });
    await graph.uploadAttachment({ message: { attachment: { type: "image", payload: { url: "https://example.com/shirt.png", is_reusable: true } } } });
    await client().uploadAttachmentFile({ message, filedata: { data: "plain text file", filename: "notes.txt", contentType: "text/plain" } });
    expect(fake.requests.map((r) => [r.operation, r.headers["content-type"]?.split(";")[0]])).toEqual([
      ["uploadAttachment", "application/json"],
      ["uploadAttachmentFile", "multipart/form-data"],
    ]);
  });

  it("refuses before sending a file whose data is not bytes, a Blob, a stream or text", async () => {
    fake.reset();
    const bad = { message, filedata: { data: 42 as unknown as string, filename: "x.bin" } };
    await expect(client().uploadAttachmentFile(bad)).rejects.toMatchObject({ name: "RequestValidationError" });
    await expect(client().uploadAttachmentFile(bad, { validate: false })).rejects.toMatchObject({ name: "MessengerError", message: expect.stringContaining("filedata.data must be") });
    expect(fake.requests).toHaveLength(0);
  });
});
