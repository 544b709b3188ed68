import { execFileSync } from "node:child_process";
import { transformSync } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hashOf, hashTree, type GenerationCache } from "./cache.js";

/** What a build did: nothing (dist/ matched the sources), an incremental tsc, or a full one. */
export type BuildOutcome = "up to date" | "incremental" | "full";

/**
 * Builds generated/dist: tsc compiles the TypeScript sources; the generated checks are
 * plain JS with hand-shaped declarations, so they are copied beside the compiled files; the JSON
 * documents (schemas/, openapi/) are copied without their indentation (see compactDocuments).
 *
 * With a cache, a build whose sources (src/, the JSON documents, tsconfig.json, package.json) are the ones it last
 * built is skipped when every output of that build is still there. Otherwise tsc runs
 * incrementally (its build info in the cache) and outputs whose sources are gone are removed; when
 * outputs of the last build are missing, or there was none, dist/ is rebuilt from nothing, as it
 * always is without a cache.
 */
export function buildPackage(outDir: string, rootDir: string, cache?: GenerationCache): BuildOutcome {
  const distDir = join(outDir, "dist");
  const sourcesKey = hashOf(
    // What this file does to dist/ (the documents' copies, the comments) is part of the build.
    readOrEmpty(fileURLToPath(import.meta.url)),
    hashTree(join(outDir, "src")),
    ...DOCUMENT_DIRS.map((dir) => hashTree(join(outDir, dir))),
    readOrEmpty(join(outDir, "tsconfig.json")),
    readOrEmpty(join(outDir, "package.json")),
  );
  const placeKey = hashOf(resolve(outDir));
  const last = lastBuild(cache, placeKey);
  // Whether what the last build wrote is all still there (someone may have deleted some of it).
  const complete = last !== undefined && last.outputs.every((path) => existsSync(join(distDir, path)));
  if (complete && last.sourcesKey === sourcesKey) return "up to date";

  const buildInfo = cache?.dir === undefined ? undefined : join(cache.dir, "tsbuildinfo", `${placeKey}.tsbuildinfo`);
  // Build info that says "up to date" about outputs someone deleted would leave them missing.
  if (buildInfo === undefined || !complete) rmSync(distDir, { recursive: true, force: true });
  if (buildInfo !== undefined && !complete) rmSync(buildInfo, { force: true });
  const tsc = createRequire(join(rootDir, "package.json")).resolve("typescript/bin/tsc");
  const incremental = buildInfo === undefined ? [] : ["--incremental", "--tsBuildInfoFile", buildInfo];
  try {
    execFileSync(process.execPath, [tsc, "-p", join(outDir, "tsconfig.json"), ...incremental], { stdio: "pipe" });
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
  const outputs = [...expectedOutputs(outDir), ...compactDocuments(outDir, distDir)];
  if (buildInfo !== undefined) removeOrphans(distDir, new Set(outputs));
  withoutComments(distDir, outputs);
  cache?.set("dist", placeKey, JSON.stringify({ sourcesKey, outputs } satisfies LastBuild));
  return buildInfo !== undefined && complete ? "incremental" : "full";
}

/**
 * The JavaScript of dist/ without most comments: the doc comments are in the declarations, which
 * editors read; in the .js they doubled the code's size in the tarball. esbuild reprints each file
 * (names and layout kept; it keeps `@__PURE__` marks and the comments on class members), so the
 * step is idempotent.
 */
function withoutComments(distDir: string, outputs: readonly string[]): void {
  for (const path of outputs.filter((p) => p.endsWith(".js"))) {
    const file = join(distDir, path);
    const code = readFileSync(file, "utf8");
    const stripped = transformSync(code, { format: "esm", loader: "js", target: "es2022", charset: "utf8" }).code;
    if (stripped !== code) writeFileSync(file, stripped);
  }
}

/** The package's JSON documents: the JSON Schemas and the OpenAPI documents. */
const DOCUMENT_DIRS = ["schemas", "openapi"];

/**
 * Copies the JSON documents into dist/ without indentation, and returns their dist/ paths. The
 * package exports these copies (`messenger-sdk/schemas/*`, `messenger-sdk/openapi/*.json`); the
 * indented ones stay in the repository for review. The JSON Schemas also ship without their
 * `examples`: the OpenAPI documents beside them carry every example, and the schemas are there to
 * validate with. Indentation was 13 KB of the packed tarball and the schemas' examples 9 KB; it
 * must stay under 300 KB as the spec grows.
 */
function compactDocuments(outDir: string, distDir: string): string[] {
  const outputs: string[] = [];
  for (const dir of DOCUMENT_DIRS) {
    if (!existsSync(join(outDir, dir))) continue;
    for (const name of readdirSync(join(outDir, dir)).sort()) {
      if (!name.endsWith(".json")) continue;
      mkdirSync(join(distDir, dir), { recursive: true });
      const document = JSON.parse(readFileSync(join(outDir, dir, name), "utf8")) as unknown;
      writeFileSync(join(distDir, dir, name), `${JSON.stringify(dir === "schemas" ? forValidators(document) : document)}\n`);
      outputs.push(join(dir, name));
    }
  }
  return outputs;
}

/**
 * A JSON Schema document as a validator needs it: without the `examples` (lists) and `description`
 * (text) annotations, which the OpenAPI documents beside it carry. A property named "examples" or
 * "description" is a schema, an object, and stays. Both took the tarball over its 300 KB budget.
 */
export function forValidators(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forValidators);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === "examples" && Array.isArray(value)) && !(key === "description" && typeof value === "string"))
      .map(([key, value]) => [key, forValidators(value)]),
  );
}

interface LastBuild {
  sourcesKey: string;
  outputs: string[];
}

function lastBuild(cache: GenerationCache | undefined, placeKey: string): LastBuild | undefined {
  const text = cache?.dir === undefined ? undefined : cache.get("dist", placeKey);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<LastBuild>;
    return typeof value.sourcesKey === "string" && Array.isArray(value.outputs) ? (value as LastBuild) : undefined;
  } catch {
    return undefined;
  }
}

/** dist/ paths the sources make: a .js and a .d.ts per .ts, and the copied validators. */
function expectedOutputs(outDir: string): string[] {
  const srcDir = join(outDir, "src");
  const outputs: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".d.ts") || name.endsWith(".js")) outputs.push(relative(srcDir, full));
      else if (name.endsWith(".ts")) outputs.push(relative(srcDir, full).replace(/\.ts$/, ".js"), relative(srcDir, full).replace(/\.ts$/, ".d.ts"));
    }
  };
  walk(srcDir);
  return outputs;
}

/** Removes what an incremental build left behind from sources that no longer exist. */
function removeOrphans(distDir: string, expected: Set<string>): void {
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        if (readdirSync(full).length === 0) rmSync(full, { recursive: true });
      } else if (!expected.has(relative(distDir, full))) rmSync(full);
    }
  };
  if (existsSync(distDir)) walk(distDir);
}

function readOrEmpty(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}
