import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rulesTable, SCHEMA_RULES } from "../../generator/diff/rules.js";
import { lintRulesTable } from "../../generator/lint/lint.js";
import { rootDir } from "../support/paths.js";

const between = (text: string, name: string) => text.split(`<!-- ${name}:start -->\n`)[1]!.split(`<!-- ${name}:end -->`)[0]!.trim();

describe("docs/spec-review.md", () => {
  const doc = readFileSync(join(rootDir, "docs", "spec-review.md"), "utf8");

  it("holds the classification rules the diff applies", () => {
    expect(between(doc, "rules")).toBe(rulesTable());
  });

  it("holds the lint rules the lint applies", () => {
    expect(between(doc, "lint")).toBe(lintRulesTable());
  });

  it("records the choice for an enum value added on the response side", () => {
    expect(SCHEMA_RULES["enum-value-added"]).toMatchObject({ request: "non-breaking", response: "non-breaking" });
    expect(doc).toContain("**Enum value added on the response side is non-breaking.**");
  });

  it("is linked from spec/README.md", () => {
    expect(readFileSync(join(rootDir, "spec", "README.md"), "utf8")).toContain("(../docs/spec-review.md)");
  });
});
