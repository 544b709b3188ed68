import type { ApiModel } from "../model/types.js";
import { clientUnits } from "./client.js";
import { hasHelpers } from "./helpers.js";
import { sourceText, StructuredFile } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";

/** Entry points: `messenger-sdk/<api>` for everything of one API, and the root for clients and errors. */
export const emitIndexes: Emitter = (model) => Promise.all([...model.apis.map(apiIndex), rootIndex(model.apis)]);

async function apiIndex(api: ApiModel): Promise<GeneratedFile> {
  const path = `src/${api.name}/index.ts`;
  const file = new StructuredFile();
  file.addExportDeclaration({ moduleSpecifier: "./types.js", isTypeOnly: true });
  file.addExportDeclaration({ moduleSpecifier: "./validate.js" });
  file.addExportDeclaration({ moduleSpecifier: "./errors.js" });
  for (const unit of clientUnits(api)) file.addExportDeclaration({ moduleSpecifier: unit.module });
  if (hasHelpers(api)) file.addExportDeclaration({ moduleSpecifier: "./helpers.js" });
  if (api.runtime?.batch) file.addExportDeclaration({ moduleSpecifier: "./batch-items.js" });
  if (api.webhooks.length) file.addExportDeclaration({ moduleSpecifier: "./webhooks.js" });
  if (api.webhooks.length) file.addExportDeclaration({ moduleSpecifier: "./webhook-endpoint.js" });
  return { path, content: await sourceText(file) };
}

async function rootIndex(apis: ApiModel[]): Promise<GeneratedFile> {
  const path = "src/index.ts";
  const file = new StructuredFile();
  file.addExportDeclaration({ moduleSpecifier: "./core/index.js" });
  for (const api of apis) {
    for (const unit of clientUnits(api)) file.addExportDeclaration({ moduleSpecifier: `./${api.name}/${unit.module.slice(2)}`, namedExports: [unit.name] });
    const enums = api.errorTables.map((t) => t.name);
    if (enums.length) file.addExportDeclaration({ moduleSpecifier: `./${api.name}/errors.js`, namedExports: enums });
    file.addExportDeclaration({ moduleSpecifier: `./${api.name}/index.js`, namespaceExport: api.name });
  }
  return { path, content: await sourceText(file) };
}
