/**
 * Running the generated checks (`src/<api>/validators.js`, see `check.ts`): the issues of a value,
 * and the check a client makes before it sends.
 */

import type { Check } from "./check.js";
import { formatIssueList, RequestValidationError, type ValidationIssue } from "./errors.js";

export { escapePointerToken } from "./check.js";

/**
 * Every reason `value` fails `check`, as JSON pointer and message, each once, in the order the
 * check meets them (missing keys first, then the keys of the value); empty when it passes. A union reports only the variant the value meant, where the
 * value says which.
 */
export function issuesOf(check: Check, value: unknown): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  if (check(value, "", found)) return [];
  const seen = new Set<string>();
  return found.filter((issue) => {
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `pointer: message; pointer: message`, with "(root)" for the empty pointer. */
export function formatIssues(issues: ValidationIssue[]): string {
  return formatIssueList(issues);
}

/**
 * Runs `check` on `data` and throws RequestValidationError when it fails.
 * Generated clients call this before sending when `validateRequests` is on.
 */
export function assertValid(operation: string, check: Check, data: unknown): void {
  if (check(data)) return;
  throw new RequestValidationError(operation, issuesOf(check, data));
}
