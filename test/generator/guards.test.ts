/**
 * validate.ts skips prettier, so its emitter must write what prettier prints: checked on the spec's
 * APIs and on schema names of every length around the print width, where prettier starts breaking lines.
 */
import { describe, expect, it } from "vitest";
import { guardsFile } from "../../generator/emit/guards.js";
import { formatWith } from "../../generator/format.js";
import { loadSpec } from "../../generator/load/index.js";
import type { ApiModel } from "../../generator/model/types.js";
import { projectPaths } from "../../generator/paths.js";
import { rootDir } from "../support/paths.js";

const paths = projectPaths(rootDir);
const model = loadSpec({ rootDir, specDir: paths.specDir, formatSchema: paths.formatSchema });

describe("the validate.ts emitter", () => {
  it.each(model.apis.map((api) => [api.name, api]))("writes %s's guards as prettier prints them", async (_name, api) => {
    const file = guardsFile(api);
    expect(file.final).toBe(true);
    expect(await formatWith("babel-ts", file.content)).toBe(file.content);
  });

  it("breaks long names where prettier breaks them", async () => {
    // Names from 40 to 120 characters: the signatures cross the width at different lengths than the returns.
    const names = Array.from({ length: 81 }, (_, i) => `Schema${"X".repeat(34 + i)}`);
    const api = { ...model.apis[0]!, schemas: names.map((name) => ({ ...model.apis[0]!.schemas[0]!, name })) } satisfies ApiModel;
    const file = guardsFile(api);
    expect(file.content).toContain("  value: unknown,\n");
    expect(file.content).toContain("  return issuesOf(\n    raw.");
    expect(await formatWith("babel-ts", file.content)).toBe(file.content);
  });
});
