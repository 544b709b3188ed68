/** `bytes` random bytes from WebCrypto, as lower-case hex: lock owners, consumer names. */
export function randomHex(bytes: number): string {
  const values = new Uint8Array(bytes);
  crypto.getRandomValues(values);
  let hex = "";
  for (const byte of values) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
