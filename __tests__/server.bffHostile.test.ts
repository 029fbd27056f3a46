// The backend-for-frontend's proxy, and every hostile input: each gets a typed 4xx and changes
// nothing (no Cognito call, no write to the store, nothing sent upstream). Real HTTP: the BFF over
// node:http through toNodeListener, the emulator, and an upstream API on 127.0.0.1.
import { request as httpRequest } from 'node:http';
import { memorySessionStore, type SessionStore } from '../src/server/index';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/index';
import { answers, cookieOf, send, startBff, startUpstream, type Answer, type Bff } from './support/bff';

let emu!: CognitoEmulator;
let pool!: SetupResult;
let bff!: Bff;
let upstream!: Awaited<ReturnType<typeof startUpstream>>;
let id = '';
let tokens!: { accessToken: string; idToken: string; refreshToken: string };
/** Writes to the store after set-up: a hostile request must make none. */
const writes: string[] = [];

/** A memory store that records every write (not what is written). */
function watchedStore(): SessionStore {
  const store = memorySessionStore();
  return {
    ...store,
    storageFor(hash) {
      const storage = store.storageFor(hash);
      return {
        refreshLock: storage.refreshLock,
        getItem: (key) => storage.getItem(key),
        setItem: (key, value) => (writes.push(`set ${key}`), storage.setItem(key, value)),
        // Removing what is not there changes nothing.
        removeItem: (key) => (storage.getItem(key) !== null && writes.push(`remove ${key}`), storage.removeItem(key)),
      };
    },
    rename: (from, to) => (writes.push('rename'), store.rename(from, to)),
    destroy: (hash) => (writes.push('destroy'), store.destroy(hash)),
    expire: (hash, ttl) => (writes.push('expire'), store.expire(hash, ttl)),
    outbox: store.outbox,
    close: () => store.close(),
  };
}

beforeAll(async () => {
  emu = await startCognitoEmulator();
  pool = emu.setup();
  upstream = await startUpstream();
  bff = await startBff(emu, pool, { proxy: [{ path: '/api/orders', upstream: `${upstream.base}/v1` }], maxBodyBytes: 1024 }, watchedStore());
  const answer = await bff.call('POST', '/auth/sign-in', { json: { username: pool.username, password: pool.password } });
  id = cookieOf(answer)!;
  tokens = (await bff.tokensOf(id))!;
});
afterAll(async () => {
  await bff.close();
  await upstream.close();
  await emu.close();
});

describe('the proxy', () => {
  test('GET /api/orders/<rest>?query goes to <upstream>/v1/<rest>?query with the access token as the bearer, and neither the cookie nor the CSRF header', async () => {
    upstream.seen.length = 0;
    const answer = await bff.call('GET', '/api/orders/42/items?expand=1', { cookie: id, headers: { 'x-authchart-csrf': '1', accept: 'application/json' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ path: '/v1/42/items?expand=1', method: 'GET', body: '' });
    const [sent] = upstream.seen;
    expect(sent!.headers.authorization).toBe(`Bearer ${tokens.accessToken}`);
    expect(sent!.headers.cookie).toBeUndefined();
    expect(sent!.headers['x-authchart-csrf']).toBeUndefined();
    expect(sent!.headers.accept).toBe('application/json');
    // The upstream's own cookie never reaches the browser; its other headers do.
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect(answer.headers['x-upstream']).toBe('yes');
  });

  test('a POST through the proxy passes its body on, after the CSRF check', async () => {
    upstream.seen.length = 0;
    const answer = await bff.call('POST', '/api/orders/new', { cookie: id, json: { item: 'tea' } });
    expect(answer.body).toEqual({ path: '/v1/new', method: 'POST', body: '{"item":"tea"}' });
    expect(upstream.seen[0]!.headers['content-type']).toBe('application/json');
  });

  test('without a session: 401 NotSignedIn, nothing sent upstream', async () => {
    upstream.seen.length = 0;
    expect(await refusalOf(bff.call('GET', '/api/orders/42'))).toEqual([401, 'NotSignedIn']);
    expect(await refusalOf(bff.call('GET', '/api/orders/42', { cookie: Buffer.alloc(32, 1).toString('base64url') }))).toEqual([401, 'NotSignedIn']);
    expect(upstream.seen).toEqual([]);
  });
});

describe('hostile input: a typed 4xx, and nothing changes', () => {
  beforeEach(() => {
    writes.length = 0;
    upstream.seen.length = 0;
    emu.resetRequests();
  });
  afterEach(() => {
    expect(writes).toEqual([]);
    expect(upstream.seen).toEqual([]);
    expect(emu.requests).toEqual([]);
  });

  const forged = Buffer.alloc(32, 9).toString('base64url');
  const signIn = { username: 'someone', password: 'whatever-it-is' };

  test.each([
    ['GET /auth/session without a cookie', 'GET', '/auth/session', {}, 401, 'NotSignedIn'],
    ['GET /auth/session with a forged cookie', 'GET', '/auth/session', { cookie: forged }, 401, 'NotSignedIn'],
    ['GET /auth/session with a malformed cookie', 'GET', '/auth/session', { cookie: 'not-an-id' }, 401, 'NotSignedIn'],
    ['sign-out without a cookie', 'POST', '/auth/sign-out', { json: {} }, 401, 'NotSignedIn'],
    ['sign-out with a forged cookie', 'POST', '/auth/sign-out', { cookie: forged, json: {} }, 401, 'NotSignedIn'],
    ['sign-out with a malformed cookie', 'POST', '/auth/sign-out', { cookie: `${forged}x`, json: {} }, 401, 'NotSignedIn'],
    ['sign-in without the CSRF header', 'POST', '/auth/sign-in', { json: signIn, headers: { 'x-authchart-csrf': '' } }, 403, 'CsrfHeaderMissing'],
    ['sign-out without the CSRF header, with a real session', 'POST', '/auth/sign-out', { cookie: 'ID', json: {}, headers: { 'x-authchart-csrf': '0' } }, 403, 'CsrfHeaderMissing'],
    ['sign-in from a foreign Origin', 'POST', '/auth/sign-in', { json: signIn, headers: { origin: 'https://evil.example' } }, 403, 'OriginNotAllowed'],
    ['sign-out with a real session from a foreign Origin', 'POST', '/auth/sign-out', { cookie: 'ID', json: {}, headers: { origin: 'null' } }, 403, 'OriginNotAllowed'],
    ['a proxied POST from a foreign Origin', 'POST', '/api/orders/new', { cookie: 'ID', json: {}, headers: { origin: 'http://127.0.0.1:1' } }, 403, 'OriginNotAllowed'],
    ['sign-in with a body that is not JSON', 'POST', '/auth/sign-in', { headers: { 'content-type': 'application/json' }, raw: '{"username":' }, 400, 'BadRequestBody'],
    ['sign-in with a JSON array', 'POST', '/auth/sign-in', { json: [1, 2] }, 400, 'BadRequestBody'],
    ['sign-in without a password', 'POST', '/auth/sign-in', { json: { username: 'u' } }, 400, 'AuthValidationError'],
    ['sign-out with a global that is not a boolean', 'POST', '/auth/sign-out', { cookie: 'ID', json: { global: 'yes' } }, 400, 'AuthValidationError'],
    ['a path off the proxy allow-list', 'GET', '/api/admin/users', { cookie: 'ID' }, 404, 'RouteNotFound'],
    ['a path beside the proxy prefix', 'GET', '/api/orders-private/1', { cookie: 'ID' }, 404, 'RouteNotFound'],
    ['the proxy prefix itself', 'GET', '/api/orders', { cookie: 'ID' }, 404, 'RouteNotFound'],
    ['.. in the proxied rest, raw', 'GET', '/api/orders/../../admin', { cookie: 'ID' }, 404, 'RouteNotFound'],
    ['.. in the proxied rest, encoded', 'GET', '/api/orders/%2e%2e/%2E%2E/admin', { cookie: 'ID' }, 404, 'RouteNotFound'],
    ['an encoded slash in the proxied rest', 'GET', '/api/orders/..%2fadmin', { cookie: 'ID' }, 400, 'ProxyPathRefused'],
    ['an encoded backslash in the proxied rest', 'GET', '/api/orders/a%5c..%5cadmin', { cookie: 'ID' }, 400, 'ProxyPathRefused'],
    ['bad percent-encoding in the proxied rest', 'GET', '/api/orders/%zz', { cookie: 'ID' }, 400, 'ProxyPathRefused'],
    ['an unknown auth route', 'GET', '/auth/tokens', {}, 404, 'RouteNotFound'],
    ['GET on sign-in', 'GET', '/auth/sign-in', {}, 405, 'MethodNotAllowed'],
    ['TRACE through the proxy', 'TRACE', '/api/orders/1', { cookie: 'ID' }, 405, 'MethodNotAllowed'],
  ] as const)('%s: %s %s → %d %s', async (_, method, path, options, status, name) => {
    const o = options as { cookie?: string; json?: unknown; headers?: Record<string, string>; raw?: string };
    const cookie = o.cookie === 'ID' ? id : o.cookie;
    const answer = o.raw !== undefined
      ? await send(bff.base, path, { method, body: o.raw, headers: { 'x-authchart-csrf': '1', origin: bff.base, ...o.headers } })
      : await bff.call(method, path, { ...(cookie !== undefined && { cookie }), ...(o.json !== undefined && { json: o.json }), ...(o.headers && { headers: o.headers }) });
    expect([answer.status, answer.body?.error?.name]).toEqual([status, name]);
    expect(answer.body).toEqual({ error: { name, message: expect.any(String) } });
  });

  test('a POST without an Origin: 403 OriginNotAllowed', async () => {
    const answer = await send(bff.base, '/auth/sign-in', { method: 'POST', headers: { 'x-authchart-csrf': '1', 'content-type': 'application/json' }, body: JSON.stringify(signIn) });
    expect([answer.status, answer.body.error.name]).toEqual([403, 'OriginNotAllowed']);
  });

  test('a body declared larger than maxBodyBytes: 413 BodyTooLarge at once, without the body being sent', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(bff.base);
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/auth/sign-in', method: 'POST', headers: { 'x-authchart-csrf': '1', origin: bff.base, 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write('{"username":"'); // a few bytes of the 50 MB it announced
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.name).toBe('BodyTooLarge');
  });

  test('a chunked body over maxBodyBytes: 413 BodyTooLarge, read no further than the bound', async () => {
    const answer = await send(bff.base, '/auth/sign-in', { method: 'POST', headers: { 'x-authchart-csrf': '1', origin: bff.base, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: `{"username":"${'a'.repeat(4096)}"}` });
    expect([answer.status, answer.body.error.name]).toEqual([413, 'BodyTooLarge']);
  });

  test('a proxied body over maxProxyBodyBytes: 413 before anything is sent upstream', async () => {
    const small = await startBff(emu, pool, { proxy: [{ path: '/api/orders', upstream: `${upstream.base}/v1` }], maxProxyBodyBytes: 16 });
    try {
      const answer = await small.call('POST', '/api/orders/new', { cookie: id, json: { item: 'a much longer body than sixteen bytes' } });
      expect([answer.status, answer.body.error.name]).toEqual([413, 'BodyTooLarge']);
    } finally {
      await small.close();
    }
  });

  test('headers over node:http’s limit: node:http answers 431 before the handler runs', async () => {
    const answer = await send(bff.base, '/auth/session', { headers: { cookie: `${'x'.repeat(20_000)}=1` } });
    expect(answer.status).toBe(431);
  });
});

test('no answer holds a token, the session id or a password, but in its own Set-Cookie', () => {
  const secrets = [id, tokens.accessToken, tokens.idToken, tokens.refreshToken, pool.password];
  expect(answers.length).toBeGreaterThan(30);
  const leaking = answers.filter((answer: Answer) => {
    const { 'set-cookie': _cookie, ...headers } = answer.headers;
    const text = `${answer.text}\n${JSON.stringify(headers)}`;
    return secrets.some((secret) => text.includes(secret));
  });
  expect(leaking).toEqual([]);
});

async function refusalOf(answer: Promise<Answer>): Promise<[number, string]> {
  const { status, body } = await answer;
  return [status, body?.error?.name];
}
