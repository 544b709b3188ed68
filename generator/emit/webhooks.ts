import { VariableDeclarationKind } from "ts-morph";
import type { ApiModel, Webhook, WebhookEventKind } from "../model/types.js";
import { textLines } from "./docs.js";
import { createSourceFile, sourceText } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";

const pascal = (name: string) => name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());

/**
 * `src/<api>/webhooks.ts`: a parser per webhook that checks the signature (where the API signs),
 * validates the body, and flattens it into typed events. An event of a kind the spec does not
 * know is kept as `kind: "unknown"`: a new Messenger feature must not make a webhook drop events.
 */
export const emitWebhooks: Emitter = (model) => model.apis.filter((api) => api.webhooks.length).map(webhooksFile);

export function parserName(api: ApiModel, hook: Webhook): string {
  return `parse${pascal(api.name)}${hook.name === "webhook" ? "Webhook" : pascal(hook.name)}`;
}

function webhooksFile(api: ApiModel): GeneratedFile {
  // The helpers below (classify, forEachItem, ...) are per file; two webhooks would need them per webhook.
  if (api.webhooks.length > 1) throw new Error(`API '${api.name}' declares ${api.webhooks.length} webhooks; one per API is supported`);
  const path = `src/${api.name}/webhooks.ts`;
  const file = createSourceFile(path);
  const signed = api.webhooks.some((h) => h.signature);
  const verified = api.webhooks.some((h) => h.verification);
  const schemaTypes = [...new Set(api.webhooks.flatMap((h) => [h.payload, ...h.events.map((e) => e.schema)]))].sort();
  if (signed || verified) {
    file.addImportDeclaration({
      moduleSpecifier: "../core/signature.js",
      namedImports: [...(verified ? ["answerVerification", "type VerificationResult"] : []), ...(signed ? ["verifyHmacSha256Signature"] : [])],
    });
  }
  file.addImportDeclaration({ moduleSpecifier: "../core/errors.js", namedImports: ["ValidationIssue"], isTypeOnly: true });
  file.addImportDeclaration({ moduleSpecifier: "../core/validation.js", namedImports: ["toIssues", "type RawValidator"] });
  file.addImportDeclaration({
    moduleSpecifier: "../core/webhook-errors.js",
    namedImports: ["WebhookPayloadError", ...(signed ? ["WebhookSignatureError"] : [])],
  });
  file.addImportDeclaration({ moduleSpecifier: "./types.js", namedImports: schemaTypes, isTypeOnly: true });
  file.addImportDeclaration({ moduleSpecifier: "./validators.js", namespaceImport: "validators" });

  for (const hook of api.webhooks) addWebhook(file, api, hook);
  return { path, content: sourceText(file) };
}

type File = ReturnType<typeof createSourceFile>;

function addWebhook(file: File, api: ApiModel, hook: Webhook): void {
  const eventType = `${pascal(api.name)}${hook.name === "webhook" ? "" : pascal(hook.name)}WebhookEvent`;
  const baseType = `${eventType}Base`;
  const envelope = hook.envelope;

  file.addInterface({
    name: baseType,
    isExported: true,
    docs: ["What every flattened event carries besides its own data."],
    properties: [
      { name: "pageId", type: "string", hasQuestionToken: true, docs: ["The Page the event belongs to (the entry's id)."] },
      { name: "time", type: "number", hasQuestionToken: true, docs: ["When the entry was sent, epoch milliseconds."] },
      { name: "senderId", type: "string", hasQuestionToken: true, docs: ["Who sent the event (a PSID, or the Page for echoes)."] },
      { name: "recipientId", type: "string", hasQuestionToken: true },
      { name: "timestamp", type: "number", hasQuestionToken: true, docs: ["When the event happened, epoch milliseconds."] },
      { name: "standby", type: "boolean", docs: ["Whether the event came in the standby list (another app controls the thread)."] },
    ],
  });
  const variants = hook.events.map((e) => `(${baseType} & { kind: ${JSON.stringify(e.kind)}; data: ${e.schema} })`);
  variants.push(`(${baseType} & { kind: "unknown"; data: Record<string, unknown> })`);
  file.addTypeAlias({
    name: eventType,
    isExported: true,
    docs: [[`One event of ${api.title}'s webhook, discriminated on \`kind\`.`, "", ...hook.events.map(eventDoc)].join("\n")],
    type: variants.join("\n  | "),
  });

  const parseOptions = `${pascal(api.name)}${hook.name === "webhook" ? "" : pascal(hook.name)}WebhookOptions`;
  file.addInterface({
    name: parseOptions,
    isExported: true,
    properties: [
      ...(hook.signature
        ? [
            { name: "signature", type: "string | null | undefined", docs: [`The \`${hook.signature.header}\` request header.`] },
            { name: "appSecret", type: "string", docs: ["The app secret the signature is made with."] },
          ]
        : []),
      { name: "validate", type: "boolean", hasQuestionToken: true, docs: ["Check the body against the spec (default true)."] },
    ],
  });

  const flattenName = `flatten${pascal(api.name)}${hook.name === "webhook" ? "Webhook" : pascal(hook.name)}`;
  file.addFunction({
    name: parserName(api, hook),
    isExported: true,
    isAsync: true,
    docs: [[
      ...textLines(hook.summary),
      "",
      ...(hook.signature ? [`Checks \`${hook.signature.header}\` (HMAC-SHA256 of the raw body with the app secret) before parsing.`] : ["This webhook carries no signature."]),
      "",
      `@param rawBody - the request body exactly as received (the signature covers these bytes)`,
      ...(hook.signature ? ["@throws WebhookSignatureError when the signature is missing or wrong"] : []),
      "@throws WebhookPayloadError when the body is not JSON or not a valid payload",
    ].join("\n")],
    parameters: [
      { name: "rawBody", type: "string | Uint8Array" },
      { name: "options", type: parseOptions, ...(hook.signature ? {} : { initializer: "{}" }) },
    ],
    returnType: `Promise<${eventType}[]>`,
    statements: [
      ...(hook.signature
        ? [
            `if (!(await verifyHmacSha256Signature(rawBody, options.signature, options.appSecret, ${JSON.stringify(hook.signature.prefix)}))) {`,
            `  throw new WebhookSignatureError(${JSON.stringify(hook.signature.header)});`,
            "}",
          ]
        : []),
      `const text = typeof rawBody === "string" ? rawBody : new TextDecoder().decode(rawBody);`,
      "let body: unknown;",
      "try {",
      "  body = JSON.parse(text);",
      "} catch {",
      `  throw new WebhookPayloadError("webhook body is not JSON");`,
      "}",
      "if (options.validate !== false) {",
      `  if (!validators.${hook.payload}(body)) {`,
      `    throw new WebhookPayloadError("webhook body does not match ${hook.payload}", toIssues(validators.${hook.payload}));`,
      "  }",
      `  const issues = eventIssues(body as ${hook.payload});`,
      `  if (issues.length) throw new WebhookPayloadError("webhook event does not match its kind", issues);`,
      "}",
      `return ${flattenName}(body as ${hook.payload});`,
    ],
  });

  const topLevel = hook.events.filter((e) => e.topLevel);
  const nested = hook.events.filter((e) => !e.topLevel);
  file.addFunction({
    name: flattenName,
    isExported: true,
    docs: ["The events of an already parsed body, in the order they arrived."],
    parameters: [{ name: "body", type: hook.payload }],
    returnType: `${eventType}[]`,
    statements: [
      "const record = body as unknown as Record<string, unknown>;",
      ...topLevel.map((e) => `if (${JSON.stringify(e.field)} in record) return [{ kind: ${JSON.stringify(e.kind)}, standby: false, data: record as unknown as ${e.schema} }];`),
      `const events: ${eventType}[] = [];`,
      "forEachItem(record, (item, base) => events.push(classify(item, base)));",
      "return events;",
    ],
  });
  file.addFunction({
    name: "classify",
    docs: ["The first kind whose field the item has; `unknown` keeps a kind the spec does not describe."],
    parameters: [{ name: "item", type: "Record<string, unknown>" }, { name: "base", type: baseType }],
    returnType: eventType,
    statements: [
      ...nested.map((e) => `if (${JSON.stringify(e.field)} in item) return { ...base, kind: ${JSON.stringify(e.kind)}, data: item as unknown as ${e.schema} };`),
      `return { ...base, kind: "unknown", data: item };`,
    ],
  });
  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    docs: ["Each known kind's own schema, checked item by item so that an unknown kind never fails a delivery."],
    declarations: [{
      name: "eventValidators",
      type: `Partial<Record<${eventType}["kind"], RawValidator>>`,
      initializer: `{\n${nested.map((e) => `  ${JSON.stringify(e.kind)}: validators.${e.schema},`).join("\n")}\n}`,
    }],
  });
  file.addFunction({
    name: "eventIssues",
    docs: ["Problems of the items of known kinds, with pointers into the whole body."],
    parameters: [{ name: "body", type: hook.payload }],
    returnType: "ValidationIssue[]",
    statements: [
      "const issues: ValidationIssue[] = [];",
      "forEachItem(body as unknown as Record<string, unknown>, (item, base, pointer) => {",
      "  const validator = eventValidators[classify(item, base).kind];",
      "  if (validator && !validator(item)) {",
      "    issues.push(...toIssues(validator).map((issue) => ({ pointer: pointer + issue.pointer, message: issue.message })));",
      "  }",
      "});",
      "return issues;",
    ],
  });
  file.addFunction({
    name: "forEachItem",
    docs: ["Visits every event item of every entry, with what the envelope says about it and its JSON pointer."],
    parameters: [
      { name: "record", type: "Record<string, unknown>" },
      { name: "visit", type: `(item: Record<string, unknown>, base: ${baseType}, pointer: string) => void` },
    ],
    returnType: "void",
    statements: envelope
      ? [
          `const lists = [${envelope.lists.map((list) => `[${JSON.stringify(list)}, ${list === envelope.standby}]`).join(", ")}] as const;`,
          `asRecords(record[${JSON.stringify(envelope.entries)}]).forEach((entry, entryIndex) => {`,
          `  const pageId = typeof entry[${JSON.stringify(envelope.pageId)}] === "string" ? (entry[${JSON.stringify(envelope.pageId)}] as string) : undefined;`,
          `  const time = typeof entry[${JSON.stringify(envelope.entryTime)}] === "number" ? (entry[${JSON.stringify(envelope.entryTime)}] as number) : undefined;`,
          "  for (const [list, standby] of lists) {",
          "    asRecords(entry[list]).forEach((item, itemIndex) => {",
          "      const timestamp = typeof item.timestamp === \"number\" ? item.timestamp : undefined;",
          "      const base = { pageId, time, senderId: idOf(item.sender), recipientId: idOf(item.recipient), timestamp, standby };",
          `      visit(item, base, \`/${envelope.entries}/\${entryIndex}/\${list}/\${itemIndex}\`);`,
          "    });",
          "  }",
          "});",
        ]
      : ["void record;", "void visit;"],
  });

  if (hook.verification) {
    const v = hook.verification;
    file.addFunction({
      name: `answer${pascal(api.name)}WebhookVerification`,
      isExported: true,
      docs: [[
        ...textLines(v.description ?? { en: "Answers the GET verification handshake a platform sends when the webhook is set up." }),
        "",
        `Reply \`200\` with \`challenge\` as the body when \`ok\`, otherwise \`403\`.`,
        `@param query - the request's query parameters (\`${v.mode}\`, \`${v.verifyToken}\`, \`${v.challenge}\`)`,
        "@param verifyToken - the token you configured for the webhook",
      ].join("\n")],
      parameters: [
        { name: "query", type: "URLSearchParams | Record<string, string | undefined>" },
        { name: "verifyToken", type: "string" },
      ],
      returnType: "VerificationResult",
      statements: `return answerVerification(query, ${JSON.stringify({ mode: v.mode, verifyToken: v.verifyToken, challenge: v.challenge, expectedMode: v.expectedMode })}, verifyToken);`,
    });
  }
  if (!file.getFunction("asRecords")) {
    file.addFunction({
      name: "asRecords",
      parameters: [{ name: "value", type: "unknown" }],
      returnType: "Record<string, unknown>[]",
      statements: `return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null) : [];`,
    });
    file.addFunction({
      name: "idOf",
      parameters: [{ name: "party", type: "unknown" }],
      returnType: "string | undefined",
      statements: `const id = typeof party === "object" && party !== null ? (party as { id?: unknown }).id : undefined;\nreturn typeof id === "string" ? id : undefined;`,
    });
  }
}

function eventDoc(event: WebhookEventKind): string {
  const description = event.description?.en ?? event.description?.zh;
  return `- \`${event.kind}\`: ${event.topLevel ? "a whole body of its own" : `has \`${event.field}\``}${description ? ` — ${description}` : ""}`;
}
