/**
 * The spec loader on a 5 MB file: one mapping of 110,000 schemas with a duplicate key at its end,
 * checked by `generate --spec-only` in a fresh process until it prints that key's problem. The peer
 * is the yaml library alone parsing the same file (no duplicate-key check, no positions kept): the
 * floor of any YAML loader in Node. Targets are absolute: ≤ 10 s and ≤ 500 MB peak resident memory.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fmtMs, outDir, ratio, ROOT, timedRun, type Row, type SectionResult } from "./lib.js";

const KEYS = 110_000;

function writeSpec(): { specDir: string; file: string; bytes: number } {
  const specDir = join(outDir("loader"), "spec");
  rmSync(specDir, { recursive: true, force: true });
  mkdirSync(join(specDir, "graph"), { recursive: true });
  const lines = ["api:", "  title: Large spec", "  description: One mapping of many schemas.", "  baseUrl: https://api.example.test", "  auth: { kind: bearer, name: access_token }", "schemas:"];
  for (let i = 0; i < KEYS; i++) lines.push(`  Schema${i}: { type: string, maxLength: 99 }`);
  lines.push("  Schema5: { type: integer }");
  const file = join(specDir, "graph", "api.yaml");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { specDir, file, bytes: statSync(file).size };
}

/** Wall time and peak resident memory (MB, by /usr/bin/time where there is one) of a fresh node process. */
async function measured(args: string[]): Promise<{ ms: number; peakMb: number | undefined; stderr: string; code: number | null }> {
  const rssFile = join(outDir("loader"), "rss");
  rmSync(rssFile, { force: true });
  const withTime = existsSync("/usr/bin/time");
  const run = await timedRun(withTime ? "/usr/bin/time" : process.execPath, withTime ? ["-f", "%M", "-o", rssFile, process.execPath, ...args] : args, { cwd: ROOT, timeoutMs: 600_000 });
  const peakMb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1)) / 1024 : undefined;
  return { ms: run.ms, peakMb, stderr: run.stderr, code: run.code };
}

export async function loaderSection(): Promise<SectionResult> {
  const { specDir, file, bytes } = writeSpec();
  const ours = await measured(["--import", "tsx", join(ROOT, "generator", "cli.ts"), "--spec-only", "--no-cache", "--spec", specDir]);
  const expected = `api.yaml:${KEYS + 7}:3  YAML: Map keys must be unique: 'Schema5' is already a key of this mapping, at line 12`;
  if (!ours.stderr.includes(expected)) throw new Error(`the loader did not report the duplicate key as expected:\n${ours.stderr.slice(0, 2000)}`);
  const peerScript = `import { parseDocument } from "yaml"; import { readFileSync } from "node:fs"; parseDocument(readFileSync(${JSON.stringify(file)}, "utf8"), { uniqueKeys: false }).toJS();`;
  const peer = await measured(["--input-type=module", "-e", peerScript]);
  if (peer.code !== 0) throw new Error(`the yaml library failed on the file:\n${peer.stderr}`);
  const mb = (value: number | undefined) => (value === undefined ? "n/a" : `${Math.round(value)} MB`);
  const rows: Row[] = [
    { section: "loader", metric: `${(bytes / 1e6).toFixed(1)} MB file, ${KEYS.toLocaleString("en")} keys, a duplicate: time to its problem`, ours: fmtMs(ours.ms), peer: fmtMs(peer.ms), ratio: ratio(peer.ms, ours.ms), target: "≤ 10 s", met: ours.ms <= 10_000 },
    { section: "loader", metric: "same, peak resident memory", ours: mb(ours.peakMb), peer: mb(peer.peakMb), target: "≤ 500 MB", met: ours.peakMb !== undefined && ours.peakMb <= 500 },
  ];
  return { rows, data: { bytes, keys: KEYS, oursMs: ours.ms, oursPeakMb: ours.peakMb, peerMs: peer.ms, peerPeakMb: peer.peakMb } };
}
