import type { ApiModel } from "../model/types.js";
import { schemaDoc } from "./docs.js";
import { createSourceFile, sourceText } from "./project.js";
import { isPlainObject, propertyKey, typeOf } from "./ts-types.js";
import type { Emitter, GeneratedFile } from "./types.js";

/** `src/<api>/types.ts`: one exported type per named schema, in spec order. */
export const emitTypes: Emitter = (model) => model.apis.map(typesFile);

function typesFile(api: ApiModel): GeneratedFile {
  const file = createSourceFile(`src/${api.name}/types.ts`);
  const named = new Map(api.schemas.map((s) => [s.name, s.schema]));
  for (const { name, schema } of api.schemas) {
    const doc = schemaDoc(schema, { examples: true });
    const docs = doc ? [doc] : [];
    if (isPlainObject(schema)) {
      const required = new Set(schema.required ?? []);
      file.addInterface({
        name,
        isExported: true,
        docs,
        properties: Object.entries(schema.properties ?? {}).map(([key, property]) => {
          const propertyDoc = schemaDoc(property);
          return {
            name: propertyKey(key),
            type: typeOf(property, "  ", named),
            hasQuestionToken: !required.has(key),
            docs: propertyDoc ? [propertyDoc] : [],
          };
        }),
      });
    } else {
      file.addTypeAlias({ name, isExported: true, docs, type: typeOf(schema, "", named) });
    }
  }
  // ts-morph separates interfaces with a blank line but not type aliases; keep one between all.
  const content = sourceText(file).replace(/;\n(?=\/\*\*|export )/g, ";\n\n");
  return { path: `src/${api.name}/types.ts`, content };
}
