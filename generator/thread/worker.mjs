// The generator's helper thread (see helper.ts): openapi-typescript, loaded here while the main
// thread loads the spec, and run here while it emits the rest.
import { parentPort } from "node:worker_threads";

const tools = {
  openapi: import("openapi-typescript"),
};

const tasks = {
  async "openapi-types"({ document, options }) {
    const { default: openapiTS, astToString } = await tools.openapi;
    return astToString(await openapiTS(document, options));
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
