import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generatedDir, rootDir } from "../support/paths.js";
import { consumerProject, typecheck } from "../support/typecheck.js";

const usage = readFileSync(join(rootDir, "test", "consumer", "usage.ts"), "utf8");
const dirs: string[] = [];
const project = (files: Record<string, string>) => {
  const dir = consumerProject(files);
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("the generated package's types, as a strict consumer sees them", () => {
  it("compile a consumer program, and reject every misuse marked @ts-expect-error", () => {
    const dir = project({ "usage.ts": usage });
    expect(typecheck(dir, ["usage.ts"])).toEqual([]);
  });

  it("report an error on each misuse line once the @ts-expect-error markers are gone", () => {
    const markers = usage.split("\n").filter((line) => /^\s*\/\/ @ts-expect-error/.test(line)).length;
    expect(markers).toBeGreaterThanOrEqual(10);
    const dir = project({ "usage.ts": usage.replace(/^(\s*)\/\/ @ts-expect-error/gm, "$1// misuse:") });
    const lines = new Set(typecheck(dir, ["usage.ts"]).map((d) => d.split(":")[1]));
    expect(lines.size).toBe(markers);
  });

  it("compile every TypeScript example of the root and package READMEs", () => {
    const prelude = "declare const rawBody: string;\ndeclare const request: Request;\ndeclare const process: { env: Record<string, string | undefined> };\n";
    const snippets = [join(rootDir, "README.md"), join(generatedDir, "README.md")].flatMap((file, f) =>
      [...readFileSync(file, "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => [`readme-${f}-${i}.ts`, `${prelude}${m[1]}\nexport {};\n`] as const),
    );
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    const dir = project(Object.fromEntries(snippets));
    expect(typecheck(dir, snippets.map(([name]) => name))).toEqual([]);
  });

  it("declare no `any` in the published declarations", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith(".d.ts")) {
          readFileSync(path, "utf8").split("\n").forEach((line, i) => {
            if (/(:|<|\||&|=)\s*any\b|\bany\[\]/.test(line.replace(/\/\/.*$|^\s*\*.*$/, ""))) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
          });
        }
      }
    };
    walk(join(generatedDir, "dist"));
    expect(offenders).toEqual([]);
  });
});
