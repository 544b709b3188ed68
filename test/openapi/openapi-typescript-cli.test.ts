/**
 * What a reader of the README tries first: openapi-typescript's CLI on a generated document, from the
 * repository root. It reads a root redocly.yaml by itself and then takes that file's `apis` instead of
 * its argument, so the project keeps its Redocly configuration elsewhere (test/openapi/redocly.yaml).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openApiPath } from "../../generator/emit/openapi.js";
import { loadRealSpec } from "../support/spec-examples.js";
import { rootDir } from "../support/paths.js";

const out = mkdtempSync(join(tmpdir(), "openapi-ts-cli-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.each(loadRealSpec().apis.map((api) => [api.name] as const))("npx openapi-typescript from the repository root: %s", (apiName) => {
  it(`turns ${openApiPath(apiName)} into types`, async () => {
    const cli = join(rootDir, "node_modules", "openapi-typescript", "bin", "cli.js");
    const target = join(out, `${apiName}.ts`);
    await promisify(execFile)(process.execPath, [cli, join("generated", openApiPath(apiName)), "-o", target], { cwd: rootDir, env: { ...process.env, NO_COLOR: "1" } });
    const types = readFileSync(target, "utf8");
    expect(types).toContain("export interface paths {");
    expect(types).toContain("export interface components {");
  }, 300_000);
});
