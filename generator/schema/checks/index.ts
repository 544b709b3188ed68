import type { JsonSchema } from "../to-json-schema.js";
import { checkBody } from "./node.js";
import type { Node } from "./schema-facts.js";
import { CheckWriter } from "./writer.js";

/**
 * The checks of a bundle's named schemas as one ES module of plain functions: `export function
 * Name(x, p, e)` per schema (the runtime's `Check`), with the functions for inline subschemas,
 * patterns and value sets beside them. `header` starts the file.
 */
export function checkModule(bundle: JsonSchema, exports: readonly string[], header = ""): string {
  const writer = new CheckWriter((bundle.$defs as Record<string, Node> | undefined) ?? {});
  writer.compileBody = (node, name) => checkBody(node, name, writer);
  return writer.module(exports, header);
}
