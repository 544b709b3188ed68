/**
 * `npm run typecheck` as part of the suite: the generator, the tests and the runtime templates
 * under their own strict settings (no Node types), and the benchmarks. In the suite, tsc's single
 * thread runs beside the other test files instead of before all of them.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { rootDir } from "./support/paths.js";

const tsc = join(rootDir, "node_modules", "typescript", "bin", "tsc");

async function typecheck(project: string): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", project, "--noEmit", "--pretty", "false"], { cwd: rootDir });
    return "";
  } catch (error) {
    return (error as { stdout?: string }).stdout || String(error);
  }
}

describe("the TypeScript of the project type-checks", () => {
  it.each(["tsconfig.json", "templates/tsconfig.json", "bench/tsconfig.json"])("%s", async (project) => {
    expect(await typecheck(project)).toBe("");
  });
});
