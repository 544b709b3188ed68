import { clientOf } from "../emit/client.js";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import type { GeneratedFile } from "../emit/types.js";
import type { SpecModel } from "../model/types.js";
import type { Change } from "./classify.js";
import type { Side } from "./rules.js";

/**
 * Verifies the rule-based classification with the compiler (the approach Stainless takes): a small
 * consumer program written against the OLD generated package is type-checked against the NEW one.
 *
 * - request side: a value of the old request type must be accepted by the new client method;
 * - response side: the new method's result must be assignable to the old result type;
 * - on both sides every property path of the old type must still exist in the new one (callers
 *   write old keys into request literals and read old keys from results; plain assignability
 *   misses a removed optional property);
 * - webhooks: the new payload and event types must be assignable to the old ones, keys kept;
 * - error tables: every old enum member must still exist.
 *
 * Diagnostics are mapped back to the check, and so to the operation, that produced them.
 */

export type CheckKind = "assignable" | "keys";

export interface Check {
  api: string;
  target: "operation" | "webhook" | "errors";
  name: string;
  side: Side;
  what: CheckKind;
  ok: boolean;
  message?: string;
}

export type VerificationStatus =
  | "verified"
  | "runtime-only"
  | "types-break-unexpectedly"
  | "types-compile-unexpectedly";

export interface Verification {
  api: string;
  target: "operation" | "webhook" | "errors";
  name: string;
  side: Side;
  /** What the rules say for this operation side. */
  rules: "breaking" | "non-breaking";
  /** What the compiler says. */
  types: "break" | "compile";
  status: VerificationStatus;
  messages: string[];
}

export interface TypeCheckResult {
  checks: Check[];
  verifications: Verification[];
  /** Diagnostics that no check line explains (the generated code itself failing, say). */
  unmapped: string[];
  /** True when every verification is "verified" or "runtime-only". */
  agrees: boolean;
  /** What else the reader should know (an emitter that failed on one side). */
  notes: string[];
}

const PRELUDE = `// Written by npm run spec:diff: the old package's view of each operation, checked against the new one.
/* eslint-disable */
type Req<C, M extends keyof C> = C[M] extends (request: infer R, ...rest: any[]) => any ? R : never;
type Res<C, M extends keyof C> = C[M] extends (...args: any[]) => Promise<infer R> ? R : never;
type Obj<T> = T extends readonly unknown[] ? never : T extends object ? T : never;
type Elem<T> = T extends readonly (infer I)[] ? I : never;
type KeysOf<T> = T extends unknown ? keyof T : never;
type At<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
type Prefix<P extends string, S> = S extends string ? \`\${P}\${S}\` : never;
/** Property paths of Old that New lacks (a key counts when any variant of New has it). */
type Missing<Old, New, D extends unknown[] = []> = D["length"] extends 12 ? never :
  | { [K in KeysOf<Obj<Old>> & string]: K extends KeysOf<Obj<New>> ? Prefix<\`.\${K}\`, Missing<At<Obj<Old>, K>, At<Obj<New>, K>, [...D, 0]>> : \`.\${K}\` }[KeysOf<Obj<Old>> & string]
  | Prefix<"[]", Missing<Elem<Old>, Elem<New>, [...D, 0]>>;
type KeysKept<M> = [M] extends [never] ? true : { missing: M };
`;


interface Line {
  check: Omit<Check, "ok" | "message">;
}

/** The consumer program, and which check each of its lines is. */
export function consumerProgram(oldModel: SpecModel, newModel: SpecModel): { text: string; lines: Map<number, Line> } {
  const out: string[] = PRELUDE.split("\n");
  const lines = new Map<number, Line>();
  let n = 0;
  const emit = (text: string, check?: Line["check"]) => {
    if (check) lines.set(out.length, { check });
    out.push(text);
  };
  const newApis = new Map(newModel.apis.map((a) => [a.name, a]));
  for (const oldApi of oldModel.apis) {
    const newApi = newApis.get(oldApi.name);
    if (!newApi) continue;
    const O = `O_${oldApi.name}`;
    const N = `N_${oldApi.name}`;
    emit(`import type * as ${O} from "./old/src/${oldApi.name}/index.js";`);
    emit(`import type * as ${N} from "./new/src/${oldApi.name}/index.js";`);
    const newOps = new Map(newApi.operations.map((op) => [op.name, op]));
    for (const op of oldApi.operations) {
      const next = newOps.get(op.name);
      if (!next) continue;
      const m = JSON.stringify(op.name);
      const base = { api: oldApi.name, target: "operation" as const, name: op.name };
      // Each side's method on its own class: a move between classes is the classification's to report.
      const [oldClient, newClient] = [clientOf(oldApi, op), clientOf(newApi, next)];
      const oldReq = `Req<${O}.${oldClient}, ${m}>`;
      const newReq = `Req<${N}.${newClient}, ${m}>`;
      const oldRes = `Res<${O}.${oldClient}, ${m}>`;
      const newRes = `Res<${N}.${newClient}, ${m}>`;
      emit(`// ${oldApi.name}.${op.name}`);
      emit(`declare const v${++n}: ${oldReq};`);
      emit(`export const c${n}: ${newReq} = v${n};`, { ...base, side: "request", what: "assignable" });
      emit(`export const k${n}: KeysKept<Missing<${oldReq}, ${newReq}>> = true;`, { ...base, side: "request", what: "keys" });
      emit(`declare const v${++n}: ${newRes};`);
      emit(`export const c${n}: ${oldRes} = v${n};`, { ...base, side: "response", what: "assignable" });
      emit(`export const k${n}: KeysKept<Missing<${oldRes}, ${newRes}>> = true;`, { ...base, side: "response", what: "keys" });
    }
    const newHooks = new Map(newApi.webhooks.map((h) => [h.name, h]));
    for (const hook of oldApi.webhooks) {
      const next = newHooks.get(hook.name);
      if (!next) continue;
      const base = { api: oldApi.name, target: "webhook" as const, name: hook.name, side: "response" as const };
      const pairs: [string, string][] = [[hook.payload, next.payload]];
      for (const event of hook.events) {
        const match = next.events.find((e) => e.kind === event.kind);
        if (match) pairs.push([event.schema, match.schema]);
      }
      emit(`// ${oldApi.name} webhook ${hook.name}`);
      for (const [oldType, newType] of [...new Map(pairs.map((p) => [p.join("|"), p])).values()]) {
        emit(`declare const v${++n}: ${N}.${newType};`);
        emit(`export const c${n}: ${O}.${oldType} = v${n};`, { ...base, what: "assignable" });
        emit(`export const k${n}: KeysKept<Missing<${O}.${oldType}, ${N}.${newType}>> = true;`, { ...base, what: "keys" });
      }
    }
    const newTables = new Set(newApi.errorTables.map((t) => t.name));
    for (const table of oldApi.errorTables) {
      if (!newTables.has(table.name)) continue;
      emit(
        `export const e${++n}: KeysKept<Exclude<keyof typeof ${O}.${table.name}, keyof typeof ${N}.${table.name}>> = true;`,
        { api: oldApi.name, target: "errors", name: table.name, side: "response", what: "keys" },
      );
    }
  }
  return { text: `${out.join("\n")}\n`, lines };
}

const libCache = new Map<string, ts.SourceFile>();

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
};

/** Compiles the consumer program; returns its diagnostics (lib files are parsed once per process). */
function compile(consumerPath: string): ts.Diagnostic[] {
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const libDir = dirname(ts.getDefaultLibFilePath(COMPILER_OPTIONS));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.startsWith(libDir)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    let cached = libCache.get(fileName);
    if (!cached) {
      cached = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (cached) libCache.set(fileName, cached);
    }
    return cached;
  };
  const program = ts.createProgram({ rootNames: [consumerPath], options: COMPILER_OPTIONS, host });
  const file = program.getSourceFile(consumerPath)!;
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
}

function writePackage(dir: string, files: GeneratedFile[]): void {
  for (const file of files) {
    if (!file.path.startsWith("src/") && file.path !== "package.json") continue;
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}

/**
 * Writes both packages (sources only) and the consumer into a temporary directory, compiles, and
 * compares the compiler's verdict with the rules' verdict per operation side.
 */
export function typeCheckCompatibility(
  oldModel: SpecModel,
  newModel: SpecModel,
  oldFiles: GeneratedFile[],
  newFiles: GeneratedFile[],
  changes: Change[],
  options: { keepDir?: boolean } = {},
): TypeCheckResult & { dir?: string } {
  const dir = mkdtempSync(join(tmpdir(), "spec-diff-types-"));
  try {
    writePackage(join(dir, "old"), oldFiles);
    writePackage(join(dir, "new"), newFiles);
    writeFileSync(join(dir, "package.json"), `{ "type": "module", "private": true }\n`);
    const { text, lines } = consumerProgram(oldModel, newModel);
    const consumerPath = join(dir, "consumer.ts");
    writeFileSync(consumerPath, text);
    const diagnostics = compile(consumerPath);

    const failures = new Map<number, string[]>();
    const unmapped: string[] = [];
    for (const d of diagnostics) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
      if (lines.has(line)) failures.set(line, [...(failures.get(line) ?? []), message]);
      else unmapped.push(line >= 0 ? `consumer.ts:${line + 1}: ${message}` : message);
    }
    const checks: Check[] = [...lines.entries()].map(([line, { check }]) => {
      const messages = failures.get(line);
      return { ...check, ok: !messages, ...(messages ? { message: messages.map(shorten).join("; ") } : {}) };
    });
    const verifications = verify(checks, changes);
    const agrees = unmapped.length === 0 && verifications.every((v) => v.status === "verified" || v.status === "runtime-only");
    return { checks, verifications, unmapped, agrees, notes: [], ...(options.keepDir ? { dir } : {}) };
  } finally {
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The first lines of a compiler message: enough to see which property, not the whole elaboration. */
function shorten(message: string): string {
  const cleaned = message.replace(/import\("[^"]*\/(old|new)\/src\/([^"]+)"(?:, \{ with: \{[^}]*\} \})?\)\./g, "$1 $2.");
  const lines = cleaned.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.slice(0, 3).join(" ") + (lines.length > 3 ? " …" : "");
}

function affects(change: Change, check: Pick<Check, "api" | "target" | "name" | "side">): boolean {
  if (change.api !== check.api || change.severity !== "breaking") return false;
  if (check.target === "errors") return change.path === `errors ${check.name}` || change.path.startsWith(`errors ${check.name} `);
  return change.usedBy.some((u) => u.kind === check.target && u.name === check.name && u.side === check.side);
}

export function verify(checks: Check[], changes: Change[]): Verification[] {
  const groups = new Map<string, Check[]>();
  for (const check of checks) {
    const key = `${check.api}|${check.target}|${check.name}|${check.side}`;
    groups.set(key, [...(groups.get(key) ?? []), check]);
  }
  return [...groups.values()].map((group) => {
    const { api, target, name, side } = group[0]!;
    const breaking = changes.filter((c) => affects(c, { api, target, name, side }));
    const typesBreak = group.some((c) => !c.ok);
    const visible = breaking.some((c) => c.typeVisible);
    let status: VerificationStatus;
    if (typesBreak) status = breaking.length ? "verified" : "types-break-unexpectedly";
    else if (!breaking.length) status = "verified";
    else status = visible ? "types-compile-unexpectedly" : "runtime-only";
    return {
      api, target, name, side,
      rules: breaking.length ? "breaking" : "non-breaking",
      types: typesBreak ? "break" : "compile",
      status,
      messages: group.filter((c) => !c.ok).map((c) => `${c.what}: ${c.message}`),
    };
  });
}
