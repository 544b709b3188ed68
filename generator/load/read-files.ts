import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, type Document, type Node } from "yaml";
import type { Loc, Problem } from "./problems.js";

export type PathSegment = string | number;

/** One parsed spec file: its data, and a way back from a data path to a file position. */
export interface SpecFile {
  /** Path relative to the repository root (what problems print). */
  path: string;
  api: string;
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Loc => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, col };
  };
  const syntaxProblems = [...doc.errors, ...doc.warnings].map((e) => ({
    ...at(e.pos[0]),
    message: `YAML: ${e.message.split("\n")[0]}`,
  }));
  if (doc.errors.length > 0) return syntaxProblems;
  return {
    path,
    api,
    data: doc.toJS({ maxAliasCount: 100 }),
    locate: (segments, where = "value") => at(nodeOffset(doc, segments, where)),
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
