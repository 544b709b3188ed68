/**
 * Validation throughput on two payloads (a ~1 KB Graph webhook delivery, a send request): the
 * SDK's precompiled standalone validators against Ajv compiling the same JSON Schema bundle at run
 * time (generated/schemas/graph.schema.json, with the options the generator compiles with) and
 * against hand-written zod schemas (bench/zod-schemas.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { createAjv } from "../generator/schema/ajv.js";
import { fmtOps, median, ratio, type Row, type SectionResult } from "./lib.js";
import { sendRequest, webhookPayload } from "./payloads.js";
import * as zodSchemas from "./zod-schemas.js";

type Check = (value: unknown) => boolean;

/** Calls per timed sample: one call is well under a microsecond, below the timer's resolution. */
const BATCH = 200;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Broken variants every implementation must reject, so "equivalent" is checked, not assumed. */
function invalidVariants(): { schema: "WebhookPayload" | "SendMessageRequest"; value: unknown }[] {
  const send = () => clone(sendRequest) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const hook = () => clone(webhookPayload) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const variants: { schema: "WebhookPayload" | "SendMessageRequest"; value: unknown }[] = [];
  const s1 = send(); s1.message.text = "x".repeat(2001); variants.push({ schema: "SendMessageRequest", value: s1 });
  const s2 = send(); s2.colour = "red"; variants.push({ schema: "SendMessageRequest", value: s2 });
  const s3 = send(); delete s3.recipient; variants.push({ schema: "SendMessageRequest", value: s3 });
  const s4 = send(); s4.message.quick_replies[0].title = "x".repeat(21); variants.push({ schema: "SendMessageRequest", value: s4 });
  const s5 = send(); s5.tag = "HUMAN_AGENT"; variants.push({ schema: "SendMessageRequest", value: s5 });
  const s6 = send(); s6.message.attachment = { type: "image", payload: {} }; variants.push({ schema: "SendMessageRequest", value: s6 });
  const s7 = send(); s7.messaging_type = "MESSAGE_TAG"; variants.push({ schema: "SendMessageRequest", value: s7 });
  const w1 = hook(); w1.object = "user"; variants.push({ schema: "WebhookPayload", value: w1 });
  const w2 = hook(); w2.entry[0].time = "yesterday"; variants.push({ schema: "WebhookPayload", value: w2 });
  const w3 = hook(); delete w3.entry[0].messaging[0].message.mid; variants.push({ schema: "WebhookPayload", value: w3 });
  const w4 = hook(); w4.entry[0].messaging[3].delivery.watermark = 1.5; variants.push({ schema: "WebhookPayload", value: w4 });
  return variants;
}

export async function validationSection(sdkDir: string, options: { time?: number; rounds?: number } = {}): Promise<SectionResult> {
  const standalone = (await import(pathToFileURL(join(sdkDir, "dist", "graph", "validators.js")).href)) as Record<string, Check>;

  const ajv = createAjv();
  const bundle = JSON.parse(readFileSync(join(sdkDir, "schemas", "graph.schema.json"), "utf8")) as { $id: string };
  ajv.addSchema(bundle);
  const ajvCheck = (name: string): Check => ajv.getSchema(`${bundle.$id}#/$defs/${name}`) as Check;

  const implementations: Record<string, Record<"WebhookPayload" | "SendMessageRequest", Check>> = {
    "messenger-sdk": { WebhookPayload: standalone.WebhookPayload!, SendMessageRequest: standalone.SendMessageRequest! },
    "ajv (runtime)": { WebhookPayload: ajvCheck("WebhookPayload"), SendMessageRequest: ajvCheck("SendMessageRequest") },
    zod: {
      WebhookPayload: (v) => zodSchemas.WebhookPayload.safeParse(v).success,
      SendMessageRequest: (v) => zodSchemas.SendMessageRequest.safeParse(v).success,
    },
  };

  // Same verdicts before any timing.
  for (const [name, checks] of Object.entries(implementations)) {
    if (!checks.WebhookPayload(webhookPayload)) throw new Error(`${name} rejects the webhook payload`);
    if (!checks.SendMessageRequest(sendRequest)) throw new Error(`${name} rejects the send request`);
    invalidVariants().forEach(({ schema, value }, i) => {
      if (checks[schema](value)) throw new Error(`${name} accepts broken ${schema} variant #${i + 1}`);
    });
  }

  // A few short rounds, the order of the implementations rotating, and the median of each: one
  // long run per implementation is at the mercy of whatever else the machine does meanwhile.
  const payloads = { WebhookPayload: webhookPayload, SendMessageRequest: sendRequest } as const;
  const names = Object.keys(implementations);
  const samples: Record<string, number[]> = {};
  const rounds = options.rounds ?? 3;
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: options.time ?? 1000, warmupTime: 200 });
    for (const name of names.map((_, i) => names[(i + round) % names.length]!)) {
      for (const schema of ["WebhookPayload", "SendMessageRequest"] as const) {
        const check = implementations[name]![schema];
        const value = payloads[schema];
        bench.add(`${name} ${schema}`, () => {
          for (let i = 0; i < BATCH; i++) if (!check(value)) throw new Error("rejected");
        });
      }
    }
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result as { latency?: { mean: number } } | undefined;
      if (!result?.latency) throw new Error(`benchmark task ${task.name} has no result`);
      (samples[task.name] ??= []).push((BATCH * 1000) / result.latency.mean);
    }
  }
  const opsPerSecond = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));

  const rows: Row[] = [];
  const data: Record<string, unknown> = { batch: BATCH, rounds, opsPerSecond, samples, webhookBytes: JSON.stringify(webhookPayload).length };
  for (const schema of ["WebhookPayload", "SendMessageRequest"] as const) {
    const ours = opsPerSecond[`messenger-sdk ${schema}`]!;
    const label = schema === "WebhookPayload" ? "webhook payload (1.2 KB)" : "send request";
    const vsAjv = ratio(ours, opsPerSecond[`ajv (runtime) ${schema}`]!);
    const vsZod = ratio(ours, opsPerSecond[`zod ${schema}`]!);
    rows.push(
      { section: "2 validation", metric: `${label} vs Ajv runtime`, ours: fmtOps(ours), peer: fmtOps(opsPerSecond[`ajv (runtime) ${schema}`]!), ratio: vsAjv, target: ">= 1x", met: vsAjv >= 1 },
      { section: "2 validation", metric: `${label} vs zod`, ours: fmtOps(ours), peer: fmtOps(opsPerSecond[`zod ${schema}`]!), ratio: vsZod, target: ">= 2.5x", met: vsZod >= 2.5 },
    );
  }
  return { rows, data };
}
