/**
 * Runs a benchmark section in a plain `node` process. `npm run bench` runs under tsx, whose loader
 * also transforms the package's plain JavaScript on import: the SDK's validators measured about a
 * fifth slower that way than in plain node, while Ajv's runtime-compiled code (made by `new
 * Function`) was untouched. Apps import the package with no loader, so that is how it is measured.
 */
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, outDir, timedRun, type SectionResult } from "./lib.js";

export type PlainNodeSection = "validation" | "webhook";

let entry: Promise<string> | undefined;

/** bench/plain-node-entry.ts as one ES module; packages stay imports, resolved from node_modules. */
function bundledEntry(): Promise<string> {
  entry ??= (async () => {
    const outfile = join(outDir("plain-node"), "sections.mjs");
    await build({
      entryPoints: [join(BENCH_DIR, "plain-node-entry.ts")],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      logLevel: "silent",
    });
    return outfile;
  })();
  return entry;
}

export async function runInPlainNode(section: PlainNodeSection, sdkDir: string, options: Record<string, unknown>): Promise<SectionResult> {
  const script = await bundledEntry();
  const resultFile = join(outDir("plain-node"), `${section}.json`);
  const run = await timedRun(process.execPath, [script, section, sdkDir, JSON.stringify(options), resultFile]);
  if (run.code !== 0) throw new Error(`the ${section} section failed in plain node:\n${run.stdout}${run.stderr}`);
  return JSON.parse(readFileSync(resultFile, "utf8")) as SectionResult;
}
