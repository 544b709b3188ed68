/**
 * The layers read top to bottom: the model imports nothing from the stages above it (the loader
 * builds it), and the runtime core's modules import each other without a cycle.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { rootDir } from "../support/paths.js";

/** The relative modules a file imports (static `import`/`export … from`), as paths from the root. */
function localImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+["'](\.[^"']+)["']/gms)].map((m) =>
    relative(rootDir, normalize(join(file, "..", m[1]!.replace(/\.js$/, ".ts")))),
  );
}

const tsFiles = (dir: string) => readdirSync(join(rootDir, dir)).filter((n) => n.endsWith(".ts")).map((n) => join(rootDir, dir, n));

describe("layers", () => {
  it("generator/model imports only from generator/model", () => {
    const outside = tsFiles("generator/model").flatMap((file) => localImports(file).filter((target) => !target.startsWith("generator/model/")).map((target) => `${relative(rootDir, file)} → ${target}`));
    expect(outside).toEqual([]);
  });

  it("templates/core has no import cycle", () => {
    const graph = new Map(tsFiles("templates/core").map((file) => [relative(rootDir, file), localImports(file)]));
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
        return;
      }
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
    expect(graph.get("templates/core/client-support.ts")).not.toContain("templates/core/graph-core.ts");
  });
});
