import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  HttpError,
  MessengerError,
  SobotApiError,
  TimeoutError,
  type ErrorInfo,
} from '../../templates/core/errors.js';
import { SobotCore, sobotSign, type SobotClientOptions } from '../../templates/core/sobot-core.js';
import { MemoryTokenStore } from '../../templates/core/token.js';
import {
  expectNoSecrets,
  json,
  refusedBaseUrl,
  rejectionOf,
  startServer,
  type RecordedRequest,
  type TestServer,
} from './support/http-server.js';

const APP_ID = '1f2e3d4c5b6a';
const APP_KEY = 'sobot-app-key-SECRET-9f8e7d';
const TOKEN_PATH = '/api/get_token';
const SEND_PATH = '/chat-facebook/api/messenger/send';

const retCodeTable: Readonly<Record<string, ErrorInfo>> = {
  '000000': { name: 'Success', description: { zh: '操作成功' }, retryable: false },
  '900001': { name: 'TokenMissing', description: { zh: 'token 为空' }, retryable: true },
  '900002': { name: 'TokenExpired', description: { zh: 'token 已失效,请重新获取' }, retryable: true },
  '210001': { name: 'PageIdMissing', description: { zh: 'Facebook主页ID不能为空' }, retryable: false },
};

const send = {
  operation: 'sendMessage',
  method: 'POST',
  path: SEND_PATH,
  body: { pageid: '100', recipientid: '200', messaging_type: 'RESPONSE', type: 'text', payload: '你好 🎉' },
};

/**
 * A fake Sobot: the token endpoint checks the signature and issues tokens
 * tok-1, tok-2, …; `sendHandler` answers everything else.
 */
let server: TestServer;
let issuedTokens: string[];
let tokenResponse: (request: RecordedRequest, response: ServerResponse) => void;
let apiResponse: (request: RecordedRequest, response: ServerResponse) => void;

function issueToken(request: RecordedRequest, response: ServerResponse): void {
  const query = new URL(request.url, 'http://x').searchParams;
  const createTime = query.get('create_time') ?? '';
  const expected = createHash('md5').update(`${query.get('appid')}${createTime}${APP_KEY}`).digest('hex');
  if (query.get('appid') !== APP_ID || !/^\d{10}$/.test(createTime) || query.get('sign') !== expected) {
    json(response, 200, { ret_code: '900003', ret_msg: 'sign error' });
    return;
  }
  const token = `tok-${issuedTokens.length + 1}-0123456789abcdef`;
  issuedTokens.push(token);
  json(response, 200, { item: { token, expires_in: '86400' }, ret_code: '000000', ret_msg: '操作成功' });
}

const tokenRequests = () => server.requests.filter((r) => r.url.startsWith(TOKEN_PATH));
const apiRequests = () => server.requests.filter((r) => !r.url.startsWith(TOKEN_PATH));

beforeAll(async () => {
  server = await startServer((request, response) =>
    request.url.startsWith(TOKEN_PATH) ? tokenResponse(request, response) : apiResponse(request, response),
  );
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
});

function client(options: Partial<SobotClientOptions> = {}): SobotCore {
  issuedTokens = [];
  tokenResponse = issueToken;
  apiResponse = (_request, response) => json(response, 200, { ret_code: '000000', ret_msg: '成功', item: 'track-1' });
  return new SobotCore({ appId: APP_ID, appKey: APP_KEY, baseUrl: server.baseUrl, ...options }, retCodeTable, TOKEN_PATH);
}

describe('sobotSign', () => {
  it('is md5(appid + create_time + app_key)', () => {
    expect(sobotSign('1', '1569397773', '2')).toBe('258eec3118705112b2c53dc8043d4d34');
  });
});

describe('SobotCore', () => {
  it('gets a signed token, sends it in the token header and unwraps the result', async () => {
    const sobot = client({ now: () => 1_569_397_773_123 });
    const result = await sobot.call<string>({ ...send, unwrap: 'item' });

    expect(result).toBe('track-1');
    const [tokenRequest] = tokenRequests();
    expect(tokenRequest!.method).toBe('GET');
    const query = new URL(tokenRequest!.url, 'http://x').searchParams;
    expect(query.get('appid')).toBe(APP_ID);
    expect(query.get('create_time')).toBe('1569397773');
    expect(query.get('sign')).toBe(sobotSign(APP_ID, '1569397773', APP_KEY));
    expect(tokenRequest!.url).not.toContain(APP_KEY);
    expect(tokenRequest!.headers['token']).toBeUndefined();

    const [apiRequest] = apiRequests();
    expect(apiRequest!.method).toBe('POST');
    expect(apiRequest!.url).toBe(SEND_PATH);
    expect(apiRequest!.headers['token']).toBe(issuedTokens[0]);
    expect(apiRequest!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(apiRequest!.body)).toEqual(send.body);
  });

  it('returns the whole envelope without unwrap, and reuses the token', async () => {
    const sobot = client();
    expect(await sobot.call(send)).toEqual({ ret_code: '000000', ret_msg: '成功', item: 'track-1' });
    await sobot.call(send);
    await sobot.call({ operation: 'querySubscribedUsers', method: 'GET', path: '/chat-facebook/api/messenger/query_sub_users', query: { appid: '22222222', page_no: 1, page_size: 100 } });
    expect(tokenRequests()).toHaveLength(1);
    const queryRequest = apiRequests()[2]!;
    expect(queryRequest.url).toBe('/chat-facebook/api/messenger/query_sub_users?appid=22222222&page_no=1&page_size=100');
    expect(queryRequest.headers['token']).toBe(issuedTokens[0]);
  });

  it('fetches one token for many concurrent calls', async () => {
    const sobot = client();
    await Promise.all(Array.from({ length: 20 }, () => sobot.call(send)));
    expect(tokenRequests()).toHaveLength(1);
    expect(apiRequests()).toHaveLength(20);
  });

  it('on 900002 replaces the token and replays the call once', async () => {
    const sobot = client();
    apiResponse = (request, response) =>
      request.headers['token'] === issuedTokens[0]
        ? json(response, 200, { ret_code: '900002', ret_msg: `token ${String(request.headers['token'])} 已失效,请重新获取` })
        : json(response, 200, { ret_code: '000000', ret_msg: '成功', item: 'track-2' });

    expect(await sobot.call({ ...send, unwrap: 'item' })).toBe('track-2');
    expect(tokenRequests()).toHaveLength(2);
    expect(apiRequests().map((r) => r.headers['token'])).toEqual([issuedTokens[0], issuedTokens[1]]);
    expect(apiRequests()[1]!.body).toBe(apiRequests()[0]!.body);
  });

  it('on 900001 also refreshes and replays', async () => {
    const sobot = client();
    let first = true;
    apiResponse = (_request, response) => {
      json(response, 200, first ? { ret_code: '900001', ret_msg: 'token 为空' } : { ret_code: '000000', ret_msg: '成功' });
      first = false;
    };
    await sobot.call(send);
    expect(apiRequests()).toHaveLength(2);
  });

  it('replays only once: a second 900002 is thrown as SobotApiError', async () => {
    const sobot = client();
    apiResponse = (request, response) =>
      json(response, 200, { ret_code: '900002', ret_msg: `token ${String(request.headers['token'])} 已失效,请重新获取` });

    const error = await rejectionOf(sobot.call(send));
    expect(error).toBeInstanceOf(SobotApiError);
    const sobotError = error as SobotApiError;
    expect(sobotError.retCode).toBe('900002');
    expect(sobotError.info).toEqual(retCodeTable['900002']);
    expect(sobotError.operation).toBe('sendMessage');
    expect(sobotError.status).toBe(200);
    expect(sobotError.retMsg).toContain('[redacted]');
    expect(apiRequests()).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(2);
    expectNoSecrets(error, [APP_KEY, ...issuedTokens]);
  });

  it('throws SobotApiError with the spec info for a business error, without replaying', async () => {
    const sobot = client();
    apiResponse = (_request, response) => json(response, 200, { ret_code: '210001', ret_msg: 'Facebook主页ID不能为空' });

    const error = (await rejectionOf(sobot.call(send))) as SobotApiError;
    expect(error).toBeInstanceOf(SobotApiError);
    expect(error.name).toBe('SobotApiError');
    expect(error.retCode).toBe('210001');
    expect(error.retMsg).toBe('Facebook主页ID不能为空');
    expect(error.info?.name).toBe('PageIdMissing');
    expect(error.message).toBe('sendMessage: Sobot error 210001 PageIdMissing: Facebook主页ID不能为空');
    expect(apiRequests()).toHaveLength(1);
    expectNoSecrets(error, [APP_KEY, ...issuedTokens]);
  });

  it('keeps the response headers and x-request-id on SobotApiError and HttpError, without Set-Cookie', async () => {
    const sobot = client();
    apiResponse = (_request, response) => {
      response.setHeader('x-request-id', 'sobot-req-7');
      response.setHeader('set-cookie', 'JSESSIONID=1');
      json(response, 200, { ret_code: '210001', ret_msg: 'Facebook主页ID不能为空' });
    };
    const error = (await rejectionOf(sobot.call(send))) as SobotApiError;
    expect(error).toBeInstanceOf(SobotApiError);
    expect(error.requestId).toBe('sobot-req-7');
    expect(error.headers['set-cookie']).toBeUndefined();
    expect(error.headers['content-type']).toContain('application/json');

    apiResponse = (_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain', 'x-request-id': 'sobot-req-8' });
      response.end('busy');
    };
    const unexpected = (await rejectionOf(sobot.call({ ...send, operation: 'listTopics' }, { retry: false }))) as HttpError;
    expect(unexpected).toBeInstanceOf(HttpError);
    expect(unexpected.requestId).toBe('sobot-req-8');
    expect(unexpected.headers['content-type']).toBe('text/plain');
    expectNoSecrets(error, [APP_KEY, ...issuedTokens]);
  });

  it('reports a failing token request as SobotApiError of getToken, and retries it on the next call', async () => {
    const sobot = client();
    tokenResponse = (_request, response) => json(response, 200, { ret_code: '999999', ret_msg: '系统未知异常' });

    const error = (await rejectionOf(sobot.call(send))) as SobotApiError;
    expect(error).toBeInstanceOf(SobotApiError);
    expect(error.operation).toBe('getToken');
    expect(error.retCode).toBe('999999');
    expect(apiRequests()).toHaveLength(0);

    tokenResponse = issueToken;
    await sobot.call(send);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('rejects a token response without a usable token, without leaking it', async () => {
    const sobot = client();
    const leaked = 'half-issued-token-abcdef0123';
    tokenResponse = (_request, response) =>
      json(response, 200, { ret_code: '000000', ret_msg: 'ok', item: { token: leaked, expires_in: 'soon' } });
    const error = await rejectionOf(sobot.call(send));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).operation).toBe('getToken');
    expectNoSecrets(error, [APP_KEY, leaked]);
  });

  it('reports a non-JSON answer as HttpError', async () => {
    const sobot = client();
    apiResponse = (_request, response) => {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end('<html>Internal Server Error</html>');
    };
    const error = (await rejectionOf(sobot.call(send))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(500);
    expect(error.body).toBe('<html>Internal Server Error</html>');
  });

  it('reports JSON without ret_code as HttpError', async () => {
    const sobot = client();
    apiResponse = (_request, response) => json(response, 404, { timestamp: 1, status: 404, error: 'Not Found', path: SEND_PATH });
    const error = (await rejectionOf(sobot.call(send))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toContain('ret_code');
  });

  it('times out with TimeoutError', async () => {
    const sobot = client({ timeoutMs: 150 });
    await sobot.tokens.getToken();
    apiResponse = () => undefined;
    const error = await rejectionOf(sobot.call(send));
    expect(error).toBeInstanceOf(TimeoutError);
    expectNoSecrets(error, [APP_KEY, ...issuedTokens]);
  });

  it("reports a refused connection as ConnectionError 'not-sent'", async () => {
    const sobot = new SobotCore({ appId: APP_ID, appKey: APP_KEY, baseUrl: await refusedBaseUrl() }, retCodeTable, TOKEN_PATH);
    const error = await rejectionOf(sobot.call(send));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).outcome).toBe('not-sent');
    expect((error as ConnectionError).operation).toBe('getToken');
    expectNoSecrets(error, [APP_KEY]);
  });

  it('calls auth: false operations without a token', async () => {
    const sobot = client();
    tokenResponse = issueToken;
    const createTime = '1569397773';
    const item = await sobot.call<{ token: string }>({
      operation: 'getToken',
      method: 'GET',
      path: TOKEN_PATH,
      query: { appid: APP_ID, create_time: createTime, sign: sobotSign(APP_ID, createTime, APP_KEY) },
      auth: false,
      unwrap: 'item',
    });
    expect(item.token).toBe(issuedTokens[0]);
    expect(server.requests).toHaveLength(1);
  });

  it('uses a shared token store and the injected clock for expiry', async () => {
    let now = Date.UTC(2024, 6, 18, 12);
    const store = new MemoryTokenStore();
    const sobot = client({ tokenStore: store, now: () => now });
    await sobot.call(send);
    expect((await store.get())?.expiresAt).toBe(now + 86_400_000);

    now += 86_400_000 - 5 * 60_000; // inside the refresh margin
    await sobot.call(send);
    expect(tokenRequests()).toHaveLength(2);
    expect(apiRequests()[1]!.headers['token']).toBe(issuedTokens[1]);
  });

  it('keeps the app key out of its options and validates them', () => {
    const sobot = client();
    expect(JSON.stringify(sobot.options)).not.toContain(APP_KEY);
    expect(sobot.options.baseUrl).toBe(server.baseUrl);
    expect(new SobotCore({ appId: 'a', appKey: 'k' }, retCodeTable, TOKEN_PATH).options.baseUrl).toBe('https://sg.sobot.com');
    expect(() => new SobotCore({ appId: 'a', appKey: '' }, retCodeTable, TOKEN_PATH)).toThrow(MessengerError);
  });
});
