import type { ApiModel, SpecModel } from "../model/types.js";
import { oneLine } from "./docs.js";
import { jsonText } from "./json-text.js";
import type { EmitContext, Emitter, GeneratedFile } from "./types.js";

/** The files that make `generated/` an npm package: manifest, build config, README, LICENSE. */
export const emitPackageFiles: Emitter = (model, context) => [
  { path: "package.json", content: jsonText(packageJson(model, context)), final: true },
  { path: "tsconfig.json", content: jsonText(buildConfig), final: true },
  // Markdown as written: the tables are plain pipes like the reference docs', the rest is the spec's
  // own text (spec/package-readme.md, spec/CHANGELOG.md); prettier's Markdown support would load for these alone.
  { path: "README.md", content: readme(model, context.packageReadme), final: true },
  { path: "LICENSE", content: LICENSE, final: true },
  ...(context.changelog === undefined ? [] : [{ path: "CHANGELOG.md", content: context.changelog, final: true }]),
];

function packageJson(model: SpecModel, context: EmitContext) {
  // `default`, not `import`: Node >= 20.19 `require()`s these ES modules as well (none awaits at its
  // top level), and bundlers take them either way. One build, so one copy of each error class at run
  // time whichever way it was loaded.
  const entry = (name: string) => ({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
  return {
    name: "messenger-sdk",
    version: context.packageVersion,
    description: `Typed, validated SDK for ${listTitles(model)}. Generated from a reviewed spec.`,
    license: "MIT",
    type: "module",
    engines: { node: ">=20.19" },
    sideEffects: false,
    main: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: {
      ".": entry("index"),
      ...Object.fromEntries(model.apis.map((api) => [`./${api.name}`, entry(`${api.name}/index`)])),
      "./openapi": entry("openapi/index"),
      // The JSON documents as dist/ holds them: without indentation (generator/build-package.ts).
      "./openapi/*.json": "./dist/openapi/*.json",
      // The durable webhook inbox on Redis Streams (any runtime with a Redis client).
      "./inbox": entry("inbox/index"),
      // Node-only: the node:http webhook handler, and fake API servers for tests.
      "./node": entry("node/index"),
      "./testing": entry("testing/index"),
      "./schemas/*": "./dist/schemas/*",
      "./package.json": "./package.json",
    },
    // No src/: without source maps it helped neither "go to definition" nor the size (2.4 MB unpacked).
    // The reference docs stay in the repository (generated/docs): editors read the declarations' docs.
    files: ["dist", "README.md", "LICENSE", ...(context.changelog === undefined ? [] : ["CHANGELOG.md"])],
    keywords: ["messenger", "sdk", "webhook", ...model.apis.map((api) => api.name)],
  };
}

/** "A, B and C": the APIs' titles. */
function listTitles(model: SpecModel): string {
  const titles = model.apis.map((api) => api.title);
  return titles.length > 1 ? `${titles.slice(0, -1).join(", ")} and ${titles.at(-1)}` : (titles[0] ?? "no API");
}

const buildConfig = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2022", "DOM"],
    types: [],
    strict: true,
    declaration: true,
    sourceMap: false,
    rootDir: "src",
    outDir: "dist",
    skipLibCheck: false,
  },
  include: ["src"],
};

function apiSection(api: ApiModel): string {
  const ops = api.operations.map((op) => `| [\`${op.name}\`](docs/${api.name}/operations/${op.name}.md) | \`${op.method} ${op.path}\` | ${oneLine(op.summary)} |`);
  const hooks = api.webhooks.flatMap((hook) => hook.events.map((e) => `[\`${e.kind}\`](docs/${api.name}/webhooks/${e.kind}.md)`));
  const tables = api.errorTables.map((t) => `\`${t.name}\` (${t.entries.length} codes)`);
  return [
    `### ${api.title} (\`messenger-sdk/${api.name}\`)`,
    "",
    `Base URL: \`${api.baseUrl}\``,
    "",
    "| method | endpoint | what it does |",
    "|---|---|---|",
    ...ops,
    "",
    `Webhook event kinds: ${hooks.join(", ") || "none"}.`,
    "",
    `Error tables: ${tables.join(", ") || "none"}.`,
    "",
  ].join("\n");
}

/**
 * The package README: the spec's own part first (spec/package-readme.md: what the package is, and
 * how to use it, with examples the consumer test compiles), then what follows from the spec alone.
 */
function readme(model: SpecModel, intro: string | undefined): string {
  const first = model.apis.find((api) => api.operations.length);
  const op = first?.operations[0];
  const openApiExample = first && op
    ? `\`\`\`ts
import type { ${first.name} } from "messenger-sdk/openapi";

type ${op.name[0]!.toUpperCase()}${op.name.slice(1)}Body = ${first.name}.paths[${JSON.stringify(op.path)}][${JSON.stringify(op.method.toLowerCase())}]["requestBody"];
\`\`\`
`
    : "";
  return `${(intro ?? DEFAULT_INTRO).trimEnd()}

## What is inside

${model.apis.map(apiSection).join("\n")}
JSON Schemas (2020-12) of every type, to validate with: \`messenger-sdk/schemas/<api>.schema.json\`
(without examples: the OpenAPI documents carry every one).

## Reference docs and OpenAPI

- Reference pages (fields, limits, enum meanings, examples, error codes, decisions): [docs/](docs/README.md),
  ${model.apis.map((api) => `[${api.title}](docs/${api.name}/README.md)`).join(", ")}. They are in the
  repository beside this README (\`generated/docs/\`), not in the npm tarball; in an editor, the same texts
  are the hover docs of the types.
- OpenAPI 3.1 documents: ${model.apis.map((api) => `[\`openapi/${api.name}.openapi.json\`](openapi/${api.name}.openapi.json)`).join(", ")}
  (\`messenger-sdk/openapi/<api>.openapi.json\`).
- Their openapi-typescript types, for OpenAPI tooling such as openapi-fetch: \`messenger-sdk/openapi\`
  (${model.apis.map((api) => `\`${api.name}.paths\``).join(", ")}, with \`webhooks\`, \`components\` and \`operations\`):
  the shapes only; the documented types are those of \`messenger-sdk\`.

${openApiExample}`;
}

/** The README's start for a spec without its own (spec/package-readme.md). */
const DEFAULT_INTRO = `# messenger-sdk

Generated by messenger-codegen from a reviewed spec: do not edit; change the spec and regenerate.
`;

const LICENSE = `MIT License

Copyright (c) messenger-codegen contributors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

export type { GeneratedFile };
