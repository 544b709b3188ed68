/** The in-process sections, bundled by bench/plain-node.ts: `node sections.mjs SECTION SDK OPTIONS RESULT_FILE`. */
import { writeFileSync } from "node:fs";
import { validationSection } from "./validation.js";
import { webhookSection } from "./webhook.js";

const [section, sdkDir, options, resultFile] = process.argv.slice(2);
if (!section || !sdkDir || !options || !resultFile) throw new Error("usage: sections.mjs SECTION SDK OPTIONS RESULT_FILE");
const run = { validation: validationSection, webhook: webhookSection }[section];
if (!run) throw new Error(`unknown section '${section}'`);
writeFileSync(resultFile, JSON.stringify(await run(sdkDir, JSON.parse(options) as Record<string, number>)));
