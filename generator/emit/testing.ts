import type { ApiModel, Example, Operation } from "../model/types.js";
import { GENERATED_HEADER } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";

/** The APIs templates/testing has a fake server for. */
const FAKES = new Set(["graph", "sobot"]);

/**
 * `src/testing/<api>-spec.ts`: what the fake servers of messenger-sdk/testing (templates/testing)
 * serve, from the spec: each operation's route, auth, idempotency, request validator and documented
 * examples (the success example is the answer), and the API's documented error responses.
 */
export const emitTesting: Emitter = (model) => {
  const apis = model.apis.filter((api) => FAKES.has(api.name) && api.operations.length);
  return apis.length ? [...apis.map(specFile), indexFile(apis)] : [];
};

/** `src/testing/index.ts`: messenger-sdk/testing, each fake bound to its API's spec data. */
function indexFile(apis: ApiModel[]): GeneratedFile {
  const names = new Set(apis.map((api) => api.name));
  const lines = [
    GENERATED_HEADER,
    `export {`,
    `  matchPath,`,
    `  startFakeServer,`,
    `  type FakeAnswer,`,
    `  type FakeApi,`,
    `  type FakeOperation,`,
    `  type FakeRequest,`,
    `  type FakeServer,`,
    `  type Fault,`,
    `  type FaultKind,`,
    `} from "./fake-server.js";`,
  ];
  if (names.has("graph")) {
    lines.push(
      `import { launchFakeGraph, type FakeGraph, type FakeGraphOptions } from "./fake-graph.js";`,
      `import { graphErrorExamples, graphOperations } from "./graph-spec.js";`,
      `export { launchFakeGraph, type FakeGraph, type FakeGraphOptions, type GraphFakeSpec } from "./fake-graph.js";`,
      `export { graphErrorExamples, graphOperations } from "./graph-spec.js";`,
      ``,
      `/** Starts a fake Graph API on 127.0.0.1 (see fake-graph.ts); pass \`fake.url\` as the client's \`baseUrl\`. */`,
      `export function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {`,
      `  return launchFakeGraph({ operations: graphOperations, errorExamples: graphErrorExamples }, options);`,
      `}`,
    );
  }
  if (names.has("sobot")) {
    lines.push(
      `import { launchFakeSobot, type FakeSobot, type FakeSobotOptions } from "./fake-sobot.js";`,
      `import { sobotOperations } from "./sobot-spec.js";`,
      `export { launchFakeSobot, type FakeSobot, type FakeSobotOptions, type FakeWebhookDelivery, type SobotFakeSpec } from "./fake-sobot.js";`,
      `export { sobotOperations } from "./sobot-spec.js";`,
      ``,
      `/** Starts a fake Sobot API on 127.0.0.1 (see fake-sobot.ts); pass \`fake.url\` as the client's \`baseUrl\`. */`,
      `export function startFakeSobot(options: FakeSobotOptions = {}): Promise<FakeSobot> {`,
      `  return launchFakeSobot({ operations: sobotOperations }, options);`,
      `}`,
    );
  }
  return { path: "src/testing/index.ts", content: `${lines.join("\n")}\n` };
}

function examples(api: ApiModel, schema: string): Example[] {
  return (api.schemas.find((s) => s.name === schema)?.schema.examples ?? []).filter((e) => e.valid);
}

function isSuccess(api: ApiModel, value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  return api.name === "sobot" ? (value as { ret_code?: unknown }).ret_code === "000000" : !("error" in value);
}

const named = (list: Example[]) => Object.fromEntries(list.map((e) => [e.name, e.value]));

function operationEntry(api: ApiModel, op: Operation): Record<string, unknown> {
  const responses = examples(api, op.response.schema);
  // Without a documented success example the fake answers the bare success envelope.
  const success = responses.find((e) => isSuccess(api, e.value))?.value ?? (api.name === "sobot" ? { ret_code: "000000", ret_msg: "成功" } : {});
  return {
    name: op.name,
    method: op.method,
    path: op.path,
    requestIn: op.request.in,
    auth: op.auth,
    idempotent: op.idempotent,
    requestSchema: op.request.schema,
    success,
    requestExamples: named(examples(api, op.request.schema)),
    responseExamples: named(responses),
  };
}

function specFile(api: ApiModel): GeneratedFile {
  const entries = api.operations.map((op) => operationEntry(api, op));
  const validators = [...new Set(api.operations.map((op) => op.request.schema))].sort();
  const errorExamples = api.name === "graph" ? named(examples(api, "ErrorResponse")) : {};
  const operations = entries
    .map((entry) => {
      const { requestSchema, ...rest } = entry;
      const json = JSON.stringify(rest, null, 2);
      return `${json.slice(0, -2)},\n  "validate": validators.${requestSchema as string}\n}`;
    })
    .join(",\n");
  const content = `${GENERATED_HEADER}
import type { FakeOperation } from "./fake-server.js";
import * as validators from "../${api.name}/validators.js";

// Request validators used: ${validators.join(", ")}.

/** ${api.title}: each operation as the fake server serves it, with its documented examples. */
export const ${api.name}Operations: readonly FakeOperation[] = [
${operations}
];

/** ${api.title}: the documented error responses, by example name. */
export const ${api.name}ErrorExamples: Readonly<Record<string, unknown>> = ${JSON.stringify(errorExamples, null, 2)};
`;
  return { path: `src/testing/${api.name}-spec.ts`, content };
}
