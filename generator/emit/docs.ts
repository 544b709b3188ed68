import type { Decision, Example, SchemaNode, Text } from "../model/types.js";

/** JSDoc text never closes its comment early. */
function safe(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}

/** Every language the spec gives, English first, as JSDoc paragraphs. */
export function textLines(text: Text | undefined): string[] {
  if (!text) return [];
  const parts = [text.en, text.zh, text.de].filter((t): t is string => Boolean(t)).map((t) => safe(t.trim()));
  return parts.flatMap((part, i) => (i === 0 ? [part] : ["", part]));
}

export function oneLine(text: Text | undefined): string {
  return safe((text?.en ?? text?.zh ?? text?.de ?? "").split("\n")[0]!.trim());
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
    const label = [e.name, oneLine(e.description), e.description?.zh && e.description.en ? safe(e.description.zh) : ""].filter(Boolean).join(" — ");
    return `- \`${safe(JSON.stringify(e.value))}\`${label ? `: ${label}` : ""}`;
  });
}

export function decisionLines(decisions: Decision[] | undefined): string[] {
  return (decisions ?? []).flatMap((d) => ["", `Source conflict: ${oneLine(d.issue)}`, `Decision: ${oneLine(d.decision)}`]);
}

export function exampleTags(examples: Example[] | undefined): string[] {
  return (examples ?? [])
    .filter((e) => e.valid)
    .map((e) => `@example ${e.name}${e.source ? ` (${safe(e.source)})` : ""}\n${safe(JSON.stringify(e.value, null, 2))}`);
}

/** The JSDoc body of a schema or property: description, limits, enum meanings, decisions, examples. */
export function schemaDoc(node: SchemaNode, options: { examples?: boolean } = {}): string | undefined {
  const paragraphs = [...textLines(node.description)];
  const limits = limitLines(node);
  const enums = enumLines(node);
  if (limits.length) paragraphs.push(...(paragraphs.length ? [""] : []), ...limits);
  if (enums.length) paragraphs.push(...(paragraphs.length ? [""] : []), ...enums);
  paragraphs.push(...decisionLines(node.decisions));
  if (node.deprecated) paragraphs.push("@deprecated");
  if (options.examples) paragraphs.push(...exampleTags(node.examples));
  const text = paragraphs.join("\n").trim();
  return text.length ? text : undefined;
}
