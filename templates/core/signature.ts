/**
 * Webhook authentication: the HMAC signature Meta puts on each delivery
 * (`X-Hub-Signature-256: sha256=<hex>`), and the verify-token handshake Meta
 * performs when a webhook URL is registered.
 *
 * Uses WebCrypto only, so it runs in Node and on edge runtimes alike.
 */

import { MessengerError } from "./errors.js";

const SHA256_HEX_LENGTH = 64;
const HEX_DIGEST = /^[0-9a-f]+$/;

/**
 * Checks `header` (e.g. "sha256=6f1c…") against the HMAC-SHA256 of `rawBody`.
 *
 * `rawBody` must be the bytes exactly as received: a body parsed and
 * re-serialized with JSON.stringify rarely has the same bytes, and fails.
 * Returns false for a missing or malformed header, never throws for one.
 */
export async function verifyHmacSha256Signature(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  secret: string,
  prefix: string,
): Promise<boolean> {
  // An empty secret would make every signature forgeable: that is a
  // configuration mistake to report loudly, not a bad delivery.
  if (secret === "") throw new MessengerError("webhook signature secret is empty");

  if (typeof header !== "string" || !header.startsWith(prefix)) return false;
  const received = header.slice(prefix.length).trim().toLowerCase();
  if (received.length !== SHA256_HEX_LENGTH || !HEX_DIGEST.test(received)) return false;

  return constantTimeEqual(await hmacSha256Hex(rawBody, secret), received);
}

/** The HMAC-SHA256 of `rawBody` with `secret`, as lower-case hex (how Meta signs a delivery). */
export async function hmacSha256Hex(rawBody: string | Uint8Array, secret: string): Promise<string> {
  const key = await hmacKey(secret);
  // A copy, because WebCrypto accepts no view of a SharedArrayBuffer.
  const body = typeof rawBody === "string" ? new TextEncoder().encode(rawBody) : new Uint8Array(rawBody);
  const digest = await crypto.subtle.sign("HMAC", key, body);
  return toHex(new Uint8Array(digest));
}

// Importing the key costs about a fifth of a delivery's check; an app has one secret, or a few.
const MAX_CACHED_KEYS = 8;
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    // A failed import is not kept, so the next delivery tries again.
    key.catch(() => hmacKeys.delete(secret));
    if (hmacKeys.size >= MAX_CACHED_KEYS) hmacKeys.delete(hmacKeys.keys().next().value!);
    hmacKeys.set(secret, key);
  }
  return key;
}

/** Query parameter names of the verification handshake, from the spec. */
export interface VerificationParams {
  /** Query key of the mode, e.g. "hub.mode". */
  mode: string;
  /** Query key of the verify token, e.g. "hub.verify_token". */
  verifyToken: string;
  /** Query key of the challenge to echo, e.g. "hub.challenge". */
  challenge: string;
  /** The mode that asks for verification, e.g. "subscribe". */
  expectedMode: string;
}

export type VerificationResult = { ok: true; challenge: string } | { ok: false; reason: string };

/**
 * Answers the GET that registers a webhook: when the mode is right and the
 * verify token matches `verifyToken`, respond 200 with `challenge` as the body;
 * otherwise respond 403. `reason` never contains either token.
 */
export function answerVerification(
  query: URLSearchParams | Record<string, string | undefined>,
  names: VerificationParams,
  verifyToken: string,
): VerificationResult {
  const read = (key: string): string | undefined =>
    query instanceof URLSearchParams ? (query.get(key) ?? undefined) : query[key];

  if (verifyToken === "") return { ok: false, reason: "no verify token is configured" };

  const mode = read(names.mode);
  if (mode !== names.expectedMode) {
    return { ok: false, reason: `${names.mode} must be '${names.expectedMode}'` };
  }
  const presented = read(names.verifyToken);
  if (presented === undefined || presented === "") {
    return { ok: false, reason: `${names.verifyToken} is missing` };
  }
  if (!constantTimeEqual(presented, verifyToken)) {
    return { ok: false, reason: `${names.verifyToken} does not match` };
  }
  const challenge = read(names.challenge);
  if (challenge === undefined || challenge === "") {
    return { ok: false, reason: `${names.challenge} is missing` };
  }
  return { ok: true, challenge };
}

/**
 * String comparison whose running time does not depend on where the strings
 * differ, so a caller cannot find a secret one character at a time. The length
 * difference is folded into the result instead of returning early.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    // charCodeAt past the end is NaN, and NaN | 0 is 0; the length check above
    // already accounts for the mismatch.
    difference |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return difference === 0;
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
