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
import { startHelperThread, stopHelperThread } from "./thread/helper.js";

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
 * With a cache, steps whose inputs it has seen take their results from it (see cache.ts).
 *
 * A one-off run lets each stage's data go once the next has what it needs: the spec check's
 * compiled bundles and the parsed YAML after loading, the helper thread once the last emitter is
 * done. On a large spec these are most of the memory, and the peak is where they would otherwise
 * meet prettier's syntax trees. A watch session keeps the bundles, parses and thread for its next
 * run (`keepForNextRun`).
 */
export async function generate(
  paths: ProjectPaths,
  cache?: StepCache,
  options: { keepForNextRun?: boolean } = {},
): Promise<{ files: GeneratedFile[] }> {
  // ts-morph and openapi-typescript load on the second core meanwhile.
  startHelperThread();
  const context: EmitContext = { ...readContext(paths), ...(cache ? { cache } : {}) };
  const keep = options.keepForNextRun ?? false;
  const model = loadSpec({ rootDir: paths.rootDir, specDir: paths.specDir, formatSchema: paths.formatSchema, keepParsed: keep });
  if (!keep) forgetCompiledBundles();
  // The helper thread's tools go as soon as the last emitter is done, not after the formatting.
  const files = await emitAndFormat(model, context, keep ? async () => undefined : stopHelperThread);
  return { files };
}

/**
 * Every emitter's files, formatted. Each emitter's files go to the formatter as soon as they are
 * there, one emitter's at a time: the main thread formats while the emitters that print on the
 * helper thread wait for it.
 */
async function emitAndFormat(model: SpecModel, context: EmitContext, afterEmitting: () => Promise<void>): Promise<GeneratedFile[]> {
  const formatted: GeneratedFile[] = [];
  // The chain never rejects (a failure is kept and thrown at the end), so a failure while emitters
  // still run is not left unhandled.
  let formatting = Promise.resolve();
  let formatFailure: { error: unknown } | undefined;
  await Promise.all(
    emitters.map(async (emit) => {
      const files = await emit(model, context);
      formatting = formatting
        .then(() => formatFiles(files, context.cache))
        .then((done) => void formatted.push(...done), (error: unknown) => void (formatFailure ??= { error }));
    }),
  );
  await afterEmitting();
  await formatting;
  if (formatFailure) throw formatFailure.error;
  const seen = new Set<string>();
  for (const file of formatted) {
    if (seen.has(file.path)) throw new Error(`two emitters produce ${file.path}`);
    seen.add(file.path);
  }
  return formatted.sort((a, b) => a.path.localeCompare(b.path));
}
