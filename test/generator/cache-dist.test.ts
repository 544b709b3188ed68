/**
 * dist/ with the generation cache: built in full, left alone while the sources are unchanged,
 * rebuilt incrementally after an edit (outputs of removed sources dropped), in full when an output
 * has gone missing, always to the result of a full build. The real CLI in a temporary project.
 */
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPackage } from "../../generator/build-package.js";
import { GenerationCache } from "../../generator/cache.js";
import { makeCacheProject, tree, type CacheProject } from "../support/cache-project.js";
import { mutateApis } from "../support/spec-copy.js";

let p: CacheProject;
beforeAll(() => {
  p = makeCacheProject();
});
afterAll(() => p.remove());

describe("dist/ with the cache", () => {
  it("is built in full, then left alone while the sources are unchanged, rebuilt incrementally after an edit, and in full when an output is gone", async () => {
    expect(await p.generate("pkg")).toMatch(/built dist\/ \((full|incremental)\)/);
    const dist = join(p.dir, "pkg", "dist");
    const built = tree(dist);
    expect(built.has("index.js") && built.has("graph/client.d.ts")).toBe(true);

    expect(await p.generate("pkg")).toMatch(/dist\/ up to date/);

    // A source that comes and goes: the incremental build adds its outputs; the next run of the
    // generator removes the source (it made no such file), and its incremental build drops them.
    const cache = new GenerationCache(p.cacheDir);
    const orphan = join(p.dir, "pkg", "src", "orphan.ts");
    writeFileSync(orphan, "export const orphan = 1;\n");
    expect(buildPackage(join(p.dir, "pkg"), p.dir, cache)).toBe("incremental");
    expect(existsSync(join(dist, "orphan.js"))).toBe(true);

    mutateApis(join(p.dir, "spec"), (a) => {
      a.graph.schemas.SendMessageRequest.description = { en: "Changed again, for the build." };
    });
    expect(await p.generate("pkg")).toMatch(/removed {2}src\/orphan\.ts[\s\S]*built dist\/ \(incremental\)/);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(join(dist, "orphan.js"))).toBe(false);
    const incremental = tree(dist);
    expect(incremental).not.toEqual(built);
    expect([...incremental.keys()]).toEqual([...built.keys()]);

    // An output gone: built in full, to exactly what the incremental builds made.
    rmSync(join(dist, "graph", "client.js"));
    expect(await p.generate("pkg")).toMatch(/built dist\/ \(full\)/);
    expect(tree(dist)).toEqual(incremental);
  }, 900_000);
});
