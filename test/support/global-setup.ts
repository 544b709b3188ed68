import { mkdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { buildPackage } from "../../generator/build-package.js";
import { GenerationCache } from "../../generator/cache.js";
import { generatedDir, rootDir } from "./paths.js";

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
      await new Promise((resolve) => setTimeout(resolve, 200)); // another suite is building
    }
  }
  try {
    buildPackage(generatedDir, rootDir, GenerationCache.forProject(rootDir));
  } finally {
    rmdirSync(lock);
  }
}
