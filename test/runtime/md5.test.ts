import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Hex } from '../../templates/core/md5.js';
import { sobotSign } from '../../templates/core/sobot-core.js';

const nodeMd5 = (input: string): string => createHash('md5').update(input, 'utf8').digest('hex');

describe('md5Hex', () => {
  it('matches the RFC 1321 test suite', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('a')).toBe('0cc175b9c0f1b6a831c399e269772661');
    expect(md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5Hex('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(md5Hex('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe(
      '57edf4a22be3c955ac49da2e2107b67a',
    );
  });

  it("gives the Sobot documentation's sign example", () => {
    expect(md5Hex('115693977732')).toBe('258eec3118705112b2c53dc8043d4d34');
    expect(sobotSign('1', '1569397773', '2')).toBe('258eec3118705112b2c53dc8043d4d34');
  });

  it('agrees with node:crypto around the 55/56/64-byte padding boundaries and over several blocks', () => {
    for (const length of [54, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const input = 'x'.repeat(length);
      expect(md5Hex(input), `length ${length}`).toBe(nodeMd5(input));
    }
    const multiBlock = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
    expect(md5Hex(multiBlock)).toBe(nodeMd5(multiBlock));
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    for (const input of ['智齿客服', 'Grüße aus München', 'emoji 🎉👍🏽', '\u0000nul']) {
      expect(md5Hex(input), input).toBe(nodeMd5(input));
    }
  });
});
