import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { emitters } from "./emit/index.js";
import type { EmitContext, GeneratedFile, StepCache } from "./emit/types.js";
import { formatFiles } from "./format.js";
import { loadSpec } from "./load/index.js";
import { forgetCompiledBundles } from "./schema/compiled-bundle.js";
import type { ProjectPaths } from "./paths.js";
import type { SpecModel } from "./model/types.js";
import { readTemplates } from "./templates.js";
import { startHelperThread } from "./thread/helper.js";

export { projectPaths, type ProjectPaths } from "./paths.js";

export function readContext(paths: ProjectPaths): EmitContext {
  const version = (JSON.parse(readFileSync(join(paths.specDir, "package-version.json"), "utf8")) as { version: string }).version;
  // spec/CHANGELOG.md (written by `npm run spec:diff -- <ref> --bump`) becomes the package's CHANGELOG.md.
  const changelogPath = join(paths.specDir, "CHANGELOG.md");
  const changelog = existsSync(changelogPath) ? readFileSync(changelogPath, "utf8") : undefined;
  // spec/package-readme.md: the package README's own part (what it is, how to use it).
  const readmePath = join(paths.specDir, "package-readme.md");
  const packageReadme = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : undefined;
  return {
    ...readTemplates(paths.templatesDir),
    packageVersion: version,
    ...(changelog === undefined ? {} : { changelog }),
    ...(packageReadme === undefined ? {} : { packageReadme }),
  };
}

/**
 * spec → load/check → model → emit/* → format. Writing is the caller's choice (write or compare).
 * With a cache, steps whose inputs it has seen take their results from it (see cache.ts). A watch
 * session keeps the spec check's compiled bundles for its next run (`keepCompiled`); a one-off run
 * lets them go before it emits.
 */
export async function generate(
  paths: ProjectPaths,
  cache?: StepCache,
  options: { keepCompiled?: boolean } = {},
): Promise<{ model: SpecModel; files: GeneratedFile[] }> {
  // openapi-typescript loads on the second core meanwhile.
  startHelperThread();
  const model = loadSpec({ rootDir: paths.rootDir, specDir: paths.specDir, formatSchema: paths.formatSchema });
  if (!options.keepCompiled) forgetCompiledBundles();
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
