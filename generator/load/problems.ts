import type { Loc } from "../model/types.js";

export type { Loc };

export interface Problem extends Loc {
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.col}  ${problem.message}`;
}

/** Sorted by file, then position, so reports are stable and read top to bottom. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message),
  );
}

/** Thrown when the spec cannot be turned into a model; carries every problem found. */
export class SpecError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`the spec has ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
  }
}
