import { createRequire } from 'node:module';
import fastDeepEqual from 'fast-deep-equal';
import { describe, expect, it } from 'vitest';
import equal from '../../templates/core/equal.js';
import ucs2length from '../../templates/core/ucs2length.js';

// ajv's own implementation, loaded as the CommonJS module it is.
const ajvUcs2length = (createRequire(import.meta.url)('ajv/dist/runtime/ucs2length.js') as { default: (str: string) => number })
  .default;

describe('ucs2length', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(ucs2length('')).toBe(0);
    expect(ucs2length('abc')).toBe(3);
    expect(ucs2length('智齿')).toBe(2);
    expect(ucs2length('🎉')).toBe(1);
    expect('🎉'.length).toBe(2);
    expect(ucs2length('hi 🎉🎉!')).toBe(6);
    // A skin-tone modifier is a code point of its own.
    expect(ucs2length('👍🏽')).toBe(2);
  });

  it('counts a lone surrogate once, like ajv', () => {
    for (const input of ['\ud83c', 'a\ud83cb', '\udf89', '\ud83c\ud83c\udf89', 'x🎉\ud83c']) {
      expect(ucs2length(input), JSON.stringify(input)).toBe(ajvUcs2length(input));
    }
  });

  it('agrees with ajv on short and long strings of every kind of unit', () => {
    // Short strings are counted unit by unit, longer ones take the no-surrogate shortcut first:
    // each kind of unit at each length on both sides of that switch, and at either end.
    const units = ['a', 'é', '智', '🎉', '\ud83c', '\udf89'];
    const filler = ['x', 'ü', '中'];
    for (const length of [0, 1, 2, 7, 8, 9, 15, 16, 64, 2001]) {
      for (const fill of filler) {
        const base = fill.repeat(length);
        for (const unit of units) {
          for (const input of [base, unit + base, base + unit, base.slice(0, length >> 1) + unit + base.slice(length >> 1)]) {
            expect(ucs2length(input), `${JSON.stringify(input.slice(0, 20))} (${input.length} units)`).toBe(ajvUcs2length(input));
          }
        }
      }
    }
  });

  it('agrees with ajv on strings parsed from JSON, as validators see them', () => {
    const parsed = JSON.parse(JSON.stringify({ ascii: 'Is my order #1234 on its way?', emoji: 'on its way 🎉 today!!', lone: 'abcdefgh\ud83c' })) as Record<string, string>;
    for (const [name, value] of Object.entries(parsed)) expect(ucs2length(value), name).toBe(ajvUcs2length(value));
    expect(ucs2length(parsed['emoji']!)).toBe(parsed['emoji']!.length - 1);
  });
});

describe('equal', () => {
  const cases: Array<[unknown, unknown]> = [
    [1, 1],
    [1, '1'],
    ['a', 'a'],
    [null, null],
    [null, {}],
    [undefined, null],
    [NaN, NaN],
    [[], []],
    [[], {}],
    [{}, []],
    [[1, 2], [1, 2]],
    [[1, 2], [2, 1]],
    [[1, 2], [1, 2, 3]],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }],
    [{ a: 1 }, { a: 1, b: 2 }],
    [{ a: 1, b: undefined }, { a: 1, c: undefined }],
    [{ a: [{ b: { c: [1, 'x', null] } }] }, { a: [{ b: { c: [1, 'x', null] } }] }],
    [{ a: [{ b: { c: [1, 'x', null] } }] }, { a: [{ b: { c: [1, 'x', false] } }] }],
    [{ type: 'text', payload: 'hi' }, { type: 'text', payload: 'hi' }],
    [true, 1],
    [0, -0],
  ];

  it.each(cases)('equal(%j, %j) agrees with fast-deep-equal', (a, b) => {
    expect(equal(a, b)).toBe(fastDeepEqual(a, b));
    expect(equal(b, a)).toBe(fastDeepEqual(b, a));
  });

  it('compares structurally', () => {
    expect(equal({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(equal({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(equal({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
  });
});
