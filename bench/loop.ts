/**
 * The maintainer loop: what a person editing spec/ waits for, in a copy of the project with a cache
 * of its own. No-change `npm run generate` (a fresh process, with its dist/ check); `--watch` with
 * the build on, from saving an edit to the files written and to dist/ built, for a description edit
 * and for a schema limit changed. Each figure is the median of 3; the targets are absolute times.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmtMs, median, ROOT, timedRun, type Row, type SectionResult } from "./lib.js";

const SEND_MESSAGE = join("spec", "graph", "operations", "send-message.yaml");
const QUICK_REPLY = join("spec", "graph", "schemas", "quick-replies.yaml");

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-loop-"));
  for (const part of ["spec", "templates", "package.json"]) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(ROOT, "node_modules", "typescript"), join(dir, "node_modules", "typescript"));
  symlinkSync(join(ROOT, "node_modules", "tsx"), join(dir, "node_modules", "tsx"));
  return dir;
}

const cli = (dir: string, ...args: string[]) => timedRun(process.execPath, ["--import", "tsx", join(ROOT, "generator", "cli.ts"), ...args], { cwd: dir });

/** A watch process and the times its output lines arrive. */
function startWatch(dir: string): { child: ChildProcess; lines: { at: number; text: string }[] } {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "generator", "cli.ts"), "--watch"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const lines: { at: number; text: string }[] = [];
  let rest = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    rest += chunk.toString();
    const parts = rest.split("\n");
    rest = parts.pop()!;
    for (const text of parts) lines.push({ at: performance.now(), text });
  });
  // A spec the edit broke would leave the watch waiting for a fix, and this benchmark waiting on it.
  child.stderr!.on("data", (chunk: Buffer) => lines.push({ at: performance.now(), text: `error: ${chunk.toString()}` }));
  return { child, lines };
}

async function waitForLine(lines: { at: number; text: string }[], from: number, pattern: RegExp): Promise<{ at: number; text: string; index: number }> {
  for (;;) {
    const index = lines.findIndex((line, i) => i >= from && pattern.test(line.text));
    if (index !== -1) return { ...lines[index]!, index };
    const failed = lines.find((line, i) => i >= from && line.text.startsWith("error: "));
    if (failed) throw new Error(`the watch reported ${failed.text}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Saves `edit(text)` to `file`, and times the watch from the save to the files written and to dist/ built. */
async function timedEdit(dir: string, watch: ReturnType<typeof startWatch>, file: string, edit: (text: string) => string) {
  const from = watch.lines.length;
  const path = join(dir, file);
  const saved = performance.now();
  writeFileSync(path, edit(readFileSync(path, "utf8")));
  const written = await waitForLine(watch.lines, from, /^\s+written\s/);
  const done = await waitForLine(watch.lines, from, /generated \d+ files: .*; watching/);
  const build = /dist\/ built \(\w+\) in (\d+) ms/.exec(done.text);
  return { writtenMs: written.at - saved, distMs: build ? Number(build[1]) : NaN, line: done.text };
}

export async function loopSection(options: { rounds?: number } = {}): Promise<SectionResult> {
  const rounds = options.rounds ?? 3;
  const dir = project();
  try {
    const cold = await cli(dir, "--no-cache");
    if (cold.code !== 0) throw new Error(`generate failed:\n${cold.stderr}`);
    await cli(dir); // fills the cache
    const noChange: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const run = await cli(dir);
      if (!/0 changed.*dist\/ up to date/.test(run.stdout)) throw new Error(`a no-change run changed something: ${run.stdout}`);
      noChange.push(run.ms);
    }

    const watch = startWatch(dir);
    const description: { writtenMs: number; distMs: number }[] = [];
    const limit: { writtenMs: number; distMs: number }[] = [];
    try {
      await waitForLine(watch.lines, 0, /generated \d+ files: .*; watching/);
      for (let i = 0; i < rounds; i++) {
        // Each edit is new text, so no earlier run of it is in the cache.
        description.push(await timedEdit(dir, watch, SEND_MESSAGE, (text) => text.replace(/en: Send a message[^\n]*or a sender action/, `en: Send a message (edit ${i}) or a sender action`)));
        // The quick reply payload's limit: no example sits at it, so every value keeps the spec clean.
        limit.push(await timedEdit(dir, watch, QUICK_REPLY, (text) => text.replace(/maxLength: 10\d\d\b/, `maxLength: ${1001 + i}`)));
      }
    } finally {
      watch.child.kill("SIGTERM");
    }
    const m = (values: number[]) => median(values);
    const rows: Row[] = [
      { section: "8 maintainer loop", metric: "generate, nothing changed (a fresh process, dist/ checked)", ours: fmtMs(m(noChange)), peer: `cold: ${fmtMs(cold.ms)}`, target: "≤ 1 s", met: m(noChange) <= 1000 },
      { section: "8 maintainer loop", metric: "watch, a description edited: save → files written", ours: fmtMs(m(description.map((d) => d.writtenMs))), peer: "", target: "≤ 1 s", met: m(description.map((d) => d.writtenMs)) <= 1000 },
      { section: "8 maintainer loop", metric: "watch, a description edited: dist/ built", ours: fmtMs(m(description.map((d) => d.distMs))), peer: "", target: "≤ 3 s", met: m(description.map((d) => d.distMs)) <= 3000 },
      { section: "8 maintainer loop", metric: "watch, a schema limit changed: save → files written", ours: fmtMs(m(limit.map((d) => d.writtenMs))), peer: "", target: "≤ 2 s", met: m(limit.map((d) => d.writtenMs)) <= 2000 },
    ];
    return { rows, data: { coldMs: cold.ms, noChangeMs: noChange, description, limit } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
