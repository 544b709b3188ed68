/**
 * Generation time, cold process, of the real spec and of synthetic specs 10x and 100x its size
 * (bench/synthetic.ts), against openapi-typescript (bench/fixtures/openapi-typescript.mjs) on the
 * equivalent OpenAPI documents. Ours: `node --import tsx generator/cli.ts --no-build --spec S
 * --out O` (what `npm run generate` runs, without building dist/), which emits types, validators,
 * clients, webhooks, error tables, JSON Schemas, OpenAPI documents and their types, and docs.
 * openapi-typescript emits types only.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, fmtMs, median, OUT_DIR, outDir, ratio, ROOT, timedRun, type Row, type SectionResult } from "./lib.js";
import { baseOpenApi, writeSynthetic } from "./synthetic.js";

export interface GenerationOptions {
  factors?: number[];
  /** Runs per factor (each side); the median counts. */
  runs?: (factor: number) => number;
  /** Our generator is stopped after this long at a factor (the peer never is). */
  capMs?: (factor: number) => number | undefined;
}

interface SpecSet {
  factor: number;
  specDir: string;
  openApiDir: string;
  schemas: number;
  operations: number;
  specBytes: number;
  openApiBytes: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

/** Synthetic specs are rebuilt only when the spec, the base OpenAPI or synthetic.ts changed. */
function specSet(factor: number): SpecSet {
  const hash = createHash("sha256");
  for (const file of filesUnder(join(ROOT, "spec"))) hash.update(file).update(readFileSync(file));
  hash.update(readFileSync(join(BENCH_DIR, "synthetic.ts")));
  for (const api of ["graph", "sobot"]) hash.update(JSON.stringify(baseOpenApi(api)));
  const stamp = hash.digest("hex");
  const dir = join(OUT_DIR, "specs", `x${factor}`);
  const stampFile = join(dir, "stamp.json");
  if (existsSync(stampFile)) {
    const saved = JSON.parse(readFileSync(stampFile, "utf8")) as SpecSet & { stamp: string };
    if (saved.stamp === stamp) return saved;
  }
  const counts = writeSynthetic(factor, dir);
  const set: SpecSet = { factor, specDir: join(dir, "spec"), openApiDir: join(dir, "openapi"), ...counts };
  writeFileSync(stampFile, JSON.stringify({ ...set, stamp }, null, 2));
  return set;
}

function outputBytes(dir: string): { files: number; bytes: number } {
  if (!existsSync(dir)) return { files: 0, bytes: 0 };
  const files = filesUnder(dir);
  return { files: files.length, bytes: files.reduce((sum, file) => sum + statSync(file).size, 0) };
}

async function runOurs(set: SpecSet, capMs: number | undefined) {
  const out = join(outDir("gen"), `ours-x${set.factor}`);
  rmSync(out, { recursive: true, force: true });
  // Cold: --no-cache, so no result of an earlier run is reused. Peak memory by /usr/bin/time where there is one.
  const rssFile = join(outDir("gen"), `ours-x${set.factor}.rss`);
  rmSync(rssFile, { force: true });
  const command = ["--import", "tsx", join(ROOT, "generator", "cli.ts"), "--no-build", "--no-cache", "--spec", set.specDir, "--out", out];
  const withTime = existsSync("/usr/bin/time");
  const run = await timedRun(withTime ? "/usr/bin/time" : process.execPath, withTime ? ["-f", "%M", "-o", rssFile, process.execPath, ...command] : command, {
    cwd: ROOT,
    timeoutMs: capMs,
  });
  const peakRssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)) / 1024 : undefined;
  // On the real spec a failure is a broken generator; on a synthetic one it is a result to report.
  const failed = !run.timedOut && run.code !== 0;
  if (failed && set.factor === 1) throw new Error(`generator failed on the real spec:\n${run.stdout}\n${run.stderr}`);
  const error = failed ? (run.stderr.split("\n").find((line) => line.trim() !== "") ?? `exit code ${run.code}`) : undefined;
  return { ms: run.ms, timedOut: run.timedOut, error, output: outputBytes(out), peakRssMb };
}

async function runPeer(set: SpecSet) {
  const out = join(outDir("gen"), `openapi-typescript-x${set.factor}`);
  rmSync(out, { recursive: true, force: true });
  const run = await timedRun(process.execPath, [join(BENCH_DIR, "fixtures", "openapi-typescript.mjs"), set.openApiDir, out], { cwd: outDir("gen") });
  if (run.code !== 0) throw new Error(`openapi-typescript failed on x${set.factor}:\n${run.stderr}`);
  return { ms: run.ms, timedOut: false, error: undefined, output: outputBytes(out) };
}

export async function generationSection(options: GenerationOptions = {}): Promise<SectionResult> {
  const factors = options.factors ?? [1, 10, 100];
  const runsFor = options.runs ?? ((factor) => (factor === 1 ? 3 : 1));
  const capFor = options.capMs ?? (() => undefined);
  const rows: Row[] = [];
  const results: Record<string, unknown>[] = [];
  let oursAt1: number | undefined;
  let peerAt1: number | undefined;
  for (const factor of factors) {
    const set = specSet(factor);
    const ours: Awaited<ReturnType<typeof runOurs>>[] = [];
    const peer: Awaited<ReturnType<typeof runPeer>>[] = [];
    for (let i = 0; i < runsFor(factor); i++) {
      peer.push(await runPeer(set));
      ours.push(await runOurs(set, capFor(factor)));
      if (ours.at(-1)!.timedOut || ours.at(-1)!.error) break;
    }
    const timedOut = ours.some((r) => r.timedOut);
    const error = ours.find((r) => r.error)?.error;
    const oursMs = timedOut ? Math.max(...ours.map((r) => r.ms)) : median(ours.map((r) => r.ms));
    const peerMs = median(peer.map((r) => r.ms));
    if (factor === 1) {
      oursAt1 = oursMs;
      peerAt1 = peerMs;
    }
    const speed = error ? undefined : ratio(peerMs, oursMs);
    const growth =
      oursAt1 && factor !== 1 && !error ? ` (ours ${ratio(oursMs, oursAt1)}x${timedOut ? " at least" : ""} its 1x time, peer ${ratio(peerMs, peerAt1!)}x)` : "";
    rows.push({
      section: "1 generation",
      metric: `spec x${factor}: ${set.schemas} schemas, ${set.operations} operations${growth}`,
      ours: error ? `failed after ${fmtMs(oursMs)}` : `${timedOut ? "> " : ""}${fmtMs(oursMs)}${timedOut ? " (stopped)" : ""}`,
      peer: fmtMs(peerMs),
      ...(speed === undefined ? {} : { ratio: speed, ratioLabel: timedOut ? "peer time / ours (at most)" : "peer time / ours" }),
      ...(factor === 1 ? { target: "≥ 0.33x", met: speed !== undefined && speed >= 0.33 } : {}),
      ...(factor === 100 ? { target: "ours < peer", met: !timedOut && !error && oursMs < peerMs } : {}),
    });
    const peakRssMb = ours.at(-1)?.peakRssMb;
    if (factor === 100 && peakRssMb !== undefined && !Number.isNaN(peakRssMb)) {
      rows.push({ section: "1 generation", metric: "spec x100: peak resident memory", ours: `${Math.round(peakRssMb)} MB`, peer: "", target: "≤ 1.5 GB", met: peakRssMb <= 1536 && !timedOut && !error });
    }
    results.push({
      factor,
      schemas: set.schemas,
      operations: set.operations,
      specBytes: set.specBytes,
      openApiBytes: set.openApiBytes,
      oursMs: ours.map((r) => r.ms),
      oursTimedOut: timedOut,
      oursError: error,
      oursOutput: ours.at(-1)?.output,
      oursPeakRssMb: ours.map((r) => r.peakRssMb),
      peerMs: peer.map((r) => r.ms),
      peerOutput: peer.at(-1)?.output,
    });
  }
  return { rows, data: { factors: results } };
}
