import { mkdirSync, rmdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildPackage } from "../../generator/build-package.js";
import { GenerationCache } from "../../generator/cache.js";
import { generatedDir, rootDir } from "./paths.js";

const STALE_LOCK_MS = 10 * 60 * 1000;

/**
 * The type and consumer tests read generated/dist; build it once from the committed sources (or
 * find it up to date, through the generation cache). A lock keeps a second `npm test` started
 * beside this one from building the same dist/ at the same time.
 */
export default async function setup(): Promise<void> {
  const lock = join(rootDir, "node_modules", ".cache", "messenger-codegen-build.lock");
  mkdirSync(join(rootDir, "node_modules", ".cache"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another suite is building; a lock left by a suite that was killed goes after ten minutes.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    buildPackage(generatedDir, rootDir, GenerationCache.forProject(rootDir));
  } finally {
    rmdirSync(lock);
  }
}
