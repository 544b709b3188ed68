import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { fixturesDir } from "./paths.js";

/** A temporary root holding a copy of a fixture spec as `<root>/spec`, so problems print `spec/...`. */
export function copyFixtureSpec(fixture = "minimal", prefix = "spec-copy-"): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(fixturesDir, fixture, "spec"), join(root, "spec"), { recursive: true });
  return root;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- spec files are free-form YAML here
export type Yaml = any;

/** Rewrites one spec file (`graph/api.yaml`) through a function of its parsed data. */
export function mutateSpecFile(specDir: string, file: string, mutate: (data: Yaml) => void): void {
  const path = join(specDir, file);
  const data = parse(readFileSync(path, "utf8")) as Yaml;
  mutate(data);
  writeFileSync(path, stringify(data, { lineWidth: 0 }));
}

export interface Apis {
  graph: Yaml;
  sobot: Yaml;
}

/** Rewrites both API files of a copied minimal fixture at once. */
export function mutateApis(specDir: string, mutate: (apis: Apis) => void): void {
  const files = { graph: join(specDir, "graph", "api.yaml"), sobot: join(specDir, "sobot", "api.yaml") };
  const apis: Apis = { graph: parse(readFileSync(files.graph, "utf8")), sobot: parse(readFileSync(files.sobot, "utf8")) };
  mutate(apis);
  writeFileSync(files.graph, stringify(apis.graph, { lineWidth: 0 }));
  writeFileSync(files.sobot, stringify(apis.sobot, { lineWidth: 0 }));
}

/**
 * Two copies of the minimal fixture: `old` with `base` applied, `new` with `base` and then `change`.
 * Both are rewritten the same way, so only the change differs between them.
 */
export function specPair(change: (apis: Apis) => void, base: (apis: Apis) => void = () => {}): { oldRoot: string; newRoot: string } {
  const oldRoot = copyFixtureSpec("minimal", "spec-old-");
  const newRoot = copyFixtureSpec("minimal", "spec-new-");
  mutateApis(join(oldRoot, "spec"), base);
  mutateApis(join(newRoot, "spec"), (apis) => {
    base(apis);
    change(apis);
  });
  return { oldRoot, newRoot };
}

/** Adds the examples the minimal fixture leaves out (request, response, webhook): lint-clean and fully generatable. */
export const withExamples = (a: Apis): void => {
  const s = a.sobot.schemas;
  s.GetTokenRequest.examples = [{ name: "tokenRequest", source: "fixture", value: { appid: "a", create_time: "1", sign: "s" } }];
  s.GetTokenResponse.examples = [{ name: "tokenResponse", source: "fixture", value: { ret_code: "000000", ret_msg: "ok", item: { token: "t", expires_in: "86400" } } }];
  s.ListTopicsRequest.examples = [{ name: "topicsRequest", source: "fixture", value: { page_no: 1, page_size: 10 } }];
  s.ListTopicsResponse.examples = [{ name: "topicsResponse", source: "fixture", value: { ret_code: "000000", ret_msg: "ok", item: [] } }];
  const g = a.graph.schemas;
  g.WebhookPayload.examples = [{ name: "payload", source: "fixture", value: { object: "page", entry: [] } }];
  g.MessageEvent.examples = [{ name: "messageEvent", source: "fixture", value: { message: { text: "hi" } } }];
};
