import { GENERATED_HEADER } from "./project.js";
import type { Emitter } from "./types.js";

/**
 * `src/core/`: the hand-written runtime from templates/core, placed into the package unchanged; and
 * `src/node/`, `src/testing/`: the Node-only entry points from templates/node and templates/testing.
 * They are kept formatted where they are (`npm run format:templates`), so they are not formatted again.
 */
export const emitRuntime: Emitter = (_model, context) => [
  ...[...context.templates.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, content]) => ({
      path: `src/core/${name}`,
      content: `${GENERATED_HEADER.replace("from spec/", "from templates/core/")}${content}`,
      final: true,
    })),
  ...[...(context.extraTemplates ?? new Map<string, string>()).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, content]) => ({
      path: `src/${path}`,
      content: `${GENERATED_HEADER.replace("from spec/", `from templates/${path.slice(0, path.indexOf("/"))}/`)}${content}`,
      final: true,
    })),
];
