/**
 * Whatever the bytes, the loader answers with problems (SpecError), never with an exception of its
 * own, which the CLI would print as an "internal error". The minimal fixture's files, cut short and
 * corrupted at many places (a seeded generator: the same cases every run).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSpec } from "../../generator/load/index.js";
import { SpecError } from "../../generator/load/problems.js";
import { rootDir } from "../support/paths.js";

const fixture = join(rootDir, "test", "fixtures", "minimal", "spec");
const formatSchema = join(rootDir, "spec", "spec.schema.json");
const work = mkdtempSync(join(tmpdir(), "loader-robust-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A small linear congruential generator: reproducible cases without a dependency. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const INSERTS = ["\t", "{", "[", "}", ":", "- ", "'", '"', "&a ", "*a", "|", "\n  ", "\u0000", "\uFFFD", "#", "? ", "!!binary "];

function outcome(specDir: string): string {
  try {
    loadSpec({ rootDir, specDir, formatSchema });
    return "loaded";
  } catch (error) {
    return error instanceof SpecError ? "problems" : `internal error: ${error instanceof Error ? error.stack : String(error)}`;
  }
}

describe("the loader on damaged files", () => {
  const apis = readdirSync(fixture, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  it.each(apis)("%s/api.yaml cut short and corrupted: problems, never an internal error", (api) => {
    const original = readFileSync(join(fixture, api, "api.yaml"));
    const next = random(apis.indexOf(api) + 7);
    const failures: string[] = [];
    const outcomes = new Set<string>();
    for (let n = 0; n < 60; n++) {
      const spec = join(work, `${api}-${n}`);
      cpSync(fixture, spec, { recursive: true });
      const at = Math.floor(next() * original.length);
      const damaged =
        n % 3 === 0
          ? original.subarray(0, at)
          : n % 3 === 1
            ? Buffer.concat([original.subarray(0, at), Buffer.from(INSERTS[Math.floor(next() * INSERTS.length)]!), original.subarray(at)])
            : Buffer.concat([original.subarray(0, at), Buffer.from([Math.floor(next() * 256)]), original.subarray(at + 1)]);
      writeFileSync(join(spec, api, "api.yaml"), damaged);
      const result = outcome(spec);
      outcomes.add(result.startsWith("internal") ? "internal" : result);
      if (result.startsWith("internal")) failures.push(`damage ${n} at byte ${at}: ${result}`);
      rmSync(spec, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
    expect(outcomes.has("problems")).toBe(true);
  }, 300_000);
});
