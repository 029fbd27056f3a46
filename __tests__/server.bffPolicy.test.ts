// The backend-for-frontend's pure decisions (machines/server/bffPolicy.ts) and its cookie
// (services/server/sessionCookie.ts): routes, the proxy's allow-list and paths, CSRF, statuses.
import { csrfVerdict, proxyRestIsSafe, proxyTarget, routeOf, statusOf } from '../machines/server/bffPolicy';
import { leftAfterAttempt, outboxVerdict } from '../machines/server/outboxPolicy';
import { BffErrorNames, registeredNames } from '../machines/errors/registry';
import { newSessionId, sessionCookie, sessionHashOf, sessionIdOf, SESSION_COOKIE } from '../services/server/sessionCookie';

describe('routeOf', () => {
  const proxies = ['/api/orders', '/api/users'];
  test.each([
    ['POST', '/auth/sign-in', { kind: 'signIn' }],
    ['POST', '/auth/confirm-sign-in', { kind: 'confirmSignIn' }],
    ['POST', '/auth/sign-out', { kind: 'signOut' }],
    ['GET', '/auth/session', { kind: 'session' }],
    ['HEAD', '/auth/session', { kind: 'session' }],
    ['GET', '/auth/sign-in/redirect', { kind: 'signInRedirect' }],
    ['GET', '/auth/callback', { kind: 'callback' }],
    ['POST', '/auth/callback', { kind: 'methodNotAllowed', allow: 'GET, HEAD' }],
    ['GET', '/auth/sign-in', { kind: 'methodNotAllowed', allow: 'POST' }],
    ['POST', '/auth/session', { kind: 'methodNotAllowed', allow: 'GET, HEAD' }],
    ['GET', '/auth/sign-in/', { kind: 'refused', name: 'RouteNotFound' }],
    ['GET', '/auth', { kind: 'refused', name: 'RouteNotFound' }],
    ['GET', '/api/orders/42', { kind: 'proxy', entry: 0, rest: '42' }],
    ['DELETE', '/api/users/7/roles/admin', { kind: 'proxy', entry: 1, rest: '7/roles/admin' }],
    ['GET', '/api/orders', { kind: 'refused', name: 'RouteNotFound' }],
    ['GET', '/api/orders/', { kind: 'refused', name: 'ProxyPathRefused' }],
    ['GET', '/api/ordersX/1', { kind: 'refused', name: 'RouteNotFound' }],
    ['GET', '/api/orders/a%2f..%2fb', { kind: 'refused', name: 'ProxyPathRefused' }],
    ['CONNECT', '/api/orders/1', { kind: 'methodNotAllowed', allow: 'GET, HEAD, POST, PUT, PATCH, DELETE' }],
  ])('%s %s', (method, path, route) => {
    expect(routeOf(method, path, '/auth', proxies)).toEqual(route);
  });

  test('another base path', () => {
    expect(routeOf('GET', '/bff/v1/session', '/bff/v1', [])).toEqual({ kind: 'session' });
    expect(routeOf('GET', '/auth/session', '/bff/v1', [])).toEqual({ kind: 'refused', name: 'RouteNotFound' });
  });
});

describe('the proxied rest', () => {
  test.each(['42', 'a/b/c', 'items%20with%20spaces', 'x.json', '...', 'a..b', '%41'])('%s is safe', (rest) => expect(proxyRestIsSafe(rest)).toBe(true));
  test.each(['', '..', '.', 'a/../b', 'a/./b', '%2e%2e', '%2E', 'a%2fb', 'a%2Fb', 'a%5cb', 'a\\b', 'a//b', 'a/', '%zz', '%', 'a%00b', 'a%0d%0ab'])('%s is refused', (rest) => expect(proxyRestIsSafe(rest)).toBe(false));

  test('proxyTarget joins under the upstream, keeps the query, and refuses what could leave it', () => {
    expect(proxyTarget('https://orders.example.com/v1', '42/items', '?expand=1')).toBe('https://orders.example.com/v1/42/items?expand=1');
    expect(proxyTarget('https://orders.example.com/v1/', '42', '')).toBe('https://orders.example.com/v1/42');
    expect(proxyTarget('https://orders.example.com', '42', '')).toBe('https://orders.example.com/42');
    expect(proxyTarget('https://orders.example.com/v1', '..', '')).toBeNull();
    expect(proxyTarget('https://orders.example.com/v1', '%2e%2e/admin', '')).toBeNull();
    expect(proxyTarget('https://orders.example.com/v1', '@evil.example', '')).toBe('https://orders.example.com/v1/@evil.example');
  });
});

describe('csrfVerdict', () => {
  const own = 'http://127.0.0.1:8080';
  const post = { method: 'POST', csrfHeader: '1', origin: own, ownOrigin: own };
  test('GET and HEAD change nothing: let through', () => {
    expect(csrfVerdict({ ...post, method: 'GET', csrfHeader: null, origin: null })).toBe('allowed');
    expect(csrfVerdict({ ...post, method: 'HEAD', csrfHeader: null, origin: 'https://evil.example' })).toBe('allowed');
  });
  test('a POST needs the header, exactly 1', () => {
    expect(csrfVerdict(post)).toBe('allowed');
    for (const csrfHeader of [null, '', '0', 'true', '1 ']) expect(csrfVerdict({ ...post, csrfHeader })).toBe(BffErrorNames.csrfHeaderMissing);
  });
  test('and an allowed Origin: its own by default; a missing or null one is refused', () => {
    for (const origin of [null, 'null', 'https://evil.example', 'http://127.0.0.1:8081', `${own}/`]) expect(csrfVerdict({ ...post, origin })).toBe(BffErrorNames.originNotAllowed);
    expect(csrfVerdict({ ...post, method: 'DELETE' })).toBe('allowed');
    expect(csrfVerdict({ ...post, method: 'PUT', csrfHeader: null })).toBe(BffErrorNames.csrfHeaderMissing);
  });
  test('allowedOrigins replaces the request’s own origin', () => {
    const allowedOrigins = ['https://app.example.com'];
    expect(csrfVerdict({ ...post, allowedOrigins })).toBe(BffErrorNames.originNotAllowed);
    expect(csrfVerdict({ ...post, origin: 'https://app.example.com', allowedOrigins })).toBe('allowed');
  });
});

describe('statusOf', () => {
  test.each([
    ['NotSignedIn', 401],
    ['CsrfHeaderMissing', 403],
    ['OriginNotAllowed', 403],
    ['RouteNotFound', 404],
    ['MethodNotAllowed', 405],
    ['BodyTooLarge', 413],
    ['BadRequestBody', 400],
    ['ProxyPathRefused', 400],
    ['UpstreamUnreachable', 502],
    ['AuthValidationError', 400],
    ['NotAuthorizedException', 401],
    ['UserAlreadyAuthenticatedException', 409],
    ['NoPendingChallengeException', 409],
    ['CodeMismatchException', 400],
    ['TooManyRequestsException', 429],
    ['NetworkError', 503],
    ['TimeoutError', 503],
    ['UnexpectedResponse', 502],
    ['StorageError', 503],
    ['AuthInternalError', 500],
    ['SomeNewCognitoException', 400],
  ])('%s → %d', (name, status) => expect(statusOf(name)).toBe(status));

  test('every registered name maps to a 4xx or a 5xx', () => {
    for (const name of registeredNames()) expect([name, statusOf(name) >= 400 && statusOf(name) < 600]).toEqual([name, true]);
  });
});

describe('the session cookie', () => {
  test('a new id is 32 random bytes, base64url; the store knows it only by its SHA-256', () => {
    const id = newSessionId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(newSessionId()).not.toBe(id);
    expect(sessionHashOf(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionHashOf(id)).not.toContain(id);
  });
  test('Secure, HttpOnly, SameSite=Strict, Path=/, no Domain', () => {
    expect(sessionCookie('x', 60)).toBe(`${SESSION_COOKIE}=x; Max-Age=60; Path=/; Secure; HttpOnly; SameSite=Strict`);
    expect(sessionCookie('x', 60)).not.toMatch(/domain/i);
  });
  test('read from a Cookie header; anything malformed is absent', () => {
    const id = newSessionId();
    expect(sessionIdOf(`a=1; ${SESSION_COOKIE}=${id}; b=2`)).toBe(id);
    expect(sessionIdOf(`${SESSION_COOKIE}=${id}; ${SESSION_COOKIE}=${id}`)).toBe(id);
    for (const header of [null, '', 'a=1', `${SESSION_COOKIE}=`, `${SESSION_COOKIE}=${id}x`, `${SESSION_COOKIE}=${id.slice(1)}`, `${SESSION_COOKIE}=${id.slice(1)}=`, `${SESSION_COOKIE}=${id}; ${SESSION_COOKIE}=${newSessionId()}`, `__Host-authchart-session=${id}`]) {
      expect([header, sessionIdOf(header)]).toEqual([header, null]);
    }
  });
});

describe('the fleet outbox: outboxVerdict and leftAfterAttempt', () => {
  test('nothing left finishes the entry, whatever its deliveries', () => {
    expect(outboxVerdict(0, 1, 5)).toBe('finished');
    expect(outboxVerdict(0, 9, 5)).toBe('finished');
  });
  test('something left, or an attempt that could not tell, is retried until maxDeliveries, then dead-lettered', () => {
    expect(outboxVerdict(1, 4, 5)).toBe('retry');
    expect(outboxVerdict(null, 4, 5)).toBe('retry');
    expect(outboxVerdict(1, 5, 5)).toBe('deadLetter');
    expect(outboxVerdict(null, 6, 5)).toBe('deadLetter');
  });
  test('a session enqueued again while the attempt ran is tried again, whatever the attempt found', () => {
    expect(outboxVerdict(0, 1, 5, true)).toBe('retry');
    expect(outboxVerdict(1, 5, 5, true)).toBe('retry');
    expect(outboxVerdict(0, 1, 5, false)).toBe('finished');
  });
  test('a session still stored in the record counts as one intent left', () => {
    expect(leftAfterAttempt(0, false)).toBe(0);
    expect(leftAfterAttempt(0, true)).toBe(1);
    expect(leftAfterAttempt(2, true)).toBe(3);
  });
});
