/**
 * The generator copies the runtime templates into the package without formatting them (a third of
 * a cold run's prettier time went to them), so they must already be what prettier prints.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { formatWith } from "../../generator/format.js";
import { templateFiles } from "../../generator/templates.js";
import { projectPaths } from "../../generator/paths.js";
import { rootDir } from "../support/paths.js";

const files = templateFiles(projectPaths(rootDir).templatesDir);

describe("runtime templates", () => {
  it("are found in every folder the package takes them from", () => {
    const folders = new Set(files.map((file) => relative(rootDir, file).split("/")[1]));
    expect([...folders].sort()).toEqual(["core", "inbox", "node", "testing"]);
  });

  it.each(files.map((file) => [relative(rootDir, file), file]))("%s is formatted (npm run format:templates)", async (_name, file) => {
    const text = readFileSync(file, "utf8");
    expect(await formatWith("typescript", text)).toBe(text);
  });
});
