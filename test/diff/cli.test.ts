import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, projectPaths } from "../../generator/pipeline.js";
import { fixturesDir, rootDir } from "../support/paths.js";
import { mutateApis, withExamples } from "../support/spec-copy.js";

const tsx = join(rootDir, "node_modules", "tsx", "dist", "cli.mjs");
const cli = join(rootDir, "generator", "diff", "cli.ts");

/** A throw-away repository on `main` holding the minimal fixture's spec, then a branch that changes it. */
let repo: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const run = (...args: string[]) => {
  const result = spawnSync(process.execPath, [tsx, cli, ...args], { cwd: repo, encoding: "utf8", timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};
const version = () => (JSON.parse(readFileSync(join(repo, "spec", "package-version.json"), "utf8")) as { version: string }).version;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "spec-diff-repo-"));
  cpSync(join(fixturesDir, "minimal", "spec"), join(repo, "spec"), { recursive: true });
  mutateApis(join(repo, "spec"), withExamples); // every output can be generated from it
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.test");
  git("config", "user.name", "test");
  git("add", "spec");
  git("commit", "-q", "-m", "base spec");
  git("checkout", "-q", "-b", "feature");
  // one breaking, one non-breaking and one documentation change, committed on the branch
  mutateApis(join(repo, "spec"), (a) => {
    delete a.graph.schemas.SendMessageResponse.properties.message_id;
    a.graph.schemas.SendMessageRequest.properties.message.properties.text.maxLength = 10;
    a.sobot.operations.getToken.summary = { zh: "获取Token", en: "Get a token" };
  });
  git("commit", "-q", "-am", "change the spec");
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("npm run spec:diff", { timeout: 300_000 }, () => {
  it("compares with the merge base by default, prints Markdown grouped by severity and fails on breaking changes", () => {
    const { code, stdout } = run("--no-types");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^## Spec diff: [0-9a-f]{10} → working tree/);
    expect(stdout).toContain("Breaking: 1 · Non-breaking: 1 · Documentation-only: 1");
    const section = (title: string) => stdout.split(`### ${title}\n`)[1]!.split("\n###")[0]!;
    expect(section("Breaking")).toMatch(/`graph` `SendMessageResponse\.message_id` \(response side\): property 'message_id' removed \[property-removed\] — used by sendMessage \(response\) — spec\/graph\/api\.yaml:\d+ \(at [0-9a-f]{10}\)/);
    expect(section("Non-breaking")).toMatch(/`SendMessageRequest\.message\.text` \(request side\): maxLength 5 → 10 \[limit-relaxed\].*spec\/graph\/api\.yaml:\d+\n/);
    expect(section("Documentation-only")).toContain("`sobot` `operation getToken`: summary changed");
    expect(stdout).toContain("Version: 0.1.0 → 1.0.0 (major;");
  });

  it("takes a ref, --allow-breaking and --format json", () => {
    const allowed = run("main", "--no-types", "--allow-breaking");
    expect(allowed.code).toBe(0);
    const json = run("main", "--no-types", "--format", "json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ level: "breaking", suggestedVersion: "1.0.0", exitCode: 1, old: { version: "0.1.0" } });
    expect(report.changes.map((c: { kind: string }) => c.kind).sort()).toEqual(["limit-relaxed", "operation-docs-changed", "property-removed"]);
    // an unchanged spec
    const same = run("HEAD", "--no-types");
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("No changes to the spec.");
  });

  it("--format github prints each change as a workflow annotation on its line", () => {
    const { code, stdout } = run("main", "--no-types", "--format", "github");
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n");
    // The removed property is found in the old spec only: its annotation belongs to the run, not a line.
    expect(lines).toContainEqual(expect.stringMatching(/^::error title=spec%3Adiff breaking%3A property-removed::graph SendMessageResponse\.message_id \(response side\): property 'message_id' removed$/));
    expect(lines).toContainEqual(expect.stringMatching(/^::notice file=spec\/graph\/api\.yaml,line=\d+,col=\d+,title=spec%3Adiff non-breaking%3A limit-relaxed::graph SendMessageRequest\.message\.text \(request side\): maxLength 5 → 10$/));
    expect(lines).toContainEqual(expect.stringMatching(/^::notice file=spec\/sobot\/api\.yaml,line=\d+,col=\d+,title=spec%3Adiff documentation%3A operation-docs-changed::sobot operation getToken: summary changed$/));
    expect(lines.at(-1)).toMatch(/^spec diff main \([0-9a-f]{10}\) → working tree: breaking 1, non-breaking 1, documentation-only 1$/);
    // Acknowledged, the breaking change is a warning.
    expect(run("main", "--no-types", "--format", "github", "--allow-breaking").stdout).toMatch(/^::warning title=spec%3Adiff breaking%3A property-removed::/m);
  });

  it("verifies the classification with the type check", () => {
    const { code, stdout } = run("main");
    expect(code).toBe(1);
    expect(stdout).toContain("### Type check");
    expect(stdout).toMatch(/\| graph \| sendMessage \| response \| breaking \| break \| verified: types break too<br>keys: .*\.message_id/);
    expect(stdout).toContain("The type check agrees with the classification.");
  });

  it("reports a spec that does not load, with exit code 2", () => {
    const { code, stderr } = run("no-such-ref", "--no-types");
    expect(code).toBe(2);
    expect(stderr).toContain("'no-such-ref' is not a commit");
  });

  it("--bump writes the version and a CHANGELOG entry once, which acknowledges the breaking change", async () => {
    const first = run("main", "--no-types", "--bump", "--date", "2025-06-01");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Bumped 0.1.0 → 1.0.0");
    expect(version()).toBe("1.0.0");
    const changelog = readFileSync(join(repo, "spec", "CHANGELOG.md"), "utf8");
    expect(changelog).toContain("## 1.0.0 (2025-06-01)\n\n### Breaking changes\n\n- `graph` SendMessageResponse.message_id (response): property 'message_id' removed");
    expect(changelog).toContain("### Non-breaking changes");
    expect(changelog).toContain("### Documentation");

    const second = run("main", "--no-types", "--bump", "--date", "2025-06-02");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Version 1.0.0 already covers the changes");
    expect(version()).toBe("1.0.0");
    expect(readFileSync(join(repo, "spec", "CHANGELOG.md"), "utf8").match(/^## /gm)).toHaveLength(1);

    const plain = run("main", "--no-types");
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("Breaking changes acknowledged by the major version 1.0.0");

    // the generator copies both into the package, so `npm run generate` reproduces them
    const { files } = await generate(projectPaths(rootDir, join(repo, "spec")));
    const byPath = new Map(files.map((f) => [f.path, f.content]));
    expect(JSON.parse(byPath.get("package.json")!)).toMatchObject({ version: "1.0.0", files: expect.arrayContaining(["CHANGELOG.md"]) });
    expect(byPath.get("CHANGELOG.md")).toContain("## 1.0.0 (2025-06-02)");
  });

  it("bumps minor for non-breaking and patch for documentation-only changes", () => {
    git("checkout", "-q", "-f", "main");
    git("checkout", "-q", "-b", "minor");
    mutateApis(join(repo, "spec"), (a) => {
      a.graph.schemas.SendMessageResponse.properties.attachment_id = { type: "string" };
    });
    expect(run("main", "--no-types", "--bump", "--date", "2025-06-03").code).toBe(0);
    expect(version()).toBe("0.2.0");
    git("checkout", "-q", "-f", "main");
    rmSync(join(repo, "spec", "CHANGELOG.md"), { force: true });
    mutateApis(join(repo, "spec"), (a) => {
      a.graph.schemas.SendMessageResponse.description = "What the Send API answers.";
    });
    expect(run("main", "--no-types", "--bump", "--date", "2025-06-04").code).toBe(0);
    expect(version()).toBe("0.1.1");
    expect(existsSync(join(repo, "spec", "CHANGELOG.md"))).toBe(true);
    git("checkout", "-q", "-f", "main");
  });
});
