import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { listSpecFiles } from "../../generator/load/read-files.js";
import { rootDir, specDir } from "../support/paths.js";

const formatSchema = resolve(specDir, "spec.schema.json");

describe("every spec file tells editors its schema", () => {
  it.each(listSpecFiles(specDir).map((file) => [relative(rootDir, file), file] as const))("%s", (_name, file) => {
    const first = readFileSync(file, "utf8").split("\n")[0]!;
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(match, "first line must be `# yaml-language-server: $schema=<relative path>`").not.toBeNull();
    const target = resolve(dirname(file), match![1]!);
    expect(existsSync(target)).toBe(true);
    expect(target).toBe(formatSchema);
  });
});
