import Ajv2020Module from "ajv/dist/2020.js";

// ajv is CommonJS; under NodeNext its default export arrives wrapped.
const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
export type AjvInstance = InstanceType<typeof Ajv2020>;

/**
 * The one ajv configuration, the oracle: the spec check asks it about examples, and the
 * differential test holds the generated checks to its verdicts, so what the spec check accepts the
 * SDK accepts. Formats are annotations only: the documents' own examples use placeholders such as
 * "URL" where a URI is meant.
 */
export function createAjv(options: { inlineRefs?: boolean } = {}): AjvInstance {
  return new Ajv2020({
    allErrors: true,
    strict: false,
    discriminator: true,
    validateFormats: false,
    inlineRefs: options.inlineRefs ?? true,
    // ajv's pass over the code it generates (merging and dropping statements) does not change what
    // a validator accepts; on a large spec it was a third of the spec check's compile time.
    code: { optimize: false },
  });
}
