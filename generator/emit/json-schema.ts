import { toJsonSchemaBundle } from "../schema/to-json-schema.js";
import { jsonText } from "./json-text.js";
import type { Emitter } from "./types.js";

/** `schemas/<api>.schema.json`: the self-contained JSON Schema 2020-12 bundle of each API. */
export const emitJsonSchemas: Emitter = (model) =>
  model.apis.map((api) => ({
    path: `schemas/${api.name}.schema.json`,
    content: jsonText(toJsonSchemaBundle(api)),
    final: true,
  }));
