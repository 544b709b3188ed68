/**
 * Where things are in a JSON text: the offset of every value by JSON pointer, or the offset and
 * reason of the first syntax error. JSON.parse says neither on Node 20 ("Unexpected token '}', …
 * is not valid JSON"), and a spec author needs the line of the example text to fix.
 */

export type JsonPositions = { ok: true; offsets: Map<string, number> } | { ok: false; offset: number; message: string };

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function jsonPositions(text: string): JsonPositions {
  const offsets = new Map<string, number>();
  let i = 0;
  const fail = (message: string): never => {
    throw new JsonSyntaxError(i, message);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const describeHere = () => (i >= text.length ? "the text ends" : `unexpected ${JSON.stringify(text[i])}`);
  const string = (): string => {
    const start = i;
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") {
        i = start;
        fail("a string that is not closed on its line");
      } else if (text.charCodeAt(i) < 0x20) fail("a control character inside a string (write it escaped)");
      i++;
    }
    if (i >= text.length) {
      i = start;
      fail("a string that is never closed");
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail("a string with an invalid escape");
    }
  };
  const value = (pointer: string, depth: number): void => {
    if (depth > 256) fail("nested more than 256 levels deep");
    space();
    offsets.set(pointer, i);
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail(`${describeHere()} where a key in double quotes should be`);
        const key = string();
        space();
        if (text[i] !== ":") fail(`${describeHere()} where ':' should follow the key`);
        i++;
        value(`${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, depth + 1);
        space();
        if (text[i] === ",") {
          const comma = i++;
          space();
          if (text[i] === "}") {
            i = comma;
            fail("a trailing comma before '}'");
          }
          continue;
        }
        if (text[i] === "}") return void i++;
        fail(`${describeHere()} where ',' or '}' should be`);
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") return void i++;
      for (let index = 0; ; index++) {
        value(`${pointer}/${index}`, depth + 1);
        space();
        if (text[i] === ",") {
          const comma = i++;
          space();
          if (text[i] === "]") {
            i = comma;
            fail("a trailing comma before ']'");
          }
          continue;
        }
        if (text[i] === "]") return void i++;
        fail(`${describeHere()} where ',' or ']' should be`);
      }
    }
    if (c === '"') return void string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail(`${describeHere()} where a value should be${c === "'" ? " (JSON strings take double quotes)" : ""}`);
    i += literal![0].length;
  };
  try {
    value("", 0);
    space();
    if (i < text.length) fail(`${describeHere()} after the end of the value`);
    return { ok: true, offsets };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}

/** Line and column (0-based) of an offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, col: offset - (before.lastIndexOf("\n") + 1) };
}

/** The segments of a JSON pointer ("/a/0/b~1c" → a, 0, "b/c"); numbers for array indexes. */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The offset of the value at `pointer`, or of its nearest ancestor that exists. */
export function offsetOf(offsets: Map<string, number>, pointer: string): number {
  for (let current = pointer; ; current = current.slice(0, current.lastIndexOf("/"))) {
    const offset = offsets.get(current);
    if (offset !== undefined) return offset;
    if (current === "") return 0;
  }
}
