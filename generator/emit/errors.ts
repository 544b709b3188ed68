import { VariableDeclarationKind } from "ts-morph";
import type { ApiModel, ErrorTable } from "../model/types.js";
import { otherLanguageLines, remarksLines, textLines } from "./docs.js";
import { createSourceFile, sourceText } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";

/**
 * `src/<api>/errors.ts`: an enum per error table and a lookup from code to name, description and
 * retryable. `retryable` comes from the spec, so the retry policy is reviewed with it.
 */
export const emitErrors: Emitter = (model) => model.apis.map(errorsFile);

export function infoConstName(table: ErrorTable): string {
  return `${table.name}Info`;
}

export function lookupFunctionName(table: ErrorTable): string {
  return `lookup${table.name}`;
}

function errorsFile(api: ApiModel): GeneratedFile {
  const path = `src/${api.name}/errors.ts`;
  const file = createSourceFile(path);
  file.addImportDeclaration({ moduleSpecifier: "../core/errors.js", namedImports: ["ErrorInfo"], isTypeOnly: true });
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
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`Name, description and retry policy of every {@link ${table.name}} code.`],
      declarations: [{
        name: infoConstName(table),
        type: `Readonly<Record<${keyType}, ErrorInfo>>`,
        initializer: `Object.freeze({\n${table.entries.map((entry) => `  [${table.name}.${entry.name}]: ${JSON.stringify({ name: entry.name, description: entry.description, retryable: entry.retryable, ...(entry.rateLimit ? { rateLimit: true } : {}) })},`).join("\n")}\n})`,
      }],
    });
    file.addFunction({
      name: lookupFunctionName(table),
      isExported: true,
      docs: [`What a {@link ${table.name}} code means; \`undefined\` for a code the spec does not list.`],
      parameters: [{ name: "code", type: `${keyType} | ${table.name}` }],
      returnType: "ErrorInfo | undefined",
      statements: `return Object.prototype.hasOwnProperty.call(${infoConstName(table)}, code) ? ${infoConstName(table)}[code] : undefined;`,
    });
  }
  return { path, content: sourceText(file) };
}
