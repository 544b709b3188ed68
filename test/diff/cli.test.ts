/** spec:diff's command line: reports, formats, the type check, a spec that does not load. --bump is bump.test.ts. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDiffRepo, type DiffRepo } from "../support/diff-repo.js";

let r: DiffRepo;
beforeAll(() => {
  r = makeDiffRepo();
});
afterAll(() => r.remove());

describe("npm run spec:diff", { timeout: 300_000 }, () => {
  it("compares with the merge base by default, prints Markdown grouped by severity and fails on breaking changes", () => {
    const { code, stdout } = r.run("--no-types");
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
    const allowed = r.run("main", "--no-types", "--allow-breaking");
    expect(allowed.code).toBe(0);
    const json = r.run("main", "--no-types", "--format", "json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ level: "breaking", suggestedVersion: "1.0.0", exitCode: 1, old: { version: "0.1.0" } });
    expect(report.changes.map((c: { kind: string }) => c.kind).sort()).toEqual(["limit-relaxed", "operation-docs-changed", "property-removed"]);
    // an unchanged spec
    const same = r.run("HEAD", "--no-types");
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("No changes to the spec.");
  });

  it("--format github prints each change as a workflow annotation on its line", () => {
    const { code, stdout } = r.run("main", "--no-types", "--format", "github");
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n");
    // The removed property is found in the old spec only: its annotation belongs to the run, not a line.
    expect(lines).toContainEqual(expect.stringMatching(/^::error title=spec%3Adiff breaking%3A property-removed::graph SendMessageResponse\.message_id \(response side\): property 'message_id' removed$/));
    expect(lines).toContainEqual(expect.stringMatching(/^::notice file=spec\/graph\/api\.yaml,line=\d+,col=\d+,title=spec%3Adiff non-breaking%3A limit-relaxed::graph SendMessageRequest\.message\.text \(request side\): maxLength 5 → 10$/));
    expect(lines).toContainEqual(expect.stringMatching(/^::notice file=spec\/sobot\/api\.yaml,line=\d+,col=\d+,title=spec%3Adiff documentation%3A operation-docs-changed::sobot operation getToken: summary changed$/));
    expect(lines.at(-1)).toMatch(/^spec diff main \([0-9a-f]{10}\) → working tree: breaking 1, non-breaking 1, documentation-only 1$/);
    // Acknowledged, the breaking change is a warning.
    expect(r.run("main", "--no-types", "--format", "github", "--allow-breaking").stdout).toMatch(/^::warning title=spec%3Adiff breaking%3A property-removed::/m);
  });

  it("verifies the classification with the type check", () => {
    const { code, stdout } = r.run("main");
    expect(code).toBe(1);
    expect(stdout).toContain("### Type check");
    expect(stdout).toMatch(/\| graph \| sendMessage \| response \| breaking \| break \| verified: types break too<br>keys: .*\.message_id/);
    expect(stdout).toContain("The type check agrees with the classification.");
  });

  it("reports a spec that does not load, with exit code 2", () => {
    const { code, stderr } = r.run("no-such-ref", "--no-types");
    expect(code).toBe(2);
    expect(stderr).toContain("'no-such-ref' is not a commit");
  });
});
