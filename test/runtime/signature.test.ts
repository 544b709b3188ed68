import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  answerVerification,
  constantTimeEqual,
  verifyHmacSha256Signature,
  type VerificationParams,
} from '../../templates/core/signature.js';

const APP_SECRET = 'app-secret-0123456789abcdef';
const PREFIX = 'sha256=';
const body = '{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"message":{"text":"Grüße 🎉"}}]}]}';
const signatureOf = (raw: string | Buffer, secret = APP_SECRET) => createHmac('sha256', secret).update(raw).digest('hex');

describe('verifyHmacSha256Signature', () => {
  it('accepts the signature of the raw body, given as text or bytes', async () => {
    const header = `${PREFIX}${signatureOf(body)}`;
    expect(await verifyHmacSha256Signature(body, header, APP_SECRET, PREFIX)).toBe(true);
    expect(await verifyHmacSha256Signature(new TextEncoder().encode(body), header, APP_SECRET, PREFIX)).toBe(true);
    expect(await verifyHmacSha256Signature(Buffer.from(body), header.toUpperCase().replace('SHA256=', PREFIX), APP_SECRET, PREFIX)).toBe(true);
  });

  it('rejects a tampered body', async () => {
    const header = `${PREFIX}${signatureOf(body)}`;
    expect(await verifyHmacSha256Signature(body.replace('Grüße', 'Gruse'), header, APP_SECRET, PREFIX)).toBe(false);
    // Re-serialized JSON is not the raw body.
    expect(await verifyHmacSha256Signature(JSON.stringify(JSON.parse(body), null, 1), header, APP_SECRET, PREFIX)).toBe(false);
  });

  it('rejects a signature made with another secret', async () => {
    const header = `${PREFIX}${signatureOf(body, 'another-secret')}`;
    expect(await verifyHmacSha256Signature(body, header, APP_SECRET, PREFIX)).toBe(false);
  });

  it('rejects a wrong prefix and a SHA-1 style header', async () => {
    const digest = signatureOf(body);
    expect(await verifyHmacSha256Signature(body, `sha1=${digest}`, APP_SECRET, PREFIX)).toBe(false);
    expect(await verifyHmacSha256Signature(body, digest, APP_SECRET, PREFIX)).toBe(false);
    const sha1 = createHmac('sha1', APP_SECRET).update(body).digest('hex');
    expect(await verifyHmacSha256Signature(body, `sha1=${sha1}`, APP_SECRET, 'sha1=')).toBe(false);
  });

  it('returns false for a missing or malformed header', async () => {
    for (const header of [undefined, null, '', PREFIX, `${PREFIX}zz`, `${PREFIX}${'g'.repeat(64)}`, `${PREFIX}${signatureOf(body)}00`]) {
      expect(await verifyHmacSha256Signature(body, header, APP_SECRET, PREFIX), String(header)).toBe(false);
    }
  });

  it('refuses to verify with an empty secret', async () => {
    await expect(verifyHmacSha256Signature(body, `${PREFIX}${signatureOf(body, '')}`, '', PREFIX)).rejects.toThrow(
      'secret is empty',
    );
  });
});

describe('constantTimeEqual', () => {
  it('compares whole strings, lengths included', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });
});

describe('answerVerification', () => {
  const names: VerificationParams = {
    mode: 'hub.mode',
    verifyToken: 'hub.verify_token',
    challenge: 'hub.challenge',
    expectedMode: 'subscribe',
  };
  const VERIFY_TOKEN = 'my-verify-token-42';

  it('echoes the challenge when mode and token match', () => {
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(answerVerification(query, names, VERIFY_TOKEN)).toEqual({ ok: true, challenge: '1158201444' });
    expect(answerVerification(Object.fromEntries(query), names, VERIFY_TOKEN)).toEqual({ ok: true, challenge: '1158201444' });
  });

  it('refuses a wrong token without revealing either token', () => {
    const result = answerVerification(
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': 'c' },
      names,
      VERIFY_TOKEN,
    );
    expect(result).toEqual({ ok: false, reason: 'hub.verify_token does not match' });
    expect(JSON.stringify(result)).not.toContain(VERIFY_TOKEN);
    expect(JSON.stringify(result)).not.toContain('guess');
  });

  it('refuses a wrong mode, a missing token and a missing challenge', () => {
    expect(answerVerification({ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': 'c' }, names, VERIFY_TOKEN)).toEqual({
      ok: false,
      reason: "hub.mode must be 'subscribe'",
    });
    expect(answerVerification({ 'hub.mode': 'subscribe', 'hub.challenge': 'c' }, names, VERIFY_TOKEN)).toEqual({
      ok: false,
      reason: 'hub.verify_token is missing',
    });
    expect(answerVerification({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }, names, VERIFY_TOKEN)).toEqual({
      ok: false,
      reason: 'hub.challenge is missing',
    });
  });

  it('never succeeds when no verify token is configured', () => {
    expect(answerVerification({ 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': 'c' }, names, '')).toEqual({
      ok: false,
      reason: 'no verify token is configured',
    });
  });
});
