/**
 * JSON as prettier prints it (printWidth 110), without running prettier: objects one member per
 * line; an array on one line when it fits the width and holds nothing but scalars, empty objects
 * and arrays of the same kind, else one element per line; exponents without "+". Prettier took seconds on the large documents; this prints the same bytes
 * (test/generator/json-text.test.ts holds the two equal on every JSON file of the package).
 */
const PRINT_WIDTH = 110;

export function jsonText(value: unknown): string {
  return `${print(value, "", 0)}\n`;
}

/** `value` printed at `indent`; `lead` is how many characters precede it on its first line. */
function print(value: unknown, indent: string, lead: number): string {
  if (Array.isArray(value)) return printArray(value, indent, lead);
  if (value !== null && typeof value === "object") return printObject(value as Record<string, unknown>, indent);
  return scalar(value);
}

function scalar(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return typeof value === "number" ? text.replace("e+", "e") : text;
}

/** What prettier keeps on one line when it fits: no object with members at any depth. */
function inline(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(inline);
  return value === null || typeof value !== "object" || Object.keys(value).length === 0;
}

/** The one-line form of an inline value. */
function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(", ")}]`;
  if (value !== null && typeof value === "object") return "{}";
  return scalar(value);
}

function printObject(object: Record<string, unknown>, indent: string): string {
  const entries = Object.entries(object).filter(([, v]) => v !== undefined && typeof v !== "function");
  if (entries.length === 0) return "{}";
  const inner = `${indent}  `;
  const lines = entries.map(([key, v], i) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    const comma = i < entries.length - 1 ? "," : "";
    return `${head}${print(v, inner, head.length + comma.length)}${comma}`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function printArray(array: unknown[], indent: string, lead: number): string {
  if (array.length === 0) return "[]";
  const items = array.map((item) => (item === undefined || typeof item === "function" ? null : item));
  if (inline(items)) {
    const text = oneLine(items);
    if (lead + text.length <= PRINT_WIDTH) return text;
  }
  const inner = `${indent}  `;
  const lines = items.map((item, i) => {
    const comma = i < items.length - 1 ? "," : "";
    return `${inner}${print(item, inner, inner.length + comma.length)}${comma}`;
  });
  return `[\n${lines.join("\n")}\n${indent}]`;
}
