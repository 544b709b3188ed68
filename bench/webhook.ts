/**
 * Webhook throughput: events/s through `parseGraphWebhook` (verify X-Hub-Signature-256 with
 * WebCrypto, JSON.parse, validate the body and each event against its kind's schema, flatten) on a
 * ~1 KB delivery of five events. The peer is the floor a hand-written handler cannot go below:
 * node:crypto HMAC + timingSafeEqual, JSON.parse and the same flattening, with no validation.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { fmtOps, median, ratio, type SectionResult } from "./lib.js";
import { webhookBody, webhookPayload } from "./payloads.js";

const APP_SECRET = "0123456789abcdef0123456789abcdef";
const EVENTS = webhookPayload.entry.reduce((n, entry) => n + entry.messaging.length, 0);

type Parse = (raw: string, options: { signature: string | null; appSecret: string; validate?: boolean }) => Promise<unknown[]>;

/** The hand-written floor: what any handler must at least do. */
function handWritten(raw: string, signature: string, secret: string): unknown[] {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`);
  const received = Buffer.from(signature);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) throw new Error("bad signature");
  const body = JSON.parse(raw) as { entry: { id: string; time: number; messaging?: Record<string, unknown>[] }[] };
  const events: unknown[] = [];
  for (const entry of body.entry) {
    for (const item of entry.messaging ?? []) {
      const kind = ["message", "postback", "delivery", "read"].find((k) => k in item) ?? "unknown";
      events.push({ kind, pageId: entry.id, time: entry.time, senderId: (item.sender as { id?: string } | undefined)?.id, data: item });
    }
  }
  return events;
}

export async function webhookSection(sdkDir: string, options: { time?: number; rounds?: number } = {}): Promise<SectionResult> {
  const graph = (await import(pathToFileURL(join(sdkDir, "dist", "graph", "index.js")).href)) as { parseGraphWebhook: Parse };
  const signature = `sha256=${createHmac("sha256", APP_SECRET).update(webhookBody).digest("hex")}`;

  const parsed = await graph.parseGraphWebhook(webhookBody, { signature, appSecret: APP_SECRET });
  if (parsed.length !== EVENTS) throw new Error(`parseGraphWebhook returned ${parsed.length} events, expected ${EVENTS}`);
  if (handWritten(webhookBody, signature, APP_SECRET).length !== EVENTS) throw new Error("hand-written parser is wrong");
  await graph.parseGraphWebhook(webhookBody, { signature: signature.replace(/.$/, "0"), appSecret: APP_SECRET }).then(
    () => {
      throw new Error("a wrong signature was accepted");
    },
    () => undefined,
  );

  const rounds = options.rounds ?? 3;
  const samples: Record<string, number[]> = { sdk: [], "sdk (validate: false)": [], "hand-written floor": [] };
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: options.time ?? 700, warmupTime: 200 });
    bench
      .add("sdk", async () => {
        await graph.parseGraphWebhook(webhookBody, { signature, appSecret: APP_SECRET });
      })
      .add("sdk (validate: false)", async () => {
        await graph.parseGraphWebhook(webhookBody, { signature, appSecret: APP_SECRET, validate: false });
      })
      .add("hand-written floor", () => {
        handWritten(webhookBody, signature, APP_SECRET);
      });
    await bench.run();
    for (const task of bench.tasks) {
      const latency = (task.result as { latency?: { mean: number } } | undefined)?.latency;
      if (!latency) throw new Error(`benchmark task ${task.name} has no result`);
      samples[task.name]!.push((EVENTS * 1000) / latency.mean);
    }
  }
  const events = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)])) as Record<string, number>;
  const sdk = events["sdk"]!;
  const floor = events["hand-written floor"]!;
  return {
    rows: [
      { section: "6 webhook", metric: `parseGraphWebhook, ${EVENTS} events/delivery (events/s)`, ours: fmtOps(sdk), peer: fmtOps(floor), ratio: ratio(sdk, floor), ratioLabel: "vs hand-written floor (no validation)" },
      { section: "6 webhook", metric: "same, validate: false (events/s)", ours: fmtOps(events["sdk (validate: false)"]!), peer: fmtOps(floor), ratio: ratio(events["sdk (validate: false)"]!, floor) },
    ],
    data: { eventsPerDelivery: EVENTS, bodyBytes: webhookBody.length, eventsPerSecond: events, samples },
  };
}
