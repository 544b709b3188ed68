import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * Builds generated/dist: tsc compiles the TypeScript sources; the precompiled ajv validators are
 * plain JS with hand-shaped declarations, so they are copied beside the compiled files.
 */
export function buildPackage(outDir: string, rootDir: string): void {
  const distDir = join(outDir, "dist");
  rmSync(distDir, { recursive: true, force: true });
  const tsc = createRequire(join(rootDir, "package.json")).resolve("typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", join(outDir, "tsconfig.json")], { stdio: "pipe" });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? "";
    throw new Error(`building generated/dist failed:\n${output}`);
  }
  for (const api of readdirSync(join(outDir, "src"), { withFileTypes: true })) {
    if (!api.isDirectory()) continue;
    for (const name of readdirSync(join(outDir, "src", api.name))) {
      if (name === "validators.js" || name === "validators.d.ts") {
        mkdirSync(join(distDir, api.name), { recursive: true });
        copyFileSync(join(outDir, "src", api.name, name), join(distDir, api.name, name));
      }
    }
  }
}
