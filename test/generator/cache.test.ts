/**
 * The generation cache can only save time: runs that read it write exactly what a run without it
 * writes, after no change, after an edit, and after its entries are damaged; and dist/ is rebuilt
 * incrementally, or not at all, to the same result as a full build. Each check runs the real CLI in
 * a temporary project laid out like the repository, with its own cache folder. Those are a dozen
 * cold generator processes: 30 s on an idle machine, 160 s beside a second suite; the limits below
 * only end a hang.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPackage } from "../../generator/build-package.js";
import { GenerationCache } from "../../generator/cache.js";
import { fixturesDir, rootDir } from "../support/paths.js";
import { mutateApis, withExamples } from "../support/spec-copy.js";

const run = promisify(execFile);
// The project has no node_modules of its own: tsx by its path.
const tsxLoader = pathToFileURL(join(rootDir, "node_modules", "tsx", "dist", "loader.mjs")).href;
let project: string;
const cacheDir = () => join(project, "node_modules", ".cache", "messenger-codegen");

/** Every file below `dir`, by relative path. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const full = join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full), readFileSync(full, "utf8"));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

async function generate(out: string, ...flags: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ["--import", tsxLoader, join(rootDir, "generator", "cli.ts"), "--out", join(project, out), ...flags], { cwd: project });
  return stdout;
}

function cacheEntries(): string[] {
  return [...tree(cacheDir()).keys()];
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "cache-"));
  cpSync(join(fixturesDir, "minimal", "spec"), join(project, "spec"), { recursive: true });
  cpSync(join(rootDir, "spec", "spec.schema.json"), join(project, "spec", "spec.schema.json"));
  mutateApis(join(project, "spec"), withExamples);
  cpSync(join(rootDir, "templates"), join(project, "templates"), { recursive: true });
  // tsc for the dist/ builds resolves from the project: lend it the repository's.
  cpSync(join(rootDir, "package.json"), join(project, "package.json"));
  mkdirSync(join(project, "node_modules"));
  symlinkSync(join(rootDir, "node_modules", "typescript"), join(project, "node_modules", "typescript"));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("the generation cache", () => {
  it("a run it answers, a run after an edit and a run with damaged entries write what a run without it writes", async () => {
    await generate("cold", "--no-build", "--no-cache");
    expect(existsSync(cacheDir())).toBe(false);

    await generate("first", "--no-build");
    const afterFirst = cacheEntries();
    expect(afterFirst.some((path) => path.startsWith("run/"))).toBe(true);
    expect(afterFirst.some((path) => path.startsWith("format/"))).toBe(true);
    expect(afterFirst.some((path) => path.startsWith("validators/"))).toBe(true);
    await generate("second", "--no-build");
    expect(cacheEntries()).toEqual(afterFirst); // answered whole: nothing computed, nothing added
    const cold = tree(join(project, "cold"));
    expect(cold.size).toBeGreaterThan(50);
    expect(tree(join(project, "first"))).toEqual(cold);
    expect(tree(join(project, "second"))).toEqual(cold);

    // An edit: the run is new, most steps come from the cache, and the result is a cold run's.
    mutateApis(join(project, "spec"), (a) => {
      a.graph.schemas.SendMessageRequest.description = { en: "A changed description." };
    });
    await generate("edited", "--no-build");
    await generate("edited-cold", "--no-build", "--no-cache");
    const editedCold = tree(join(project, "edited-cold"));
    expect(editedCold).not.toEqual(cold);
    expect(tree(join(project, "edited"))).toEqual(editedCold);

    // Damaged entries (cut short, or overwritten) are noticed by their checksum and computed again.
    for (const path of cacheEntries()) {
      const full = join(cacheDir(), path);
      const text = readFileSync(full, "utf8");
      writeFileSync(full, path.startsWith("run/") ? text.slice(0, text.length / 2) : text.replace(/\n[\s\S]*$/, "\nnot what was stored"));
    }
    await generate("damaged", "--no-build");
    expect(tree(join(project, "damaged"))).toEqual(editedCold);
    expect(cacheEntries().length).toBeGreaterThan(0);
    for (const path of cacheEntries()) {
      const text = readFileSync(join(cacheDir(), path), "utf8");
      expect(text.startsWith("sha256:"), path).toBe(true);
    }
  }, 900_000);

  it("a template change is an input like the spec: the run it makes is not answered by an older one", async () => {
    await generate("before", "--no-build");
    const token = join(project, "templates", "core", "token.ts");
    const original = readFileSync(token, "utf8");
    writeFileSync(token, `${original}\nexport const CACHE_TEST_MARKER = 1;\n`);
    try {
      await generate("after", "--no-build");
      expect(readFileSync(join(project, "after", "src", "core", "token.ts"), "utf8")).toContain("CACHE_TEST_MARKER");
    } finally {
      writeFileSync(token, original);
    }
  }, 900_000);
});

describe("dist/ with the cache", () => {
  it("is built in full, then left alone while the sources are unchanged, rebuilt incrementally after an edit, and in full when an output is gone", async () => {
    expect(await generate("pkg")).toMatch(/built dist\/ \((full|incremental)\)/);
    const dist = join(project, "pkg", "dist");
    const built = tree(dist);
    expect(built.has("index.js") && built.has("graph/client.d.ts")).toBe(true);

    expect(await generate("pkg")).toMatch(/dist\/ up to date/);

    // A source that comes and goes: the incremental build adds its outputs, then drops them.
    const cache = new GenerationCache(cacheDir());
    const orphan = join(project, "pkg", "src", "orphan.ts");
    writeFileSync(orphan, "export const orphan = 1;\n");
    expect(buildPackage(join(project, "pkg"), project, cache)).toBe("incremental");
    expect(existsSync(join(dist, "orphan.js"))).toBe(true);
    rmSync(orphan);
    expect(buildPackage(join(project, "pkg"), project, cache)).toBe("incremental");
    expect(existsSync(join(dist, "orphan.js"))).toBe(false);
    expect(tree(dist)).toEqual(built);

    mutateApis(join(project, "spec"), (a) => {
      a.graph.schemas.SendMessageRequest.description = { en: "Changed again, for the build." };
    });
    expect(await generate("pkg")).toMatch(/built dist\/ \(incremental\)/);
    const incremental = tree(dist);
    expect(incremental).not.toEqual(built);

    // An output gone: built in full, to exactly what the incremental build made.
    rmSync(join(dist, "graph", "client.js"));
    expect(await generate("pkg")).toMatch(/built dist\/ \(full\)/);
    expect(tree(dist)).toEqual(incremental);
  }, 900_000);
});
