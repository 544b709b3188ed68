import { StructureKind, type InterfaceDeclarationStructure, type TypeAliasDeclarationStructure } from "ts-morph";
import type { ApiModel, SchemaNode } from "../model/types.js";
import { schemaChildren } from "../model/sides.js";
import { schemaDoc } from "./docs.js";
import { createSourceFile, GENERATED_HEADER } from "./project.js";
import { sharedSchemas } from "../schema/to-json-schema.js";
import { isPlainObject, propertyKey, propertyType, typeOf, type NamedSchemas, type Reading } from "./ts-types.js";
import type { Emitter, GeneratedFile } from "./types.js";

/** `src/<api>/types.ts`: one exported type per named schema, in spec order. */
export const emitTypes: Emitter = (model) => model.apis.map(typesFile);

/**
 * Types printed by ts-morph this many at a time, each batch in a file of its own: ts-morph re-parses
 * a file on each insertion (one by one took time quadratic in the number of schemas), and one file
 * of all holds the syntax tree of the whole output at once. (On the 100x synthetic spec the batches
 * did not move the run's peak memory, which is elsewhere; they keep this step's bounded.)
 */
const TYPES_PER_PRINT = 250;

function typesFile(api: ApiModel): GeneratedFile {
  const path = `src/${api.name}/types.ts`;
  const binary = api.schemas.some((s) => usesBinary(s.schema));
  const sections = [binary ? `${GENERATED_HEADER}\nimport type { BinaryData } from "../core/multipart.js";\n` : GENERATED_HEADER];
  const named = new Map(api.schemas.map((s) => [s.name, s.schema]));
  const shared = sharedSchemas(api);
  for (let start = 0; start < api.schemas.length; start += TYPES_PER_PRINT) {
    const file = createSourceFile(path);
    file.addStatements(typeStatements(api.schemas.slice(start, start + TYPES_PER_PRINT), named, shared));
    for (const statement of file.getStatements()) sections.push(`${statement.getFullText().replace(/^\n+/, "")}\n`);
  }
  return { path, content: sections.join("\n"), sections };
}

/** Whether a schema holds a file's bytes anywhere (format binary), so the file imports BinaryData. */
function usesBinary(node: SchemaNode): boolean {
  return node.format === "binary" || schemaChildren(node).some(usesBinary);
}

function typeStatements(
  schemas: ApiModel["schemas"],
  named: NamedSchemas,
  shared: Reading["shared"],
): (InterfaceDeclarationStructure | TypeAliasDeclarationStructure)[] {
  return schemas.map(({ name, schema, side }): InterfaceDeclarationStructure | TypeAliasDeclarationStructure => {
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
}
