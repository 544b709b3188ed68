/**
 * The loader's pass before parsing (generator/load/text-limits.ts): duplicate keys of block
 * mappings found lexically, with no false alarm on what only looks alike.
 */
import { describe, expect, it } from "vitest";
import { scanStructure } from "../../generator/load/text-limits.js";

const duplicatesIn = (lines: string[]) => {
  const text = lines.join("\n");
  return scanStructure(text).duplicates.map(({ key, offset, firstOffset }) => {
    const lineOf = (at: number) => text.slice(0, at).split("\n").length;
    return `${key} at line ${lineOf(offset)} (first at line ${lineOf(firstOffset)})`;
  });
};

describe("scanStructure: duplicate keys", () => {
  it("finds a key twice in one mapping, at any depth, quoted or not", () => {
    expect(duplicatesIn(["a:", "  b: 1", "  c: 2", "  b: 3", '"d": 1', "d: 2"])).toEqual(["b at line 4 (first at line 2)", "d at line 6 (first at line 5)"]);
  });

  it("finds one inside a sequence entry's mapping", () => {
    expect(duplicatesIn(["list:", "  - name: x", "    kind: y", "    name: z"])).toEqual(["name at line 4 (first at line 2)"]);
  });

  it("lets entries of a sequence, nested mappings and block scalars repeat keys", () => {
    expect(
      duplicatesIn([
        "examples:",
        "  - name: one",
        "    value: { name: a }",
        "  - name: two",
        "    value:",
        "      name: b",
        "      inner:",
        "        name: c",
        "  - - name: nested",
        "    - name: nested",
        "description: |",
        "  name: in a block scalar",
        "  name: again",
        "note: 'name: quoted'",
        "flow: { name: 1,",
        "  name: 2 }",
      ]),
    ).toEqual([]);
  });
});
