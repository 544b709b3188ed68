/**
 * `npm run typecheck` as part of the suite: the generator, the tests and the benchmarks, and the
 * runtime templates under their own strict settings (no Node types). In the suite, tsc's single
 * thread runs beside the other test files instead of before all of them. tsc keeps what it learnt
 * in node_modules/.cache (its incremental build info): a second run rechecks only what changed and
 * what depends on it, and reports the same errors as a full check (a fresh clone checks in full).
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { rootDir } from "./support/paths.js";

const tsc = join(rootDir, "node_modules", "typescript", "bin", "tsc");
const buildInfoDir = join(rootDir, "node_modules", ".cache", "messenger-codegen-tsc");

async function typecheck(project: string): Promise<string> {
  // tsc works on a private copy of the build info, which then replaces the shared one whole: a
  // second suite running beside this one never reads a half-written file.
  const shared = join(buildInfoDir, `${project.replace(/[/.]/g, "-")}.tsbuildinfo`);
  const own = `${shared}.${process.pid}`;
  mkdirSync(buildInfoDir, { recursive: true });
  if (existsSync(shared)) copyFileSync(shared, own);
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", project, "--noEmit", "--pretty", "false", "--incremental", "--tsBuildInfoFile", own], { cwd: rootDir });
    return "";
  } catch (error) {
    return (error as { stdout?: string }).stdout || String(error);
  } finally {
    if (existsSync(own)) renameSync(own, shared);
  }
}

describe("the TypeScript of the project type-checks", () => {
  it.each(["tsconfig.json", "templates/tsconfig.json"])("%s", async (project) => {
    expect(await typecheck(project)).toBe("");
  });
});
