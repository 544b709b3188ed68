import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import { generatedDir } from "./paths.js";

/** Compiler options of a strict consumer project on Node (ESM). */
export const consumerOptions: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
  // The package's declarations are checked like the consumer's code; TypeScript's own lib files,
  // which no change here can break, are not (checking lib.dom.d.ts was a second per program).
  skipLibCheck: false,
  skipDefaultLibCheck: true,
  noEmit: true,
};

/**
 * A throwaway consumer project with `messenger-sdk` linked to generated/, so imports resolve
 * through the package's own `exports` map and the built `.d.ts`, as they would after installing.
 */
export function consumerProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "consumer-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(generatedDir, join(dir, "node_modules", "messenger-sdk"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Every diagnostic of compiling `files` (paths inside `dir`), as `file:line: message`. */
export function typecheck(dir: string, files: string[], options: ts.CompilerOptions = consumerOptions): string[] {
  const program = ts.createProgram(files.map((f) => join(dir, f)), options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.replace(`${dir}/`, "")}:${line + 1}: ${message}`;
  });
}
