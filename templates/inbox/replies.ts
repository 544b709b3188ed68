/**
 * Reading Redis stream replies, which arrive as nested arrays of strings:
 * an entry is `[id, [field, value, field, value, ...]]`.
 */

/** One stream entry with its fields by name. */
export interface StreamEntry {
  entryId: string;
  fields: Record<string, string>;
}

/** The entries of an XRANGE reply, or of one stream in an XREADGROUP reply. */
export function readEntries(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: StreamEntry[] = [];
  for (const item of reply) {
    if (!Array.isArray(item) || typeof item[0] !== "string") continue;
    const flat: unknown = item[1];
    const fields: Record<string, string> = {};
    if (Array.isArray(flat)) {
      for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = String(flat[i + 1]);
    }
    entries.push({ entryId: item[0], fields });
  }
  return entries;
}

/** The entries of an XREADGROUP reply for its one stream; none when it timed out (null). */
export function readGroupEntries(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || !Array.isArray(reply[0])) return [];
  return readEntries((reply[0] as unknown[])[1]);
}

/** XAUTOCLAIM's reply: the cursor to continue from ("0-0" when the scan is complete) and the entries claimed. */
export function readAutoClaim(reply: unknown): { cursor: string; entries: StreamEntry[] } {
  if (!Array.isArray(reply)) return { cursor: "0-0", entries: [] };
  return { cursor: typeof reply[0] === "string" ? reply[0] : "0-0", entries: readEntries(reply[1]) };
}

/** How many times each entry has been delivered, from XPENDING's extended form. */
export function readDeliveryCounts(reply: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (!Array.isArray(reply)) return counts;
  for (const item of reply) {
    if (Array.isArray(item) && typeof item[0] === "string") counts.set(item[0], Number(item[3]));
  }
  return counts;
}
