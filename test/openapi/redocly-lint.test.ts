import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openApiPath } from "../../generator/emit/openapi.js";
import { generatedDir, rootDir } from "../support/paths.js";
import { loadRealSpec } from "../support/spec-examples.js";

/**
 * `redocly lint` (Redocly CLI, the recommended rules as redocly.yaml configures them) on each
 * committed OpenAPI document: no errors and no warnings. What the config turns off, and the two
 * problems .redocly.lint-ignore.yaml accepts, each carry their reason there.
 */

const run = promisify(execFile);
const cli = createRequire(join(rootDir, "package.json")).resolve("@redocly/cli/bin/cli.js");

/** Offline: no telemetry, no update check, no notifications (each of them would call out). */
const offline = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  REDOCLY_SUPPRESS_NOTIFICATIONS: "true",
  NO_COLOR: "1",
};

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

const spec = loadRealSpec();

describe.each(spec.apis.map((api) => [api.name] as const))("redocly lint: %s", (apiName) => {
  it(`${openApiPath(apiName)} has no errors and no unjustified warnings`, async () => {
    const document = join(generatedDir, openApiPath(apiName));
    const { stdout } = await run(process.execPath, [cli, "lint", document, "--config", join(rootDir, "test", "openapi", "redocly.yaml"), "--format", "json", "--max-problems", "1000"], {
      cwd: rootDir,
      env: offline,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      // lint exits 1 when it finds errors: report them through the assertions below.
      if (error.stdout?.trim().startsWith("{")) return { stdout: error.stdout };
      throw new Error(`redocly lint did not run: ${error.stderr ?? String(error)}`);
    });
    const report = JSON.parse(stdout) as LintReport;
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ""}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(report.totals.warnings).toBe(0);
  }, 300_000);
});
