import { GENERATED_HEADER } from "./project.js";
import type { Emitter } from "./types.js";

/** `src/core/`: the hand-written runtime from templates/core, placed into the package unchanged. */
export const emitRuntime: Emitter = (_model, context) =>
  [...context.templates.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, content]) => ({
      path: `src/core/${name}`,
      content: `${GENERATED_HEADER.replace("from spec/", "from templates/core/")}${content}`,
    }));
