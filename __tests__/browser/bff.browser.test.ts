// The backend-for-frontend in a real browser (issue 20): Debian's Chromium loads a page from the
// BFF's own origin (http://localhost, which browsers treat as secure), signs in through POST
// /auth/sign-in, reads /auth/session, calls an API through the BFF's proxy, and signs out. The
// session cookie's attributes are read from the browser itself, and the page's script never sees
// it. The page holds no token at any point: only the BFF does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { createServerAuth, toNodeListener, type ServerAuth } from '../../src/server/index';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../../src/testing/index';
import { describeInBrowser, launchChromium } from '../support/browser/chromium';

const COOKIE = '__Host-Http-authchart-session';
const PAGE = '<!doctype html><meta charset="utf-8"><title>authchart BFF</title><p>BFF test page</p>';

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const closeServer = (server: Server) => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
};

describeInBrowser('the BFF in Chromium', () => {
  let emu: CognitoEmulator;
  let pool: SetupResult;
  let browser: Browser;
  let context: BrowserContext;
  let bff: ServerAuth;
  let site: Server;
  let upstream: Server;
  let origin: string;
  /** What the upstream API was sent: whether a bearer came, and whether any cookie did. */
  const seenUpstream: Array<{ path: string; bearer: boolean; cookie: boolean }> = [];

  beforeAll(async () => {
    emu = await startCognitoEmulator();
    pool = emu.setup();
    upstream = createServer((req, res) => {
      const bearer = /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(req.headers.authorization ?? '');
      seenUpstream.push({ path: req.url ?? '', bearer, cookie: req.headers.cookie !== undefined });
      res.writeHead(bearer ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ orders: bearer ? ['o-1'] : [] }));
    });
    const upstreamPort = await listen(upstream);
    bff = createServerAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, proxy: [{ path: '/api/orders', upstream: `http://127.0.0.1:${upstreamPort}/v1` }] });
    const listener = toNodeListener(bff.handle);
    site = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(PAGE);
        return;
      }
      listener(req, res);
    });
    origin = `http://localhost:${await listen(site)}`;
    browser = await launchChromium();
    context = await browser.newContext();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await bff?.close();
    if (site) await closeServer(site);
    if (upstream) await closeServer(upstream);
    await emu?.close();
  });

  it('signs in, reads the session, calls the API through the proxy and signs out; the cookie is the only thing the browser holds', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    const steps = await page.evaluate(
      async ({ username, password }) => {
        const post = (path: string, body: unknown) =>
          fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-authchart-csrf': '1' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
        const get = (path: string) => fetch(path).then(async (r) => ({ status: r.status, body: await r.json() }));
        const signIn = await post('/auth/sign-in', { username, password, options: { authFlowType: 'USER_SRP_AUTH' } });
        const cookieSeenByScript = document.cookie;
        const session = await get('/auth/session');
        const orders = await get('/api/orders/recent');
        const withoutCsrf = await fetch('/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status);
        const signOut = await post('/auth/sign-out', {});
        const after = await get('/auth/session');
        return { signIn, cookieSeenByScript, session, orders, withoutCsrf, signOut, after, storage: Object.keys(localStorage).length + Object.keys(sessionStorage).length };
      },
      { username: pool.username, password: pool.password },
    );
    expect(steps.signIn).toEqual({ status: 200, body: { isSignedIn: true, nextStep: { signInStep: 'DONE' } } });
    expect(steps.cookieSeenByScript).toBe(''); // HttpOnly: the page's script cannot read it
    expect(steps.session.status).toBe(200);
    expect(steps.session.body.user).toMatchObject({ username: pool.username });
    expect(JSON.stringify(steps.session.body)).not.toMatch(/eyJ/); // claims, never a token
    expect(steps.orders).toEqual({ status: 200, body: { orders: ['o-1'] } });
    expect(seenUpstream).toEqual([{ path: '/v1/recent', bearer: true, cookie: false }]);
    expect(steps.withoutCsrf).toBe(403);
    expect(steps.signOut.status).toBe(200);
    expect(steps.signOut.body).toMatchObject({ type: 'complete' });
    expect(steps.after.status).toBe(401);
    expect(steps.storage).toBe(0);
    await page.close();
  });

  it('sets the session cookie as RFC 10017 asks, as the browser itself reads it', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.evaluate(
      ({ username, password }) =>
        fetch('/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json', 'x-authchart-csrf': '1' }, body: JSON.stringify({ username, password }) }).then((r) => r.status),
      { username: pool.username, password: pool.password },
    );
    const cookies = await context.cookies(origin);
    expect(cookies.map((cookie) => cookie.name)).toEqual([COOKIE]);
    const [cookie] = cookies;
    expect(cookie).toMatchObject({ domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url, and nothing else
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000); // lives as long as the refresh token
    await page.close();
  });
});
