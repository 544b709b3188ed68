/**
 * Graph's cursor-paged lists through the generated client: `listPersonasPages` (the spec's
 * `cursorPaging` on listPersonas) against a server on 127.0.0.1 that pages by the `after` cursor,
 * and the runtime's iterator on its own for the ways a walk must end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphPersonasClient } from "../../generated/src/graph/personas-client.js";
import { iterateCursorPages } from "../../templates/core/paging.js";
import { startRecordingServer, type RecordingServer, type Reply } from "../support/recording-server.js";

const PAGES: Record<string, Reply["body"]> = {
  "": { data: [{ id: "1", name: "Adam" }, { id: "2", name: "David Mark" }], paging: { cursors: { before: "c0", after: "c1" }, next: "https://graph.example/next?after=c1" } },
  c1: { data: [{ id: "3", name: "Eve" }], paging: { cursors: { before: "c1", after: "c2" }, next: "https://graph.example/next?after=c2" } },
  // The last page: a cursor, but no next.
  c2: { data: [{ id: "4", name: "Mallory" }], paging: { cursors: { before: "c2", after: "c3" } } },
};

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer((request) => ({ body: PAGES[request.query.get("after") ?? ""] ?? { error: { message: "unknown cursor", code: 100 } } }));
});
afterAll(() => server.close());

describe("listPersonasPages", () => {
  it("asks page after page, each answer's cursor as the next request's after, until an answer has no paging.next", async () => {
    const client = new GraphPersonasClient({ accessToken: "token", pageId: "PAGE_1", baseUrl: server.url });
    const names: string[] = [];
    for await (const page of client.listPersonasPages({ fields: ["id", "name"], limit: 2 })) {
      for (const persona of page.data) names.push(persona?.name ?? "");
    }
    expect(names).toEqual(["Adam", "David Mark", "Eve", "Mallory"]);
    const requests = server.requests.filter((r) => r.path === "/PAGE_1/personas");
    expect(requests.map((r) => r.query.get("after"))).toEqual([null, "c1", "c2"]);
    // The rest of the request goes along unchanged.
    expect(requests.map((r) => [r.query.get("fields"), r.query.get("limit")])).toEqual(Array(3).fill(["id,name", "2"]));
  });
});

describe("iterateCursorPages", () => {
  const walk = async (answers: { next?: string | null; cursor?: string | null }[]) => {
    const asked: (string | undefined)[] = [];
    const pages = iterateCursorPages(
      async (request: { after?: string }) => {
        asked.push(request.after);
        return answers[asked.length - 1] ?? {};
      },
      {},
      (answer) => (answer.next ? (answer.cursor ?? undefined) : undefined),
      (request, cursor) => ({ ...request, after: cursor }),
    );
    let count = 0;
    for await (const _ of pages) count++;
    return { asked, count };
  };

  it("ends on an answer without a next page, or without a cursor", async () => {
    expect(await walk([{ next: "n", cursor: "a" }, { next: null, cursor: "b" }])).toEqual({ asked: [undefined, "a"], count: 2 });
    expect(await walk([{ next: "n", cursor: null }])).toEqual({ asked: [undefined], count: 1 });
    expect(await walk([{ next: "n", cursor: "" }])).toEqual({ asked: [undefined], count: 1 });
  });

  it("ends when a cursor comes back unchanged instead of asking for the same page forever", async () => {
    const same = Array(10).fill({ next: "n", cursor: "same" });
    expect(await walk(same)).toEqual({ asked: [undefined, "same"], count: 2 });
  });
});
