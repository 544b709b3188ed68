import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, projectPaths } from "../../generator/pipeline.js";
import { compareFiles, writeFiles } from "../../generator/write.js";
import { generatedDir, rootDir, tsxLoader } from "../support/paths.js";

const scratch = mkdtempSync(join(tmpdir(), "golden-"));
const run = promisify(execFile);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** One run without a cache, shared: the comparison with generated/ and the determinism check both need it. */
let firstRun: ReturnType<typeof generate> | undefined;
const coldRun = () => (firstRun ??= generate(projectPaths(rootDir)));

describe("generated/ is exactly what the spec and generator produce", () => {
  it("regenerates into a temporary folder byte for byte equal to the committed generated/", async () => {
    const { files } = await coldRun();
    const outDir = join(scratch, "fresh");
    writeFiles(outDir, files);
    const differences = compareFiles(generatedDir, files);
    expect(differences, "generated/ is out of date: run `npm run generate` and commit").toEqual([]);
    for (const file of files) {
      expect(readFileSync(join(outDir, file.path), "utf8")).toBe(readFileSync(join(generatedDir, file.path), "utf8"));
    }
  });

  it("is marked as generated for review tools (.gitattributes)", async () => {
    const { stdout } = await run("git", ["check-attr", "linguist-generated", "--", "generated/src/index.ts", "spec/graph/api.yaml"], { cwd: rootDir });
    expect(stdout.trim().split("\n")).toEqual(["generated/src/index.ts: linguist-generated: true", "spec/graph/api.yaml: linguist-generated: unspecified"]);
  });

  it("is deterministic: a second run gives the same bytes", async () => {
    const first = await coldRun();
    const second = await generate(projectPaths(rootDir));
    expect(second.files.length).toBeGreaterThan(50);
    expect(second.files).toEqual(first.files);
  });

  it("fails `generate --check`, naming the file to regenerate, when one description changes in the spec", async () => {
    const specCopy = join(scratch, "spec");
    cpSync(join(rootDir, "spec"), specCopy, { recursive: true });
    const sendMessage = join(specCopy, "graph", "operations", "send-message.yaml");
    const original = readFileSync(sendMessage, "utf8");
    // The English summary of the sendMessage operation, which the client's JSDoc carries.
    const changed = original.replace("en: Send a message or a sender action", "en: Send one message or a sender action");
    expect(changed).not.toBe(original);
    writeFileSync(sendMessage, changed);

    // The same command `npm test` runs, pointed at the changed copy of the spec.
    const result: { code?: number; stderr: string } = await run(process.execPath, ["--import", tsxLoader, "generator/cli.ts", "--check", "--spec", specCopy], { cwd: rootDir })
      .catch((e: { code: number; stderr: string }) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/generated\/ is out of date: \d+ files? to regenerate/);
    expect(result.stderr).toContain("differs  src/graph/client.ts");
    expect(result.stderr).toContain("Run `npm run generate`");
  });
});
