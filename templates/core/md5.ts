/**
 * MD5 (RFC 1321) in plain TypeScript.
 *
 * Sobot signs its token request with md5(appid + create_time + app_key). WebCrypto
 * deliberately has no MD5 and this runtime may not import `node:crypto` (it runs on
 * edge runtimes too), so the digest is computed here. It is used only for that
 * signature, never for anything that needs collision resistance.
 */

// Per-round left-rotation amounts.
const SHIFTS = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
  14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15,
  21, 6, 10, 15, 21,
];

// K[i] = floor(abs(sin(i + 1)) * 2^32), as the RFC defines them.
const CONSTANTS = Array.from(
  { length: 64 },
  (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) >>> 0,
);

/** Lower-case hex MD5 digest of the UTF-8 bytes of `input`. */
export function md5Hex(input: string): string {
  const bytes = new TextEncoder().encode(input);
  const words = padMessage(bytes);

  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;

  for (let block = 0; block < words.length; block += 16) {
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const sum = (a + f + CONSTANTS[i]! + words[block + g]!) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + rotateLeft(sum, SHIFTS[i]!)) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }

  return [a0, b0, c0, d0].map(littleEndianHex).join("");
}

/**
 * Appends the 0x80 marker, zero padding and the 64-bit little-endian bit length,
 * and returns the message as little-endian 32-bit words (a multiple of 16).
 */
function padMessage(bytes: Uint8Array): Uint32Array {
  const wordCount = (((bytes.length + 8) >>> 6) + 1) * 16;
  const words = new Uint32Array(wordCount);
  for (let i = 0; i < bytes.length; i++) {
    words[i >>> 2]! |= bytes[i]! << ((i % 4) * 8);
  }
  words[bytes.length >>> 2]! |= 0x80 << ((bytes.length % 4) * 8);
  // Bit length as two words; a JS string cannot exceed 2^53 bits, so this is exact.
  const bitLength = bytes.length * 8;
  words[wordCount - 2] = bitLength >>> 0;
  words[wordCount - 1] = Math.floor(bitLength / 0x100000000) >>> 0;
  return words;
}

function rotateLeft(value: number, amount: number): number {
  return (value << amount) | (value >>> (32 - amount));
}

function littleEndianHex(word: number): string {
  let hex = "";
  for (let i = 0; i < 4; i++) {
    hex += ((word >>> (i * 8)) & 0xff).toString(16).padStart(2, "0");
  }
  return hex;
}
