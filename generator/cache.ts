import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { hashOf } from "./emit/hash.js";
import type { CacheKind, StepCache } from "./emit/types.js";

export { hashOf };
export type { CacheKind, StepCache };

/**
 * The generation cache: results of expensive steps kept by the hash of everything they depend on,
 * in `node_modules/.cache/messenger-codegen/` (git-ignored with node_modules). Every key includes
 * the generator's own identity (its sources and the installed tool versions), so a changed
 * generator never reads an older generator's results. Entries carry a checksum: one that was
 * damaged or cut short is deleted and computed again, never used. The cache can only save time:
 * what it returns is what the step would compute.
 *
 * Clear it with `rm -rf node_modules/.cache/messenger-codegen`; `--no-cache` runs without it.
 */


const MAX_RUN_ENTRIES = 8;
const CHECKSUM_PREFIX = "sha256:";


/** Every file below `dir` (sorted, relative paths with their bytes), hashed; node_modules and dot-folders left out. */
export function hashTree(dir: string): string {
  const parts: (string | Uint8Array)[] = [];
  const walk = (current: string): void => {
    if (!existsSync(current)) return;
    for (const name of readdirSync(current).sort()) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const full = join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else parts.push(relative(dir, full), readFileSync(full));
    }
  };
  walk(dir);
  return hashOf(...parts);
}

let generatorId: string | undefined;
let toolsId: string | undefined;

/** The installed tools (the lockfile): what a dist/ build depends on besides its sources. */
function toolsIdentity(): string {
  if (toolsId === undefined) {
    const lockfile = join(dirname(fileURLToPath(import.meta.url)), "..", "package-lock.json");
    toolsId = hashOf(existsSync(lockfile) ? readFileSync(lockfile) : "");
  }
  return toolsId;
}

/**
 * The generator's identity: its own sources and the lockfile (the versions of ajv, prettier,
 * esbuild, openapi-typescript, ts-morph and TypeScript it drives). Computed once per process; a
 * watch session restarts to pick up generator changes anyway.
 */
export function generatorIdentity(): string {
  if (generatorId === undefined) {
    generatorId = hashOf(hashTree(dirname(fileURLToPath(import.meta.url))), toolsIdentity());
  }
  return generatorId;
}

export class GenerationCache implements StepCache {
  /** The cache folder, or undefined when caching is off. */
  readonly dir: string | undefined;

  constructor(dir: string | undefined) {
    this.dir = dir;
  }

  /** The project's cache folder (created on first write), or none with `enabled: false`. */
  static forProject(rootDir: string, enabled = true): GenerationCache {
    return new GenerationCache(enabled ? join(rootDir, "node_modules", ".cache", "messenger-codegen") : undefined);
  }

  get(kind: CacheKind, key: string): string | undefined {
    const path = this.#path(kind, key);
    if (path === undefined || !existsSync(path)) return undefined;
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
    const newline = text.indexOf("\n");
    const value = newline === -1 ? "" : text.slice(newline + 1);
    if (newline === -1 || text.slice(0, newline) !== `${CHECKSUM_PREFIX}${hashOf(value)}`) {
      rmSync(path, { force: true }); // damaged: computed again and rewritten
      return undefined;
    }
    return value;
  }

  set(kind: CacheKind, key: string, value: string): void {
    const path = this.#path(kind, key);
    if (path === undefined) return;
    try {
      mkdirSync(dirname(path), { recursive: true });
      // Written aside and renamed, so a reader never sees half an entry from a concurrent run.
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, `${CHECKSUM_PREFIX}${hashOf(value)}\n${value}`);
      renameSync(temporary, path);
      if (kind === "run") this.#pruneRuns(dirname(path));
    } catch {
      // A cache that cannot be written (read-only node_modules) only costs time.
    }
  }

  /**
   * Where an entry lives: its key and the generator's identity, hashed together. A build of dist/
   * depends on the sources it compiles and the TypeScript version, not on the generator that wrote
   * them: its entries carry the tools' identity only, so editing the generator keeps them.
   */
  #path(kind: CacheKind, key: string): string | undefined {
    if (this.dir === undefined) return undefined;
    const name = hashOf(kind === "dist" ? toolsIdentity() : generatorIdentity(), kind, key);
    return kind === "run" ? join(this.dir, kind, name) : join(this.dir, kind, name.slice(0, 2), name);
  }

  /** Whole runs are large (every generated file): keep the newest few. */
  #pruneRuns(dir: string): void {
    const entries = readdirSync(dir)
      .filter((name) => !name.endsWith(".tmp"))
      .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const entry of entries.slice(MAX_RUN_ENTRIES)) rmSync(entry.path, { force: true });
  }
}
