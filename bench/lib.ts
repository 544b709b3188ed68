/** Small helpers shared by the benchmark sections. */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BENCH_DIR = join(ROOT, "bench");
/** Scratch space (git-ignored): synthetic specs, generator output, bundles. */
export const OUT_DIR = join(BENCH_DIR, ".out");

export function outDir(...parts: string[]): string {
  const dir = join(OUT_DIR, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface RunResult {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a command to completion and times it (wall clock, spawn to exit). A run still going after
 * `timeoutMs` is killed (its process group) and reported as timed out.
 */
export function timedRun(command: string, args: string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // own process group, so a timeout can stop the children too
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid!, "SIGKILL");
            } catch {
              child.kill("SIGKILL");
            }
          }, options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ ms: performance.now() - started, code, stdout, stderr, timedOut });
    });
  });
}

export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function fmtOps(ops: number): string {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)} M/s`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(1)} k/s`;
  return `${ops.toFixed(0)} /s`;
}

export function fmtBytes(bytes: number): string {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`;
}

export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}

/** One line of the summary table. */
export interface Row {
  section: string;
  metric: string;
  ours: string;
  peer: string;
  /** ours/peer expressed so that > 1 is better for us, unless stated in `ratioLabel`. */
  ratio?: number;
  ratioLabel?: string;
  target?: string;
  met?: boolean;
}

export interface SectionResult {
  rows: Row[];
  /** Raw figures for results.json. */
  data: Record<string, unknown>;
}
