/**
 * A temporary project laid out like the repository (the minimal fixture spec with examples, the
 * templates, the format schema), with its own generation cache, for tests that run the real CLI in it.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { fixturesDir, rootDir, tsxLoader } from "./paths.js";
import { mutateApis, withExamples } from "./spec-copy.js";

const run = promisify(execFile);

/** Every file below `dir`, by relative path. */
export function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const full = join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full), readFileSync(full, "utf8"));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

export interface CacheProject {
  dir: string;
  cacheDir: string;
  /** Runs the CLI with `--out <out>` and `flags`; its standard output. */
  generate(out: string, ...flags: string[]): Promise<string>;
  /** The cache's entries, by path below its folder. */
  cacheEntries(): string[];
  remove(): void;
}

export function makeCacheProject(): CacheProject {
  const dir = mkdtempSync(join(tmpdir(), "cache-"));
  cpSync(join(fixturesDir, "minimal", "spec"), join(dir, "spec"), { recursive: true });
  cpSync(join(rootDir, "spec", "spec.schema.json"), join(dir, "spec", "spec.schema.json"));
  mutateApis(join(dir, "spec"), withExamples);
  cpSync(join(rootDir, "templates"), join(dir, "templates"), { recursive: true });
  // tsc for the dist/ builds resolves from the project: lend it the repository's.
  cpSync(join(rootDir, "package.json"), join(dir, "package.json"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(rootDir, "node_modules", "typescript"), join(dir, "node_modules", "typescript"));
  const cacheDir = join(dir, "node_modules", ".cache", "messenger-codegen");
  return {
    dir,
    cacheDir,
    async generate(out, ...flags) {
      const { stdout } = await run(process.execPath, ["--import", tsxLoader, join(rootDir, "generator", "cli.ts"), "--out", join(dir, out), ...flags], { cwd: dir });
      return stdout;
    },
    cacheEntries: () => [...tree(cacheDir).keys()],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
