/**
 * `npm run bench`: every benchmark, each figure a ratio against a peer measured in the same run.
 * Prints a table and writes bench/results.json. Not part of `npm test`.
 *
 *   npm run bench                      all sections (about 5 minutes on 2 cores)
 *   npm run bench -- --only bundle,validation
 *   npm run bench -- --quick           fewer rounds, no 100x generation (a smoke run)
 *   npm run bench -- --full            no time cap on generating the 100x spec
 *   npm run bench -- --gen-cap 120     stop our generator on the 100x spec after 120 s (default 300)
 *   npm run bench -- --sdk DIR         measure another build of the package (default generated/)
 *   npm run bench -- --build-sdk       generate and build the package into bench/.out/sdk first
 *   npm run bench -- --results FILE    write the results elsewhere
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { bundleSection } from "./bundle.js";
import { clientSection } from "./client.js";
import { generationSection } from "./generation.js";
import { inboxSection } from "./inbox.js";
import { loaderSection } from "./loader.js";
import { loopSection } from "./loop.js";
import { BENCH_DIR, OUT_DIR, ROOT, timedRun, type Row, type SectionResult } from "./lib.js";
import { startupSection } from "./startup.js";
import { validationSection } from "./validation.js";
import { webhookSection } from "./webhook.js";

const SECTIONS = ["bundle", "startup", "validation", "webhook", "client", "inbox", "loop", "loader", "generation"] as const;
type Section = (typeof SECTIONS)[number];

interface Args {
  only: Section[];
  quick: boolean;
  full: boolean;
  genCapS: number;
  sdkDir: string;
  buildSdk: boolean;
  results: string;
  /** What is measured: a snapshot of sdkDir, or the fresh build. */
  sdkMeasured?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { only: [...SECTIONS], quick: false, full: false, genCapS: 300, sdkDir: join(ROOT, "generated"), buildSdk: false, results: join(BENCH_DIR, "results.json") };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--only") {
      args.only = value().split(",") as Section[];
      for (const s of args.only) if (!SECTIONS.includes(s)) throw new Error(`unknown section '${s}' (one of ${SECTIONS.join(", ")})`);
    } else if (arg === "--quick") args.quick = true;
    else if (arg === "--full") args.full = true;
    else if (arg === "--gen-cap") args.genCapS = Number(value());
    else if (arg === "--sdk") args.sdkDir = resolve(value());
    else if (arg === "--build-sdk") args.buildSdk = true;
    else if (arg === "--results") args.results = resolve(value());
    else throw new Error(`unknown argument '${arg}'`);
  }
  return args;
}

function gitCommit(): string | undefined {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "generator", "templates", "spec"], { cwd: ROOT, encoding: "utf8" }).trim();
    return dirty ? `${commit} (generator/templates/spec modified)` : commit;
  } catch {
    return undefined;
  }
}

function printTable(rows: Row[]): void {
  const header = ["", "metric", "ours", "peer", "ratio", "target", "met"];
  const lines = rows.map((r) => [
    r.section,
    r.metric,
    r.ours,
    r.peer,
    r.ratio === undefined ? "" : `${r.ratio}x`,
    r.target ?? "",
    r.met === undefined ? "" : r.met ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(format(l));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (args.buildSdk) {
    args.sdkDir = join(OUT_DIR, "sdk");
    console.log(`generating and building the package into ${args.sdkDir} ...`);
    const run = await timedRun(process.execPath, ["--import", "tsx", join(ROOT, "generator", "cli.ts"), "--out", args.sdkDir], { cwd: ROOT });
    if (run.code !== 0) throw new Error(`generation failed:\n${run.stdout}${run.stderr}`);
  }
  if (!existsSync(join(args.sdkDir, "dist", "index.js"))) {
    throw new Error(`${args.sdkDir}/dist/index.js is missing: run \`npm run generate\` first (or pass --build-sdk)`);
  }
  if (!args.buildSdk) {
    // A copy of the package as it is now: a regeneration during the run (generate rebuilds dist/
    // from scratch) must not pull the files from under the measurements.
    const snapshot = join(OUT_DIR, "sdk-snapshot");
    const needed = ["dist/index.js", "dist/graph/index.js", "dist/graph/client.js", "dist/graph/webhooks.js", "dist/graph/validators.js", "dist/inbox/index.js", "schemas/graph.schema.json"];
    for (let attempt = 1; ; attempt++) {
      rmSync(snapshot, { recursive: true, force: true });
      try {
        for (const part of ["package.json", "dist", "schemas"]) cpSync(join(args.sdkDir, part), join(snapshot, part), { recursive: true });
        if (needed.every((file) => existsSync(join(snapshot, file)))) break;
      } catch {
        // copied while being rebuilt: try again
      }
      if (attempt === 10) throw new Error(`${args.sdkDir} stayed incomplete (is a build running?)`);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    args.sdkMeasured = snapshot;
  }

  const loadBefore = loadavg();
  const results: Partial<Record<Section, SectionResult & { seconds: number }>> = {};
  const q = args.quick;
  const sdk = args.sdkMeasured ?? args.sdkDir;
  const runners: Record<Section, () => Promise<SectionResult>> = {
    bundle: () => bundleSection(sdk),
    startup: () => startupSection(sdk, { runs: q ? 3 : 9 }),
    validation: () => validationSection(sdk, { time: q ? 300 : 1000, rounds: q ? 1 : 3 }),
    webhook: () => webhookSection(sdk, { time: q ? 300 : 700, rounds: q ? 1 : 3 }),
    client: () => clientSection(sdk, { rounds: q ? 1 : 3, ms: q ? 1000 : 2500 }),
    inbox: () => inboxSection(sdk, { events: q ? 5_000 : 20_000, rounds: q ? 1 : 3 }),
    loop: () => loopSection({ rounds: q ? 1 : 3 }),
    loader: () => loaderSection(),
    generation: () =>
      generationSection({
        factors: q ? [1, 10] : [1, 10, 100],
        runs: (factor) => (factor === 1 && !q ? 3 : 1),
        capMs: (factor) => (factor === 100 && !args.full ? args.genCapS * 1000 : undefined),
      }),
  };
  for (const section of SECTIONS.filter((s) => args.only.includes(s))) {
    const t0 = Date.now();
    process.stdout.write(`${section} ...`);
    const result = await runners[section]();
    results[section] = { ...result, seconds: Math.round((Date.now() - t0) / 100) / 10 };
    process.stdout.write(` ${results[section]!.seconds} s\n`);
  }

  const rows = Object.values(results).flatMap((r) => r!.rows);
  console.log("");
  printTable(rows);
  const targets = rows.filter((r) => r.met !== undefined);
  console.log(`\n${targets.filter((r) => r.met).length} of ${targets.length} targets met; ${Math.round((Date.now() - started) / 1000)} s in all.`);

  const report = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
    loadAverage: { before: loadBefore.map((l) => Math.round(l * 100) / 100), after: loadavg().map((l) => Math.round(l * 100) / 100) },
    sdk: `${args.sdkDir.startsWith(ROOT) ? args.sdkDir.slice(ROOT.length + 1) : args.sdkDir}${args.sdkMeasured ? " (a copy taken at the start)" : ""}`,
    options: { quick: args.quick, full: args.full, genCapS: args.genCapS, only: args.only },
    seconds: Math.round((Date.now() - started) / 1000),
    rows,
    sections: results,
  };
  writeFileSync(args.results, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${args.results.startsWith(ROOT) ? args.results.slice(ROOT.length + 1) : args.results}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
