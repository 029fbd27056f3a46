// The backend-for-frontend (createServerAuth) end to end: the BFF over node:http on 127.0.0.1
// through toNodeListener, real HTTP to the emulator. Sign-in (password and SRP), /session, a
// refresh of an expired access token (one for many requests), sign-out local and global, complete
// and partial (finished later by the fleet outbox), and no secret in any answer.
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/index';
import { answers, cookieOf, COOKIE, hashOf, leaksIn, startBff, startUpstream, type Bff } from './support/bff';

let emu!: CognitoEmulator;
let clock = Date.now();
let bff: Bff | undefined;
/** Every secret met in this file: no answer may hold one, but in its own Set-Cookie. */
const secrets = new Set<string>();

beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
});
afterEach(async () => {
  emu.faults.clear();
  clock = Date.now();
  await bff?.close();
  bff = undefined;
});
afterAll(() => emu.close());

async function start(options: Parameters<CognitoEmulator['setup']>[0] = {}, config: Parameters<typeof startBff>[2] = {}) {
  const pool = emu.setup(options);
  secrets.add(pool.password);
  if (pool.clientSecret) secrets.add(pool.clientSecret);
  bff = await startBff(emu, pool, config);
  emu.resetRequests();
  return { pool, bff };
}

/** Signs in through the BFF: the new session id, and the tokens the store holds for it. */
async function signIn(b: Bff, pool: SetupResult, authFlow?: 'USER_PASSWORD_AUTH' | 'USER_SRP_AUTH') {
  const answer = await b.call('POST', '/auth/sign-in', { json: { username: pool.username, password: pool.password, ...(authFlow && { authFlow }) } });
  expect(answer.status).toBe(200);
  const id = cookieOf(answer)!;
  const tokens = (await b.tokensOf(id))!;
  for (const secret of [id, tokens.accessToken, tokens.idToken, tokens.refreshToken]) secrets.add(secret);
  return { answer, id, tokens };
}

test.each([['USER_PASSWORD_AUTH'], ['USER_SRP_AUTH']] as const)('sign-in with %s: signed in, a cookie with a new random 256-bit id and the attributes RFC 10017 asks for, and /session says who', async (authFlow) => {
  const { pool, bff: b } = await start();
  const { answer, id } = await signIn(b, pool, authFlow);
  expect(answer.body).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const [line] = answer.headers['set-cookie']!;
  expect(line).toBe(`${COOKIE}=${id}; Max-Age=2592000; Path=/; Secure; HttpOnly; SameSite=Strict`);
  expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(Buffer.from(id, 'base64url')).toHaveLength(32);
  expect(emu.requests.filter((r) => r.operation === 'InitiateAuth')).toHaveLength(1);

  const session = await b.call('GET', '/auth/session', { cookie: id });
  expect(session.status).toBe(200);
  expect(session.body.user).toMatchObject({ username: pool.username, sub: expect.any(String), claims: { token_use: 'id', 'cognito:username': pool.username } });
  expect(session.body.user.claims.sub).toBe(session.body.user.sub);
  // The store keys the session by the id's SHA-256: the id itself is nowhere in it.
  expect(await b.store.storageFor(id).getItem(`authchart.${pool.clientId}.session`)).toBeNull();
  expect(await b.store.storageFor(hashOf(id)).getItem(`authchart.${pool.clientId}.session`)).not.toBeNull();
});

test('every sign-in gets a new id: a cookie sent with the sign-in (fixed by an attacker) never names the signed-in session', async () => {
  const { pool, bff: b } = await start();
  const fixed = Buffer.alloc(32, 7).toString('base64url');
  const answer = await b.call('POST', '/auth/sign-in', { cookie: fixed, json: { username: pool.username, password: pool.password } });
  expect(answer.status).toBe(200);
  const id = cookieOf(answer)!;
  secrets.add(id);
  expect(id).not.toBe(fixed);
  expect((await b.call('GET', '/auth/session', { cookie: fixed })).status).toBe(401);
  expect((await b.call('GET', '/auth/session', { cookie: id })).status).toBe(200);
  // Signed in already: the chart refuses a second sign-in over the session (one user at a time).
  const again = await b.call('POST', '/auth/sign-in', { cookie: id, json: { username: pool.username, password: pool.password } });
  expect(again.status).toBe(409);
  expect(again.body.error.name).toBe('UserAlreadyAuthenticatedException');
  expect(cookieOf(again)).toBeUndefined();
  // Two sign-ins of the same user without a cookie: two sessions, two ids.
  const other = await signIn(b, pool);
  expect(other.id).not.toBe(id);
});

test('GET /session routes on the path as URL resolves it (dot segments), for every URL, past the 256 parses the BFF keeps', async () => {
  const { pool, bff: b } = await start();
  const { id } = await signIn(b, pool);
  for (const path of ['/auth/x/../session', '/auth/./session', '/auth/%2e/session']) {
    const answer = await b.call('GET', path, { cookie: id });
    expect([path, answer.status, answer.body.user?.username]).toEqual([path, 200, pool.username]);
  }
  const off = await b.call('GET', '/auth/session/..', { cookie: id });
  expect([off.status, off.body.error.name]).toEqual([404, 'RouteNotFound']);
  // More distinct URLs than the BFF keeps parsed: each still answered as its own path says.
  const statuses = new Set<number>();
  for (let n = 0; n < 300; n++) statuses.add((await b.call('GET', `/auth/x${n}/../session`, { cookie: id })).status);
  expect([...statuses]).toEqual([200]);
  // A query or a fragment changes neither the path nor the origin (the BFF keeps its parses without them).
  expect((await b.call('GET', '/auth/x/../session?code=abc#frag', { cookie: id })).status).toBe(200);
  expect((await b.call('GET', '/auth/nothing?/auth/session', { cookie: id })).status).toBe(404);
  expect((await b.call('GET', '/auth/x/../session', { cookie: id })).status).toBe(200);
  expect((await b.call('GET', '/auth/nothing', { cookie: id })).status).toBe(404);
});

test('a wrong password: 401 NotAuthorizedException, and no cookie', async () => {
  const { pool, bff: b } = await start();
  const answer = await b.call('POST', '/auth/sign-in', { json: { username: pool.username, password: 'not-the-password' } });
  expect(answer.status).toBe(401);
  expect(answer.body).toEqual({ error: { name: 'NotAuthorizedException', message: expect.any(String) } });
  expect(answer.headers['set-cookie']).toBeUndefined();
});

test('/session after the access token expired: 8 concurrent requests, exactly one refresh, every one served with the new tokens', async () => {
  clock = Date.now() - 2 * 3600_000; // signed in two hours ago: the access token expired an hour ago
  const { pool, bff: b } = await start();
  const { id, tokens } = await signIn(b, pool);
  clock = Date.now();
  emu.resetRequests();
  const sessions = await Promise.all(Array.from({ length: 8 }, () => b.call('GET', '/auth/session', { cookie: id })));
  expect(sessions.map((s) => s.status)).toEqual(Array(8).fill(200));
  expect(emu.requests.map((r) => r.operation)).toEqual(['InitiateAuth']);
  const refreshed = (await b.tokensOf(id))!;
  secrets.add(refreshed.accessToken).add(refreshed.idToken);
  expect(refreshed.accessToken).not.toBe(tokens.accessToken);
  for (const s of sessions) expect(s.body.user.claims.iat).toBe(JSON.parse(Buffer.from(refreshed.idToken.split('.')[1]!, 'base64url').toString()).iat);
});

test('the proxy after the access token expired: 5 concurrent calls, one refresh, each sent upstream with the new access token', async () => {
  const upstream = await startUpstream();
  try {
    clock = Date.now() - 2 * 3600_000;
    const { pool, bff: b } = await start({}, { proxy: [{ path: '/api/orders', upstream: `${upstream.base}/v1` }] });
    const { id, tokens } = await signIn(b, pool);
    clock = Date.now();
    emu.resetRequests();
    const calls = await Promise.all(Array.from({ length: 5 }, (_, i) => b.call('GET', `/api/orders/${i}`, { cookie: id })));
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    expect(emu.requests.map((r) => r.operation)).toEqual(['InitiateAuth']);
    const refreshed = (await b.tokensOf(id))!;
    secrets.add(refreshed.accessToken).add(refreshed.idToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(upstream.seen.map((s) => s.headers.authorization)).toEqual(Array(5).fill(`Bearer ${refreshed.accessToken}`));
  } finally {
    await upstream.close();
  }
});

test('an upstream that cannot be reached: 502 UpstreamUnreachable', async () => {
  const { pool, bff: b } = await start({}, { proxy: [{ path: '/api/orders', upstream: 'http://127.0.0.1:1/v1' }] });
  const { id } = await signIn(b, pool);
  const answer = await b.call('GET', '/api/orders/1', { cookie: id });
  expect([answer.status, answer.body.error.name]).toEqual([502, 'UpstreamUnreachable']);
});

test('sign-out, local: complete, the cookie cleared, the refresh token revoked, and the record gone once the outbox checked it', async () => {
  const { pool, bff: b } = await start();
  const { id, tokens } = await signIn(b, pool);
  const answer = await b.call('POST', '/auth/sign-out', { cookie: id, json: {} });
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({ type: 'complete', signedOutLocally: true });
  expect(cookieOf(answer)).toBe('');
  expect(answer.headers['set-cookie']![0]).toContain('Max-Age=0');
  expect(emu.tokenRevoked(tokens.refreshToken)).toBe(true);
  expect((await b.call('GET', '/auth/session', { cookie: id })).status).toBe(401);
  await eventually(async () => (await b.server.outboxState()).pending === 0);
  expect(await b.store.storageFor(hashOf(id)).getItem(`authchart.${pool.clientId}.revocationOutbox`)).toBeNull();
});

test('sign-out, global: complete, GlobalSignOut sent, and every session of the user ends (the other one at its next refresh)', async () => {
  clock = Date.now() - 2 * 3600_000; // both access tokens expired an hour ago
  const { pool, bff: b } = await start();
  const one = await signIn(b, pool);
  const two = await signIn(b, pool);
  clock = Date.now();
  emu.resetRequests();
  const answer = await b.call('POST', '/auth/sign-out', { cookie: one.id, json: { global: true } });
  expect(answer.body).toEqual({ type: 'complete', signedOutLocally: true });
  expect(emu.requests.map((r) => r.operation)).toContain('GlobalSignOut');
  expect(emu.tokenRevoked(two.tokens.refreshToken)).toBe(true);
  // The other session's refresh is refused: the chart ends it, and /session says nobody is signed in.
  const other = await b.call('GET', '/auth/session', { cookie: two.id });
  expect(other.status).toBe(401);
  expect(other.body.error.name).toBe('NotSignedIn');
  expect(await b.tokensOf(two.id)).toBeNull();
});

test.each([
  ['local', 'RevokeToken', { revokeTokenError: { name: 'InternalErrorException', message: expect.any(String) } }],
  ['global', 'GlobalSignOut', { globalSignOutError: { name: 'InternalErrorException', message: expect.any(String) } }],
] as const)('sign-out, %s, with Cognito’s %s down: partial, no token in the answer, and the fleet outbox finishes it (finish) once Cognito answers', async (scope, operation, failed) => {
  const { pool, bff: b } = await start();
  const { id, tokens } = await signIn(b, pool);
  emu.faults.set(operation, { type: 'error', name: 'InternalErrorException' });
  const answer = await b.call('POST', '/auth/sign-out', { cookie: id, json: { global: scope === 'global' } });
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({ type: 'partial', signedOutLocally: true, global: scope === 'global', ...failed, finishedBy: 'outbox' });
  expect(cookieOf(answer)).toBe('');
  expect(emu.tokenRevoked(tokens.refreshToken)).toBe(false);
  expect((await b.server.outboxState()).pending).toBe(1);
  expect((await b.call('GET', '/auth/session', { cookie: id })).status).toBe(401);
  emu.faults.clear();
  await eventually(async () => (await b.server.outboxState()).pending === 0);
  expect(emu.tokenRevoked(tokens.refreshToken)).toBe(true);
  if (scope === 'global') expect(emu.requests.filter((r) => r.operation === 'GlobalSignOut' && r.status === 200)).toHaveLength(1);
  expect(await b.store.storageFor(hashOf(id)).getItem(`authchart.${pool.clientId}.revocationOutbox`)).toBeNull();
  expect(await b.server.outboxState()).toEqual({ pending: 0, claimed: 0, dead: 0 });
});

test('no answer of this file holds a token, a session id, a password or a secret, but in its own Set-Cookie', () => {
  expect(answers.length).toBeGreaterThan(20);
  expect(secrets.size).toBeGreaterThan(10);
  expect(leaksIn(answers, secrets).filter((n) => n > 0)).toEqual([]);
});

/** Polls a condition background work makes true; the cap only stops a broken test. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400 && !(await check()); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await check()).toBe(true);
}
