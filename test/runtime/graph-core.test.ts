import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  GraphApiError,
  HttpError,
  MessengerError,
  RedirectError,
  TimeoutError,
  type ErrorInfo,
} from '../../templates/core/errors.js';
import { GraphCore, type GraphClientOptions } from '../../templates/core/graph-core.js';
import { GraphErrorCodeInfo, GraphErrorSubcodeInfo, GraphUsersClient } from '../../generated/src/graph/index.js';
import { isRateLimitError } from '../../templates/core/rate-limit.js';
import type { FetchLike } from '../../templates/core/transport.js';
import { expectNoSecrets, json, refusedBaseUrl, rejectionOf, startServer, type TestServer } from './support/http-server.js';

const ACCESS_TOKEN = 'EAAGm0PX4ZCpsBAsecretGraphToken123';

const errorTable: Readonly<Record<number, ErrorInfo>> = {
  100: { name: 'InvalidParameter', description: { en: 'Invalid parameter' }, retryable: false },
  190: { name: 'AccessTokenExpired', description: { en: 'Access token has expired' }, retryable: false },
};

const sendMessage = {
  operation: 'sendMessage',
  method: 'POST',
  path: '/{PAGE_ID}/messages',
  pathParams: { PAGE_ID: '1122334455' },
  body: { recipient: { id: '987' }, messaging_type: 'RESPONSE', message: { text: 'hello 🎉' } },
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
});

function client(options: Partial<GraphClientOptions> = {}): GraphCore {
  return new GraphCore({ accessToken: ACCESS_TOKEN, baseUrl: `${server.baseUrl}/v21.0`, ...options }, errorTable);
}

describe('GraphCore', () => {
  it('sends JSON with a bearer token and returns the parsed body', async () => {
    server.handle((_request, response) => json(response, 200, { recipient_id: '987', message_id: 'm_1' }));
    const result = await client().call<{ message_id: string }>(sendMessage);

    expect(result).toEqual({ recipient_id: '987', message_id: 'm_1' });
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/v21.0/1122334455/messages');
    expect(request!.headers['authorization']).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual(sendMessage.body);
    expect(request!.url).not.toContain(ACCESS_TOKEN);
  });

  it('sends a GET with query parameters and no body', async () => {
    server.handle((_request, response) => json(response, 200, { data: [] }));
    await client().call({ operation: 'getProfile', method: 'GET', path: '/{PSID}', pathParams: { PSID: '42' }, query: { fields: ['first_name', 'last_name'] } });
    const [request] = server.requests;
    expect(request!.url).toBe('/v21.0/42?fields=first_name%2Clast_name');
    expect(request!.body).toBe('');
    expect(request!.headers['content-type']).toBeUndefined();
  });

  it('omits the Authorization header for auth: false', async () => {
    server.handle((_request, response) => json(response, 200, {}));
    await client().call({ operation: 'publicThing', method: 'GET', path: '/x', auth: false });
    expect(server.requests[0]!.headers['authorization']).toBeUndefined();
  });

  it('turns the error envelope into a GraphApiError with the spec info', async () => {
    server.handle((_request, response) =>
      json(response, 400, {
        error: {
          message: 'Error validating access token: Session has expired',
          type: 'OAuthException',
          code: 190,
          error_subcode: 463,
          fbtrace_id: 'AbCdEf123',
        },
      }),
    );
    const error = await rejectionOf(client().call(sendMessage));

    expect(error).toBeInstanceOf(GraphApiError);
    expect(error).toBeInstanceOf(MessengerError);
    const graphError = error as GraphApiError;
    expect(graphError.name).toBe('GraphApiError');
    expect(graphError.operation).toBe('sendMessage');
    expect(graphError.status).toBe(400);
    expect(graphError.code).toBe(190);
    expect(graphError.subcode).toBe(463);
    expect(graphError.type).toBe('OAuthException');
    expect(graphError.fbtraceId).toBe('AbCdEf123');
    expect(graphError.info).toEqual(errorTable[190]);
    expect(graphError.message).toContain('sendMessage');
    expect(graphError.message).toContain('190');
    expect(graphError.message).toContain('AccessTokenExpired');
    expect(graphError.message).toContain('Session has expired');
    expectNoSecrets(graphError, [ACCESS_TOKEN]);
  });

  it('keeps the response headers and request id on its errors, without Set-Cookie and with the token redacted', async () => {
    server.handle((_request, response) => {
      response.setHeader('x-fb-request-id', 'Req42');
      response.setHeader('x-fb-trace-id', 'TraceFromHeader');
      response.setHeader('x-app-usage', '{"call_count":91}');
      response.setHeader('set-cookie', 'session=abc');
      response.setHeader('x-echo', `token ${ACCESS_TOKEN}`);
      json(response, 400, { error: { message: 'Invalid parameter', type: 'OAuthException', code: 100 } });
    });
    const error = (await rejectionOf(client().call(sendMessage))) as GraphApiError;
    expect(error).toBeInstanceOf(GraphApiError);
    expect(error.requestId).toBe('Req42');
    // The body has no fbtrace_id here: the header's trace id takes its place.
    expect(error.fbtraceId).toBe('TraceFromHeader');
    expect(error.headers['x-app-usage']).toBe('{"call_count":91}');
    expect(error.headers['set-cookie']).toBeUndefined();
    expect(error.headers['x-echo']).toBe('token [redacted]');
    expectNoSecrets(error, [ACCESS_TOKEN]);

    server.handle((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html', 'x-fb-request-id': 'Req43' });
      response.end('<html>Bad gateway</html>');
    });
    const unexpected = (await rejectionOf(client().call(sendMessage))) as HttpError;
    expect(unexpected).toBeInstanceOf(HttpError);
    expect(unexpected.requestId).toBe('Req43');
    expect(unexpected.headers['content-type']).toBe('text/html');

    server.handle((_request, response) => json(response, 400, { error: { message: 'Invalid parameter', code: 100 } }));
    const bare = (await rejectionOf(client().call(sendMessage))) as GraphApiError;
    expect(bare.requestId).toBeUndefined();
    expect(bare.fbtraceId).toBeUndefined();
    expect(bare.headers['content-type']).toContain('application/json');
  });

  it('leaves info undefined for a code the table does not know, and treats an error object with status 200 as an error', async () => {
    server.handle((_request, response) => json(response, 200, { error: { message: 'Unknown', code: 1 } }));
    const error = (await rejectionOf(client().call(sendMessage))) as GraphApiError;
    expect(error).toBeInstanceOf(GraphApiError);
    expect(error.code).toBe(1);
    expect(error.info).toBeUndefined();
    expect(error.subcode).toBeUndefined();
    expect('subcode' in error && error.subcode !== undefined).toBe(false);
  });

  it('redacts the access token when the server echoes it', async () => {
    server.handle((_request, response) =>
      json(response, 400, { error: { message: `Malformed access token ${ACCESS_TOKEN}`, type: 'OAuthException', code: 190 } }),
    );
    const error = await rejectionOf(client().call(sendMessage));
    expect(error).toBeInstanceOf(GraphApiError);
    expect((error as Error).message).toContain('[redacted]');
    expectNoSecrets(error, [ACCESS_TOKEN]);

    server.handle((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end(`<html>bad gateway for ${ACCESS_TOKEN}</html>`);
    });
    expectNoSecrets(await rejectionOf(client().call(sendMessage)), [ACCESS_TOKEN]);
  });

  it('reports a non-JSON response as HttpError with the body cut to about 500 characters', async () => {
    const page = `<html><body>${'Bad Gateway '.repeat(200)}</body></html>`;
    server.handle((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end(page);
    });
    const error = await rejectionOf(client().call(sendMessage));
    expect(error).toBeInstanceOf(HttpError);
    const httpError = error as HttpError;
    expect(httpError.status).toBe(502);
    expect(httpError.operation).toBe('sendMessage');
    expect(httpError.body.startsWith('<html><body>Bad Gateway')).toBe(true);
    expect(httpError.body.length).toBeLessThanOrEqual(501);
    expect(httpError.message).toContain('not JSON');
  });

  it("names a subcode the spec's table lists, and lets its retry policy decide over the code's", async () => {
    const table = { ...errorTable, ...GraphErrorCodeInfo };
    const graph = new GraphCore({ accessToken: ACCESS_TOKEN, baseUrl: `${server.baseUrl}/v21.0`, retry: { baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined } }, table, GraphErrorSubcodeInfo);
    const answer = (subcode: number | undefined) =>
      server.handle((_request, response) => json(response, 400, { error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: 'T1' } }));

    // 613 alone is a rate limit: retried up to the policy's attempts.
    server.requests.length = 0;
    answer(undefined);
    const limited = (await rejectionOf(graph.call(sendMessage))) as GraphApiError;
    expect(limited.subcodeInfo).toBeUndefined();
    expect(limited.policyInfo?.name).toBe('RateLimitExceeded');
    expect(server.requests).toHaveLength(3);

    // 613 with 2018338 (a warning about bothersome message tags): sending again cannot help.
    server.requests.length = 0;
    answer(2018338);
    const warned = (await rejectionOf(graph.call(sendMessage))) as GraphApiError;
    expect(warned.subcode).toBe(2018338);
    expect(warned.subcodeInfo).toEqual({ name: 'BothersomeMessageTags', retryable: false });
    expect(warned.info?.name).toBe('RateLimitExceeded');
    expect(warned.message).toContain('Graph API error 613/2018338 RateLimitExceeded/BothersomeMessageTags');
    expect(isRateLimitError(warned)).toBe(false);
    expect(server.requests).toHaveLength(1);

    // A subcode the table does not list: kept as a number, and the code's policy applies.
    server.requests.length = 0;
    answer(2534040);
    const unnamed = (await rejectionOf(graph.call(sendMessage))) as GraphApiError;
    expect(unnamed.subcode).toBe(2534040);
    expect(unnamed.subcodeInfo).toBeUndefined();
    expect(unnamed.message).toContain('613/2534040 RateLimitExceeded (HTTP 400)');
    expect(server.requests).toHaveLength(3);
  });

  it('reports an error status with JSON but no error object as HttpError', async () => {
    server.handle((_request, response) => json(response, 500, { oops: true }));
    const error = (await rejectionOf(client().call(sendMessage))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(500);
    expect(error.body).toBe('{"oops":true}');
  });

  it('does not follow redirects (credentials stay with the API host)', async () => {
    server.handle((_request, response) => {
      response.writeHead(302, { location: 'http://127.0.0.1:1/steal' });
      response.end();
    });
    const error = (await rejectionOf(client().call(sendMessage))) as RedirectError;
    expect(error).toBeInstanceOf(RedirectError);
    expect(error.message).toMatch(/^sendMessage: POST 127\.0\.0\.1:\d+ answered with a redirect, which the SDK does not follow/);
    expect(server.requests).toHaveLength(1);
  });

  it('times out with TimeoutError when no response arrives', async () => {
    server.handle(() => {
      /* never answers */
    });
    const started = Date.now();
    const error = await rejectionOf(client({ timeoutMs: 150 }).call(sendMessage));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).outcome).toBe('unknown');
    expect((error as TimeoutError).operation).toBe('sendMessage');
    expect(Date.now() - started).toBeLessThan(2000);
    expectNoSecrets(error, [ACCESS_TOKEN]);
  });

  it('times out when the body stalls after the headers, and per-request timeoutMs wins', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"message_id":');
    });
    const error = await rejectionOf(client({ timeoutMs: 60_000 }).call(sendMessage, { timeoutMs: 150 }));
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('enforces the timeout even with a fetch that ignores the signal', async () => {
    const neverSettles: FetchLike = () => new Promise<Response>(() => undefined);
    const error = await rejectionOf(client({ fetch: neverSettles, timeoutMs: 50 }).call(sendMessage));
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it("rejects with the caller's abort reason when the caller aborts", async () => {
    server.handle(() => undefined);
    const controller = new AbortController();
    const pending = client().call(sendMessage, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(pending);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');

    const custom = new Error('user navigated away');
    const alreadyAborted = AbortSignal.abort(custom);
    expect(await rejectionOf(client().call(sendMessage, { signal: alreadyAborted }))).toBe(custom);
  });

  it("reports a refused connection as ConnectionError with outcome 'not-sent'", async () => {
    const graph = new GraphCore({ accessToken: ACCESS_TOKEN, baseUrl: await refusedBaseUrl() }, errorTable);
    const error = await rejectionOf(graph.call(sendMessage));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).outcome).toBe('not-sent');
    expect((error as ConnectionError).message).toContain('ECONNREFUSED');
    expectNoSecrets(error, [ACCESS_TOKEN]);
  });

  it("reports a connection dropped after the request as ConnectionError with outcome 'unknown'", async () => {
    server.handle((_request, response) => {
      response.socket?.destroy();
    });
    const error = await rejectionOf(client().call(sendMessage));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).outcome).toBe('unknown');
  });

  it('applies apiVersion to the default base URL and validates options', () => {
    expect(new GraphCore({ accessToken: 't' }, errorTable).options.baseUrl).toBe('https://graph.facebook.com/v21.0');
    expect(new GraphCore({ accessToken: 't', apiVersion: 'v19.0' }, errorTable).options.baseUrl).toBe(
      'https://graph.facebook.com/v19.0',
    );
    expect(new GraphCore({ accessToken: 't' }, errorTable).options.timeoutMs).toBe(30_000);
    expect(new GraphCore({ accessToken: 't' }, errorTable).options.validateRequests).toBe(true);
    expect(() => new GraphCore({ accessToken: 't', apiVersion: '21' }, errorTable)).toThrow(MessengerError);
    expect(() => new GraphCore({ accessToken: 't', apiVersion: 'v19.0', baseUrl: 'https://x.test' }, errorTable)).toThrow(
      'not both',
    );
    expect(() => new GraphCore({ accessToken: '' }, errorTable)).toThrow('accessToken is required');
    expect(() => new GraphCore({ accessToken: 't', timeoutMs: 0 }, errorTable)).toThrow('timeoutMs');
  });

  it('sends appsecret_proof, HMAC-SHA256 of the token keyed by the app secret, on every call, and never the secret', async () => {
    const APP_SECRET = 'app-secret-123';
    // The vector, from node:crypto (an implementation apart from the WebCrypto one the core uses):
    // createHmac('sha256', APP_SECRET).update(ACCESS_TOKEN).digest('hex').
    const expected = createHmac('sha256', APP_SECRET).update(ACCESS_TOKEN).digest('hex');
    expect(expected).toBe('d5416567f0deac70b64f16164e530db65a4fdd550fe469cd95ce40d7b7d8e026');
    server.handle((_request, response) => json(response, 200, { recipient_id: '987', message_id: 'm_1' }));
    const graph = client({ appSecret: APP_SECRET });
    await graph.call(sendMessage);
    await graph.call({ operation: 'getThing', method: 'GET', path: '/thing', query: { fields: 'a,b' } });
    const proofs = server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('appsecret_proof'));
    expect(proofs).toEqual([expected, expected]);
    expect(new URL(server.requests[1]!.url, 'http://x').searchParams.get('fields')).toBe('a,b');
    for (const request of server.requests) expect(JSON.stringify(request)).not.toContain(APP_SECRET);

    // Without an app secret, no proof; an echoed secret or proof is redacted from errors.
    server.requests.length = 0;
    await client().call(sendMessage);
    expect(server.requests[0]!.url).not.toContain('appsecret_proof');
    server.handle((request, response) => json(response, 400, { error: { message: `bad proof in ${request.url} (secret ${APP_SECRET})`, code: 100 } }));
    const error = await rejectionOf(graph.call(sendMessage));
    expectNoSecrets(error, [ACCESS_TOKEN, APP_SECRET, expected]);
    expect(() => client({ appSecret: '' })).toThrow(MessengerError);
  });

  it('serves many Pages with one client: each call carries its own Page\'s token, from a map or a resolver, never another Page\'s', async () => {
    const tokens = { PAGE_A: 'token-for-page-a-0123456789', PAGE_B: 'token-for-page-b-9876543210' };
    const toPage = (page: string) => ({ ...sendMessage, pathParams: { PAGE_ID: page }, page });
    server.handle((_request, response) => json(response, 200, { recipient_id: '987', message_id: 'm_1' }));
    const graph = client({ accessToken: tokens, appSecret: 'app-secret-123' });
    await graph.call(toPage('PAGE_A'));
    await graph.call(toPage('PAGE_B'));
    await graph.call(toPage('PAGE_A'));
    const sent = server.requests.map((r) => [new URL(r.url, 'http://x').pathname.split('/')[2], r.headers['authorization'], new URL(r.url, 'http://x').searchParams.get('appsecret_proof')]);
    const proof = (token: string) => createHmac('sha256', 'app-secret-123').update(token).digest('hex');
    expect(sent).toEqual([
      ['PAGE_A', `Bearer ${tokens.PAGE_A}`, proof(tokens.PAGE_A)],
      ['PAGE_B', `Bearer ${tokens.PAGE_B}`, proof(tokens.PAGE_B)],
      ['PAGE_A', `Bearer ${tokens.PAGE_A}`, proof(tokens.PAGE_A)],
    ]);

    // A Page the map does not know: nothing is sent.
    server.requests.length = 0;
    const unknown = await rejectionOf(graph.call(toPage('PAGE_C')));
    expect(unknown).toBeInstanceOf(MessengerError);
    expect((unknown as Error).message).toBe("sendMessage: no access token for Page 'PAGE_C'; the request was not sent");
    expect(server.requests).toHaveLength(0);

    // An error echoing another Page's token redacts it too.
    server.handle((_request, response) => json(response, 400, { error: { message: `tokens ${tokens.PAGE_A} ${tokens.PAGE_B}`, code: 100 } }));
    expectNoSecrets(await rejectionOf(graph.call(toPage('PAGE_A'))), Object.values(tokens));

    // A resolver: asked with the call's Page (the client's pageId when the path has none), awaited.
    server.handle((_request, response) => json(response, 200, { ok: true }));
    server.requests.length = 0;
    const asked: (string | undefined)[] = [];
    const resolving = client({ pageId: 'PAGE_B', accessToken: async (page) => (asked.push(page), page === 'PAGE_B' ? tokens.PAGE_B : Promise.reject(new Error(`vault says no to ${tokens.PAGE_A}`))) });
    await resolving.call({ operation: 'me', method: 'GET', path: '/me' });
    expect(asked).toEqual(['PAGE_B']);
    expect(server.requests[0]!.headers['authorization']).toBe(`Bearer ${tokens.PAGE_B}`);
    const refused = await rejectionOf(resolving.call(toPage('PAGE_A')));
    expect((refused as Error).message).toBe("sendMessage: the access token of Page 'PAGE_A' could not be resolved; the request was not sent");
    expectNoSecrets(refused, Object.values(tokens));
    expect(server.requests).toHaveLength(1);
    expect(() => client({ accessToken: {} })).toThrow(MessengerError);
  });

  it('sends a call whose path names no Page (GET /{NODE_ID} of a PSID) with the token of the call\'s pageId, else the client\'s', async () => {
    const tokens = { PAGE_A: 'token-for-page-a-0123456789', PAGE_B: 'token-for-page-b-9876543210' };
    server.handle((_request, response) => json(response, 200, { id: 'PSID_1', first_name: 'Peter' }));
    server.requests.length = 0;
    const users = new GraphUsersClient({ accessToken: tokens, pageId: 'PAGE_A', baseUrl: `${server.baseUrl}/v21.0` });
    const profile = await users.getUserProfile('PSID_1', { fields: ['first_name'] });
    expect(profile.first_name).toBe('Peter');
    await users.getUserProfile('PSID_1', { fields: ['first_name'] }, { pageId: 'PAGE_B' });
    const sent = server.requests.map((r) => [new URL(r.url, 'http://x').pathname, r.headers['authorization']]);
    expect(sent).toEqual([
      ['/v21.0/PSID_1', `Bearer ${tokens.PAGE_A}`],
      ['/v21.0/PSID_1', `Bearer ${tokens.PAGE_B}`],
    ]);
    // An ID that would move the request to another path is refused before anything is sent.
    for (const id of ['..', '.', '']) {
      const refused = await rejectionOf(users.getUserProfile(id, { fields: ['first_name'] }));
      // The generated package's own MessengerError, not the template's this file imports.
      expect((refused as Error).name).toBe('MessengerError');
      expect((refused as Error).message).toContain("path parameter 'NODE_ID'");
    }
    expect(server.requests).toHaveLength(2);
    expect(new URL(server.requests[0]!.url, 'http://x').searchParams.get('fields')).toBe('first_name');
  });

  it('does not expose the access token through its options', () => {
    const graph = new GraphCore({ accessToken: ACCESS_TOKEN, pageId: '1' }, errorTable);
    expect(JSON.stringify(graph.options)).not.toContain(ACCESS_TOKEN);
    expect(graph.options.pageId).toBe('1');
  });

  it('throws a MessengerError naming a missing path parameter before sending', async () => {
    const error = await rejectionOf(client().call({ ...sendMessage, pathParams: {} }));
    expect(error).toBeInstanceOf(MessengerError);
    expect((error as Error).message).toContain('PAGE_ID');
    expect(server.requests).toHaveLength(0);
  });
});
