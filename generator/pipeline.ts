import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { emitters } from "./emit/index.js";
import type { EmitContext, GeneratedFile, StepCache } from "./emit/types.js";
import { formatFiles } from "./format.js";
import { loadSpec } from "./load/index.js";
import type { ProjectPaths } from "./paths.js";
import type { SpecModel } from "./model/types.js";

export { projectPaths, type ProjectPaths } from "./paths.js";

export function readContext(paths: ProjectPaths): EmitContext {
  const templates = new Map(
    readdirSync(paths.templatesDir)
      .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
      .sort()
      .map((name) => [name, readFileSync(join(paths.templatesDir, name), "utf8")] as const),
  );
  const extraTemplates = readExtraTemplates(dirname(paths.templatesDir));
  const version = (JSON.parse(readFileSync(join(paths.specDir, "package-version.json"), "utf8")) as { version: string }).version;
  // spec/CHANGELOG.md (written by `npm run spec:diff -- <ref> --bump`) becomes the package's CHANGELOG.md.
  const changelogPath = join(paths.specDir, "CHANGELOG.md");
  const changelog = existsSync(changelogPath) ? readFileSync(changelogPath, "utf8") : undefined;
  return { templates, extraTemplates, packageVersion: version, ...(changelog === undefined ? {} : { changelog }) };
}

/** templates/node, templates/testing (Node-only entry points) and templates/inbox, by path below templates/. */
function readExtraTemplates(templatesRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of ["inbox", "node", "testing"]) {
    const dir = join(templatesRoot, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts")).sort()) {
      files.set(`${folder}/${name}`, readFileSync(join(dir, name), "utf8"));
    }
  }
  return files;
}

/**
 * spec → load/check → model → emit/* → format. Writing is the caller's choice (write or compare).
 * With a cache, steps whose inputs it has seen take their results from it (see cache.ts).
 */
export async function generate(paths: ProjectPaths, cache?: StepCache): Promise<{ model: SpecModel; files: GeneratedFile[] }> {
  const model = loadSpec({ rootDir: paths.rootDir, specDir: paths.specDir, formatSchema: paths.formatSchema });
  return { model, files: await emitModel(model, { ...readContext(paths), ...(cache ? { cache } : {}) }) };
}

export async function emitModel(model: SpecModel, context: EmitContext): Promise<GeneratedFile[]> {
  const files = (await Promise.all(emitters.map((emit) => emit(model, context)))).flat();
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`two emitters produce ${file.path}`);
    seen.add(file.path);
  }
  const formatted = await formatFiles(files, context.cache);
  return formatted.sort((a, b) => a.path.localeCompare(b.path));
}
