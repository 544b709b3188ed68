import { existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { buildModel } from "./build-model.js";
import type { ApiModel, SpecModel } from "../model/types.js";
import { checkMeaning } from "./check-meaning.js";
import { makeFormatChecker } from "./check-format.js";
import { SpecError, sortProblems, type Problem } from "./problems.js";
import { listSpecFiles, readSpecFile, type PathSegment, type SpecFile } from "./read-files.js";

export interface LoadOptions {
  /** Where paths in problems are relative to (the repository root). */
  rootDir: string;
  /** The spec folder: one sub-folder per API. */
  specDir: string;
  /** The spec-format schema; defaults to spec.schema.json in the spec folder. */
  formatSchema?: string;
  /**
   * The runtime of an API with operations that declares none: for a spec written before the format
   * had `runtime` (spec:diff reads an older side with the newer side's). Without it, a problem.
   */
  runtimeFor?: (api: string) => ApiModel["runtime"] | undefined;
  /**
   * Keep each file's parse for the next load, which reuses it while the file's text is the same (a
   * watch session). Default: true; a one-off run passes false, and each file's tree goes once the
   * model is built.
   */
  keepParsed?: boolean;
}

/** The sections whose entries are named: a format mistake inside one entry leaves the others usable. */
const NAMED_SECTIONS = new Set(["schemas", "operations", "webhooks", "errorTables"]);

/**
 * Loads and checks the spec: YAML syntax, the spec format, then meaning, reporting every problem
 * of every stage in one run. A file that does not parse is left out. A format mistake takes out
 * only the entry it sits in (one schema, one operation, one section): the rest of the spec is
 * still built and checked, and what referred to a removed entry is not reported again.
 */
export function loadSpec(options: LoadOptions): SpecModel {
  if (!existsSync(options.specDir) || !statSync(options.specDir).isDirectory()) {
    throw new SpecError([{ file: relative(options.rootDir, options.specDir) || ".", line: 1, col: 1, message: "the spec folder does not exist" }]);
  }
  const checkFormat = makeFormatChecker(options.formatSchema ?? join(options.specDir, "spec.schema.json"));
  const files: SpecFile[] = [];
  const problems: Problem[] = [];
  const removed: RemovedEntries = new Set();
  for (const path of listSpecFiles(options.specDir)) {
    const result = readSpecFile(path, options.rootDir, options.specDir, { keepParsed: options.keepParsed ?? true });
    if (Array.isArray(result)) {
      problems.push(...result);
      continue;
    }
    if (/\.ya?ml$/.test(result.api)) {
      problems.push({ file: result.path, line: 1, col: 1, message: "a spec file must sit in an API folder (spec/<api>/...)" });
      continue;
    }
    const findings = checkFormat(result);
    problems.push(...findings.map(({ path: _path, ...problem }) => problem));
    const usable = withoutBrokenEntries(result, findings.map((f) => f.path), removed);
    if (usable) files.push(usable);
  }

  const brokenApiSections = new Set([...removed].filter((entry) => entry.endsWith(" api *")).map((entry) => entry.split(" ")[0]!));
  const { model, problems: buildProblems } = buildModel(files, { brokenApiSections, ...(options.runtimeFor ? { runtimeFor: options.runtimeFor } : {}) });
  problems.push(...buildProblems);
  // The model holds the places it needs; a problem found from here on parses its file again.
  for (const file of files) file.release();
  problems.push(...checkMeaning(model, { removed }));
  if (problems.length) throw new SpecError(sortProblems(problems));
  return model;
}

/** Names taken out of the spec for a format mistake, as "api section name". */
export type RemovedEntries = Set<string>;

/**
 * The file without the entries its format mistakes sit in, or undefined when a mistake is outside
 * any named entry (the api section, the file as a whole) and nothing of it can be trusted.
 */
function withoutBrokenEntries(file: SpecFile, paths: PathSegment[][], removed: RemovedEntries): SpecFile | undefined {
  if (paths.length === 0) return file;
  const data = structuredClone(file.data) as Record<string, Record<string, unknown>>;
  for (const path of paths) {
    const [section, name] = path;
    if (typeof section !== "string") return undefined;
    if (section === "api") {
      // Nothing else of the file can be trusted without its api section; the rest of the API still is.
      removed.add(`${file.api} api *`);
      return undefined;
    }
    if (NAMED_SECTIONS.has(section) && name !== undefined && data[section] && typeof data[section] === "object") {
      delete data[section][String(name)];
      removed.add(`${file.api} ${section} ${String(name)}`);
    } else {
      delete data[section];
      removed.add(`${file.api} ${section} *`);
    }
  }
  return { ...file, data };
}
