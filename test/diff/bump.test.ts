/** spec:diff --bump: the version and CHANGELOG it writes (a file of its own, so it runs beside cli.test.ts). */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, projectPaths } from "../../generator/pipeline.js";
import { makeDiffRepo, type DiffRepo } from "../support/diff-repo.js";
import { rootDir } from "../support/paths.js";
import { mutateApis } from "../support/spec-copy.js";

let r: DiffRepo;
beforeAll(() => {
  r = makeDiffRepo();
});
afterAll(() => r.remove());

describe("npm run spec:diff -- --bump", { timeout: 300_000 }, () => {
  it("--bump writes the version and a CHANGELOG entry once, which acknowledges the breaking change", async () => {
    const first = r.run("main", "--no-types", "--bump", "--date", "2025-06-01");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Bumped 0.1.0 → 1.0.0");
    expect(r.version()).toBe("1.0.0");
    const changelog = readFileSync(join(r.dir, "spec", "CHANGELOG.md"), "utf8");
    expect(changelog).toContain("## 1.0.0 (2025-06-01)\n\n### Breaking changes\n\n- `graph` SendMessageResponse.message_id (response): property 'message_id' removed");
    expect(changelog).toContain("### Non-breaking changes");
    expect(changelog).toContain("### Documentation");

    const second = r.run("main", "--no-types", "--bump", "--date", "2025-06-02");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Version 1.0.0 already covers the changes");
    expect(r.version()).toBe("1.0.0");
    expect(readFileSync(join(r.dir, "spec", "CHANGELOG.md"), "utf8").match(/^## /gm)).toHaveLength(1);

    const plain = r.run("main", "--no-types");
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("Breaking changes acknowledged by the major version 1.0.0");

    // the generator copies both into the package, so `npm run generate` reproduces them
    const { files } = await generate(projectPaths(rootDir, join(r.dir, "spec")));
    const byPath = new Map(files.map((f) => [f.path, f.content]));
    expect(JSON.parse(byPath.get("package.json")!)).toMatchObject({ version: "1.0.0", files: expect.arrayContaining(["CHANGELOG.md"]) });
    expect(byPath.get("CHANGELOG.md")).toContain("## 1.0.0 (2025-06-02)");
  });

  it("bumps minor for non-breaking and patch for documentation-only changes", () => {
    r.git("checkout", "-q", "-f", "main");
    r.git("checkout", "-q", "-b", "minor");
    mutateApis(join(r.dir, "spec"), (a) => {
      a.graph.schemas.SendMessageResponse.properties.attachment_id = { type: "string" };
    });
    expect(r.run("main", "--no-types", "--bump", "--date", "2025-06-03").code).toBe(0);
    expect(r.version()).toBe("0.2.0");
    r.git("checkout", "-q", "-f", "main");
    rmSync(join(r.dir, "spec", "CHANGELOG.md"), { force: true });
    mutateApis(join(r.dir, "spec"), (a) => {
      a.graph.schemas.SendMessageResponse.description = "What the Send API answers.";
    });
    expect(r.run("main", "--no-types", "--bump", "--date", "2025-06-04").code).toBe(0);
    expect(r.version()).toBe("0.1.1");
    expect(existsSync(join(r.dir, "spec", "CHANGELOG.md"))).toBe(true);
    r.git("checkout", "-q", "-f", "main");
  });
});
