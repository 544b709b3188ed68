import { transform } from "esbuild";
import { format } from "prettier";
import { hashOf } from "./emit/hash.js";
import type { GeneratedFile, StepCache } from "./emit/types.js";

// babel-ts, not typescript: the same output on everything the emitters write (compared file by file when
// it was chosen), in 60% of the time, since it does not load the TypeScript compiler.
const prettierParsers: Record<string, string> = { ".ts": "babel-ts", ".json": "json", ".md": "markdown" };

/**
 * Same input, same bytes, whatever the user's own config says. Code a person reads (TypeScript,
 * JSON) goes through prettier with fixed options. The ajv validators (`.js`) are reprinted by
 * esbuild: prettier took a quarter of generation on them, megabytes that nobody edits, and esbuild
 * prints the same code readably in a twentieth of the time. Files an emitter marks `final` are
 * written as emitted: the runtime templates, kept formatted in templates/ (`npm run format:templates`).
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
  // esbuild reprints in a process of its own: started first, it works while prettier works here.
  for (const i of toFormat.filter((i) => isJavaScript(files[i]!))) {
    formatted[i] = reprintJavaScript(files[i]!.content).then((content) => store(files[i]!, { path: files[i]!.path, content }));
  }
  for (const i of toFormat.filter((i) => !isJavaScript(files[i]!))) formatted[i] = store(files[i]!, await formatFile(files[i]!));
  return Promise.all(formatted);
}

/** prettier for one file that is neither final nor JavaScript (formatFiles sends those elsewhere). */
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

function isJavaScript(file: GeneratedFile): boolean {
  return file.path.endsWith(".js");
}

/** esbuild drops ordinary comments, so the leading comment block (the generated-file header) is kept by hand. */
async function reprintJavaScript(code: string): Promise<string> {
  const header = /^(?:\/\/[^\n]*\n)*/.exec(code)?.[0] ?? "";
  const { code: printed } = await transform(code.slice(header.length), { loader: "js", format: "esm", target: "es2022", charset: "utf8" });
  return `${header}${printed}`;
}

/**
 * Formats a line of each kind once, so that a watch session whose first run came whole from the
 * cache has prettier's parsers loaded and warm before the first edit, not during it.
 */
export async function warmUpFormatters(): Promise<void> {
  for (const [path, content] of [["warm.ts", "export const a = { b: 1 };\n"], ["warm.md", "# Warm\n\n- a\n"]] as const) {
    await formatFile({ path, content });
  }
  await reprintJavaScript("export const a = 1;\n");
}
