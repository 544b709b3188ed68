/**
 * jsonText prints JSON as prettier does, so the generator can skip prettier on its JSON files
 * (seconds on large specs) without changing a byte.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { jsonText } from "../../generator/emit/json-text.js";
import { generatedDir } from "../support/paths.js";

const prettierJson = (value: unknown) => format(JSON.stringify(value, null, 2), { parser: "json", printWidth: 110, endOfLine: "lf" });

const jsonFiles = ["package.json", "tsconfig.json", ...["schemas", "openapi"].flatMap((dir) => readdirSync(join(generatedDir, dir)).filter((n) => n.endsWith(".json")).map((n) => `${dir}/${n}`))];

describe("jsonText", () => {
  it.each(jsonFiles)("prints %s as prettier does", async (file) => {
    const value = JSON.parse(readFileSync(join(generatedDir, file), "utf8")) as unknown;
    expect(jsonText(value)).toBe(await prettierJson(value));
  });

  it.each([
    ["empty containers", { a: {}, b: [], c: [[]], d: [{}] }],
    ["an array that just fits and one that just does not", { k: Array.from({ length: 20 }, (_, i) => `v${i}`), longer_key_name: Array.from({ length: 20 }, (_, i) => `v${i}`) }],
    ["arrays of arrays and objects", [[1, 2], [3, [4, 5]], { x: [true, null, "s"] }]],
    ["scalars at the top", "text"],
    ["escapes and unicode", { "quote\"key": "line\nbreak", emoji: "😀", zh: "必填" }],
    ["numbers", { int: 1, neg: -2.5, big: 1e21, small: 1e-7 }],
  ])("prints %s as prettier does", async (_name, value) => {
    expect(jsonText(value)).toBe(await prettierJson(value));
  });

  it("breaks an array at the width, counting its key, indent and comma", async () => {
    for (let length = 1; length < 40; length++) {
      const value = { outer: { name: "x".repeat(length), list: ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"], last: 1 } };
      expect(jsonText(value)).toBe(await prettierJson(value));
    }
  });
});
