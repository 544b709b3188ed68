/**
 * Every injected fault × every operation of both APIs, over real HTTP against the fake servers of
 * messenger-sdk/testing. Each call either returns the documented result or throws the typed error the
 * retry rules predict; the fake's request log shows that no send was delivered twice and that none was
 * lost without an error. Every error and every retry log line is scanned for credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError, GraphApiError, HttpError, MessengerError, SobotApiError, TimeoutError } from "../../generated/src/core/errors.js";
import type { RetryEvent, RetryOptions } from "../../generated/src/core/retry.js";
import { sobotSign } from "../../generated/src/core/sobot-core.js";
import { GraphClient } from "../../generated/src/graph/client.js";
import { SobotClient } from "../../generated/src/sobot/client.js";
import {
  graphOperations as graphOps,
  sobotOperations as sobotOps,
  startFakeGraph,
  startFakeSobot,
  type FakeGraph,
  type FakeOperation,
  type FakeSobot,
  type Fault,
} from "../../generated/src/testing/index.js";
import type { Operation } from "../../generator/model/types.js";
import { loadRealSpec } from "../support/spec-examples.js";
import { expectNoSecrets } from "./support/http-server.js";
import { clientClassOf, pathArgumentsOf } from "../support/operation-client.js";

const GRAPH_TOKEN = "EAAfakeGraphPageTokenSECRET0123456789";
const APP_ID = "matrix-app-id";
const APP_KEY = "matrix-app-key-SECRET-4d3c2b1a";
const PAGE_ID = "PAGE_ID_1";
const SOBOT_PAGES = ["PAGEID", "106474898833640", "22222222"];
/** The clients' timeout: long, so that no answer on time depends on how busy the machine is. */
const TIMEOUT_MS = 30_000;
/** The cases that are about a timeout set this one per call, against a fake that waits SLOW_MS. */
const SHORT_TIMEOUT_MS = 250;
const SLOW_MS = 500;

const spec = loadRealSpec();
const model = (api: string, name: string): Operation => spec.apis.find((a) => a.name === api)!.operations.find((o) => o.name === name)!;

/** Log lines the retry hook produced, as an application would write them. */
const logLines: string[] = [];
/** Every wait the policy asked for. */
const waits: number[] = [];
const retry: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 20,
  maxDelayMs: 200,
  maxElapsedMs: 5_000,
  // Real waits (short ones: a refused port must come back meanwhile), recorded.
  sleep: (ms) => {
    waits.push(ms);
    return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 250)));
  },
  onRetry: (event: RetryEvent) => logLines.push(`${event.operation}: attempt ${event.attempt} failed (${event.reason}), retrying in ${event.delayMs} ms: ${String(event.error)}`),
};

let graphFake: FakeGraph;
let sobotFake: FakeSobot;
let graph: GraphClient;
let sobot: SobotClient;
const sobotTokens = new Set<string>();
const secrets = () => [GRAPH_TOKEN, APP_KEY, ...sobotTokens];
const thrown: unknown[] = [];
const tally: Record<string, number> = {};

beforeAll(async () => {
  graphFake = await startFakeGraph({ accessTokens: [GRAPH_TOKEN], pages: [PAGE_ID] });
  sobotFake = await startFakeSobot({ appId: APP_ID, appKey: APP_KEY, pages: SOBOT_PAGES });
  graph = new GraphClient({ accessToken: GRAPH_TOKEN, pageId: PAGE_ID, baseUrl: graphFake.url, timeoutMs: TIMEOUT_MS, retry });
  sobot = new SobotClient({ appId: APP_ID, appKey: APP_KEY, baseUrl: sobotFake.url, timeoutMs: TIMEOUT_MS, retry });
});

afterAll(async () => {
  await graphFake?.close();
  await sobotFake?.close();
  // What the matrix saw, for the record.
  console.log(`fault matrix outcomes: ${JSON.stringify(tally)}; retries logged: ${logLines.length}`);
});

type Api = "graph" | "sobot";
type Expect =
  | { ok: true }
  | { error: new (...args: never[]) => MessengerError; check?: (error: never) => void; delivered: 0 | 1 };

interface Case {
  fault: string;
  /** Sets the fault up; returns per-call overrides. */
  arrange: (api: Api, op: FakeOperation) => { request?: unknown; options?: Record<string, unknown>; client?: "badToken" } | undefined | void;
  /** What must come out; undefined skips the case for this operation. */
  expect: (api: Api, op: FakeOperation) => Expect | undefined;
}

const fakeOf = (api: Api) => (api === "graph" ? graphFake : sobotFake);
const inject = (api: Api, op: FakeOperation, fault: Fault) => fakeOf(api).inject(fault, { operation: op.name });
const unknownOutcome = (error: ConnectionError | TimeoutError) => {
  expect(error.outcome).toBe("unknown");
  expect(error.message).toMatch(/may have received the request/);
  expect(error.message).toMatch(/not retried/);
};
const retriedOrUnknown = (op: FakeOperation, kind: typeof ConnectionError | typeof TimeoutError, delivered: 0 | 1): Expect =>
  op.idempotent ? { ok: true } : { error: kind, check: unknownOutcome as (e: never) => void, delivered };

const cases: Case[] = [
  { fault: "none", arrange: () => undefined, expect: () => ({ ok: true }) },
  { fault: "latency below the timeout", arrange: (api, op) => inject(api, op, { kind: "latency", ms: 30 }), expect: () => ({ ok: true }) },
  {
    fault: "latency beyond the timeout",
    arrange: (api, op) => {
      inject(api, op, { kind: "latency", ms: SLOW_MS });
      return { options: { timeoutMs: SHORT_TIMEOUT_MS } };
    },
    expect: (_api, op) => retriedOrUnknown(op, TimeoutError, 1),
  },
  {
    fault: "HTTP 500",
    arrange: (api, op) => inject(api, op, { kind: "status", status: 500 }),
    expect: (_api, op) => (op.idempotent ? { ok: true } : { error: HttpError, check: ((e: HttpError) => expect(e.status).toBe(500)) as (e: never) => void, delivered: 0 }),
  },
  { fault: "HTTP 503 with Retry-After", arrange: (api, op) => inject(api, op, { kind: "status", status: 503, retryAfter: "0" }), expect: () => ({ ok: true }) },
  {
    fault: "rate limit (Graph 613, Sobot HTTP 429)",
    arrange: (api, op) => inject(api, op, { kind: "rate-limit", retryAfter: "0" }),
    expect: () => ({ ok: true }),
  },
  {
    fault: "rate limit (Graph 4 twice, Sobot 429 twice)",
    arrange: (api, op) => fakeOf(api).inject({ kind: "rate-limit", code: api === "graph" ? 4 : undefined, retryAfter: "0" }, { operation: op.name, times: 2 }),
    expect: () => ({ ok: true }),
  },
  {
    fault: "connection reset before the body is read",
    arrange: (api, op) => inject(api, op, { kind: "reset-before-body" }),
    expect: (_api, op) => retriedOrUnknown(op, ConnectionError, 0),
  },
  {
    fault: "connection reset after the body is read",
    arrange: (api, op) => inject(api, op, { kind: "reset-after-body" }),
    expect: (_api, op) => retriedOrUnknown(op, ConnectionError, 1),
  },
  {
    fault: "malformed JSON",
    arrange: (api, op) => inject(api, op, { kind: "malformed-json" }),
    expect: (_api, op) => (op.idempotent ? { ok: true } : { error: HttpError, check: ((e: HttpError) => expect(e.message).toMatch(/not JSON/)) as (e: never) => void, delivered: 1 }),
  },
  {
    fault: "slow body",
    arrange: (api, op) => {
      inject(api, op, { kind: "slow-body", ms: SLOW_MS });
      return { options: { timeoutMs: SHORT_TIMEOUT_MS } };
    },
    expect: (_api, op) => retriedOrUnknown(op, TimeoutError, 1),
  },
  { fault: "connection refused", arrange: () => undefined, expect: () => ({ ok: true }) },
  {
    fault: "bad token",
    arrange: (api) => {
      if (api === "graph") return { client: "badToken" };
      sobotFake.expireToken(); // the client's token is now stale: 900002, refresh, replay once
      return undefined;
    },
    expect: (api, op) => {
      if (!op.auth) return undefined;
      return api === "graph" ? { error: GraphApiError, check: ((e: GraphApiError) => expect(e.code).toBe(190)) as (e: never) => void, delivered: 0 } : { ok: true };
    },
  },
  {
    fault: "invalid request",
    arrange: (api, op) => {
      const example = requestFor(api, op) as Record<string, unknown>;
      // A token request with a wrong sign; any other request with a field its schema forbids.
      const request = api === "sobot" && !op.auth ? { ...example, sign: "0".repeat(32) } : { ...example, unexpected_field: "x" };
      return { request, options: { validate: false } };
    },
    expect: (api) =>
      api === "graph"
        ? { error: GraphApiError, check: ((e: GraphApiError) => expect(e.code).toBe(100)) as (e: never) => void, delivered: 0 }
        : { error: SobotApiError, check: ((e: SobotApiError) => expect(e.retCode).toMatch(/^(21\d{4}|999999)$/)) as (e: never) => void, delivered: 0 },
  },
  {
    fault: "unknown page",
    arrange: (api, op) => {
      if (api === "graph") return { options: { pageId: "UNKNOWN_PAGE" } };
      const request = { ...(requestFor(api, op) as Record<string, unknown>) };
      for (const field of ["pageid", "appid"]) if (field in request) request[field] = "UNKNOWN_PAGE";
      return { request };
    },
    expect: (api, op) => {
      // A path that names no Page (GET /{NODE_ID} of a person) says nothing the fake could refuse.
      if (api === "graph" && !op.path.includes("{PAGE_ID}")) return undefined;
      if (api === "graph") return { error: GraphApiError, check: ((e: GraphApiError) => (expect(e.code).toBe(100), expect(e.subcode).toBe(33))) as (e: never) => void, delivered: 0 };
      const example = requestFor(api, op) as Record<string, unknown>;
      if (!op.auth || !("pageid" in example || "appid" in example)) return undefined;
      return { error: SobotApiError, check: ((e: SobotApiError) => expect(e.retCode).toBe("210002")) as (e: never) => void, delivered: 0 };
    },
  },
];

function requestFor(api: Api, op: FakeOperation): unknown {
  if (api === "sobot" && !op.auth) {
    const createTime = Math.floor(Date.now() / 1000).toString();
    return { appid: APP_ID, create_time: createTime, sign: sobotSign(APP_ID, createTime, APP_KEY) };
  }
  return Object.values(op.requestExamples)[0];
}

/** The result a client returns for the documented success body, following the spec's unwrap/paging. */
function expectedResult(api: Api, op: FakeOperation): unknown {
  const operation = model(api, op.name);
  const body = op.success as Record<string, unknown>;
  const paging = operation.response.paging;
  if (paging) {
    return { items: body[paging.items] ?? [], page_no: body[paging.pageNo] ?? 0, page_size: body[paging.pageSize] ?? 0, page_count: body[paging.pageCount] ?? 0, total_count: body[paging.totalCount] ?? 0 };
  }
  return operation.response.unwrap ? body[operation.response.unwrap] : body;
}

/** Calls `op` on a client of its own class (its group's, or the API's), made with the matrix's options. */
async function invoke(api: Api, op: FakeOperation, request: unknown, options: Record<string, unknown>, badToken: boolean): Promise<unknown> {
  const Client = clientClassOf(api, op.name);
  const base = api === "graph"
    ? { accessToken: badToken ? "EAAwrongTokenSECRET" : GRAPH_TOKEN, pageId: PAGE_ID, baseUrl: graphFake.url }
    : { appId: APP_ID, appKey: APP_KEY, baseUrl: sobotFake.url };
  const client = (api === "graph" ? graph : sobot) instanceof Client && !badToken ? (api === "graph" ? graph : sobot) : new Client({ ...base, timeoutMs: TIMEOUT_MS, retry });
  const method = (client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[op.name]!;
  return method.call(client, ...pathArgumentsOf(api, op.name), request, options);
}

const operations = (api: Api): readonly FakeOperation[] => (api === "graph" ? graphOps : sobotOps);

describe.each(["graph", "sobot"] as const)("%s fault matrix", (api) => {
  describe.each(cases.map((c) => [c.fault, c] as const))("%s", (_fault, testCase) => {
    it.each(operations(api).map((op) => [op.name, op] as const))("%s", async (_name, op) => {
      const expected = testCase.expect(api, op);
      if (expected === undefined) return;
      const fake = fakeOf(api);
      fake.reset();
      const arranged = testCase.arrange(api, op) ?? {};
      const request = arranged.request ?? requestFor(api, op);
      const options = arranged.options ?? {};
      const refusing = testCase.fault === "connection refused" ? fake.refuseConnections(30) : undefined;
      if (refusing) await new Promise((resolve) => setTimeout(resolve, 5));

      const outcome = await invoke(api, op, request, options, arranged.client === "badToken").then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      await refusing;
      await fake.idle();
      if (api === "sobot") {
        for (const r of sobotFake.requests) if (r.headers["token"]) sobotTokens.add(r.headers["token"]);
        const current = sobotFake.currentToken();
        if (current) sobotTokens.add(current);
      }

      const delivered = fake.delivered(op.name).length;
      const label = outcome.ok ? "ok" : (outcome.error as Error).name;
      tally[label] = (tally[label] ?? 0) + 1;
      if (!outcome.ok) {
        thrown.push(outcome.error);
        expectNoSecrets(outcome.error, secrets());
      }

      if ("ok" in expected) {
        if (!outcome.ok) throw outcome.error;
        // Fresh ids where the fake makes them: a track id, a token.
        if (op.name === "uploadAttachmentAsync") expect(outcome.value).toMatch(/^[0-9a-f]{32}$/);
        else if (api === "sobot" && !op.auth) expect(outcome.value).toEqual({ token: expect.stringMatching(/^[0-9a-f]{32}$/), expires_in: "86400" });
        else expect(outcome.value).toEqual(expectedResult(api, op));
        // Succeeded, so delivered; a non-idempotent operation exactly once.
        if (op.idempotent) expect(delivered).toBeGreaterThanOrEqual(1);
        else expect(delivered).toBe(1);
      } else {
        expect(outcome.ok, "the call should have failed").toBe(false);
        const error = (outcome as { error: unknown }).error;
        expect(error).toBeInstanceOf(expected.error);
        expected.check?.(error as never);
        // Failed with an error: delivered at most once, exactly as the fault dictates.
        expect(delivered).toBe(expected.delivered);
      }
    });
  });
});

describe("across the matrix", () => {
  it("no credential appears in any error, any retry log line, or the errors' toString()", () => {
    expect(thrown.length).toBeGreaterThan(20);
    expect(logLines.length).toBeGreaterThan(20);
    const text = [...logLines, ...thrown.map(String)].join("\n");
    for (const secret of secrets()) expect(text).not.toContain(secret);
    expect(sobotTokens.size).toBeGreaterThan(1);
  });

  it("waited with growing, jittered delays, and at least Retry-After", () => {
    expect(waits.length).toBeGreaterThan(0);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(10);
      expect(wait).toBeLessThanOrEqual(200);
    }
  });
});

describe("retryUnknownOutcome: true (opt-in)", () => {
  it("repeats a send after a reset mid-request, and the fake shows the duplicate it risks", async () => {
    graphFake.reset();
    graphFake.inject({ kind: "reset-after-body" }, { operation: "sendMessage" });
    const op = graphOps.find((o) => o.name === "sendMessage")!;
    const result = await graph.sendMessage(requestFor("graph", op) as never, { retry: { retryUnknownOutcome: true } });
    expect(result).toEqual(op.success);
    expect(graphFake.delivered("sendMessage")).toHaveLength(2);
  });
});

describe("Retry-After", () => {
  it("is waited for (429 with Retry-After: 2 → a wait of at least 2000 ms), and one too long for maxElapsedMs ends the retries", async () => {
    const asked: number[] = [];
    const client = new SobotClient({
      appId: APP_ID,
      appKey: APP_KEY,
      baseUrl: sobotFake.url,
      retry: { baseDelayMs: 10, maxElapsedMs: 10_000, sleep: async (ms) => void asked.push(ms) },
    });
    sobotFake.reset();
    sobotFake.inject({ kind: "rate-limit", retryAfter: "2" }, { operation: "sendMessage" });
    await client.sendMessage(requestFor("sobot", sobotOps.find((o) => o.name === "sendMessage")!) as never);
    expect(asked).toEqual([2000]);

    sobotFake.inject({ kind: "rate-limit", retryAfter: "60" }, { operation: "sendMessage" });
    const error = await client.sendMessage(requestFor("sobot", sobotOps.find((o) => o.name === "sendMessage")!) as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(429);
    expect((error as HttpError).retryAfterMs).toBe(60_000);
    expect(asked).toEqual([2000]);
    expect(sobotFake.delivered("sendMessage")).toHaveLength(1);
  });
});

describe("the fakes' connections", () => {
  it("end with each answer (connection: close), so a connection the fake closes for a fault never carries the next request", async () => {
    for (const fake of [graphFake, sobotFake]) {
      const response = await fetch(`${fake.url}/no-such-route`);
      await response.arrayBuffer();
      expect(response.headers.get("connection")).toBe("close");
    }
  });
});
