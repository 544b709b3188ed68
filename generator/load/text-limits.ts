/**
 * Checks on a spec file's text that come before YAML parsing: the bytes are UTF-8, and the nesting
 * stays within what the parser handles. Both are linear scans, so a hostile or broken file costs
 * time in proportion to its size, and is reported at its place instead of crashing the parser.
 */

/** Deeper than any spec needs (the real one nests about 15 levels); the yaml parser recurses per level. */
export const MAX_NESTING = 256;

/** The offset of the first byte that is not part of valid UTF-8, or undefined when all are. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const trailing = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (trailing === 0) return i;
    let codePoint = lead & (0x3f >> trailing);
    for (let k = 1; k <= trailing; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    const shortest = [0, 0x80, 0x800, 0x10000][trailing]!;
    if (codePoint < shortest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += trailing + 1;
  }
  return undefined;
}

/** Line and column (1-based, in characters) of a byte offset that valid UTF-8 precedes. */
export function bytePosition(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder().decode(bytes.subarray(lineStart, offset));
  return { line, col: [...before].length + 1 };
}

/** A key that occurs twice in one block mapping: where it is again, and where it was first. */
export interface DuplicateKey {
  key: string;
  offset: number;
  firstOffset: number;
}

/**
 * One pass over the text as YAML's block structure lays it out: where the nesting of indentation
 * and flow brackets first goes past `limit`, and the keys that occur twice in one block mapping.
 * A lexical approximation of YAML, enough for both: comments, quoted scalars and block scalars
 * (`|`, `>`) are skipped, so brackets, quotes and keys inside them do not count; flow collections
 * (`{ a: 1 }`) are left to the parser's own check. Linear in the text, with memory for one set of
 * keys per open mapping, so a duplicate in a huge file is found before the parser builds it.
 */
export function scanStructure(text: string, limit = MAX_NESTING): { tooDeep?: { offset: number; depth: number }; duplicates: DuplicateKey[] } {
  const duplicates: DuplicateKey[] = [];
  // The open block levels: their indentation, and the keys of the mapping at that level so far.
  const levels: { indent: number; keys: Map<string, number> }[] = [];
  let blockScalarIndent: number | undefined;
  let flow = 0;
  let quote: '"' | "'" | undefined;
  let offset = 0;
  for (const line of text.split("\n")) {
    const lineOffset = offset;
    offset += line.length + 1;
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === "" || line.trimStart().startsWith("#");
    if (blockScalarIndent !== undefined) {
      if (blank || indent > blockScalarIndent) continue;
      blockScalarIndent = undefined;
    }
    if (blank && quote === undefined) continue;

    let col = indent;
    if (quote === undefined && flow === 0) {
      // Each `- ` opens a sequence entry whose mapping starts two columns in, fresh.
      let entry = false;
      for (;;) {
        while (levels.length && levels[levels.length - 1]!.indent > col) levels.pop();
        if (levels[levels.length - 1]?.indent !== col) levels.push({ indent: col, keys: new Map() });
        if (levels.length > limit) return { tooDeep: { offset: lineOffset + col, depth: levels.length }, duplicates };
        if (line[col] !== "-" || (line[col + 1] !== " " && line[col + 1] !== undefined)) break;
        col += 1;
        while (line[col] === " ") col += 1;
        if (col >= line.length) break;
        entry = true;
        while (levels.length && levels[levels.length - 1]!.indent >= col) levels.pop();
      }
      if (entry && levels[levels.length - 1]?.indent !== col) {
        levels.push({ indent: col, keys: new Map() });
        if (levels.length > limit) return { tooDeep: { offset: lineOffset + col, depth: levels.length }, duplicates };
      }
      const key = blockKey(line, col);
      if (key !== undefined) {
        const keys = levels[levels.length - 1]!.keys;
        const first = keys.get(key);
        if (first === undefined) keys.set(key, lineOffset + col);
        else duplicates.push({ key, offset: lineOffset + col, firstOffset: first });
      }
    }
    for (let i = col; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '"') {
        if (c === "\\") i += 1;
        else if (c === '"') quote = undefined;
        continue;
      }
      if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i += 1;
        else if (c === "'") quote = undefined;
        continue;
      }
      if (c === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) break;
      if ((c === '"' || c === "'") && startsScalar(line, i)) quote = c;
      // Outside brackets, `[` and `{` open a collection only where a value begins ("don't [stop" is plain text).
      else if ((c === "[" || c === "{") && (flow > 0 || startsScalar(line, i))) {
        flow += 1;
        if (levels.length + flow > limit) return { tooDeep: { offset: lineOffset + i, depth: levels.length + flow }, duplicates };
      } else if ((c === "]" || c === "}") && flow > 0) flow -= 1;
    }
    if (quote === undefined && flow === 0 && /(^|[:\-?]\s+|^\s*)[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(col))) {
      blockScalarIndent = indent;
    }
  }
  return { duplicates };
}

/** The key a block mapping line starts with at `col` (`name:`, `"name":`, `'name':`), or undefined. */
function blockKey(line: string, col: number): string | undefined {
  const rest = line.slice(col);
  const quoted = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)')\s*:(?:\s|$)/.exec(rest);
  if (quoted) return quoted[1] !== undefined ? (JSON.parse(`"${quoted[1]}"`) as string) : quoted[2]!.replace(/''/g, "'");
  if (/^[\[{"'?&*!|>%@`]/.test(rest)) return undefined;
  const plain = /^([^#]*?)\s*:(?:\s|$)/.exec(rest);
  return plain && plain[1] !== "" && !plain[1]!.includes(": ") ? plain[1] : undefined;
}

/** A quote begins a quoted scalar only where a value can begin, not inside a plain word (don't). */
function startsScalar(line: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = line[i]!;
    if (c === " " || c === "\t") continue;
    return c === ":" || c === "-" || c === "[" || c === "{" || c === "," || c === "?";
  }
  return true;
}
