import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const rootDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const specDir = join(rootDir, "spec");
export const generatedDir = join(rootDir, "generated");
export const fixturesDir = join(rootDir, "test", "fixtures");
