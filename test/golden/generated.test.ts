import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emitModel, generate, projectPaths, readContext } from "../../generator/pipeline.js";
import { compareFiles, writeFiles } from "../../generator/write.js";
import { generatedDir, rootDir } from "../support/paths.js";

const scratch = mkdtempSync(join(tmpdir(), "golden-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("generated/ is exactly what the spec and generator produce", () => {
  it("regenerates into a temporary folder byte for byte equal to the committed generated/", async () => {
    const { files } = await generate(projectPaths(rootDir));
    const outDir = join(scratch, "fresh");
    writeFiles(outDir, files);
    const differences = compareFiles(generatedDir, files);
    expect(differences, "generated/ is out of date: run `npm run generate` and commit").toEqual([]);
    for (const file of files) {
      expect(readFileSync(join(outDir, file.path), "utf8")).toBe(readFileSync(join(generatedDir, file.path), "utf8"));
    }
  });

  it("is deterministic: two runs give the same bytes", async () => {
    const paths = projectPaths(rootDir);
    const first = await generate(paths);
    const second = await emitModel(first.model, readContext(paths));
    expect(second).toEqual(first.files);
  });

  it("names the file to regenerate when one description changes in the spec", async () => {
    const specCopy = join(scratch, "spec");
    cpSync(join(rootDir, "spec"), specCopy, { recursive: true });
    const sendMessage = join(specCopy, "graph", "operations", "send-message.yaml");
    const original = readFileSync(sendMessage, "utf8");
    const changed = original.replace(/(summary:[^\n]*?)(\w+)/, "$1Changed $2");
    expect(changed).not.toBe(original);
    writeFileSync(sendMessage, changed);

    const paths = { ...projectPaths(rootDir, specCopy) };
    const { files } = await generate(paths);
    const differences = compareFiles(generatedDir, files);
    expect(differences.map((d) => d.path)).toContain("src/graph/client.ts");
    expect(differences.every((d) => d.change === "differs")).toBe(true);
  });
});
