// The backend-for-frontend's hosted-UI routes over real HTTP: GET sign-in/redirect sends the
// browser to the emulator's hosted UI with PKCE; the user signs in at its login form; GET callback
// exchanges the code as a confidential client (the app client has a secret) and names the new
// session with the session cookie. A replayed `state` is refused.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServerAuth, toNodeListener, type ServerAuth } from '../src/server/index';
import { createHostedUiBrowser, startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { cookieOf, COOKIE, listen, send } from './support/bff';

const PENDING = '__Host-Http-authchart-pending';
let emu!: CognitoEmulator;
let server: ServerAuth | undefined;
const http = createServer((req: IncomingMessage, res: ServerResponse) => listener(req, res));
let listener: (req: IncomingMessage, res: ServerResponse) => void = (_, res) => res.end();
let base = '';

beforeAll(async () => {
  emu = await startCognitoEmulator();
  base = await listen(http);
});
afterAll(async () => {
  await server?.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await emu.close();
});

const pendingOf = (setCookies: string[] | undefined) => setCookies?.find((line) => line.startsWith(`${PENDING}=`))?.slice(PENDING.length + 1).split(';')[0];

test('sign-in at the hosted UI: redirect with PKCE, the code exchanged with the client secret at the callback, a new session; a replayed state is refused', async () => {
  const callback = `${base}/auth/callback`;
  const pool = emu.setup({ generateSecret: true, callbackUrls: [callback], logoutUrls: [`${base}/signed-out`] });
  server = createServerAuth({
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    clientSecret: pool.clientSecret!,
    endpoint: emu.endpoint,
    oauth: { domain: emu.endpoint, redirectSignIn: callback, redirectSignOut: `${base}/signed-out` },
    afterSignInUrl: '/app',
  });
  listener = toNodeListener(server.handle);

  const start = await send(base, '/auth/sign-in/redirect');
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.location!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${emu.endpoint}/oauth2/authorize`);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('redirect_uri')).toBe(callback);
  const pending = pendingOf(start.headers['set-cookie'])!;
  expect(pending).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(start.headers['set-cookie']![0]).toBe(`${PENDING}=${pending}; Max-Age=900; Path=/; Secure; HttpOnly; SameSite=Lax`);

  const browser = createHostedUiBrowser(() => pool);
  const back = new URL(await browser.visit(authorize.href));
  expect(`${back.origin}${back.pathname}`).toBe(callback);
  const returned = await send(base, `${back.pathname}${back.search}`, { headers: { cookie: `${PENDING}=${pending}` } });
  expect(returned.status).toBe(303);
  expect(returned.headers.location).toBe('/app');
  const id = cookieOf(returned)!;
  expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(id).not.toBe(pending);
  expect(pendingOf(returned.headers['set-cookie'])).toBe('');
  const session = await send(base, '/auth/session', { headers: { cookie: `${COOKIE}=${id}` } });
  expect(session.status).toBe(200);
  expect(session.body.user.username).toBe(pool.username);
  // The pending cookie never names a session.
  expect((await send(base, '/auth/session', { headers: { cookie: `${COOKIE}=${pending}` } })).status).toBe(401);

  // The same return again: its sign-in is over, so its state is refused, with or without the cookie.
  for (const cookie of [`${PENDING}=${pending}`, '']) {
    const replayed = await send(base, `${back.pathname}${back.search}`, { headers: { cookie } });
    expect([replayed.status, replayed.body.error.name]).toEqual([400, 'OAuthStateMismatch']);
    expect(cookieOf(replayed)).toBeUndefined();
  }

  // Its sign-out ends the session at Cognito; /logout, the hosted UI's own cookie, is the browser's to open.
  const signOut = await send(base, '/auth/sign-out', { method: 'POST', headers: { cookie: `${COOKIE}=${id}`, 'x-authchart-csrf': '1', origin: base } });
  expect(signOut.status).toBe(200);
  expect(signOut.body).toMatchObject({ type: 'partial', signedOutLocally: true, hostedUiError: { name: 'HostedUiSignOutNotOpened', logoutUrl: expect.stringContaining(`${emu.endpoint}/logout?`) }, finishedBy: 'openLogoutUrl' });
  expect(signOut.body.revokeTokenError).toBeUndefined();
  expect(cookieOf(signOut)).toBe('');
  expect((await send(base, '/auth/session', { headers: { cookie: `${COOKIE}=${id}` } })).status).toBe(401);
});

test('without `oauth`, the hosted-UI routes do not exist', async () => {
  const pool = emu.setup();
  const plain = createServerAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint });
  try {
    for (const path of ['/auth/sign-in/redirect', '/auth/callback?code=x&state=y']) {
      const answer = await plain.handle(new Request(`${base}${path}`));
      expect([answer.status, ((await answer.json()) as { error: { name: string } }).error.name]).toEqual([404, 'RouteNotFound']);
    }
  } finally {
    await plain.close();
  }
});
