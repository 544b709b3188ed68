import type { ValidationIssue } from "../../generated/src/core/errors.js";

/** The generated guards of one API, looked up by schema name (what the tests drive from the spec). */
export interface GeneratedValidators {
  is(schema: string, value: unknown): boolean;
  issues(schema: string, value: unknown): ValidationIssue[];
}

export async function generatedValidators(api: string): Promise<GeneratedValidators> {
  const module = (await import(`../../generated/src/${api}/validate.ts`)) as Record<string, (value: unknown) => unknown>;
  const fn = (name: string) => {
    const found = module[name];
    if (typeof found !== "function") throw new Error(`generated/src/${api}/validate.ts has no ${name}`);
    return found;
  };
  return {
    is: (schema, value) => fn(`is${schema}`)(value) as boolean,
    issues: (schema, value) => fn(`validate${schema}`)(value) as ValidationIssue[],
  };
}
