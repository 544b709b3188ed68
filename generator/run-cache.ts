import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { hashOf, hashTree, type GenerationCache } from "./cache.js";
import type { GeneratedFile } from "./emit/types.js";
import type { ProjectPaths } from "./paths.js";

/**
 * A whole run's output by the hash of every input it reads: the spec folder, the format schema
 * and the templates (the generator's own identity is part of every cache key). A run whose inputs
 * are unchanged loads no spec, emits and formats nothing: it only hashes and compares. This module
 * imports nothing heavy, so that such a run does not even load the pipeline.
 */
export function runKey(paths: ProjectPaths): string {
  return hashOf(hashTree(paths.specDir), readFileSync(paths.formatSchema), hashTree(dirname(paths.templatesDir)));
}

export function cachedRun(cache: GenerationCache, key: string): GeneratedFile[] | undefined {
  const text = cache.get("run", key);
  if (text === undefined) return undefined;
  try {
    const files = JSON.parse(text) as unknown;
    if (Array.isArray(files) && files.every((f) => typeof f?.path === "string" && typeof f?.content === "string")) {
      return files as GeneratedFile[];
    }
  } catch {
    // not ours: computed again below
  }
  return undefined;
}

export function storeRun(cache: GenerationCache, key: string, files: GeneratedFile[]): void {
  cache.set("run", key, JSON.stringify(files.map(({ path, content }) => ({ path, content }))));
}
