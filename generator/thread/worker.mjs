// The generator's helper thread (see helper.ts): it loads its tools while the main thread loads the
// spec, and runs them while the main thread emits the rest.
import { parentPort } from "node:worker_threads";

// One after the other: both finish loading while the main thread loads the spec, and loading them
// at once would only make them take turns on this thread.
const tsMorph = import("ts-morph");
const openapi = tsMorph.then(() => import("openapi-typescript"));

/**
 * ts-morph's statement printer, with the settings of the generated code. A ts-morph source file
 * prints structures with it, then parses the whole text again on every addition; nothing here
 * reads a syntax tree, so the structures are printed only. ts-morph keeps its printers internal
 * (`_context.structurePrinterFactory`); its version is pinned, and this fails loudly if they move.
 */
let printer;
async function statementPrinter() {
  if (printer) return printer;
  const { IndentationText, NewLineKind, Project, QuoteKind } = await tsMorph;
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Double,
      useTrailingCommas: true,
    },
  });
  const statements = project._context?.structurePrinterFactory?.forStatement?.({ isAmbient: false });
  if (!statements) throw new Error("ts-morph no longer has the structure printers the generator uses (generator/thread/worker.mjs)");
  printer = (group) => {
    const writer = project.createWriter();
    statements.printTexts(writer, group);
    const text = writer.toString();
    return text.endsWith("\n") ? text : `${text}\n`;
  };
  return printer;
}

const tasks = {
  async "openapi-types"({ document, options }) {
    const { default: openapiTS, astToString } = await openapi;
    return astToString(await openapiTS(document, options));
  },
  async "print-statements"({ groups }) {
    const print = await statementPrinter();
    return groups.map(print);
  },
};

// One task at a time, in the order asked: all at once would hold every document's syntax tree in
// memory together.
let queue = Promise.resolve();
parentPort.on("message", ({ id, task, input }) => {
  queue = queue.then(async () => {
    try {
      parentPort.postMessage({ id, output: await tasks[task](input) });
    } catch (error) {
      parentPort.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
});
