/**
 * Client overhead: requests/s of `graph.sendMessage` against a local keep-alive server (its own
 * process, bench/fixtures/server.mjs), with and without request validation, against a plain
 * `fetch` of the same body. Each mode runs in a fresh client process; the modes take turns for a
 * few rounds and each figure is the median of its rounds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { BENCH_DIR, fmtOps, median, ratio, timedRun, type SectionResult } from "./lib.js";
import { sendRequest } from "./payloads.js";

const MODES = ["fetch", "fetch-no-redirect", "sdk", "sdk-validate"] as const;
type Mode = (typeof MODES)[number];

function startServer(): Promise<{ port: number; child: ChildProcess; log: () => string }> {
  return new Promise((resolve, reject) => {
    // Its stderr is kept, not shown: it ends with the count of requests served, which goes into results.json.
    const child = spawn(process.execPath, [join(BENCH_DIR, "fixtures", "server.mjs")], { stdio: ["pipe", "pipe", "pipe"] });
    let log = "";
    child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.once("error", reject);
    child.stdout!.once("data", (chunk: Buffer) => resolve({ port: (JSON.parse(chunk.toString()) as { port: number }).port, child, log: () => log }));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export async function clientSection(sdkDir: string, options: { rounds?: number; ms?: number; concurrency?: number } = {}): Promise<SectionResult> {
  const rounds = options.rounds ?? 3;
  const ms = options.ms ?? 2500;
  const concurrency = options.concurrency ?? 8;
  const { port, child, log } = await startServer();
  const perSecond: Record<Mode, number[]> = { fetch: [], "fetch-no-redirect": [], sdk: [], "sdk-validate": [] };
  try {
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so no mode always runs first.
      const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!);
      for (const mode of order) {
        const run = await timedRun(
          process.execPath,
          [join(BENCH_DIR, "fixtures", "client-load.mjs"), sdkDir, String(port), mode, String(ms), String(concurrency), JSON.stringify(sendRequest)],
          { timeoutMs: ms + 60_000 },
        );
        if (run.code !== 0) throw new Error(`client-load ${mode} failed:\n${run.stderr}`);
        perSecond[mode].push((JSON.parse(run.stdout) as { perSecond: number }).perSecond);
      }
    }
  } finally {
    await stopServer(child);
  }
  const served = Number(/served (\d+)/.exec(log())?.[1]);
  if (!Number.isFinite(served)) throw new Error(`the benchmark server did not report what it served:\n${log()}`);
  const fetchRps = median(perSecond.fetch);
  const sameOptionsRps = median(perSecond["fetch-no-redirect"]);
  const sdkRps = median(perSecond.sdk);
  const validateRps = median(perSecond["sdk-validate"]);
  const noValidation = ratio(sdkRps, fetchRps);
  const withValidation = ratio(validateRps, fetchRps);
  return {
    rows: [
      { section: "5 client", metric: "sendMessage, validation off, vs fetch", ours: fmtOps(sdkRps), peer: fmtOps(fetchRps), ratio: noValidation, target: ">= 0.9x", met: noValidation >= 0.9 },
      { section: "5 client", metric: "sendMessage, validation on, vs fetch", ours: fmtOps(validateRps), peer: fmtOps(fetchRps), ratio: withValidation, target: ">= 0.8x", met: withValidation >= 0.8 },
      // No target: the SDK against fetch with the same options, i.e. the cost of the SDK's own code.
      { section: "5 client", metric: "sendMessage, validation off, vs fetch with redirect: 'error'", ours: fmtOps(sdkRps), peer: fmtOps(sameOptionsRps), ratio: ratio(sdkRps, sameOptionsRps) },
    ],
    data: { rounds, msPerRound: ms, concurrency, requestsPerSecond: perSecond, requestsServed: served },
  };
}
