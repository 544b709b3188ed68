import { VariableDeclarationKind } from "./structures.js";
import type { ApiModel, Webhook, WebhookEventKind } from "../model/types.js";
import { otherLanguageLines, textLines } from "./docs.js";
import { sourceText, StructuredFile } from "./project.js";
import type { Emitter, GeneratedFile } from "./types.js";

const pascal = (name: string) => name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());

/**
 * `src/<api>/webhooks.ts`: a parser per webhook that checks the signature (where the API signs)
 * and hands the body to core/webhook-parse.ts with the webhook's layout from the spec. Only the
 * envelope can refuse a delivery; each event is checked on its own and delivered either way, and
 * an event of a kind the spec does not know is kept as `kind: "unknown"`: a new Messenger feature
 * must not make a webhook drop events.
 */
export const emitWebhooks: Emitter = (model) => Promise.all(model.apis.filter((api) => api.webhooks.length).map(webhooksFile));

export function parserName(api: ApiModel, hook: Webhook): string {
  return `parse${pascal(api.name)}${hook.name === "webhook" ? "Webhook" : pascal(hook.name)}`;
}

/** The parser without the signature check, for bodies the HTTP handlers have authenticated. */
export function readerName(api: ApiModel, hook: Webhook): string {
  return `${parserName(api, hook).replace(/^parse/, "read")}Delivery`;
}

async function webhooksFile(api: ApiModel): Promise<GeneratedFile> {
  // The layout constant and the event type are per file; two webhooks would need them per webhook.
  if (api.webhooks.length > 1) throw new Error(`API '${api.name}' declares ${api.webhooks.length} webhooks; one per API is supported`);
  const path = `src/${api.name}/webhooks.ts`;
  const file = new StructuredFile();
  const signed = api.webhooks.some((h) => h.signature);
  const verified = api.webhooks.some((h) => h.verification);
  const schemaTypes = [...new Set(api.webhooks.flatMap((h) => [h.payload, ...h.events.map((e) => e.schema)]))].sort();
  if (signed || verified) {
    file.addImportDeclaration({
      moduleSpecifier: "../core/signature.js",
      namedImports: [...(verified ? ["answerVerification", "type VerificationResult"] : []), ...(signed ? ["verifyHmacSha256Signature"] : [])],
    });
  }
  file.addImportDeclaration({
    moduleSpecifier: "../core/webhook-parse.js",
    namedImports: [
      "parseDeliveryText",
      "readDelivery",
      "type KnownEvent",
      "type ParsedDelivery",
      "type ReceivedEventBase",
      "type UnknownEvent",
      "type WebhookLayout",
    ],
  });
  if (signed) file.addImportDeclaration({ moduleSpecifier: "../core/webhook-errors.js", namedImports: ["WebhookSignatureError"] });
  file.addImportDeclaration({ moduleSpecifier: "./types.js", namedImports: schemaTypes, isTypeOnly: true });
  file.addImportDeclaration({ moduleSpecifier: "./validators.js", namespaceImport: "validators" });

  for (const hook of api.webhooks) addWebhook(file, api, hook);
  return { path, content: await sourceText(file) };
}

type File = StructuredFile;

function addWebhook(file: File, api: ApiModel, hook: Webhook): void {
  const infix = `${pascal(api.name)}${hook.name === "webhook" ? "" : pascal(hook.name)}`;
  const eventType = `${infix}WebhookEvent`;
  const deliveryType = `${infix}WebhookDelivery`;
  const parser = parserName(api, hook);

  file.addTypeAlias({
    name: `${eventType}Base`,
    isExported: true,
    docs: ["What every event carries besides its kind and data: identity, place, Page, parties and times."],
    type: "ReceivedEventBase",
  });
  const variants = hook.events.map((e) => `KnownEvent<${JSON.stringify(e.kind)}, ${e.schema}>`);
  variants.push("UnknownEvent");
  file.addTypeAlias({
    name: eventType,
    isExported: true,
    docs: [[
      `One event of ${api.title}'s webhook, discriminated on \`kind\`. An event that departs from its`,
      "kind's schema is still delivered, as received, with `conforms: false` and its `issues`;",
      "check `conforms` before reading `data` as the kind's type.",
      "",
      ...hook.events.map(eventDoc),
      "- `unknown`: a kind the spec does not describe yet, kept whole; its `id` is a hash of the event as received.",
    ].join("\n")],
    type: variants.join("\n  | "),
  });
  file.addTypeAlias({
    name: deliveryType,
    isExported: true,
    docs: ["The events of one delivery and every departure from the spec in it (the events' and the envelope's)."],
    type: `ParsedDelivery<${eventType}>`,
  });

  const parseOptions = `${infix}WebhookOptions`;
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
      {
        name: "validate",
        type: "boolean",
        hasQuestionToken: true,
        docs: ["Check each event against its kind's schema (default true). Off, every event counts as conforming."],
      },
    ],
  });

  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    docs: ["Where the events sit in a body, each kind's schema and the fields that identify it, from the spec."],
    declarations: [{ name: "layout", type: "WebhookLayout", initializer: layoutLiteral(hook) }],
  });

  const signatureCheck = hook.signature
    ? [
        `if (!(await verifyHmacSha256Signature(rawBody, options.signature, options.appSecret, ${JSON.stringify(hook.signature.prefix)}))) {`,
        `  throw new WebhookSignatureError(${JSON.stringify(hook.signature.header)});`,
        "}",
      ]
    : [];
  // Both parsers take the same arguments and fail the same ways.
  const argumentDocs = [
    "@param rawBody - the request body exactly as received (the signature covers these bytes)",
    ...(hook.signature ? ["@throws WebhookSignatureError when the signature is missing or wrong"] : []),
    "@throws WebhookPayloadError only when the body is not JSON or not this webhook's envelope; an event's shape never throws",
  ];
  const parameters = [
    { name: "rawBody", type: "string | Uint8Array" },
    { name: "options", type: parseOptions, ...(hook.signature ? {} : { initializer: "{}" }) },
  ];
  file.addFunction({
    name: `${parser}Delivery`,
    isExported: true,
    isAsync: true,
    docs: [[
      ...textLines(hook.summary),
      "",
      ...(hook.signature ? [`Checks \`${hook.signature.header}\` (HMAC-SHA256 of the raw body with the app secret) before parsing.`] : ["This webhook carries no signature."]),
      "Strict where we send, tolerant where we receive: every event of the delivery is returned, each checked on its own.",
      ...otherLanguageLines(hook.summary),
      "",
      ...argumentDocs,
    ].join("\n")],
    parameters,
    returnType: `Promise<${deliveryType}>`,
    statements: [...signatureCheck, `return ${readerName(api, hook)}(rawBody, options);`],
  });
  file.addFunction({
    name: readerName(api, hook),
    isExported: true,
    docs: [[
      `The events of one delivery whose ${hook.signature ? "signature has been checked already" : "origin the caller trusts"}, each checked against its kind's schema.`,
      ...(hook.signature ? ["The HTTP handlers use it after checking the signature as the body streams in; otherwise call", `{@link ${parser}Delivery}, which checks it.`] : []),
      "",
      "@param rawBody - the request body exactly as received",
      "@throws WebhookPayloadError only when the body is not JSON or not this webhook's envelope; an event's shape never throws",
    ].join("\n")],
    parameters: [
      { name: "rawBody", type: "string | Uint8Array" },
      { name: "options", type: `{ validate?: boolean }`, initializer: "{}" },
    ],
    returnType: deliveryType,
    statements: [
      `const text = typeof rawBody === "string" ? rawBody : new TextDecoder().decode(rawBody);`,
      `return parseDeliveryText(text, layout, options.validate !== false) as ${deliveryType};`,
    ],
  });
  file.addFunction({
    name: parser,
    isExported: true,
    isAsync: true,
    docs: [[
      `The events of one delivery (see {@link ${parser}Delivery}, which also lists the departures).`,
      "",
      ...argumentDocs,
    ].join("\n")],
    parameters,
    returnType: `Promise<${eventType}[]>`,
    statements: [`return (await ${parser}Delivery(rawBody, options)).events;`],
  });
  file.addFunction({
    name: `flatten${infix}${hook.name === "webhook" ? "Webhook" : ""}`,
    isExported: true,
    docs: ["The events of an already parsed (and trusted) body, in the order they arrived, unchecked.\n\n@throws WebhookPayloadError when the body is not this webhook's envelope"],
    parameters: [{ name: "body", type: `${hook.payload} | Record<string, unknown>` }],
    returnType: `${eventType}[]`,
    statements: `return readDelivery(body, layout, false).events as ${eventType}[];`,
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
        ...otherLanguageLines(v.description),
        "",
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
}

function eventDoc(event: WebhookEventKind): string {
  const description = event.description?.en ?? event.description?.zh;
  const where = event.topLevel ? "a whole body of its own" : `has \`${event.field}\`${event.lists ? ` (in ${event.lists.map((l) => `\`${l}\``).join(", ")})` : ""}`;
  const identity = event.identity.length ? ` Identity: ${event.identity.map((p) => `\`${p}\``).join(" + ")}.` : " Identity: a hash of the event.";
  return `- \`${event.kind}\`: ${where}${description ? ` — ${description}` : ""}${identity}`;
}

/** The spec's webhook as the runtime's WebhookLayout literal. */
function layoutLiteral(hook: Webhook): string {
  const kind = (e: WebhookEventKind) =>
    `{ kind: ${JSON.stringify(e.kind)}, field: ${JSON.stringify(e.field)}, validator: validators.${e.schema}, identity: ${JSON.stringify(e.identity)}${e.lists ? `, lists: ${JSON.stringify(e.lists)}` : ""} }`;
  const envelope = hook.envelope;
  const lines = [
    `  topLevel: [${hook.events.filter((e) => e.topLevel).map(kind).join(", ")}],`,
    ...(envelope
      ? [
          "  envelope: {",
          `    match: ${JSON.stringify(envelope.match)},`,
          `    entries: ${JSON.stringify(envelope.entries)},`,
          `    lists: [${envelope.lists.map((list) => `[${JSON.stringify(list)}, ${list === envelope.standby}]`).join(", ")}],`,
          `    pageId: ${JSON.stringify(envelope.pageId)},`,
          `    entryTime: ${JSON.stringify(envelope.entryTime)},`,
          `    validator: validators.${envelope.schema ?? hook.payload},`,
          "  },",
        ]
      : []),
    "  kinds: [",
    ...hook.events.filter((e) => !e.topLevel).map((e) => `    ${kind(e)},`),
    "  ],",
  ];
  return `{\n${lines.join("\n")}\n}`;
}
