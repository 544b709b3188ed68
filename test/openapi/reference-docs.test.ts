import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { Text } from "../../generator/model/types.js";
import { generatedDir } from "../support/paths.js";
import { loadRealSpec } from "../support/spec-examples.js";

/** generated/docs: a page per operation and per webhook event kind, with what the spec says, and no dead link. */

const spec = loadRealSpec();
const read = (path: string) => readFileSync(join(generatedDir, path), "utf8");

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? markdownFiles(full) : name.endsWith(".md") ? [full] : [];
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (heading) found.add(heading[1]!.toLowerCase().replace(/[^\p{L}\p{N}_ -]/gu, "").replace(/ /g, "-"));
  }
  return found;
}

/** Markdown table cells escape pipes; prettier may escape emphasis characters. */
const plain = (text: string) => text.replace(/\\([|*_])/g, "$1");
const languagesOf = (text: Text | undefined) => Object.values(text ?? {}).filter((t): t is string => Boolean(t?.trim()));

describe.each(spec.apis.map((api) => [api.name, api] as const))("reference docs: %s", (apiName, api) => {
  it("has an index page listing every operation and event kind", () => {
    const index = read(`docs/${apiName}/README.md`);
    for (const op of api.operations) expect(index).toContain(`(operations/${op.name}.md)`);
    for (const event of api.webhooks.flatMap((h) => h.events)) expect(index).toContain(`(webhooks/${event.kind}.md)`);
  });

  describe.each(api.operations.map((op) => [op.name, op] as const))("operation %s", (_name, op) => {
    const page = () => plain(read(`docs/${apiName}/operations/${op.name}.md`));
    const request = api.schemas.find((s) => s.name === op.request.schema)!.schema;
    const response = api.schemas.find((s) => s.name === op.response.schema)!.schema;

    it("states the endpoint and the summary in every language", () => {
      expect(page()).toContain(`\`${op.method} ${op.path}\``);
      for (const text of languagesOf(op.summary)) expect(page()).toContain(text.trim());
    });

    it("shows every request and response example as pretty JSON", () => {
      for (const example of [...(request.examples ?? []), ...(response.examples ?? [])]) {
        expect(page()).toContain(`#### ${example.name}`);
        expect(page()).toContain(JSON.stringify(example.value, null, 2));
      }
    });

    it("lists the fields of its bodies with their descriptions in every language", () => {
      for (const node of [request, response]) {
        for (const [name, property] of Object.entries(node.properties ?? {})) {
          expect(page()).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, "m"));
          for (const text of languagesOf(property.description)) expect(page()).toContain(text.trim().split("\n")[0]);
        }
      }
    });

    it("lists every code of the error tables it names", () => {
      for (const name of op.errors) {
        const table = api.errorTables.find((t) => t.name === name)!;
        expect(page()).toContain(`### ${name}`);
        for (const entry of table.entries) expect(page()).toMatch(new RegExp(`^\\| \`${entry.code}\` +\\| ${entry.name} +\\|`, "m"));
      }
    });

    it("records the operation's decisions", () => {
      for (const decision of op.decisions) expect(page()).toContain(languagesOf(decision.decision)[0]!.trim().replace(/\s*\n\s*/g, " "));
    });
  });

  describe.each(api.webhooks.flatMap((hook) => hook.events.map((event) => [event.kind, hook, event] as const)))("event kind %s", (kind, _hook, event) => {
    it("has a page with the fields of its schema", () => {
      const page = plain(read(`docs/${apiName}/webhooks/${kind}.md`));
      expect(page).toContain(`# Webhook event: ${kind}`);
      const schema = api.schemas.find((s) => s.name === event.schema)!.schema;
      for (const name of Object.keys(schema.properties ?? {})) expect(page).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, "m"));
    });
  });
});

describe("links", () => {
  const pages = [...markdownFiles(join(generatedDir, "docs")), join(generatedDir, "README.md")];

  it.each(pages.map((p) => [relative(generatedDir, p), p] as const))("%s has no dead link", (_name, file) => {
    const markdown = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
    const dead: string[] = [];
    for (const [, target] of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [path, hash] = target!.split("#");
      const resolved = path ? join(dirname(file), path) : file;
      if (!existsSync(resolved)) dead.push(target!);
      else if (hash && resolved.endsWith(".md") && !anchors(readFileSync(resolved, "utf8")).has(hash)) dead.push(target!);
    }
    expect(dead).toEqual([]);
  });

  it("the package README links the docs beside it, and the package ships the OpenAPI documents", () => {
    const readme = read("README.md");
    expect(readme).toContain("(docs/README.md)");
    const manifest = JSON.parse(read("package.json")) as { files: string[]; exports: Record<string, unknown> };
    // The documents ship in dist/, without indentation (generator/build-package.ts), under their names.
    expect(manifest.files).toContain("dist");
    expect(manifest.exports["./openapi"]).toBeDefined();
    expect(manifest.exports["./openapi/*.json"]).toBe("./dist/openapi/*.json");
    expect(manifest.exports["./schemas/*"]).toBe("./dist/schemas/*");
  });
});
