import { describe, expect, it } from 'vitest';
import { MessengerError } from '../../templates/core/errors.js';
import { buildUrl, parseJson } from '../../templates/core/transport.js';

describe('buildUrl', () => {
  it('fills path parameters, encoded', () => {
    expect(buildUrl('https://graph.facebook.com/v21.0', '/{PAGE_ID}/messages', { PAGE_ID: '1234' })).toBe(
      'https://graph.facebook.com/v21.0/1234/messages',
    );
    expect(buildUrl('https://x.test', '/{ID}/a', { ID: '../b?c=d#e f' })).toBe('https://x.test/..%2Fb%3Fc%3Dd%23e%20f/a');
    expect(buildUrl('https://x.test', '/{A}/{B}', { A: '1', B: 'ü' })).toBe('https://x.test/1/%C3%BC');
  });

  it('joins base URLs with or without a trailing slash, and paths with or without a leading one', () => {
    expect(buildUrl('https://sg.sobot.com/', '/api/get_token', {})).toBe('https://sg.sobot.com/api/get_token');
    expect(buildUrl('https://sg.sobot.com', '/api/get_token', {})).toBe('https://sg.sobot.com/api/get_token');
    expect(buildUrl('https://sg.sobot.com/', 'api/get_token', {})).toBe('https://sg.sobot.com/api/get_token');
    expect(buildUrl('http://127.0.0.1:8080/prefix/', '/me', {})).toBe('http://127.0.0.1:8080/prefix/me');
  });

  it('throws a MessengerError naming a missing parameter', () => {
    expect(() => buildUrl('https://x.test', '/{PAGE_ID}/messages', {})).toThrow(MessengerError);
    expect(() => buildUrl('https://x.test', '/{PAGE_ID}/messages', {})).toThrow("missing path parameter 'PAGE_ID'");
    expect(() => buildUrl('https://x.test', '/{PAGE_ID}/messages', { PAGE_ID: '' })).toThrow('PAGE_ID');
    expect(() => buildUrl('https://x.test', '/{toString}', {})).toThrow("'toString'");
  });

  it('appends query parameters: skips undefined, joins arrays, stringifies scalars', () => {
    expect(
      buildUrl('https://x.test', '/p', {}, {
        appid: '1',
        create_time: 1569397773,
        skip: undefined,
        fields: ['id', 'name'],
        flag: true,
        text: 'a b&c=d',
      }),
    ).toBe('https://x.test/p?appid=1&create_time=1569397773&fields=id%2Cname&flag=true&text=a+b%26c%3Dd');
  });

  it('adds no "?" for an empty query and extends an existing one', () => {
    expect(buildUrl('https://x.test', '/p', {}, {})).toBe('https://x.test/p');
    expect(buildUrl('https://x.test', '/p', {}, { a: undefined })).toBe('https://x.test/p');
    expect(buildUrl('https://x.test', '/p?x=1', {}, { a: 2 })).toBe('https://x.test/p?x=1&a=2');
  });
});

describe('parseJson', () => {
  it('parses JSON and returns undefined otherwise', () => {
    expect(parseJson('{"a":[1]}')).toEqual({ a: [1] });
    expect(parseJson('0')).toBe(0);
    expect(parseJson('<html>502 Bad Gateway</html>')).toBeUndefined();
    expect(parseJson('')).toBeUndefined();
  });
});
