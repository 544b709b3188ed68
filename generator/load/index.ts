import { existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { buildModel } from "../model/build.js";
import type { SpecModel } from "../model/types.js";
import { checkMeaning } from "./check-meaning.js";
import { makeFormatChecker } from "./check-format.js";
import { SpecError, sortProblems, type Problem } from "./problems.js";
import { listSpecFiles, readSpecFile, type SpecFile } from "./read-files.js";

export interface LoadOptions {
  /** Where paths in problems are relative to (the repository root). */
  rootDir: string;
  /** The spec folder: one sub-folder per API. */
  specDir: string;
  /** The spec-format schema; defaults to spec.schema.json in the spec folder. */
  formatSchema?: string;
}

/**
 * Loads and checks the spec in stages: YAML syntax, then the spec format, then meaning. Each stage
 * reports every problem it finds; a later stage runs only on a clean earlier one, since its
 * findings would otherwise be echoes of the first mistake.
 */
export function loadSpec(options: LoadOptions): SpecModel {
  if (!existsSync(options.specDir) || !statSync(options.specDir).isDirectory()) {
    throw new SpecError([{ file: relative(options.rootDir, options.specDir) || ".", line: 1, col: 1, message: "the spec folder does not exist" }]);
  }
  const checkFormat = makeFormatChecker(options.formatSchema ?? join(options.specDir, "spec.schema.json"));
  const files: SpecFile[] = [];
  const problems: Problem[] = [];
  for (const path of listSpecFiles(options.specDir)) {
    const result = readSpecFile(path, options.rootDir, options.specDir);
    if (Array.isArray(result)) problems.push(...result);
    else files.push(result);
  }
  for (const file of files) {
    if (/\.ya?ml$/.test(file.api)) {
      problems.push({ file: file.path, line: 1, col: 1, message: "a spec file must sit in an API folder (spec/<api>/...)" });
    } else {
      problems.push(...checkFormat(file));
    }
  }
  if (problems.length) throw new SpecError(sortProblems(problems));

  const { model, problems: buildProblems } = buildModel(files);
  if (buildProblems.length) throw new SpecError(sortProblems(buildProblems));
  const meaningProblems = checkMeaning(model);
  if (meaningProblems.length) throw new SpecError(sortProblems(meaningProblems));
  return model;
}
