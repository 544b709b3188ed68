import type { PartType, QueryValueType } from "../../templates/testing/fake-server.js";
import { followRefs, holdsStructure, namedSchemas } from "../model/refs.js";
import type { ApiModel, Example, Operation, RuntimeConventions } from "../model/types.js";
import { GENERATED_HEADER } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";

/**
 * The fake server of each runtime's conventions (templates/testing): its module, launcher and
 * types, what the launcher takes besides the operations, and how a success body looks.
 */
interface Fake {
  module: string;
  launch: string;
  fake: string;
  options: string;
  /** Exported with the launcher, besides it and the two types above. */
  moreTypes: string[];
  /** The launcher's first argument, given the names of the API's operations and error examples. */
  specArgument: (operations: string, errorExamples: string) => string;
  isSuccess: (body: Record<string, unknown>) => boolean;
  /** The answer of an operation without a documented success example: the bare success envelope. */
  emptySuccess: Record<string, unknown>;
}

const FAKES: Record<RuntimeConventions, Fake> = {
  graph: {
    module: "./fake-graph.js",
    launch: "launchFakeGraph",
    fake: "FakeGraph",
    options: "FakeGraphOptions",
    moreTypes: ["GraphFakeSpec"],
    specArgument: (operations, errorExamples) => `{ operations: ${operations}, errorExamples: ${errorExamples} }`,
    isSuccess: (body) => !("error" in body),
    emptySuccess: {},
  },
  sobot: {
    module: "./fake-sobot.js",
    launch: "launchFakeSobot",
    fake: "FakeSobot",
    options: "FakeSobotOptions",
    moreTypes: ["FakeWebhookDelivery", "SobotFakeSpec"],
    specArgument: (operations) => `{ operations: ${operations} }`,
    isSuccess: (body) => body["ret_code"] === "000000",
    emptySuccess: { ret_code: "000000", ret_msg: "成功" },
  },
};

const fakeOf = (api: ApiModel): Fake => FAKES[api.runtime!.conventions];
const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/**
 * `src/testing/<api>-spec.ts`: what the fake servers of messenger-sdk/testing (templates/testing)
 * serve, from the spec: each operation's route, auth, idempotency, request validator and documented
 * examples (the success example is the answer), and the API's documented error responses. Each API
 * with operations gets one, served by the fake of the runtime it follows.
 */
export const emitTesting: Emitter = (model) => {
  const apis = model.apis.filter((api) => api.runtime && api.operations.length);
  return apis.length ? [...apis.map(specFile), indexFile(apis)] : [];
};

/** `src/testing/index.ts`: messenger-sdk/testing, each fake bound to its API's spec data. */
function indexFile(apis: ApiModel[]): GeneratedFile {
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
  const fakes = [...new Set(apis.map(fakeOf))];
  for (const fake of fakes) {
    lines.push(
      `import { ${fake.launch}, type ${fake.fake}, type ${fake.options} } from "${fake.module}";`,
      `export { ${[fake.launch, ...[fake.fake, fake.options, ...fake.moreTypes].map((t) => `type ${t}`)].join(", ")} } from "${fake.module}";`,
    );
  }
  for (const api of apis) {
    const fake = fakeOf(api);
    const data = `${api.name}ErrorExamples, ${api.name}Operations`;
    lines.push(
      `import { ${data} } from "./${api.name}-spec.js";`,
      `export { ${data} } from "./${api.name}-spec.js";`,
      ``,
      `/** Starts a fake ${api.title} on 127.0.0.1 (see ${fake.module.slice(2, -3)}.ts); pass \`fake.url\` as the client's \`baseUrl\`. */`,
      `export function startFake${pascal(api.name)}(options: ${fake.options} = {}): Promise<${fake.fake}> {`,
      `  return ${fake.launch}(${fake.specArgument(`${api.name}Operations`, `${api.name}ErrorExamples`)}, options);`,
      `}`,
    );
  }
  return { path: "src/testing/index.ts", content: `${lines.join("\n")}\n` };
}

function examples(api: ApiModel, schema: string): Example[] {
  return (namedSchemas(api).get(schema)?.examples ?? []).filter((e) => e.valid);
}

function isSuccess(api: ApiModel, value: unknown): boolean {
  return typeof value === "object" && value !== null && fakeOf(api).isSuccess(value as Record<string, unknown>);
}

const named = (list: Example[]) => Object.fromEntries(list.map((e) => [e.name, e.value]));

function operationEntry(api: ApiModel, op: Operation): Record<string, unknown> {
  const responses = examples(api, op.response.schema);
  // Without a documented success example the fake answers the bare success envelope.
  const success = responses.find((e) => isSuccess(api, e.value))?.value ?? fakeOf(api).emptySuccess;
  return {
    name: op.name,
    method: op.method,
    path: op.path,
    requestIn: op.request.in,
    ...(op.request.in === "query" ? { queryTypes: queryTypes(api, op.request.schema) } : {}),
    ...(op.request.files ? { partTypes: partTypes(api, op) } : {}),
    auth: op.auth,
    idempotent: op.idempotent,
    requestSchema: op.request.schema,
    success,
    requestExamples: named(examples(api, op.request.schema)),
    responseExamples: named(responses),
  };
}

/** How the fake reads each query parameter back from its text: by the JSON type its schema gives. */
function queryTypes(api: ApiModel, schemaName: string): Record<string, QueryValueType> {
  const named = namedSchemas(api);
  const schema = named.get(schemaName);
  const properties = (schema && followRefs(schema, named).properties) ?? {};
  return Object.fromEntries(
    Object.entries(properties).map(([key, property]): [string, QueryValueType] => {
      const types = [followRefs(property, named).type ?? []].flat();
      if (types.includes("array")) return [key, "array"];
      if (types.some((t) => t === "integer" || t === "number")) return [key, "number"];
      return [key, types.includes("boolean") ? "boolean" : "string"];
    }),
  );
}

/** How the fake reads each multipart part back: the spec's file parts, JSON for objects and lists, else text. */
function partTypes(api: ApiModel, op: Operation): Record<string, PartType> {
  const named = namedSchemas(api);
  const schema = named.get(op.request.schema);
  const properties = (schema && followRefs(schema, named).properties) ?? {};
  return Object.fromEntries(
    Object.entries(properties).map(([key, property]): [string, PartType] => {
      if (op.request.files?.includes(key)) return [key, "file"];
      return [key, holdsStructure(property, named) ? "json" : "text"];
    }),
  );
}

function specFile(api: ApiModel): GeneratedFile {
  const entries = api.operations.map((op) => operationEntry(api, op));
  const validators = [...new Set(api.operations.map((op) => op.request.schema))].sort();
  const errorSchema = api.runtime?.errorSchema;
  const errorExamples = errorSchema === undefined ? {} : named(examples(api, errorSchema));
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
