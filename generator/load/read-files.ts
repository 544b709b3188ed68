import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import {
  LineCounter, Parser, parseDocument, visit, isMap, isSeq, isPair, isScalar, type Document, type Node, type YAMLError,
} from "yaml";
import type { Loc, Problem } from "./problems.js";

export type PathSegment = string | number;

/** One parsed spec file: its data, and a way back from a data path to a file position. */
export interface SpecFile {
  /** Path relative to the repository root (what problems print). */
  path: string;
  api: string;
  /** The folder of the file's API, relative to the repository root like `path`. */
  apiDir: string;
  data: unknown;
  locate(path: PathSegment[], at?: "key" | "value"): Loc;
}

export function listSpecFiles(specDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name)) files.push(full);
    }
  };
  walk(specDir);
  return files;
}

/**
 * Parses one file. YAML syntax errors become problems; the file is then left out of the model,
 * because a half-parsed file would report follow-on problems that only confuse.
 */
export function readSpecFile(fullPath: string, rootDir: string, specDir: string): SpecFile | Problem[] {
  const path = relative(rootDir, fullPath);
  const api = relative(specDir, fullPath).split(/[\\/]/)[0] ?? "";
  const text = readFileSync(fullPath, "utf8");
  const { doc, lineCounter } = parsed(fullPath, text);
  const at = (offset: number): Loc => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, col };
  };
  const unclosed = doc.errors.length > 0 ? unclosedFlowCollections(text, doc) : () => undefined;
  const syntaxProblems = [...doc.errors, ...doc.warnings].map((e) => {
    const { offset, message } = unclosed(e) ?? { offset: e.pos[0], message: `YAML: ${e.message.split("\n")[0]}` };
    return { ...at(offset), message };
  });
  if (doc.errors.length > 0) return syntaxProblems;
  return {
    path,
    api,
    apiDir: relative(rootDir, join(specDir, api)),
    data: doc.toJS({ maxAliasCount: 100 }),
    locate: (segments, where = "value") => at(nodeOffset(doc, segments, where)),
  };
}

/**
 * The last parse of each file, reused while its text is unchanged: a watch session re-reads every
 * file on each save, and parsing is most of reading. The document is only read after parsing
 * (`toJS` makes fresh data each time), so sharing it is safe.
 */
const lastParse = new Map<string, { text: string; doc: Document; lineCounter: LineCounter }>();

function parsed(fullPath: string, text: string): { doc: Document; lineCounter: LineCounter } {
  const last = lastParse.get(fullPath);
  if (last?.text === text) return last;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  lastParse.set(fullPath, { text, doc, lineCounter });
  return { doc, lineCounter };
}

/**
 * The yaml library reports a flow collection (`{ ... }`, `[ ... ]`) that is never closed where it
 * noticed, which is the next line; the mistake is at the opening bracket. Such an error is reported
 * at the offset where the collection's range ends, so it is matched to the innermost composed flow
 * collection ending there that the concrete syntax tree shows without its closing bracket (a closed
 * inner collection can end at the same offset, hence the CST). Errors that match nothing keep the
 * library's position and wording.
 */
function unclosedFlowCollections(text: string, doc: Document): (error: YAMLError) => { offset: number; message: string } | undefined {
  const unclosedStarts = new Set<number>();
  const walk = (token: unknown): void => {
    if (!token || typeof token !== "object") return;
    if (Array.isArray(token)) return token.forEach(walk);
    const t = token as { type?: string; start?: { offset: number; source: string }; end?: { source: string }[] };
    if (t.type === "flow-collection" && t.start) {
      const closer = t.start.source === "{" ? "}" : "]";
      if (t.end?.[0]?.source !== closer) unclosedStarts.add(t.start.offset);
    }
    for (const value of Object.values(token)) walk(value);
  };
  for (const token of new Parser().parse(text)) walk(token);
  if (unclosedStarts.size === 0) return () => undefined;

  const candidates: { start: number; end: number; map: boolean }[] = [];
  visit(doc, {
    Collection(_key, node) {
      const range = node.range;
      if (node.flow && range && unclosedStarts.has(range[0])) candidates.push({ start: range[0], end: range[1], map: isMap(node) });
    },
  });
  candidates.sort((a, b) => b.start - a.start); // innermost first, the order the library reports them
  const claimed = new Set<number>();
  return (error) => {
    if (error.code !== "BAD_INDENT" && error.code !== "MISSING_CHAR") return undefined;
    const kind = /^Flow (map|sequence)\b.*end with a [}\]]$/.exec(error.message.split("\n")[0] ?? "");
    if (!kind) return undefined;
    const map = kind[1] === "map";
    const found = candidates.find((c) => c.end === error.pos[0] && c.map === map && !claimed.has(c.start));
    if (!found) return undefined;
    claimed.add(found.start);
    const [open, close] = map ? ["{", "}"] : ["[", "]"];
    return {
      offset: found.start,
      message: `YAML: flow ${map ? "map" : "sequence"} '${open}' opened here is never closed: add '${close}' (lines inside it must be indented more than its key)`,
    };
  };
}

/** Offset of the deepest node on the path that exists; the key itself when asked for "key". */
function nodeOffset(doc: Document, segments: PathSegment[], where: "key" | "value"): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return offset;
      if (last && where === "key") return rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
    } else {
      return offset;
    }
    offset = rangeStart(node) ?? offset;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
