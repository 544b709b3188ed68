import { StructureKind, type InterfaceDeclarationStructure, type TypeAliasDeclarationStructure } from "ts-morph";
import type { ApiModel } from "../model/types.js";
import { schemaDoc } from "./docs.js";
import { createSourceFile, GENERATED_HEADER } from "./project.js";
import { sharedSchemas } from "../schema/to-json-schema.js";
import { isPlainObject, propertyKey, propertyType, typeOf, type Reading } from "./ts-types.js";
import type { Emitter, GeneratedFile } from "./types.js";

/** `src/<api>/types.ts`: one exported type per named schema, in spec order. */
export const emitTypes: Emitter = (model) => model.apis.map(typesFile);

function typesFile(api: ApiModel): GeneratedFile {
  const file = createSourceFile(`src/${api.name}/types.ts`);
  const named = new Map(api.schemas.map((s) => [s.name, s.schema]));
  // One insertion for all types: ts-morph re-parses the file on each insertion, so adding them
  // one by one took time quadratic in the number of schemas.
  const shared = sharedSchemas(api);
  const statements = api.schemas.map(({ name, schema, side }): InterfaceDeclarationStructure | TypeAliasDeclarationStructure => {
    const reading: Reading = { received: side === "receive", shared };
    const doc = schemaDoc(schema, { examples: true });
    const docs = doc ? [doc] : [];
    if (isPlainObject(schema)) {
      const required = new Set(schema.required ?? []);
      return {
        kind: StructureKind.Interface,
        name,
        isExported: true,
        docs,
        properties: Object.entries(schema.properties ?? {}).map(([key, property]) => {
          const propertyDoc = schemaDoc(property);
          return {
            name: propertyKey(key),
            type: propertyType(property, required.has(key), "  ", named, reading),
            hasQuestionToken: !required.has(key),
            docs: propertyDoc ? [propertyDoc] : [],
          };
        }),
      };
    }
    return { kind: StructureKind.TypeAlias, name, isExported: true, docs, type: typeOf(schema, "", named, reading) };
  });
  file.addStatements(statements);
  const sections = [GENERATED_HEADER, ...file.getStatements().map((statement) => `${statement.getFullText().replace(/^\n+/, "")}\n`)];
  return { path: `src/${api.name}/types.ts`, content: sections.join("\n"), sections };
}
