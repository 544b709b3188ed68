/**
 * JSDoc reads in one language: the first paragraphs of every generated doc comment are English
 * where the spec has English, the sources' other languages sit in a block labelled with theirs, and
 * the spec's decisions sit under @remarks with their sources.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedDir } from "../support/paths.js";

const CJK = /[\u3400-\u9fff\uff00-\uffef]/;
const LABEL = /^(中文|Deutsch|English) \(source text\):$/;
const files = ["graph", "sobot"].flatMap((api) => ["types.ts", "client.ts", "errors.ts"].map((name) => join("src", api, name)));

/** Each `/** … *\/` block's lines, without the comment markers. */
function docBlocks(text: string): string[][] {
  return [...text.matchAll(/\/\*\*([\s\S]*?)\*\//g)].map((m) => m[1]!.split("\n").map((line) => line.replace(/^\s*\* ?/, "").trimEnd()));
}

describe.each(files)("JSDoc in %s", (file) => {
  const blocks = docBlocks(readFileSync(join(generatedDir, file), "utf8"));

  it("keeps other languages in labelled blocks and decisions under @remarks", () => {
    const misplaced: string[] = [];
    for (const lines of blocks) {
      let section: "body" | "other language" | "tags" = "body";
      for (const line of lines) {
        if (LABEL.test(line)) section = "other language";
        else if (line.startsWith("@")) section = "tags";
        else if (line === "" && section === "other language") continue;
        // Source citations name the sections of the sources as they are titled.
        const citation = /\(source: [^)]*\)$|^Source: /.test(line);
        if (section === "body" && CJK.test(line) && !citation && !/\((中文|Deutsch): /.test(line)) misplaced.push(`Chinese in the first language: ${line}`);
        if (/^(Source conflict|Decision):/.test(line) && section !== "tags") misplaced.push(`decision outside @remarks: ${line}`);
      }
      const remarks = lines.indexOf("@remarks");
      if (remarks >= 0 && !lines.slice(remarks).some((line) => line.startsWith("Sources: "))) misplaced.push(`@remarks without sources: ${lines[0]}`);
    }
    expect(misplaced).toEqual([]);
    expect(blocks.length).toBeGreaterThan(0);
  });
});

it("the reference docs label the other languages too", () => {
  const page = readFileSync(join(generatedDir, "docs", "sobot", "operations", "sendOptInMessage.md"), "utf8");
  const [, title, summary, chinese] = page.split("\n\n");
  expect(title).toContain("› sendOptInMessage");
  expect(summary).toBe("Send an opt-in message");
  expect(chinese).toBe("*中文 (source text):* 发送optin消息");
  expect(readdirSync(join(generatedDir, "docs", "sobot", "operations")).length).toBeGreaterThan(1);
});
