import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The folders below templates/ besides core/: Node-only entry points and the inbox. */
const EXTRA_FOLDERS = ["inbox", "node", "testing"] as const;

function sourcesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
    .sort();
}

/** Every runtime template file, by absolute path: templates/core (`coreDir`) and its sibling folders. */
export function templateFiles(coreDir: string): string[] {
  const root = dirname(coreDir);
  return [
    ...sourcesIn(coreDir).map((name) => join(coreDir, name)),
    ...EXTRA_FOLDERS.flatMap((folder) => sourcesIn(join(root, folder)).map((name) => join(root, folder, name))),
  ];
}

/** The templates' text: core/ by file name, the other folders by path below templates/. */
export function readTemplates(coreDir: string): { templates: Map<string, string>; extraTemplates: Map<string, string> } {
  const root = dirname(coreDir);
  const templates = new Map(sourcesIn(coreDir).map((name) => [name, readFileSync(join(coreDir, name), "utf8")] as const));
  const extraTemplates = new Map<string, string>();
  for (const folder of EXTRA_FOLDERS) {
    for (const name of sourcesIn(join(root, folder))) {
      extraTemplates.set(`${folder}/${name}`, readFileSync(join(root, folder, name), "utf8"));
    }
  }
  return { templates, extraTemplates };
}
