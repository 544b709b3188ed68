import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import {
  LineCounter, Parser, parseDocument, visit, isMap, isSeq, isPair, isScalar, type Document, type Node, type Pair, type YAMLError, type YAMLMap,
} from "yaml";
import type { Loc, Problem } from "./problems.js";
import { bytePosition, firstInvalidUtf8, MAX_NESTING, scanStructure } from "./text-limits.js";

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
  /**
   * A place inside the text of the block scalar (`key: |`) at `path`, by line and column of that
   * text (0-based): the JSON of an example, say. The scalar's own start where it is not a block.
   */
  locateInBlock(path: PathSegment[], line: number, col: number): Loc;
  /**
   * Lets the file's syntax tree go once the model holds the places it needs (on a large spec the
   * trees are most of the loader's memory); a later `locate` parses the text again.
   */
  release(): void;
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
export function readSpecFile(fullPath: string, rootDir: string, specDir: string, options: { keepParsed?: boolean } = {}): SpecFile | Problem[] {
  const path = relative(rootDir, fullPath);
  const api = relative(specDir, fullPath).split(/[\\/]/)[0] ?? "";
  const bytes = readFileSync(fullPath);
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== undefined) {
    const hex = bytes[invalid]!.toString(16).toUpperCase().padStart(2, "0");
    return [{ file: path, ...bytePosition(bytes, invalid), message: `the file is not UTF-8: byte 0x${hex} (at byte ${invalid}) is not valid UTF-8; save the file as UTF-8 (it may be in GBK or Latin-1)` }];
  }
  const text = bytes.toString("utf8");
  const structure = scanStructure(text);
  if (structure.tooDeep || structure.duplicates.length > 0) {
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines.addNewLine(i + 1);
    const pos = (offset: number) => lines.linePos(offset);
    if (structure.tooDeep) {
      return [{ file: path, ...pos(structure.tooDeep.offset), message: `YAML: nested more than ${MAX_NESTING} levels deep here; the loader stops at ${MAX_NESTING} (a spec needs far fewer)` }];
    }
    // Found before parsing: a file with a duplicate is not built, however large it is.
    return structure.duplicates.map(({ key, offset, firstOffset }) => ({ file: path, ...pos(offset), message: duplicateMessage(key, pos(firstOffset).line) }));
  }
  const { doc, lineCounter } = parsed(fullPath, text, options.keepParsed ?? true);
  const at = (offset: number): Loc => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, col };
  };
  if (doc.errors.length > 0) {
    // Only the first: after a tab or a bad indentation the parser loses the structure, and every
    // later line it complains about is an echo of that one mistake.
    const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0]!;
    const { offset, message } = unclosedFlowCollections(text, doc)(first) ?? { offset: firstNonBlank(text, first.pos[0]), message: `YAML: ${first.message.split("\n")[0]}` };
    return [{ ...at(offset), message }];
  }
  const duplicates = duplicateKeys(doc, (offset) => at(offset).line);
  if (duplicates.length > 0) return duplicates.map(({ offset, message }) => ({ ...at(offset), message }));
  if (doc.contents === null) {
    return [{ file: path, line: 1, col: 1, message: "the file is empty: a spec file holds at least one section (api, schemas, operations, webhooks, errorTables)" }];
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    return [{ ...at(firstAliasOffset(doc)), message: `YAML: the aliases (*name) expand to more than ${MAX_ALIAS_EXPANSIONS} copies of their anchors; the loader does not expand them (an alias bomb?)` }];
  }
  // Offsets are the text's, so a tree parsed again (after `release`) places everything where the first did.
  let tree: Document | undefined = doc;
  const treeNow = (): Document => (tree ??= parseDocument(text, { prettyErrors: false, uniqueKeys: false }));
  return {
    path,
    api,
    apiDir: relative(rootDir, join(specDir, api)),
    data,
    locate: (segments, where = "value") => at(nodeOffset(treeNow(), segments, where)),
    locateInBlock: (segments, line, col) => {
      const start = nodeOffset(treeNow(), segments, "value");
      const node = treeNow().getIn(segments, true);
      const block = isScalar(node) && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED");
      if (!block) return at(start);
      // The text begins on the line after the indicator (`|`), indented by its first line's indentation.
      const firstLine = text.indexOf("\n", start) + 1;
      let contentLine = firstLine;
      while (contentLine < text.length && text[contentLine] === "\n") contentLine += 1;
      const indent = /^ */.exec(text.slice(contentLine))![0].length;
      const { line: indicatorLine } = at(start);
      return { file: path, line: indicatorLine + 1 + line, col: indent + col + 1 };
    },
    release: () => {
      tree = undefined;
    },
  };
}

function duplicateMessage(key: string, firstLine: number): string {
  return `YAML: Map keys must be unique: '${key}' is already a key of this mapping, at line ${firstLine}`;
}

/** Past the spaces that begin a line: where an indentation error's key is. Tabs stay where they are. */
function firstNonBlank(text: string, offset: number): number {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  if (offset !== lineStart) return offset;
  let at = offset;
  while (text[at] === " ") at += 1;
  return text[at] === "\n" || at >= text.length ? offset : at;
}

/** How many copies of anchored nodes the aliases of one file may make (yaml's own guard). */
const MAX_ALIAS_EXPANSIONS = 100;

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * Keys that occur twice in one mapping, each reported at its second occurrence. One pass with a set
 * per mapping: the yaml library's own `uniqueKeys` check compares every key with every other and
 * took minutes on a mapping of 100,000 keys.
 */
function duplicateKeys(doc: Document, lineOf: (offset: number) => number): { offset: number; message: string }[] {
  const found: { offset: number; message: string }[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const offset = pair.key.range?.[0] ?? 0;
        const first = seen.get(name);
        if (first === undefined) seen.set(name, offset);
        else found.push({ offset, message: duplicateMessage(name, lineOf(first)) });
      }
    },
  });
  return found;
}

/**
 * The last parse of each file, reused while its text is unchanged: a watch session re-reads every
 * file on each save, and parsing is most of reading. The document is only read after parsing
 * (`toJS` makes fresh data each time), so sharing it is safe. A one-off run keeps none
 * (`keepParsed: false`), so that each tree can go as soon as its file is loaded.
 */
const lastParse = new Map<string, { text: string; doc: Document; lineCounter: LineCounter }>();

function parsed(fullPath: string, text: string, keep: boolean): { doc: Document; lineCounter: LineCounter } {
  const last = lastParse.get(fullPath);
  if (last?.text === text) return last;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (keep) lastParse.set(fullPath, { text, doc, lineCounter });
  else lastParse.delete(fullPath);
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
      const pair = pairsByKey(node).get(String(segment));
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

/** A mapping's pairs by key, built once per mapping: looking each path up by scanning was quadratic on large mappings. */
const pairIndex = new WeakMap<object, Map<string, Pair>>();

function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && !index.has(String(item.key.value))) index.set(String(item.key.value), item);
    }
    pairIndex.set(map, index);
  }
  return index;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
