import Ajv2020Module from "ajv/dist/2020.js";

// ajv is CommonJS; under NodeNext its default export arrives wrapped.
const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
export type AjvInstance = InstanceType<typeof Ajv2020>;

/**
 * The one ajv configuration used both to check examples and to build the shipped validators, so
 * what the spec check accepts is exactly what the SDK accepts. Formats are annotations only:
 * the documents' own examples use placeholders such as "URL" where a URI is meant.
 */
export function createAjv(options: { standalone?: boolean } = {}): AjvInstance {
  return new Ajv2020({
    allErrors: true,
    strict: false,
    discriminator: true,
    validateFormats: false,
    inlineRefs: false,
    code: options.standalone ? { source: true, esm: true, lines: true } : undefined,
  });
}
