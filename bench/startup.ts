/**
 * Cold start: a fresh Node process importing messenger-sdk (dist/index.js: both APIs, every
 * validator ready) against a fresh process that imports Ajv and compiles the same JSON Schema
 * bundles (the shipped generated/schemas/*.schema.json) at start-up. Both time themselves from
 * just before the import to ready; the runs alternate and each figure is the median.
 */
import { join } from "node:path";
import { BENCH_DIR, fmtMs, median, ratio, timedRun, type SectionResult } from "./lib.js";

interface Sample {
  ms: number;
  sinceProcessStart: number;
}

async function sample(script: string, sdkDir: string): Promise<Sample> {
  const run = await timedRun(process.execPath, [join(BENCH_DIR, "fixtures", script), sdkDir], { timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`${script} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Sample;
}

export async function startupSection(sdkDir: string, options: { runs?: number } = {}): Promise<SectionResult> {
  const runs = options.runs ?? 9;
  const samples: Record<"sdk" | "ajv" | "empty", Sample[]> = { sdk: [], ajv: [], empty: [] };
  await sample("startup-sdk.mjs", sdkDir); // let the file system cache settle first
  for (let i = 0; i < runs; i++) {
    samples.sdk.push(await sample("startup-sdk.mjs", sdkDir));
    samples.ajv.push(await sample("startup-ajv.mjs", sdkDir));
    samples.empty.push(await sample("startup-empty.mjs", sdkDir));
  }
  const sdk = median(samples.sdk.map((s) => s.ms));
  const ajv = median(samples.ajv.map((s) => s.ms));
  const ready = (k: "sdk" | "ajv" | "empty") => median(samples[k].map((s) => s.sinceProcessStart));
  const speedup = ratio(ajv, sdk);
  return {
    rows: [
      { section: "3 start-up", metric: "import messenger-sdk vs Ajv compile at start-up", ours: fmtMs(sdk), peer: fmtMs(ajv), ratio: speedup, ratioLabel: "times faster", target: ">= 10x", met: speedup >= 10 },
      {
        section: "3 start-up",
        metric: "process start to ready (bare node: " + fmtMs(ready("empty")) + ")",
        ours: fmtMs(ready("sdk")),
        peer: fmtMs(ready("ajv")),
        ratio: ratio(ready("ajv"), ready("sdk")),
        ratioLabel: "times faster",
      },
    ],
    data: { runs, medianImportMs: { sdk, ajv }, medianReadyMs: { sdk: ready("sdk"), ajv: ready("ajv"), bareNode: ready("empty") }, samples },
  };
}
