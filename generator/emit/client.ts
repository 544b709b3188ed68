import type { MethodDeclarationStructure, OptionalKind } from "ts-morph";
import { Scope } from "./structures.js";
import type { ApiModel, Operation, PathParam, RuntimeConventions } from "../model/types.js";
import { otherLanguageLines, remarksLines, textLines } from "./docs.js";
import { sourceText, StructuredFile } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";
import { ERROR_INFO_MODULE, infoConstName } from "./errors.js";
import { typeOf } from "./ts-types.js";
import { namedSchemas } from "../model/refs.js";

/**
 * How each hand-written runtime is driven (an API names the one it follows in `api.runtime`): which
 * core class, its options type, which error table its envelope carries, and what else its
 * constructor needs from the spec.
 */
interface Runtime {
  core: string;
  module: string;
  options: string;
  errorField: string;
  /** Where a finer code appears (Graph's subcode): its table, when the API has one, goes to the core too. */
  subcodeField?: string;
  constructorArgs: (api: ApiModel) => string[];
  /**
   * The client option naming what a call acts for (Graph: the Page), which picks its access token
   * and rate-limit key: the path parameter it fills, or else the option itself.
   */
  scopeOption?: string;
}

const RUNTIMES: Record<RuntimeConventions, Runtime> = {
  graph: {
    core: "GraphCore",
    module: "../core/graph-core.js",
    options: "GraphClientOptions",
    errorField: "error.code",
    subcodeField: "error.error_subcode",
    constructorArgs: () => [],
    scopeOption: "pageId",
  },
  sobot: {
    core: "SobotCore",
    module: "../core/sobot-core.js",
    options: "SobotClientOptions",
    errorField: "ret_code",
    constructorArgs: (api) => {
      const tokenOperation = api.operations.find((op) => !op.auth);
      if (!tokenOperation) throw new Error(`API '${api.name}' follows Sobot's conventions but has no operation with auth: false to fetch tokens`);
      return [JSON.stringify(tokenOperation.path)];
    },
  },
};

const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const clientName = (api: ApiModel) => `${pascal(api.name)}Client`;

/**
 * A client class: the API's operations without a group (`<Api>Client`, `client.ts`), or one
 * group's (`<Api><Group>Client`, `<group>-client.ts`). Apart, an app bundles only the classes it uses.
 */
export interface ClientUnit {
  api: ApiModel;
  name: string;
  /** The module, relative to the API's folder. */
  module: string;
  operations: Operation[];
  /** The spec's group of these operations; absent for the API's main client. */
  group?: string;
}

/** An API's client classes, worked out once per API: several emitters ask per operation. */
export function clientUnits(api: ApiModel): readonly ClientUnit[] {
  let units = unitsByApi.get(api);
  if (!units) unitsByApi.set(api, (units = groupedUnits(api)));
  return units;
}

const unitsByApi = new WeakMap<ApiModel, readonly ClientUnit[]>();

function groupedUnits(api: ApiModel): ClientUnit[] {
  const units: ClientUnit[] = [];
  const ungrouped = api.operations.filter((op) => op.group === undefined);
  if (ungrouped.length) units.push({ api, name: clientName(api), module: "./client.js", operations: ungrouped });
  const groups = [...new Set(api.operations.flatMap((op) => (op.group === undefined ? [] : [op.group])))].sort();
  for (const group of groups) {
    const operations = api.operations.filter((op) => op.group === group);
    units.push({ api, name: `${pascal(api.name)}${pascal(group)}Client`, module: `./${kebab(group)}-client.js`, operations, group });
  }
  return units;
}

/**
 * The class's doc comment: the API's description for its main client; for a group's, what the
 * group's operations do (each group class would otherwise repeat the whole API's description).
 */
function classDoc(unit: ClientUnit): string {
  const { api } = unit;
  const base = `Base URL: \`${api.baseUrl}\`.`;
  if (unit.group === undefined) return [...textLines(api.description), "", base, ...otherLanguageLines(api.description)].join("\n");
  const main = clientUnits(api).find((other) => other.group === undefined);
  return [
    `The \`${unit.group}\` operations of the ${api.title}:`,
    "",
    ...unit.operations.map((op) => `- {@link ${unit.name}.${op.name}}: ${textLines(op.summary).join(" ")}`),
    "",
    `${base}${main ? ` Same options as {@link ${main.name}}.` : ""}`,
  ].join("\n");
}

/** The class whose method `op` is. */
export function clientOf(api: ApiModel, op: Operation): string {
  return clientUnits(api).find((unit) => unit.operations.includes(op))!.name;
}

/** `src/<api>/client.ts` and one file per operation group: one typed method per operation, named as in the spec. */
export const emitClients: Emitter = (model) => Promise.all(model.apis.flatMap(clientUnits).map(clientFile));

async function clientFile(unit: ClientUnit): Promise<GeneratedFile> {
  const { api, name: className, operations } = unit;
  // The loader requires a runtime of every API with operations.
  const runtime = RUNTIMES[api.runtime!.conventions];
  const table = api.errorTables.find((t) => t.field === runtime.errorField);
  if (!table) throw new Error(`API '${api.name}' has no error table with field '${runtime.errorField}'`);
  const subcodeTable = runtime.subcodeField ? api.errorTables.find((t) => t.field === runtime.subcodeField) : undefined;
  const infoTables = [table, ...(subcodeTable ? [subcodeTable] : [])].map(infoConstName);
  const path = `src/${api.name}/${unit.module.slice(2, -3)}.ts`;
  const file = new StructuredFile();
  const paged = operations.some((op) => op.response.paging);
  const pathOptions = [...new Set(operations.flatMap((op) => op.pathParams.map((p) => p.clientOption).filter((o): o is string => Boolean(o))))];
  const callOptions = [...new Set([...pathOptions, ...(runtime.scopeOption ? [runtime.scopeOption] : [])])];

  file.addImportDeclaration({ moduleSpecifier: runtime.module, namedImports: [runtime.core, `type ${runtime.options}`] });
  const cursorPaged = operations.some((op) => op.response.cursorPaging);
  const pagingImports = [...(paged ? ["iteratePages", "type Page"] : []), ...(cursorPaged ? ["iterateCursorPages"] : [])];
  if (pagingImports.length) file.addImportDeclaration({ moduleSpecifier: "../core/paging.js", namedImports: pagingImports });
  if (operations.some((op) => op.request.files)) file.addImportDeclaration({ moduleSpecifier: "../core/multipart.js", namedImports: ["withFiles"] });
  const batchOp = operations.find((op) => op.name === api.runtime?.batch);
  if (batchOp) file.addImportDeclaration({ moduleSpecifier: "../core/graph-batch.js", namedImports: ["runBatch", "type BatchItem", "type BatchResults"] });
  file.addImportDeclaration({ moduleSpecifier: "../core/transport.js", namedImports: ["RequestOptions"], isTypeOnly: true });
  file.addImportDeclaration({ moduleSpecifier: "../core/validation.js", namedImports: ["assertValid"] });
  file.addImportDeclaration({ moduleSpecifier: ERROR_INFO_MODULE, namedImports: infoTables });
  file.addImportDeclaration({ moduleSpecifier: "./types.js", namedImports: typeImports(api, operations), isTypeOnly: true });
  file.addImportDeclaration({ moduleSpecifier: "./validators.js", namespaceImport: "validators" });

  file.addInterface({
    name: `${className}CallOptions`,
    isExported: true,
    extends: ["RequestOptions"],
    docs: ["Per-call options: timeout, abort signal, retry policy, request validation, and path parameters."],
    properties: [
      { name: "validate", type: "boolean", hasQuestionToken: true, docs: ["Check the request against the spec before sending. Defaults to the client's `validateRequests` (on)."] },
      ...callOptions.map((option) => ({ name: option, type: "string", hasQuestionToken: true, docs: [`Overrides the client's \`${option}\` for this call.`] })),
    ],
  });

  file.addClass({
    name: className,
    isExported: true,
    docs: [classDoc(unit)],
    properties: [{ name: "core", type: runtime.core, isReadonly: true, scope: Scope.Protected, docs: ["The hand-written runtime: transport, auth, envelope and errors."] }],
    ctors: [{
      parameters: [{ name: "options", type: runtime.options }],
      statements: `this.core = new ${runtime.core}(${["options", ...infoTables, ...runtime.constructorArgs(api)].join(", ")});`,
    }],
    methods: [
      ...operations.flatMap((op) => operationMethods(api, op, className, runtime)),
      ...(batchOp ? [batchMethod(api, batchOp, className)] : []),
      {
        name: "checkRequest",
        scope: Scope.Private,
        parameters: [
          { name: "operation", type: "string" },
          { name: "validator", type: "Parameters<typeof assertValid>[1]" },
          { name: "request", type: "unknown" },
          { name: "options", type: `${className}CallOptions` },
        ],
        returnType: "void",
        statements: `if (options.validate ?? this.core.options.validateRequests ?? true) assertValid(operation, validator, request);`,
      },
    ],
  });
  return { path, content: await sourceText(file) };
}

export function typeImports(api: ApiModel, operations: Operation[]): string[] {
  const names = operations.flatMap((op) => {
    const field = selectedList(api, op)?.items?.ref;
    return [op.request.schema, op.response.schema, ...namedResult(api, op), ...(field ? [field] : [])];
  });
  return [...new Set(names)].sort();
}

/** With `selectedBy`: the request's list of the fields asked for. */
function selectedList(api: ApiModel, op: Operation) {
  const selectedBy = op.response.selectedBy;
  return selectedBy ? namedSchemas(api).get(op.request.schema)?.properties?.[selectedBy.request] : undefined;
}

/** The named schema of an unwrapped field or of a page's items, when the spec names one. */
function namedResult(api: ApiModel, op: Operation): string[] {
  const field = op.response.paging?.items ?? op.response.unwrap;
  const property = field ? namedSchemas(api).get(op.response.schema)?.properties?.[field] : undefined;
  const named = op.response.paging ? property?.items?.ref : property?.ref;
  return named ? [named] : [];
}

/**
 * With `selectedBy`: the method's type parameter (the fields asked for) and the request type that
 * binds it. The field type is the enum the spec names for the list's items, else the items' type.
 */
function fieldSelection(api: ApiModel, op: Operation): { constraint: string; request: string } | undefined {
  const selectedBy = op.response.selectedBy;
  if (!selectedBy) return undefined;
  const list = selectedList(api, op);
  const key = member(selectedBy.request).replace(/^\./, "");
  const constraint = list?.items?.ref ?? `NonNullable<${op.request.schema}[${JSON.stringify(selectedBy.request)}]>[number]`;
  return { constraint, request: `${op.request.schema} & { ${key}: F[] }` };
}

/** What the method resolves to: the whole body, the unwrapped field, or a page of items. */
export function resultType(api: ApiModel, op: Operation): string {
  const response = op.response.schema;
  const selectedBy = op.response.selectedBy;
  if (selectedBy) {
    const fields = ["F", ...(selectedBy.always ?? []).map((field) => JSON.stringify(field))].join(" | ");
    return `Pick<${response}, Extract<${fields}, keyof ${response}>>`;
  }
  const [named] = namedResult(api, op);
  if (op.response.paging) return `Page<${named ?? `NonNullable<${response}[${JSON.stringify(op.response.paging.items)}]>[number]`}>`;
  if (op.response.unwrap) {
    // A field of no declared type is any JSON value, or absent: NonNullable would turn its `unknown` into `{}`.
    if (unwrapsUntypedField(api, op)) return `${response}[${JSON.stringify(op.response.unwrap)}]`;
    return named ?? scalarField(api, op) ?? `NonNullable<${response}[${JSON.stringify(op.response.unwrap)}]>`;
  }
  return response;
}

/** Whether the field the operation unwraps declares no type at all (Sobot's undocumented `item`s). */
function unwrapsUntypedField(api: ApiModel, op: Operation): boolean {
  const property = namedSchemas(api).get(op.response.schema)?.properties?.[op.response.unwrap!];
  return property !== undefined && typeOf(property) === "unknown";
}

/** The type of an unwrapped field that is a plain string or number (Sobot's track_id, configid). */
function scalarField(api: ApiModel, op: Operation): string | undefined {
  const property = namedSchemas(api).get(op.response.schema)?.properties?.[op.response.unwrap!];
  const scalar = property && !property.enum && !property.oneOf && ["string", "integer", "number", "boolean"].includes(String(property.type));
  return scalar ? typeOf(property) : undefined;
}

/** `body.name`, or `body["name"]` where the name is not an identifier. */
function member(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

function methodDocs(op: Operation): string {
  const lines = [
    ...textLines(op.summary),
    ...(op.description ? ["", ...textLines(op.description)] : []),
    "",
    `\`${op.method} ${op.path}\` (source: ${op.source})`,
    ...otherLanguageLines(op.summary, op.description),
    ...remarksLines(op.decisions),
    "",
    ...op.pathParams.flatMap((p) => (p.argument ? [`@param ${p.argument} - ${textLines(p.description).join(" ")} (\`{${p.name}}\` in the path)`] : [])),
    ...(op.response.selectedBy ? [`@typeParam F - the fields asked for in \`${op.response.selectedBy.request}\`; the result holds those${op.response.selectedBy.always?.length ? ` and ${op.response.selectedBy.always.map((f) => `\`${f}\``).join(", ")}` : ""}`] : []),
    `@param request - {@link ${op.request.schema}}${op.request.in === "query" ? ", sent as query parameters" : op.request.files ? `, sent as multipart/form-data when it holds ${op.request.files.map((f) => `\`${f}\``).join(" or ")}, else as JSON` : ""}`,
    `@throws RequestValidationError when the request breaks the spec (nothing is sent)`,
    ...op.errors.map((table) => `@throws an API error whose code is in {@link ${table}}`),
  ];
  return lines.join("\n");
}

/** The value of a path parameter: the caller's argument, or the call's or client's option. */
function pathValue(param: PathParam): string {
  if (param.argument) return param.argument;
  // Absent, the call fails before sending (core's buildUrl names the parameter).
  return `options.${param.clientOption} ?? this.core.options.${param.clientOption}`;
}

/** What the call acts for (see Runtime.scopeOption): the path parameter its option fills, else the option. */
function scopeValue(op: Operation, runtime: Runtime): string[] {
  const option = runtime.scopeOption;
  if (!option) return [];
  const param = op.pathParams.find((p) => p.clientOption === option);
  return [`page: ${param ? `pathParams${member(param.name)}` : `options.${option} ?? this.core.options.${option}`}`];
}

/** A request whose schema requires nothing may be left out: `getPersona(id)` rather than `getPersona(id, {})`. */
function requestOptional(api: ApiModel, op: Operation): boolean {
  const schema = namedSchemas(api).get(op.request.schema);
  return schema !== undefined && schema.type === "object" && !schema.required?.length && !schema.oneOf && !schema.allOf && !schema.ref;
}

/**
 * A method's parameters before its options, as the client and the batch item builders take them:
 * the caller's path arguments, then the request (generic over the fields asked for with
 * `selectedBy`; optional when it requires nothing). `typeParameter` is that generic's constraint.
 */
export function callParameters(api: ApiModel, op: Operation): { parameters: { name: string; type: string; initializer?: string }[]; typeParameter?: string } {
  const selection = fieldSelection(api, op);
  const request = selection
    ? { name: "request", type: selection.request }
    : { name: "request", type: op.request.schema, ...(requestOptional(api, op) ? { initializer: "{}" } : {}) };
  const args = op.pathParams.flatMap((p) => (p.argument ? [{ name: p.argument, type: "string" }] : []));
  return { parameters: [...args, request], ...(selection ? { typeParameter: selection.constraint } : {}) };
}

/** Operations a batch can carry: every one with credentials, but the batch itself and uploads of files. */
export function batchable(api: ApiModel): Operation[] {
  return api.operations.filter((op) => op.name !== api.runtime?.batch && op.auth && !op.request.files);
}

function operationMethods(api: ApiModel, op: Operation, className: string, runtime: Runtime): OptionalKind<MethodDeclarationStructure>[] {
  const pathParams = op.pathParams.map((p) => `${JSON.stringify(p.name)}: ${pathValue(p)}`);
  const scope = scopeValue(op, runtime);
  const call = [
    `operation: ${JSON.stringify(op.name)}`,
    `method: ${JSON.stringify(op.method)}`,
    `path: ${JSON.stringify(op.path)}`,
    ...(pathParams.length ? ["pathParams"] : []),
    ...scope,
    op.request.in === "query"
      ? "query: { ...request }"
      : op.request.files
        ? `...(await withFiles(${JSON.stringify(op.name)}, request, ${JSON.stringify(op.request.files)}))`
        : "body: request",
    ...(op.auth ? [] : ["auth: false"]),
    ...(op.idempotent ? ["idempotent: true"] : []),
    ...(op.response.unwrap ? [`unwrap: ${JSON.stringify(op.response.unwrap)}`] : []),
  ];
  const check = [
    `this.checkRequest(${JSON.stringify(op.name)}, validators.${op.request.schema}, request, options);`,
    ...(pathParams.length ? [`const pathParams = { ${pathParams.join(", ")} };`] : []),
  ];
  const paging = op.response.paging;
  const { parameters, typeParameter } = callParameters(api, op);
  const argumentParams = parameters.slice(0, -1);
  const requestParam = parameters.at(-1)!;
  const argumentsBefore = argumentParams.map((p) => `${p.name}, `).join("");
  const body = paging
    ? [
        ...check,
        `const body = await this.core.call<${op.response.schema}>({ ${call.join(", ")} }, options);`,
        `return { items: body${member(paging.items)} ?? [], page_no: body${member(paging.pageNo)} ?? 0, page_size: body${member(paging.pageSize)} ?? 0, page_count: body${member(paging.pageCount)} ?? 0, total_count: body${member(paging.totalCount)} ?? 0 };`,
      ]
    : [...check, `return this.core.call<${resultType(api, op)}>({ ${call.join(", ")} }, options);`];
  const methods: OptionalKind<MethodDeclarationStructure>[] = [{
    name: op.name,
    isAsync: true,
    ...(typeParameter ? { typeParameters: [{ name: "F", constraint: typeParameter }] } : {}),
    docs: [methodDocs(op)],
    parameters: [...argumentParams, requestParam, { name: "options", type: `${className}CallOptions`, initializer: "{}" }],
    returnType: `Promise<${resultType(api, op)}>`,
    statements: body,
  }];
  if (paging) {
    methods.push({
      name: `${op.name}Pages`,
      docs: [`Every page of {@link ${className}.${op.name}}, one request per page, starting at \`${paging.pageNo}\` (default 1) and stopping after the last page.`],
      parameters: [
        ...argumentParams,
        { name: "request", type: `Omit<${op.request.schema}, ${JSON.stringify(paging.pageNo)}> & { ${paging.pageNo}?: number }` },
        { name: "options", type: `${className}CallOptions`, initializer: "{}" },
      ],
      returnType: `AsyncGenerator<${resultType(api, op)}, void, undefined>`,
      statements: `return iteratePages((pageNo) => this.${op.name}(${argumentsBefore}{ ...request, ${paging.pageNo}: pageNo }, options), request.${paging.pageNo} ?? 1);`,
    });
  }
  const cursorPaging = op.response.cursorPaging;
  if (cursorPaging) {
    // The answer is there; what is inside it may be missing or null (received data stays open).
    const read = (path: string) => `answer${path.split(".").map((key, i) => (i === 0 ? member(key) : `?.${member(key).replace(/^\./, "")}`)).join("")}`;
    methods.push({
      name: `${op.name}Pages`,
      docs: [
        `Every page of {@link ${className}.${op.name}}, one request per page: each answer's \`${cursorPaging.cursor}\` goes into the next request as \`${cursorPaging.request}\`, until an answer has no \`${cursorPaging.next}\`.`,
      ],
      parameters: [...argumentParams, requestParam, { name: "options", type: `${className}CallOptions`, initializer: "{}" }],
      returnType: `AsyncGenerator<${resultType(api, op)}, void, undefined>`,
      statements: [
        `return iterateCursorPages(`,
        `  (page: ${op.request.schema}) => this.${op.name}(${argumentsBefore}page, options),`,
        `  request,`,
        `  (answer) => (${read(cursorPaging.next)} ? (${read(cursorPaging.cursor)} ?? undefined) : undefined),`,
        `  (page, cursor) => ({ ...page, ${member(cursorPaging.request).replace(/^\./, "")}: cursor }),`,
        `);`,
      ],
    });
  }
  return methods;
}

/** `batch(items)`: typed calls (the `<operation>Item` builders) in one batch request, one result each. */
function batchMethod(api: ApiModel, op: Operation, className: string): OptionalKind<MethodDeclarationStructure> {
  const [example] = batchable(api);
  return {
    name: "batch",
    isAsync: true,
    typeParameters: [{ name: "const I", constraint: "readonly BatchItem<unknown>[]" }],
    docs: [
      [
        `Sends \`items\` (built by this package's \`<operation>Item\` functions${example ? `, such as \`${example.name}Item(request)\`` : ""}) with {@link ${className}.${op.name}}, and answers one result per item, in order: \`{ ok: true, value }\` with the item's answer, or \`{ ok: false, error }\`. An item's failure does not fail the others.`,
        "",
        "The items of one batch are for one Page (one access token): the call's or the client's `pageId`, or the `pageId` an item was built with. An item the retry policy may repeat on its own (a retryable code, a rate limit, an idempotent item that did not complete) is sent again in a smaller batch; the others never.",
        "",
        "@throws MessengerError before anything is sent: no items, more than 50, or items for several Pages",
      ].join("\n"),
    ],
    parameters: [
      { name: "items", type: "I" },
      { name: "options", type: `${className}CallOptions`, initializer: "{}" },
    ],
    returnType: "Promise<BatchResults<I>>",
    statements: `return runBatch(this.core, items, (request, pageId) => this.${op.name}(request, pageId === undefined ? options : { ...options, pageId }), options);`,
  };
}

