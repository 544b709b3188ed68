import type { Plugin } from "prettier";
import { format } from "prettier/standalone";
import { hashOf } from "./emit/hash.js";
import type { GeneratedFile, StepCache } from "./emit/types.js";

// babel-ts, not typescript: the same output on everything the emitters write (compared file by file when
// it was chosen), in 60% of the time, since it does not load the TypeScript compiler.
const prettierParsers: Record<string, string> = { ".ts": "babel-ts", ".json": "json", ".md": "markdown" };

/**
 * Same input, same bytes, whatever the user's own config says. Code a person reads goes through
 * prettier with fixed options, unless its emitter marks it `final`: then it is written as emitted.
 * Final are the runtime templates (kept formatted in templates/, `npm run format:templates`) and
 * what an emitter already writes formatted: the checks, JSON, the guards, the Markdown (reference
 * docs, README). What stays is the TypeScript of the emitters that print through ts-morph.
 */
export async function formatFiles(files: GeneratedFile[], cache?: StepCache): Promise<GeneratedFile[]> {
  // One file, or one section of a file, at a time: all at once held every file's syntax tree in
  // memory together, which ran out of heap on the 100x synthetic spec. Not on a second thread
  // either: on these shared machines two threads got about 1.2 cores' worth, less than a second
  // prettier warm-up costs.
  const formatted: GeneratedFile[] = [];
  for (const file of files) {
    if (file.final) formatted.push(file);
    else if (file.sections) {
      const parts: string[] = [];
      for (const part of batches(file.sections)) parts.push(await formatText(file.path, part, cache));
      formatted.push({ path: file.path, content: parts.join("\n") });
    } else formatted.push({ path: file.path, content: await formatText(file.path, file.content, cache) });
  }
  return formatted;
}

/** Up to this many characters of sections go to prettier together: a call per statement made a cold run a second slower. */
const BATCH_CHARS = 64 * 1024;

/** Consecutive sections joined (by a blank line, as in the file) into texts of about BATCH_CHARS. */
function batches(sections: string[]): string[] {
  const texts: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const section of sections) {
    if (size > 0 && size + section.length > BATCH_CHARS) {
      texts.push(current.join("\n"));
      current = [];
      size = 0;
    }
    current.push(section);
    size += section.length + 1;
  }
  if (current.length) texts.push(current.join("\n"));
  return texts;
}

/** prettier's text for one file or section, from the cache when it has seen the same path and text. */
async function formatText(path: string, text: string, cache: StepCache | undefined): Promise<string> {
  // Keyed by the path (which picks the formatter) and the text: an edit reformats only what it changed.
  const key = cache && hashOf(path, text);
  const cached = key === undefined ? undefined : cache?.get("format", key);
  if (cached !== undefined) return cached;
  const result = (await formatFile({ path, content: text })).content;
  if (key !== undefined) cache?.set("format", key, result);
  return result;
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

/**
 * prettier's standalone build with the plugins a parser needs, loaded on first use. Its main entry
 * point took 450 ms to import under tsx (60 ms under plain node); this one takes 50 ms under both,
 * and formats the same (it is the same parsers and printers, without config-file lookup).
 */
const pluginLoaders = {
  babel: () => import("prettier/plugins/babel"),
  estree: () => import("prettier/plugins/estree"),
  typescript: () => import("prettier/plugins/typescript"),
  markdown: () => import("prettier/plugins/markdown"),
} satisfies Record<string, () => Promise<Plugin>>;

const pluginsByParser: Record<string, (keyof typeof pluginLoaders)[]> = {
  "babel-ts": ["babel", "estree"],
  json: ["babel", "estree"],
  typescript: ["typescript", "estree"],
  markdown: ["markdown"],
};

const loadedPlugins = new Map<string, Promise<Plugin>>();

function pluginsFor(parser: string): Promise<Plugin[]> {
  const names = pluginsByParser[parser];
  if (!names) throw new Error(`no prettier plugins known for the parser '${parser}'`);
  return Promise.all(
    names.map((name) => {
      let plugin = loadedPlugins.get(name);
      if (!plugin) loadedPlugins.set(name, (plugin = pluginLoaders[name]()));
      return plugin;
    }),
  );
}

/** The one set of prettier options for everything the package holds, the runtime templates included. */
export async function formatWith(parser: string, text: string): Promise<string> {
  return format(text, { ...prettierOptions(parser), plugins: await pluginsFor(parser) });
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
