import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturesDir, rootDir, tsxLoader } from "../support/paths.js";
import { mutateApis, withExamples } from "../support/spec-copy.js";

/**
 * `npm run generate -- --watch` as a real child process, in a temporary project laid out like the
 * repository (spec/ from the minimal fixture, templates/core and templates/inbox copied), so templates can change too.
 */
let project: string;
let child: ChildProcess;
let output = "";
let exitCode: number | null | undefined;

/** Waits until the output after `from` matches; returns the new offset (the end of the match). */
// Generous: a busy machine regenerates slowly, and the pass must not depend on its speed.
async function waitFor(pattern: RegExp, from: number, timeoutMs = 240_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const rest = output.slice(from);
    const match = pattern.exec(rest);
    if (match) return from + match.index + match[0].length;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${pattern} in:\n${rest}`);
    if (exitCode !== undefined) throw new Error(`the watcher exited (${exitCode}) before ${pattern}:\n${rest}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "watch-"));
  cpSync(join(fixturesDir, "minimal", "spec"), join(project, "spec"), { recursive: true });
  cpSync(join(rootDir, "spec", "spec.schema.json"), join(project, "spec", "spec.schema.json"));
  mutateApis(join(project, "spec"), withExamples);
  for (const folder of ["core", "inbox"]) cpSync(join(rootDir, "templates", folder), join(project, "templates", folder), { recursive: true });
  // node with tsx's loader, not the tsx CLI: the CLI relays SIGTERM to its child and kills it when the
  // child has not acknowledged within 30 ms, which a busy machine misses.
  child = spawn(process.execPath, ["--import", tsxLoader, join(rootDir, "generator", "cli.ts"), "--watch", "--no-build"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.on("exit", (code) => (exitCode = code));
});

afterAll(() => {
  if (exitCode === undefined) child.kill("SIGKILL");
  rmSync(project, { recursive: true, force: true });
});

describe("npm run generate -- --watch", () => {
  it("generates, then regenerates on spec and template changes, survives a broken spec, and stops on SIGTERM", async () => {
    let at = await waitFor(/watching spec and templates → generated/, 0);
    at = await waitFor(/generated (\d+) files: \1 written, 0 removed in \d+ ms; watching/, at);
    const out = join(project, "generated");
    expect(readFileSync(join(out, "src", "graph", "types.ts"), "utf8")).toContain("Length: 1 to 5 characters");

    // a spec change: the files it affects are listed, with the time taken
    mutateApis(join(project, "spec"), (a) => {
      a.graph.schemas.SendMessageRequest.properties.message.properties.text.maxLength = 7;
    });
    at = await waitFor(/changed: spec\/graph\/api\.yaml, spec\/sobot\/api\.yaml\n/, at);
    at = await waitFor(/written {2}src\/graph\/types\.ts\n/, at);
    at = await waitFor(/generated \d+ files: [1-9]\d* written, 0 removed in \d+ ms; watching/, at);
    expect(readFileSync(join(out, "src", "graph", "types.ts"), "utf8")).toContain("Length: 1 to 7 characters");

    // a broken spec: its problems, nothing written, still watching
    const graph = join(project, "spec", "graph", "api.yaml");
    const good = readFileSync(graph, "utf8");
    appendFileSync(graph, "broken: [\n");
    at = await waitFor(/spec\/graph\/api\.yaml:\d+:\d+ {2}YAML: .*\n/, at);
    at = await waitFor(/1 problem in the spec; nothing was written \(\d+ ms\)\. Watching for a fix\./, at);
    writeFileSync(graph, good);
    at = await waitFor(/generated \d+ files: 0 written, 0 removed in \d+ ms; watching/, at);

    // a template change
    appendFileSync(join(project, "templates", "core", "md5.ts"), "\n// touched by the watch test\n");
    at = await waitFor(/changed: templates\/core\/md5\.ts\n/, at);
    at = await waitFor(/written {2}src\/core\/md5\.ts\n/, at);
    at = await waitFor(/generated \d+ files: 1 written, 0 removed/, at);
    // ... in a folder beside core/
    appendFileSync(join(project, "templates", "inbox", "replies.ts"), "\n// touched by the watch test\n");
    at = await waitFor(/changed: templates\/inbox\/replies\.ts\n/, at);
    at = await waitFor(/written {2}src\/inbox\/replies\.ts\n/, at);
    at = await waitFor(/generated \d+ files: 1 written, 0 removed/, at);

    // a change that removes output
    mutateApis(join(project, "spec"), (a) => {
      delete a.graph.webhooks;
      delete a.graph.schemas.WebhookPayload;
      delete a.graph.schemas.MessageEvent;
    });
    at = await waitFor(/removed {2}src\/graph\/webhooks\.ts\n/, at);
    at = await waitFor(/generated \d+ files: \d+ written, [1-9]\d* removed/, at);
    expect(existsSync(join(out, "src", "graph", "webhooks.ts"))).toBe(false);

    child.kill("SIGTERM");
    await waitFor(/stopped watching/, at).catch(() => undefined);
    for (let i = 0; i < 100 && exitCode === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exitCode).toBe(0);
  }, 900_000);
});
