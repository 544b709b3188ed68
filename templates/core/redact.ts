/**
 * Servers sometimes echo what they were sent ("invalid token abc…"). Every piece
 * of server text that goes into an error passes through here first, so that a
 * credential cannot end up in a log line by way of an error message.
 */

export const REDACTED = "[redacted]";

/**
 * Replaces every occurrence of each secret in `text`.
 * Empty or undefined secrets are skipped (there is nothing to hide).
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  // Longest first, so a secret that contains another is replaced whole.
  const present = secrets
    .filter((secret): secret is string => typeof secret === "string" && secret.length > 0)
    .sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of present) {
    result = result.split(secret).join(REDACTED);
  }
  return result;
}
