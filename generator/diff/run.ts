import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSpec } from "../load/index.js";
import type { SpecModel } from "../model/types.js";
import type { EmitContext, GeneratedFile } from "../emit/types.js";
import { diffSpecs, type Change } from "./classify.js";
import type { Severity } from "./rules.js";
import type { TypeCheckResult } from "./typecheck.js";

/** One side of the comparison: a spec folder, and the root its problem paths are relative to. */
export interface SpecSide {
  rootDir: string;
  specDir: string;
  /** What to call this side in the report: a git ref, "working tree", a folder. */
  label: string;
}

export interface DiffReport {
  old: { label: string; version?: string };
  new: { label: string; version?: string };
  level: Severity | "none";
  changes: Change[];
  typeCheck?: TypeCheckResult;
}

export function readVersion(specDir: string): string | undefined {
  const file = join(specDir, "package-version.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
}

/**
 * Loads a side with the format schema it was written against (its own, else the repository's). An
 * older side may predate `runtime`: its APIs then take the newer side's (`newer`).
 */
export function loadSide(side: SpecSide, repoFormatSchema: string, newer?: SpecModel): SpecModel {
  const own = join(side.specDir, "spec.schema.json");
  const runtimeFor = newer && ((api: string) => newer.apis.find((a) => a.name === api)?.runtime);
  return loadSpec({ rootDir: side.rootDir, specDir: side.specDir, formatSchema: existsSync(own) ? own : repoFormatSchema, ...(runtimeFor ? { runtimeFor } : {}) });
}

/**
 * Loads both sides (either may throw SpecError), classifies every change, and, unless told not
 * to, generates both packages in memory and type-checks the old package's consumer against the new.
 */
export async function runDiff(options: {
  oldSide: SpecSide;
  newSide: SpecSide;
  /** The generator's checkout: its templates and spec/spec.schema.json. */
  toolRoot: string;
  types: boolean;
}): Promise<DiffReport> {
  const formatSchema = join(options.toolRoot, "spec", "spec.schema.json");
  const newModel = loadSide(options.newSide, formatSchema);
  const oldModel = loadSide(options.oldSide, formatSchema, newModel);
  const { changes, level } = diffSpecs(oldModel, newModel);
  const report: DiffReport = {
    old: { label: options.oldSide.label, version: readVersion(options.oldSide.specDir) },
    new: { label: options.newSide.label, version: readVersion(options.newSide.specDir) },
    level,
    changes,
  };
  if (options.types) {
    // Loaded only when asked for: the emitters and the compiler take a while to import.
    const { projectPaths, readContext } = await import("../pipeline.js");
    const { typeCheckCompatibility } = await import("./typecheck.js");
    const context = readContext(projectPaths(options.toolRoot));
    const [oldOut, newOut] = await Promise.all([emitSources(oldModel, context), emitSources(newModel, context)]);
    report.typeCheck = typeCheckCompatibility(oldModel, newModel, oldOut.files, newOut.files, changes);
    // An emitter that fails on a spec only matters to the type check when a missing file is
    // imported; the compiler then says so. The failures are noted either way.
    report.typeCheck.notes.push(...oldOut.failures.map((f) => `old package: ${f}`), ...newOut.failures.map((f) => `new package: ${f}`));
  }
  return report;
}

/**
 * The package's TypeScript sources, unformatted (formatting cannot change a type). Each emitter runs
 * on its own: one that fails on this spec (an output that has nothing to do with types) is noted,
 * and the type check goes on with the rest.
 */
export async function emitSources(model: SpecModel, context: EmitContext): Promise<{ files: GeneratedFile[]; failures: string[] }> {
  const files: GeneratedFile[] = [];
  const failures: string[] = [];
  const { emitters } = await import("../emit/index.js");
  for (const emit of emitters) {
    try {
      const out = await emit(model, context);
      files.push(...out.filter((f) => f.path.startsWith("src/") || f.path === "package.json"));
    } catch (error) {
      failures.push(`emitter ${emit.name || "(anonymous)"} failed: ${(error as Error).message}`);
    }
  }
  return { files, failures };
}
