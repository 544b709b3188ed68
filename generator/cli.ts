import { resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { buildPackage } from "./build-package.js";
import { GenerationCache } from "./cache.js";
import type { GeneratedFile } from "./emit/types.js";
import { formatProblem, SpecError } from "./load/problems.js";
import { projectPaths, type ProjectPaths } from "./paths.js";
import { cachedRun, runKey, storeRun } from "./run-cache.js";
import { compareFiles, writeFiles } from "./write.js";

// The pipeline (ajv, prettier, ts-morph, TypeScript, openapi-typescript) is imported only when a
// run needs it: a run the cache answers starts in a fraction of the time.

const USAGE = `usage: npm run generate [-- --check | --spec-only | --watch | --no-build | --no-cache] [--out DIR]
  (default)    load the spec, emit generated/, build generated/dist
  --check      change nothing; exit 1 naming every file of generated/ that is out of date
  --spec-only  only load and check the spec
  --no-build   emit the sources but skip building dist/
  --no-cache   compute everything, reading and writing no cache (node_modules/.cache/messenger-codegen)
  --watch      regenerate on every change under the spec folder or templates/core/, until Ctrl-C
  --out DIR    write somewhere other than generated/
  --spec DIR   read the spec from somewhere other than spec/ (test fixtures)`;

interface Args {
  check: boolean;
  specOnly: boolean;
  build: boolean;
  watch: boolean;
  cache: boolean;
  outDir: string;
  specDir: string;
}

function parseArgs(argv: string[], rootDir: string): Args {
  const args: Args = { check: false, specOnly: false, build: true, watch: false, cache: true, outDir: resolve(rootDir, "generated"), specDir: resolve(rootDir, "spec") };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--check") args.check = true;
    else if (arg === "--spec-only") args.specOnly = true;
    else if (arg === "--no-build") args.build = false;
    else if (arg === "--watch") args.watch = true;
    else if (arg === "--no-cache") args.cache = false;
    else if (arg === "--out" && argv[i + 1]) args.outDir = resolve(argv[++i]!);
    else if (arg === "--spec" && argv[i + 1]) args.specDir = resolve(argv[++i]!);
    else throw new UsageError(`unknown argument '${arg}'`);
  }
  return args;
}

class UsageError extends Error {}

// V8 lets the heap grow to several times what is live between two full collections. A large spec
// makes a lot of short-lived garbage (YAML nodes, syntax trees): on the 100x synthetic spec the
// process peaked at 3.1 GB resident with less than 0.9 GB live. Growing by a quarter at most keeps
// the peak near what is live, at no measured cost in time.
setFlagsFromString("--heap-growing-percent=25");

async function main(): Promise<number> {
  const rootDir = process.cwd();
  const args = parseArgs(process.argv.slice(2), rootDir);
  const paths = projectPaths(rootDir, args.specDir);
  const cache = GenerationCache.forProject(rootDir, args.cache);
  const started = performance.now();

  if (args.watch) {
    if (args.check || args.specOnly) throw new UsageError("--watch cannot be combined with --check or --spec-only");
    const { watchAndGenerate } = await import("./watch.js");
    return watchAndGenerate({ paths, outDir: args.outDir, build: args.build, cache });
  }

  if (args.specOnly) {
    const { loadSpec } = await import("./load/index.js");
    const model = loadSpec({ rootDir, specDir: paths.specDir, formatSchema: paths.formatSchema });
    const counts = model.apis.map((api) => `${api.name}: ${api.operations.length} operations, ${api.schemas.length} schemas, ${api.webhooks.length} webhooks, ${api.errorTables.length} error tables`);
    console.log(`spec is clean (${counts.join("; ")})`);
    return 0;
  }

  const files = await generatedFiles(paths, cache);
  if (args.check) {
    const differences = compareFiles(args.outDir, files);
    if (differences.length === 0) {
      console.log(`generated/ is up to date (${files.length} files)`);
      return 0;
    }
    console.error(`generated/ is out of date: ${differences.length} file${differences.length === 1 ? "" : "s"} to regenerate:`);
    for (const d of differences) console.error(`  ${d.change.padEnd(8)} ${d.path}`);
    console.error("Run `npm run generate` and commit the result.");
    return 1;
  }

  const { written, removed } = writeFiles(args.outDir, files);
  for (const path of removed) console.log(`removed  ${path}`);
  const build = args.build ? buildPackage(args.outDir, rootDir, cache) : undefined;
  const ms = Math.round(performance.now() - started);
  const built = build === undefined ? "" : build === "up to date" ? "; dist/ up to date" : ` and built dist/ (${build})`;
  console.log(`generated ${files.length} files (${written} changed, ${removed.length} removed)${built} in ${ms} ms`);
  return 0;
}

/** The run's files: from the cache when every input is as it was, else generated (and kept). */
async function generatedFiles(paths: ProjectPaths, cache: GenerationCache): Promise<GeneratedFile[]> {
  const key = cache.dir === undefined ? undefined : runKey(paths);
  const cached = key === undefined ? undefined : cachedRun(cache, key);
  if (cached) return cached;
  const { generate } = await import("./pipeline.js");
  const { files } = await generate(paths, cache.dir === undefined ? undefined : cache);
  if (key !== undefined) storeRun(cache, key, files);
  return files;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SpecError) {
      for (const problem of error.problems) console.error(formatProblem(problem));
      console.error(`${error.problems.length} problem${error.problems.length === 1 ? "" : "s"} in the spec; nothing was generated.`);
    } else if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
    } else {
      // Anything else is a fault of the generator, not of the spec: say so without a stack trace
      // unless asked for one.
      const message = error instanceof Error ? error.message : String(error);
      console.error(`internal error: ${message}\nthis is a bug in messenger-codegen${process.env.DEBUG ? "" : " (set DEBUG=1 to see the stack trace)"}`);
      if (process.env.DEBUG) console.error(error instanceof Error && error.stack ? error.stack : error);
    }
    process.exit(1);
  },
);
