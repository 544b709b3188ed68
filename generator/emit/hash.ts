import { createHash } from "node:crypto";

/**
 * sha256 of the parts, as hex, each part length-prefixed so that ("ab", "c") and ("a", "bc")
 * differ: the keys of the generation cache.
 */
export function hashOf(...parts: (string | Uint8Array)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    const bytes = typeof part === "string" ? Buffer.from(part, "utf8") : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}
