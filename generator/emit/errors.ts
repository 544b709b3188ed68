import { VariableDeclarationKind } from "./structures.js";
import type { ApiModel, ErrorTable } from "../model/types.js";
import { otherLanguageLines, remarksLines, textLines } from "./docs.js";
import { sourceText, StructuredFile } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";

/**
 * `src/<api>/errors.ts`: an enum per error table and a lookup from code to name, description and
 * retryable; `src/<api>/error-info.ts`: the tables the lookups read. `retryable` comes from the
 * spec, so the retry policy is reviewed with it. The tables live apart from the enums, keyed by the
 * codes themselves, because a bundler cannot drop an enum: a client that reads one table then
 * bundles that table alone.
 */
export const emitErrors: Emitter = (model) => Promise.all(model.apis.flatMap((api) => [errorsFile(api), errorInfoFile(api)]));

/** The module of the tables, relative to the API's folder. */
export const ERROR_INFO_MODULE = "./error-info.js";

export function infoConstName(table: ErrorTable): string {
  return `${table.name}Info`;
}

/** The runtime type of a table's entries: ErrorInfo, or ErrorPolicy without the descriptions. */
function infoType(table: ErrorTable): string {
  return table.descriptionsAtRuntime ? "ErrorInfo" : "ErrorPolicy";
}

export function lookupFunctionName(table: ErrorTable): string {
  return `lookup${table.name}`;
}

async function errorsFile(api: ApiModel): Promise<GeneratedFile> {
  const path = `src/${api.name}/errors.ts`;
  const file = new StructuredFile();
  file.addImportDeclaration({ moduleSpecifier: "../core/errors.js", namedImports: [...new Set(api.errorTables.map(infoType))].sort(), isTypeOnly: true });
  for (const table of api.errorTables) {
    const where = table.field ? [`Found in \`${table.field}\`.`] : [];
    file.addEnum({
      name: table.name,
      isExported: true,
      docs: [[...textLines(table.description), "", ...where, `Source: ${table.source}.`, ...otherLanguageLines(table.description), ...remarksLines(table.decisions)].join("\n").trim()],
      members: table.entries.map((entry) => ({
        name: entry.name,
        value: entry.code,
        docs: [[...textLines(entry.description), "", `Retryable: ${entry.retryable ? "yes" : "no"}.`, ...(entry.rateLimit ? ["Rate limit: a shared rate limiter holds every process's sends back."] : []), ...otherLanguageLines(entry.description), ...remarksLines(entry.decisions)].join("\n")],
      })),
    });
    const keyType = table.codeType === "integer" ? "number" : "string";
    file.addFunction({
      name: lookupFunctionName(table),
      isExported: true,
      docs: [`What a {@link ${table.name}} code means; \`undefined\` for a code the spec does not list.`],
      parameters: [{ name: "code", type: `${keyType} | ${table.name}` }],
      returnType: `${infoType(table)} | undefined`,
      statements: `return Object.prototype.hasOwnProperty.call(${infoConstName(table)}, code) ? ${infoConstName(table)}[code] : undefined;`,
    });
  }
  const tables = api.errorTables.map(infoConstName);
  if (tables.length) {
    file.addImportDeclaration({ moduleSpecifier: ERROR_INFO_MODULE, namedImports: tables });
    file.addExportDeclaration({ moduleSpecifier: ERROR_INFO_MODULE, namedExports: tables });
  }
  return { path, content: await sourceText(file) };
}

async function errorInfoFile(api: ApiModel): Promise<GeneratedFile> {
  const path = `src/${api.name}/error-info.ts`;
  const file = new StructuredFile();
  const infoTypes = [...new Set(api.errorTables.map(infoType))].sort();
  file.addImportDeclaration({ moduleSpecifier: "../core/errors.js", namedImports: infoTypes.length ? infoTypes : ["ErrorInfo"], isTypeOnly: true });
  // For the doc links only: a type import keeps the enums out of the code.
  if (api.errorTables.length) file.addImportDeclaration({ moduleSpecifier: "./errors.js", namedImports: api.errorTables.map((t) => t.name), isTypeOnly: true });
  for (const table of api.errorTables) {
    const keyType = table.codeType === "integer" ? "number" : "string";
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [
        table.descriptionsAtRuntime
          ? `Name, description and retry policy of every {@link ${table.name}} code.`
          : `Name and retry policy of every {@link ${table.name}} code; the descriptions are on the enum's members.`,
      ],
      declarations: [{
        name: infoConstName(table),
        type: `Readonly<Record<${keyType}, ${infoType(table)}>>`,
        // Pure: an app that never reads this table does not bundle it.
        initializer: `/* @__PURE__ */ Object.freeze({\n${table.entries.map((entry) => `  ${JSON.stringify(entry.code)}: ${JSON.stringify({ name: entry.name, ...(table.descriptionsAtRuntime ? { description: entry.description } : {}), retryable: entry.retryable, ...(entry.rateLimit ? { rateLimit: true } : {}) })},`).join("\n")}\n})`,
      }],
    });
  }
  return { path, content: await sourceText(file) };
}
