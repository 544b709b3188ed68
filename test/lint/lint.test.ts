import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultLintOptions, formatFinding, lintSpec, type Finding } from "../../generator/lint/lint.js";
import { rootDir, tsxLoader } from "../support/paths.js";
import { copyFixtureSpec, mutateApis, withExamples as clean, type Apis } from "../support/spec-copy.js";

const cleanup: string[] = [];
afterAll(() => cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true })));


function lintCase(change: (a: Apis) => void = () => {}): { findings: Finding[]; root: string } {
  const root = copyFixtureSpec("minimal", "spec-lint-");
  cleanup.push(root);
  mutateApis(join(root, "spec"), (a) => {
    clean(a);
    change(a);
  });
  const findings = lintSpec({ rootDir: root, specDir: join(root, "spec"), formatSchema: join(rootDir, "spec", "spec.schema.json") });
  return { findings, root };
}

const short = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.rule} ${f.file}`);

/** The line of the first occurrence of `text` in a file, 1-based. */
const lineOf = (root: string, file: string, text: string) => readFileSync(join(root, file), "utf8").split("\n").findIndex((l) => l.includes(text)) + 1;

describe("npm run spec:lint rules", () => {
  it("passes the minimal fixture once its examples are added", () => {
    expect(lintCase().findings).toEqual([]);
  });

  it("text-zh: a sobot description without zh, located at its key", () => {
    const { findings, root } = lintCase((a) => { a.sobot.schemas.GetTokenRequest.properties.sign.description = { en: "The signature" }; });
    expect(short(findings)).toEqual(["warning text-zh spec/sobot/api.yaml"]);
    expect(findings[0]).toMatchObject({ line: lineOf(root, "spec/sobot/api.yaml", "The signature") - 1 });
    expect(findings[0]!.message).toContain("schemas.GetTokenRequest.properties.sign");
  });

  it("text-zh also covers summaries and enum value descriptions; zh with en beside it is fine", () => {
    const { findings } = lintCase((a) => {
      a.sobot.operations.getToken.summary = "Get a token";
      a.sobot.schemas.ListTopicsRequest.properties.order = { type: "string", enum: [{ value: "asc", description: "ascending" }, { value: "desc", description: { zh: "降序", en: "descending" } }] };
    });
    expect(short(findings)).toEqual(["warning text-zh spec/sobot/api.yaml", "warning text-zh spec/sobot/api.yaml"]);
  });

  it("text-en: a graph description without en", () => {
    const { findings } = lintCase((a) => { a.graph.schemas.SendMessageResponse.description = { zh: "发送结果" }; });
    expect(short(findings)).toEqual(["error text-en spec/graph/api.yaml"]);
  });

  it("example-request, example-response, example-webhook and example-webhook-event", () => {
    const { findings } = lintCase((a) => {
      delete a.sobot.schemas.GetTokenRequest.examples;
      delete a.sobot.schemas.ListTopicsResponse.examples;
      delete a.graph.schemas.WebhookPayload.examples;
      delete a.graph.schemas.MessageEvent.examples;
    });
    expect(findings.map((f) => `${f.severity} ${f.rule}`).sort()).toEqual([
      "error example-request", "error example-response", "error example-webhook", "warning example-webhook-event",
    ]);
    expect(findings.find((f) => f.rule === "example-request")!.message).toBe("operation 'getToken': request schema GetTokenRequest has no example");
  });

  it("an example on a oneOf branch counts for the operation", () => {
    const { findings } = lintCase((a) => {
      const s = a.sobot.schemas;
      s.TokenByKey = { ...s.GetTokenRequest };
      s.TokenBySecret = { ...s.GetTokenRequest };
      delete s.TokenBySecret.examples;
      s.GetTokenRequest = { oneOf: [{ ref: "TokenByKey" }, { ref: "TokenBySecret" }] };
      delete s.GetTokenRequest.examples;
      s.TokenByKey.examples = [{ name: "byKey", source: "fixture", value: { appid: "a", create_time: "1", sign: "s" } }];
    });
    expect(findings).toEqual([]);
  });

  it("decision-sources and decision-source-known", () => {
    const { findings } = lintCase((a) => {
      a.sobot.api.sources = [{ id: "003", title: "Sobot", language: "zh" }];
      a.sobot.schemas.GetTokenRequest.decisions = [
        { issue: { zh: "问题" }, decision: { en: "No sources given." } },
        { issue: { zh: "问题" }, decision: { en: "A known and an unknown source." }, sources: ["003 获取token", "999 somewhere"] },
      ];
    });
    expect(findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(["error decision-sources", "warning decision-source-known"]);
    expect(findings[1]!.message).toContain("'999 somewhere'");
  });

  it("naming: camelCase among snake_case siblings, a client option that is not camelCase", () => {
    const { findings } = lintCase((a) => {
      a.sobot.schemas.ListTopicsResponse.properties.pageCount = { type: "integer" };
      a.graph.operations.sendMessage.pathParams.PAGE_ID.clientOption = "page_id";
    });
    expect(findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(["warning naming-client-option", "warning naming-property"]);
    expect(findings[1]!.message).toBe("property 'pageCount' is camelCase among snake_case siblings; keep it only if that is the wire name");
    // camelCase alone (a wire name as given) is fine
    expect(lintCase((a) => { a.graph.schemas.MessageEvent.properties.sender.properties.userRef = { type: "string" }; }).findings).toEqual([]);
  });

  it("leaves names the loader checks to the loader", () => {
    const { findings } = lintCase((a) => { a.graph.webhooks.webhook.events[0].kind = "messageEcho"; });
    expect(findings.map((f) => f.rule)).toEqual(["load"]);
  });

  it("runs the loader first and reports its problems as [load] errors", () => {
    const { findings } = lintCase((a) => { a.graph.schemas.SendMessageRequest.properties.recipient.ref = "Nobody"; });
    expect(findings.map((f) => f.rule)).toEqual(["load"]);
    expect(formatFinding(findings[0]!)).toMatch(/^spec\/graph\/api\.yaml:\d+:\d+  \[load\] unknown schema 'Nobody' in ref$/);
  });

  it("passes the real spec with no errors", () => {
    const findings = lintSpec(defaultLintOptions(rootDir));
    expect(findings.filter((f) => f.severity === "error").map(formatFinding)).toEqual([]);
  });
});

describe("npm run spec:lint command", () => {
  const runIn = (cwd: string, ...args: string[]) => spawnSync(process.execPath, ["--import", tsxLoader, join(rootDir, "generator", "lint", "cli.ts"), ...args], { cwd, encoding: "utf8", timeout: 300_000 });
  const run = (...args: string[]) => runIn(rootDir, ...args);

  it("prints file:line:col  [rule-id] message and exits 1 on errors, 0 on warnings unless --strict", () => {
    const errors = lintCase((a) => { a.graph.schemas.SendMessageResponse.description = { zh: "发送结果" }; });
    const failing = run("--spec", join(errors.root, "spec"));
    expect(failing.status).toBe(1);
    expect(failing.stderr).toMatch(/spec\/graph\/api\.yaml:\d+:\d+  \[text-en\] description of schemas\.SendMessageResponse has no 'en' text/);

    const warnings = lintCase((a) => { a.sobot.schemas.ListTopicsResponse.properties.pageCount = { type: "integer" }; });
    const lenient = run("--spec", join(warnings.root, "spec"));
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toMatch(/spec\/sobot\/api\.yaml:\d+:\d+  \[naming-property\] warning: property 'pageCount' is camelCase/);
    expect(lenient.stdout).toContain("spec lint: 0 errors, 1 warning");
    expect(run("--spec", join(warnings.root, "spec"), "--strict").status).toBe(1);
  });

  it("--changed reports only problems on changed lines; --format github prints them as workflow annotations", () => {
    // A repository whose committed spec already has a warning; the change adds an error elsewhere.
    const { root } = lintCase((a) => { a.sobot.schemas.ListTopicsResponse.properties.pageCount = { type: "integer" }; });
    cpSync(join(rootDir, "spec", "spec.schema.json"), join(root, "spec", "spec.schema.json"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    git("init", "-q", "-b", "main");
    git("-c", "user.email=t@example.test", "-c", "user.name=t", "add", "spec");
    git("-c", "user.email=t@example.test", "-c", "user.name=t", "commit", "-q", "-m", "base");
    mutateApis(join(root, "spec"), (a) => { a.graph.schemas.SendMessageResponse.description = { zh: "发送结果" }; });

    const all = runIn(root);
    expect(all.stdout + all.stderr).toContain("[naming-property]");
    expect(all.stdout + all.stderr).toContain("[text-en]");

    const changed = runIn(root, "--changed", "HEAD");
    expect(changed.status).toBe(1);
    expect(changed.stdout + changed.stderr).not.toContain("[naming-property]");
    expect(changed.stderr).toMatch(/^spec\/graph\/api\.yaml:\d+:\d+  \[text-en\] /m);
    expect(changed.stdout).toContain("spec lint: 1 error, 0 warnings on lines changed since HEAD");

    const github = runIn(root, "--changed", "HEAD", "--format", "github");
    expect(github.status).toBe(1);
    const line = lineOf(root, "spec/graph/api.yaml", "发送结果");
    expect(github.stdout.split("\n").filter((l) => l.startsWith("::"))).toEqual([
      expect.stringMatching(new RegExp(`^::error file=spec/graph/api\\.yaml,line=${line - 1},col=\\d+,title=spec%3Alint text-en::description of schemas\\.SendMessageResponse has no 'en' text`)),
    ]);
    // Committed, the change is no longer a change.
    git("-c", "user.email=t@example.test", "-c", "user.name=t", "commit", "-q", "-am", "the change");
    expect(runIn(root, "--changed", "HEAD").stdout).toContain("spec lint: clean on lines changed since HEAD");
  });
});
