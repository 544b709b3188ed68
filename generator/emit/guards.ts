import type { ApiModel } from "../model/types.js";
import { GENERATED_HEADER } from "./project.js";
import type { GeneratedFile } from "./types.js";

/** prettier's print width, which the generated files are formatted to. */
const PRINT_WIDTH = 110;

/**
 * `src/<api>/validate.ts`: a type guard and an issue list per schema, over the generated checks.
 * Written as prettier prints it (long names break the way prettier breaks them), so it skips the
 * formatter: prettier spent a fifth of a cold run's formatting on these regular lines.
 */
export function guardsFile(api: ApiModel): GeneratedFile {
  const imports = [
    'import type { ValidationIssue } from "../core/errors.js";',
    'import { issuesOf } from "../core/validation.js";',
    'import type * as types from "./types.js";',
    'import * as raw from "./validators.js";',
  ];
  const guards = api.schemas.flatMap(({ name }) => [
    [
      `/** Whether \`value\` is a valid {@link types.${name}} (checked against the spec's JSON Schema). */`,
      ...signature(`is${name}`, `value is types.${name}`),
      ...plainReturn(name),
      "}",
    ].join("\n"),
    [
      `/** Every reason \`value\` is not a valid {@link types.${name}}, as JSON pointer and message; empty when valid. */`,
      ...signature(`validate${name}`, "ValidationIssue[]"),
      ...conditionalReturn(name),
      "}",
    ].join("\n"),
  ]);
  return { path: `src/${api.name}/validate.ts`, content: `${GENERATED_HEADER}\n${imports.join("\n")}\n\n${guards.join("\n\n")}\n`, final: true };
}

/** `export function name(value: unknown): returns {`, its parameter on a line of its own when too long. */
function signature(name: string, returns: string): string[] {
  const line = `export function ${name}(value: unknown): ${returns} {`;
  return line.length <= PRINT_WIDTH ? [line] : [`export function ${name}(`, "  value: unknown,", `): ${returns} {`];
}

/** `return raw.name(value);`. */
function plainReturn(name: string): string[] {
  return call("  return ", `raw.${name}`, "value", ";", 2);
}

/** `return issuesOf(raw.name, value);`, one argument a line when too long. */
function conditionalReturn(name: string): string[] {
  const line = `  return issuesOf(raw.${name}, value);`;
  return line.length <= PRINT_WIDTH ? [line] : ["  return issuesOf(", `    raw.${name},`, "    value,", "  );"];
}

/**
 * `lead callee(argument)trail` on one line, or with the argument on a line of its own, indented
 * from `indent` columns (where prettier aligns the closing parenthesis), when that line is too long.
 */
function call(lead: string, callee: string, argument: string, trail: string, indent: number): string[] {
  const line = `${lead}${callee}(${argument})${trail}`;
  if (line.length <= PRINT_WIDTH) return [line];
  const pad = " ".repeat(indent);
  return [`${lead}${callee}(`, `${pad}  ${argument},`, `${pad})${trail}`];
}
