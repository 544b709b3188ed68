import { format } from "prettier";
import { hashOf } from "./emit/hash.js";
import type { GeneratedFile, StepCache } from "./emit/types.js";

// babel-ts, not typescript: the same output on everything the emitters write (compared file by file when
// it was chosen), in 60% of the time, since it does not load the TypeScript compiler.
const prettierParsers: Record<string, string> = { ".ts": "babel-ts", ".json": "json", ".md": "markdown" };

/**
 * Same input, same bytes, whatever the user's own config says. Code a person reads (TypeScript,
 * JSON, Markdown) goes through prettier with fixed options. Files an emitter marks `final` are
 * written as emitted: the runtime templates, kept formatted in templates/ (`npm run
 * format:templates`), and what an emitter already writes formatted (the checks, JSON, the guards).
 */
export async function formatFiles(files: GeneratedFile[], cache?: StepCache): Promise<GeneratedFile[]> {
  // prettier takes one file at a time: all at once held every file's syntax tree in memory together,
  // which ran out of heap on the 100x synthetic spec. Not on a second thread either: on these shared
  // machines two threads got about 1.2 cores' worth, less than a second prettier warm-up costs.
  const formatted: (GeneratedFile | Promise<GeneratedFile>)[] = [];
  const toFormat: number[] = [];
  for (const [i, file] of files.entries()) {
    if (file.final) {
      formatted[i] = file;
      continue;
    }
    // Keyed by the path (which picks the formatter) and the text: an edit reformats only what it changed.
    const cached = cache?.get("format", hashOf(file.path, file.content));
    if (cached !== undefined) formatted[i] = { path: file.path, content: cached };
    else toFormat.push(i);
  }
  const store = (file: GeneratedFile, result: GeneratedFile): GeneratedFile => {
    if (cache) cache.set("format", hashOf(file.path, file.content), result.content);
    return result;
  };
  for (const i of toFormat) formatted[i] = store(files[i]!, await formatFile(files[i]!));
  return Promise.all(formatted);
}

/** prettier for one file that is not final; a kind prettier is not given (JavaScript) stays as it is. */
async function formatFile(file: GeneratedFile): Promise<GeneratedFile> {
  const parser = prettierParserFor(file.path);
  if (!parser) return file;
  return { path: file.path, content: await formatWith(parser, file.content) };
}

function prettierParserFor(path: string): string | undefined {
  return prettierParsers[/\.[a-z]+$/.exec(path)?.[0] ?? ""];
}

function prettierOptions(parser: string) {
  return { parser, printWidth: 110, proseWrap: "preserve", endOfLine: "lf" } as const;
}

/** The one set of prettier options for everything the package holds, the runtime templates included. */
export function formatWith(parser: string, text: string): Promise<string> {
  return format(text, prettierOptions(parser));
}

/**
 * Formats a line of each kind once, so that a watch session whose first run came whole from the
 * cache has prettier's parsers loaded and warm before the first edit, not during it.
 */
export async function warmUpFormatters(): Promise<void> {
  for (const [path, content] of [["warm.ts", "export const a = { b: 1 };\n"], ["warm.md", "# Warm\n\n- a\n"]] as const) {
    await formatFile({ path, content });
  }
}
