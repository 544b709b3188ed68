import { format } from "prettier";
import type { GeneratedFile } from "./emit/types.js";

const parsers: Record<string, string> = { ".ts": "typescript", ".js": "babel", ".json": "json", ".md": "markdown" };

/** Same input, same bytes: prettier with fixed options, whatever the user's own config says. */
export async function formatFiles(files: GeneratedFile[]): Promise<GeneratedFile[]> {
  return Promise.all(
    files.map(async (file) => {
      const extension = /\.[a-z]+$/.exec(file.path)?.[0] ?? "";
      const parser = file.path.endsWith(".d.ts") ? "typescript" : parsers[extension];
      if (!parser) return file;
      const content = await format(file.content, { parser, printWidth: 110, proseWrap: "preserve", endOfLine: "lf" });
      return { path: file.path, content };
    }),
  );
}
