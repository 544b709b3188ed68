/**
 * Formats the runtime templates in place with the generator's prettier options, so that the
 * generator can copy them into the package as they are instead of formatting them on every run.
 * Usage: npm run format:templates (a test fails while a template is not formatted).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { formatWith } from "./format.js";
import { projectPaths } from "./paths.js";
import { templateFiles } from "./templates.js";

const paths = projectPaths(process.cwd());
let changed = 0;
for (const file of templateFiles(paths.templatesDir)) {
  const text = readFileSync(file, "utf8");
  const formatted = await formatWith("typescript", text);
  if (formatted === text) continue;
  writeFileSync(file, formatted);
  changed += 1;
  console.log(`formatted ${file}`);
}
console.log(changed === 0 ? "templates already formatted" : `${changed} template(s) formatted`);
