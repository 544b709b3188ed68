import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Check } from "../../templates/core/check.js";
import { checkModule } from "../../generator/schema/checks/index.js";
import { generatedDir } from "./paths.js";

let folder: string | undefined;
let count = 0;

/**
 * Writes the checks of `defs` as the generator would and imports them, next to the package's
 * compiled core (generated/dist/core), so they run exactly as they do in the package.
 */
export async function compileChecks(defs: Record<string, unknown>, exports = Object.keys(defs)): Promise<Record<string, Check>> {
  if (!folder) {
    folder = mkdtempSync(join(tmpdir(), "checks-"));
    symlinkSync(join(generatedDir, "dist", "core"), join(folder, "core"), "dir");
  }
  const dir = join(folder, `m${count++}`);
  mkdirSync(dir);
  const file = join(dir, "validators.js");
  writeFileSync(file, checkModule({ $defs: defs }, exports));
  return (await import(pathToFileURL(file).href)) as Record<string, Check>;
}
