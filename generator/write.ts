import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { GeneratedFile } from "./emit/types.js";

/** Folders inside generated/ that are built or installed, not generated: never compared or pruned. */
const UNMANAGED = new Set(["dist", "node_modules"]);

export function listManagedFiles(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (dir === outDir && UNMANAGED.has(name)) continue;
      if (statSync(full).isDirectory()) walk(full);
      else found.push(relative(outDir, full));
    }
  };
  walk(outDir);
  return found;
}

/** Writes the files and removes what the generator no longer produces, so renames leave no stale file. */
export function writeFiles(outDir: string, files: GeneratedFile[]): { written: number; removed: string[] } {
  const wanted = new Set(files.map((f) => f.path));
  const removed = listManagedFiles(outDir).filter((path) => !wanted.has(path));
  for (const path of removed) rmSync(join(outDir, path));
  let written = 0;
  for (const file of files) {
    const target = join(outDir, file.path);
    if (existsSync(target) && readFileSync(target, "utf8") === file.content) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    written++;
  }
  return { written, removed };
}

export interface Difference {
  path: string;
  change: "differs" | "missing" | "extra";
}

/** What `--check` reports: every file whose committed bytes are not what the generator produces. */
export function compareFiles(outDir: string, files: GeneratedFile[]): Difference[] {
  const differences: Difference[] = [];
  const wanted = new Set(files.map((f) => f.path));
  for (const file of files) {
    const target = join(outDir, file.path);
    if (!existsSync(target)) differences.push({ path: file.path, change: "missing" });
    else if (readFileSync(target, "utf8") !== file.content) differences.push({ path: file.path, change: "differs" });
  }
  for (const path of listManagedFiles(outDir)) if (!wanted.has(path)) differences.push({ path, change: "extra" });
  return differences.sort((a, b) => a.path.localeCompare(b.path));
}
