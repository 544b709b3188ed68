/**
 * A throw-away git repository for spec:diff's CLI: on `main` the minimal fixture's spec, then a
 * branch `feature` that changes it (one breaking, one non-breaking and one documentation change).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixturesDir, rootDir, tsxLoader } from "./paths.js";
import { mutateApis, withExamples } from "./spec-copy.js";

const cli = join(rootDir, "generator", "diff", "cli.ts");

export interface DiffRepo {
  dir: string;
  git(...args: string[]): string;
  /** Runs `spec:diff` with `args` in the repository. */
  run(...args: string[]): { code: number | null; stdout: string; stderr: string };
  /** The spec's package version. */
  version(): string;
  remove(): void;
}

export function makeDiffRepo(): DiffRepo {
  const dir = mkdtempSync(join(tmpdir(), "spec-diff-repo-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  cpSync(join(fixturesDir, "minimal", "spec"), join(dir, "spec"), { recursive: true });
  mutateApis(join(dir, "spec"), withExamples); // every output can be generated from it
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.test");
  git("config", "user.name", "test");
  git("add", "spec");
  git("commit", "-q", "-m", "base spec");
  git("checkout", "-q", "-b", "feature");
  mutateApis(join(dir, "spec"), (a) => {
    delete a.graph.schemas.SendMessageResponse.properties.message_id;
    a.graph.schemas.SendMessageRequest.properties.message.properties.text.maxLength = 10;
    a.sobot.operations.getToken.summary = { zh: "获取Token", en: "Get a token" };
  });
  git("commit", "-q", "-am", "change the spec");
  return {
    dir,
    git,
    run(...args) {
      const result = spawnSync(process.execPath, ["--import", tsxLoader, cli, ...args], { cwd: dir, encoding: "utf8", timeout: 300_000 });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    version: () => (JSON.parse(readFileSync(join(dir, "spec", "package-version.json"), "utf8")) as { version: string }).version,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
