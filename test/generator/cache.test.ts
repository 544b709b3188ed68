/**
 * The generation cache can only save time: runs that read it write exactly what a run without it
 * writes, after no change, after an edit, and after its entries are damaged. The runs with the
 * cache are the real CLI in a temporary project laid out like the repository, with its own cache
 * folder; the runs without it are the same pipeline called here, with no cache at all. The limits
 * below only end a hang. dist/ with the cache is cache-dist.test.ts, a file of its own so that the
 * two run side by side.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, projectPaths } from "../../generator/pipeline.js";
import { makeCacheProject, tree, type CacheProject } from "../support/cache-project.js";
import { mutateApis } from "../support/spec-copy.js";

/** What a run without any cache writes, by path. */
async function withoutCache(dir: string): Promise<Map<string, string>> {
  const { files } = await generate(projectPaths(dir));
  return new Map(files.map((file) => [file.path, file.content]));
}

let p: CacheProject;
beforeAll(() => {
  p = makeCacheProject();
});
afterAll(() => p.remove());

describe("the generation cache", () => {
  it("a run it answers, a run after an edit and a run with damaged entries write what a run without it writes", async () => {
    const cold = await withoutCache(p.dir);
    expect(existsSync(p.cacheDir)).toBe(false);

    await p.generate("first", "--no-build");
    const afterFirst = p.cacheEntries();
    expect(afterFirst.some((path) => path.startsWith("run/"))).toBe(true);
    expect(afterFirst.some((path) => path.startsWith("format/"))).toBe(true);
    expect(afterFirst.some((path) => path.startsWith("validators/"))).toBe(true);
    await p.generate("second", "--no-build");
    expect(p.cacheEntries()).toEqual(afterFirst); // answered whole: nothing computed, nothing added
    expect(cold.size).toBeGreaterThan(50);
    expect(tree(join(p.dir, "first"))).toEqual(cold);
    expect(tree(join(p.dir, "second"))).toEqual(cold);

    // An edit: the run is new, most steps come from the cache, and the result is a cold run's.
    mutateApis(join(p.dir, "spec"), (a) => {
      a.graph.schemas.SendMessageRequest.description = { en: "A changed description." };
    });
    await p.generate("edited", "--no-build");
    const editedCold = await withoutCache(p.dir);
    expect(editedCold).not.toEqual(cold);
    expect(tree(join(p.dir, "edited"))).toEqual(editedCold);

    // Damaged entries (cut short, or overwritten) are noticed by their checksum and computed again.
    for (const path of p.cacheEntries()) {
      const full = join(p.cacheDir, path);
      const text = readFileSync(full, "utf8");
      writeFileSync(full, path.startsWith("run/") ? text.slice(0, text.length / 2) : text.replace(/\n[\s\S]*$/, "\nnot what was stored"));
    }
    await p.generate("damaged", "--no-build");
    expect(tree(join(p.dir, "damaged"))).toEqual(editedCold);
    expect(p.cacheEntries().length).toBeGreaterThan(0);
    for (const path of p.cacheEntries()) {
      const text = readFileSync(join(p.cacheDir, path), "utf8");
      expect(text.startsWith("sha256:"), path).toBe(true);
    }
  }, 900_000);

  it("a template change is an input like the spec: the run it makes is not answered by an older one", async () => {
    await p.generate("before", "--no-build");
    const token = join(p.dir, "templates", "core", "token.ts");
    const original = readFileSync(token, "utf8");
    writeFileSync(token, `${original}\nexport const CACHE_TEST_MARKER = 1;\n`);
    try {
      await p.generate("after", "--no-build");
      expect(readFileSync(join(p.dir, "after", "src", "core", "token.ts"), "utf8")).toContain("CACHE_TEST_MARKER");
    } finally {
      writeFileSync(token, original);
    }
  }, 900_000);
});
