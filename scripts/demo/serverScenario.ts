// The server half of the demo (issue 20): a backend-for-frontend (createServerAuth, authchart/server)
// mounted in node:http on 127.0.0.1, driven as a browser would drive it: the browser holds a cookie
// and nothing else. A sign-in with SRP and a TOTP code, the session's claims, a burst of requests
// with an expired access token (one refresh), a call through the proxy, and a global sign-out while
// Cognito is down, finished by the outbox once Cognito is back. One process with the in-memory store
// (no redis-server needed here); docs/server.md shows the same over Redis for a fleet.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAuth, memorySessionStore, toNodeListener } from '../../src/server/index';
import { startCognitoEmulator } from '../../src/testing/index';

/** JSON on one line, or indented for a sign-out result. */
const printable = (value: unknown, indent = false): string => JSON.stringify(value, null, indent ? 2 : undefined);

export const serverTitle = 'A backend-for-frontend: the browser holds one HttpOnly cookie, the server the tokens (authchart/server)';

const COOKIE = '__Host-Http-authchart-session';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Runs the scenario; returns what did not behave as specified. */
export async function runServerScenario(): Promise<string[]> {
  // The sign-in happens "an hour ago" at Cognito, so its access token has expired by the first request.
  let hourAgo = true;
  const emu = await startCognitoEmulator({ now: () => Date.now() - (hourAgo ? 3600_000 + 5_000 : 0) });
  const pool = emu.setup({ username: 'bff-user', mfa: 'SOFTWARE_TOKEN_MFA' });
  const upstream = createServer((req, res) => {
    const bearer = (req.headers.authorization ?? '').startsWith('Bearer ');
    res.writeHead(bearer ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ orders: bearer ? ['o-1'] : [] }));
  });
  const upstreamBase = await listen(upstream);
  const store = memorySessionStore({ claimIdleMs: 200, maxDeliveries: 50 });
  const bff = createServerAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, sessionStore: store, networkTimeoutMs: 2000, proxy: [{ path: '/api/orders', upstream: `${upstreamBase}/v1` }] });
  const site = createServer(toNodeListener(bff.handle));
  const base = await listen(site);
  console.log(`  (the BFF listens at ${base}: POST /auth/sign-in, POST /auth/confirm-sign-in, GET /auth/session, POST /auth/sign-out, /api/orders/* proxied)`);

  const problems: string[] = [];
  let cookie = '';
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const headers: Record<string, string> = cookie ? { cookie: `${COOKIE}=${cookie}` } : {};
    if (method === 'POST') Object.assign(headers, { 'content-type': 'application/json', 'x-authchart-csrf': '1', origin: base });
    const response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const set = response.headers.getSetCookie().find((line) => line.startsWith(`${COOKIE}=`));
    if (set !== undefined) cookie = set.slice(COOKIE.length + 1).split(';')[0] ?? '';
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const expect = (what: string, ok: boolean, got: unknown) => {
    if (!ok) problems.push(`${what}: ${printable(got)}`);
  };

  try {
    console.log('  -- browser: POST /auth/sign-in { username, password } (SRP on the server)');
    const signIn = await call('POST', '/auth/sign-in', { username: pool.username, password: pool.password });
    console.log(`     ${signIn.status} ${printable(signIn.body)}  (cookie: 43 random characters, HttpOnly; the challenge waits in the store)`);
    expect('sign-in', (signIn.body.nextStep as { signInStep?: string } | undefined)?.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', signIn.body);
    const confirm = await call('POST', '/auth/confirm-sign-in', { challengeResponse: emu.mfaCode(pool.userPoolId, pool.username) });
    console.log(`  -- browser: POST /auth/confirm-sign-in { challengeResponse: <TOTP code> } → ${confirm.status} ${printable(confirm.body)}`);
    expect('confirm-sign-in', confirm.body.isSignedIn === true, confirm.body);
    hourAgo = false;
    emu.resetRequests();
    const burst = await Promise.all(Array.from({ length: 20 }, () => call('GET', '/auth/session')));
    const refreshes = emu.requests.filter((request) => request.operation === 'InitiateAuth').length;
    console.log(`  -- its access token has expired; 20 requests at once: ${burst.filter((r) => r.status === 200).length} answered 200, ${refreshes} refresh at Cognito (the chart's refresh turn, one lock per session)`);
    expect('one refresh for the burst', refreshes === 1 && burst.every((r) => r.status === 200), { refreshes, statuses: burst.map((r) => r.status) });
    const session = burst[0]!;
    const user = session.body.user as { username?: string; sub?: string } | undefined;
    console.log(`  -- browser: GET /auth/session → ${session.status} { user: { username: ${user?.username}, sub: ${user?.sub?.slice(0, 8)}…, claims } } (never a token)`);
    expect('session', session.status === 200 && user?.username === pool.username, session.body);

    const orders = await call('GET', '/api/orders/recent');
    console.log(`  -- browser: GET /api/orders/recent → ${orders.status} ${printable(orders.body)} (the BFF added the bearer; the cookie stayed here)`);
    expect('proxy', orders.status === 200, orders.body);

    emu.faults.set('GlobalSignOut', { type: 'error', name: 'InternalErrorException', message: 'Cognito is having a bad day', status: 500 });
    emu.faults.set('RevokeToken', { type: 'error', name: 'InternalErrorException', message: 'Cognito is having a bad day', status: 500 });
    const signOut = await call('POST', '/auth/sign-out', { global: true });
    console.log(`  -- Cognito down; browser: POST /auth/sign-out { global: true } → ${signOut.status}\n${printable(signOut.body, true).replace(/^/gm, '     ')}`);
    expect('sign-out while Cognito is down', signOut.body.type === 'partial', signOut.body);
    const after = await call('GET', '/auth/session');
    console.log(`  -- browser: GET /auth/session → ${after.status} (the session ended here at once); outbox: ${printable(await bff.outboxState())}`);
    expect('signed out on the server', after.status === 401, after.body);
    emu.faults.clear();
    const until = Date.now() + 10_000;
    let state = await bff.outboxState();
    while (state.pending > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await bff.outboxState();
    }
    const sent = emu.requests.filter((request) => request.operation === 'GlobalSignOut' && request.status === 200).length;
    console.log(`  -- Cognito back: the outbox finished the sign-out (GlobalSignOut answered 200: ${sent}); outbox: ${printable(state)}`);
    expect('the outbox finished the global sign-out', state.pending === 0 && state.dead === 0 && sent >= 1, { state, sent });
  } finally {
    await bff.close();
    site.closeAllConnections();
    upstream.closeAllConnections();
    await Promise.all([new Promise((resolve) => site.close(resolve)), new Promise((resolve) => upstream.close(resolve))]);
    await emu.close();
  }
  return problems;
}
