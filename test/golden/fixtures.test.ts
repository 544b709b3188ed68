import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate, projectPaths } from "../../generator/pipeline.js";
import { fixturesDir, rootDir } from "../support/paths.js";

/**
 * Every fixture spec under test/fixtures/<name>/spec has its expected output next to it in
 * test/fixtures/<name>/golden (all but the copied runtime). Goldens are written by `npx vitest run -u`, never by hand.
 */
const fixtures = readdirSync(fixturesDir).filter((name) => existsSync(join(fixturesDir, name, "spec", "package-version.json")));

describe.each(fixtures)("fixture %s", (name) => {
  it("emits the golden files", async () => {
    const { files: all } = await generate(projectPaths(rootDir, join(fixturesDir, name, "spec")));
    // The runtime is copied unchanged from templates/core; the full golden test covers it.
    const files = all.filter((file) => !file.path.startsWith("src/core/"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      await expect(file.content).toMatchFileSnapshot(join(fixturesDir, name, "golden", file.path));
    }
    const listed = files.map((f) => f.path).join("\n") + "\n";
    await expect(listed).toMatchFileSnapshot(join(fixturesDir, name, "golden", "FILES.txt"));
  });
});
