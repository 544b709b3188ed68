import type { InterfaceDeclarationStructure, TypeAliasDeclarationStructure } from "ts-morph";
import type { ApiModel, SchemaNode } from "../model/types.js";
import { schemaChildren } from "../model/sides.js";
import { schemaDoc } from "./docs.js";
import { GENERATED_HEADER, printStatements } from "./project.js";
import { StructureKind } from "./structures.js";
import { sharedSchemas } from "../schema/to-json-schema.js";
import { isPlainObject, propertyKey, propertyType, typeOf, type NamedSchemas, type Reading } from "./ts-types.js";
import type { Emitter, GeneratedFile } from "./types.js";

/** `src/<api>/types.ts`: one exported type per named schema, in spec order. */
export const emitTypes: Emitter = (model) => Promise.all(model.apis.map(typesFile));

/** Types handed to the printer thread at a time, so that neither thread holds them all twice over. */
const TYPES_PER_PRINT = 500;

async function typesFile(api: ApiModel): Promise<GeneratedFile> {
  const path = `src/${api.name}/types.ts`;
  const binary = api.schemas.some((s) => usesBinary(s.schema));
  const header = binary ? `${GENERATED_HEADER}\nimport type { BinaryData } from "../core/multipart.js";\n` : GENERATED_HEADER;
  const named = new Map(api.schemas.map((s) => [s.name, s.schema]));
  const shared = sharedSchemas(api);
  // A section per type, printed on its own: the formatter takes them a batch at a time.
  const sections = [header];
  for (let start = 0; start < api.schemas.length; start += TYPES_PER_PRINT) {
    const statements = typeStatements(api.schemas.slice(start, start + TYPES_PER_PRINT), named, shared);
    sections.push(...(await printStatements(statements.map((statement) => [statement]))));
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
