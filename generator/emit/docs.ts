import type { Decision, Example, SchemaNode, Text } from "../model/types.js";
import { otherLanguages, primaryText } from "./languages.js";

/** JSDoc text never closes its comment early. */
function safe(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}

/** The text in its first language (English where the spec gives it), as a JSDoc paragraph. */
export function textLines(text: Text | undefined): string[] {
  const primary = primaryText(text);
  return primary ? [safe(primary)] : [];
}

/**
 * The other languages of the given texts (a summary and a description, say), each in a block
 * labelled with its language: a hover reads in one language, and the sources' own words stay in it.
 */
export function otherLanguageLines(...texts: (Text | undefined)[]): string[] {
  const blocks = new Map<string, string[]>();
  for (const text of texts) {
    for (const other of otherLanguages(text)) {
      const block = blocks.get(other.label) ?? [];
      blocks.set(other.label, [...block, ...(block.length ? [""] : []), safe(other.text)]);
    }
  }
  return [...blocks].flatMap(([label, lines]) => ["", `${label} (source text):`, ...lines]);
}

export function oneLine(text: Text | undefined): string {
  return safe(primaryText(text).split("\n")[0]!.trim());
}

export function limitLines(node: SchemaNode): string[] {
  const lines: string[] = [];
  if (node.minLength !== undefined && node.maxLength !== undefined) lines.push(`Length: ${node.minLength} to ${node.maxLength} characters (Unicode code points).`);
  else if (node.maxLength !== undefined) lines.push(`At most ${node.maxLength} characters (Unicode code points).`);
  else if (node.minLength !== undefined) lines.push(`At least ${node.minLength} character${node.minLength === 1 ? "" : "s"}.`);
  if (node.minItems !== undefined && node.maxItems !== undefined) lines.push(`${node.minItems} to ${node.maxItems} items.`);
  else if (node.maxItems !== undefined) lines.push(`At most ${node.maxItems} items.`);
  else if (node.minItems !== undefined) lines.push(`At least ${node.minItems} item${node.minItems === 1 ? "" : "s"}.`);
  if (node.minimum !== undefined) lines.push(`Minimum: ${node.minimum}.`);
  if (node.maximum !== undefined) lines.push(`Maximum: ${node.maximum}.`);
  if (node.pattern) lines.push(`Pattern: \`${safe(node.pattern)}\`.`);
  if (node.format) lines.push(`Format: ${node.format}.`);
  if (node.default !== undefined) lines.push(`Default: \`${safe(JSON.stringify(node.default))}\`.`);
  return lines;
}

export function enumLines(node: SchemaNode): string[] {
  if (!node.enum?.some((e) => e.description || e.name)) return [];
  return node.enum.map((e) => {
    const others = otherLanguages(e.description).map((other) => `${other.label}: ${safe(other.text.split("\n")[0]!)}`);
    const label = [e.name, oneLine(e.description)].filter(Boolean).join(" — ") + (others.length ? ` (${others.join("; ")})` : "");
    return `- \`${safe(JSON.stringify(e.value))}\`${label ? `: ${label}` : ""}`;
  });
}

/** The spec's decisions on contradictions of the sources, under `@remarks`, each with its sources. */
export function remarksLines(decisions: Decision[] | undefined): string[] {
  if (!decisions?.length) return [];
  return [
    "",
    "@remarks",
    ...decisions.flatMap((d, i) => [
      ...(i ? [""] : []),
      `Decision: ${oneLine(d.decision)}`,
      `Source conflict: ${oneLine(d.issue)}`,
      ...(d.sources.length ? [`Sources: ${d.sources.map(safe).join("; ")}.`] : []),
    ]),
  ];
}

/**
 * The first valid example as an `@example` tag. The others stay in the OpenAPI documents and the
 * reference docs: all of them in every type's comment cost 13 KB of the packed tarball, over its 300 KB budget.
 */
export function exampleTags(examples: Example[] | undefined): string[] {
  const valid = (examples ?? []).filter((e) => e.valid);
  const [first] = valid;
  if (!first) return [];
  const more = valid.length - 1;
  return [
    ...(more ? ["", `${more} more example${more === 1 ? "" : "s"} in the package's OpenAPI document (messenger-sdk/openapi/*.json).`] : []),
    `@example ${first.name}${first.source ? ` (${safe(first.source)})` : ""}\n${safe(JSON.stringify(first.value, null, 2))}`,
  ];
}

/** The JSDoc body of a schema or property: description, limits, enum meanings, decisions, examples. */
export function schemaDoc(node: SchemaNode, options: { examples?: boolean } = {}): string | undefined {
  const paragraphs = [...textLines(node.description)];
  const limits = limitLines(node);
  const enums = enumLines(node);
  if (limits.length) paragraphs.push(...(paragraphs.length ? [""] : []), ...limits);
  if (enums.length) paragraphs.push(...(paragraphs.length ? [""] : []), ...enums);
  paragraphs.push(...otherLanguageLines(node.description), ...remarksLines(node.decisions));
  if (node.deprecated) paragraphs.push("@deprecated");
  if (options.examples) paragraphs.push(...exampleTags(node.examples));
  const text = paragraphs.join("\n").trim();
  return text.length ? text : undefined;
}
