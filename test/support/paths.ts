import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const rootDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const specDir = join(rootDir, "spec");
export const generatedDir = join(rootDir, "generated");
export const fixturesDir = join(rootDir, "test", "fixtures");
/**
 * tsx's loader, for `node --import <it> script.ts` in child processes: one process where the tsx CLI
 * starts two (it relays to a child node), and a child a test can signal itself. By its path, so it
 * also works from a temporary project with no node_modules of its own.
 */
export const tsxLoader = pathToFileURL(join(rootDir, "node_modules", "tsx", "dist", "loader.mjs")).href;
