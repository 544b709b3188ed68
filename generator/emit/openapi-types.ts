import { openApiDocument, openApiPath } from "./openapi.js";
import { GENERATED_HEADER } from "./project.js";
import { hashOf } from "./hash.js";
import { runOnHelperThread } from "../thread/helper.js";
import type { Emitter, GeneratedFile, StepCache } from "./types.js";

/**
 * `src/openapi/<api>.ts` (`messenger-sdk/openapi`): the `paths`, `webhooks`, `components` and
 * `operations` types openapi-typescript derives from each OpenAPI document, for OpenAPI-based
 * tooling such as openapi-fetch: the shapes, documented in `src/<api>/types.ts` (see `forTypes`). The document is built in memory from the model (not read from
 * disk), so the output depends on the spec alone; test/openapi/agreement.test.ts checks these types
 * and the ts-morph types in `src/<api>/types.ts` accept the same bodies.
 */
export const emitOpenApiTypes: Emitter = async (model, context) => {
  // All documents asked for at once: the thread works through them while the other emitters run.
  const files: GeneratedFile[] = await Promise.all(
    model.apis.map(async (api) => ({
      path: `src/openapi/${api.name}.ts`,
      content: `${GENERATED_HEADER}// The types of ${openApiPath(api.name)}, by openapi-typescript.\n\n${await openApiTypes(forTypes(openApiDocument(api, context)), context.cache)}`,
      // As openapi-typescript prints them (TypeScript's printer), as its users know them; prettier
      // spent a third of a cold run's formatting on reindenting these two files.
      final: true,
    })),
  );
  const exports = model.apis.map((api) => `export type * as ${api.name} from "./${api.name}.js";`);
  files.push({
    path: "src/openapi/index.ts",
    content: [
      GENERATED_HEADER,
      "/**",
      " * The types openapi-typescript derives from the OpenAPI documents, one namespace per API:",
      ` * ${model.apis.map((api) => `\`${api.name}.paths\``).join(", ")}, with \`webhooks\`, \`components\` and \`operations\` beside them.`,
      " */",
      ...exports,
      "",
    ].join("\n"),
  });
  return files;
};

/** openapi-typescript's output for one document, from the cache when the document is unchanged. */
async function openApiTypes(document: unknown, cache: StepCache | undefined): Promise<string> {
  const key = cache && hashOf(JSON.stringify(document));
  const cached = key === undefined ? undefined : cache?.get("openapi-types", key);
  if (cached !== undefined) return cached;
  // defaultNonNullable: false: a field with a `default` stays optional, as the spec declares it
  // (the server fills it in; a sender may leave it out).
  const types = await runOnHelperThread("openapi-types", { document, options: { silent: true, defaultNonNullable: false } });
  if (key !== undefined) cache?.set("openapi-types", key, types);
  return types;
}

/**
 * A copy of the document for openapi-typescript: without `discriminator` objects, and without
 * schema `examples` and `description`s. openapi-typescript prints both into each type's doc
 * comment, every language of a description run together, and they made four fifths of these
 * declarations (a quarter of the package tarball). The documented types are those of
 * `src/<api>/types.ts` (one language first, examples, decisions); the OpenAPI documents keep it all.
 *
 * The `discriminator` objects go for another reason. In the spec a discriminator only names
 * the tag property of a `oneOf` whose variants each say their tag with `const`, so the union types
 * are discriminated without it. openapi-typescript instead reads it as OpenAPI inheritance: a
 * schema that `allOf`-includes the discriminated schema gets `Omit<Union, "tag">`, which collapses
 * the union (openapi-ts/openapi-typescript#1464), and its implicit mapping uses schema names as
 * tag values. Without the annotation its output is the plain union the spec means.
 */
function forTypes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forTypes);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === "discriminator" && value && typeof value === "object" && "propertyName" in value))
      // A schema's `examples` is a list and its `description` a string; a property of either name,
      // or a media type's `examples`, is an object.
      .filter(([key, value]) => !(key === "examples" && Array.isArray(value)) && !(key === "description" && typeof value === "string"))
      .map(([key, value]) => [key, forTypes(value)]),
  );
}
