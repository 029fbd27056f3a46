// The client half of issue 19: createAuth({ revocationEndpoint }) tells the app's API what ended at
// Cognito, and the API (authchart/server's revocation endpoint and list, over node:http, with
// aws-jwt-verify's CognitoJwtVerifier unchanged) refuses those tokens at once. All over real HTTP
// against the emulator with Cognito's own issuer; the outbox in memory storage.
import type { InspectionEvent } from 'xstate';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuth, type Auth } from '../src/index';
import { createAuth as createFetchAuth } from '../src/fetch/index';
import { AuthConfigError } from '../src/errors';
import { createRevocationEndpoint, createRevocationList, toNodeListener, withRevocation, type RevocationList } from '../src/server/index';
import { startPool, type Pool } from './support/revocation';
import { cognitoVerifier } from './support/cognitoVerifier';

/** How the API answers the announcement: the real endpoint, a dropped connection, or a status of its own. */
type ApiMode = { kind: 'endpoint' } | { kind: 'down' } | { kind: 'status'; status: number } | { kind: 'foreignPool' };

let p: Pool;
let server: Server;
let url: string;
let list: RevocationList;
let mode: ApiMode;
let announcements: string[];
const auths: Auth[] = [];

beforeAll(async () => {
  p = await startPool();
  const verifier = p.verifier();
  const other = p.emu.setup({ username: 'someone-else' });
  // An API that verifies with another pool's keys: it refuses this pool's tokens (401) for good.
  const foreign = () => createRevocationEndpoint({ list, verifier: cognitoVerifier({ userPoolId: other.userPoolId, clientId: other.clientId }, p.emu.jwks(other.userPoolId)) });
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    announcements.push(mode.kind);
    if (mode.kind === 'down') return void req.socket.destroy(); // nothing answers: a NetworkError
    if (mode.kind === 'status') return void res.writeHead(mode.status).end();
    const handler = mode.kind === 'foreignPool' ? foreign() : createRevocationEndpoint({ list, verifier });
    toNodeListener(handler)(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/revoke`;
});
afterAll(async () => {
  await Promise.all(auths.map((auth) => auth.stop()));
  await new Promise((resolve) => server.close(resolve));
  await p.emu.close();
});
beforeEach(() => {
  mode = { kind: 'endpoint' };
  announcements = [];
  list = createRevocationList({ cognito: p.cognito });
});

/** What the app's API does with an access token now: 'served', or why it refused it. */
async function api(accessToken: string): Promise<string> {
  try {
    await withRevocation(p.verifier(), list).verify(accessToken);
    return 'served';
  } catch (error) {
    return (error as { reason?: string; name: string }).reason ?? (error as Error).name;
  }
}

async function signedIn(config: { revocationEndpoint?: string; inspect?: (event: InspectionEvent) => void } = { revocationEndpoint: url }) {
  const auth = createAuth({
    region: p.emu.region,
    userPoolId: p.pool.userPoolId,
    userPoolClientId: p.pool.clientId,
    endpoint: p.emu.endpoint,
    // No background drains: the tests flush when they mean to.
    revocationOutbox: { retryBaseMs: 600_000 },
    ...config,
  });
  auths.push(auth);
  await auth.signIn({ username: p.pool.username, password: p.pool.password, authFlow: 'USER_PASSWORD_AUTH' });
  const { tokens } = await auth.getSession();
  return { auth, accessToken: tokens!.accessToken };
}

describe('createAuth({ revocationEndpoint })', () => {
  test('a local sign-out: the API refuses that session’s tokens, and the user’s other session is still served', async () => {
    const { auth, accessToken } = await signedIn();
    const other = await p.signIn();
    expect(await api(accessToken)).toBe('served');
    await expect(auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true, apiNotified: true });
    expect(announcements).toEqual(['endpoint']);
    expect(await api(accessToken)).toBe('session');
    expect(await api(other.accessToken)).toBe('served');
  });

  test("authchart/fetch's given fetch carries the announcement too (an app that goes offline goes offline everywhere)", async () => {
    const sent: string[] = [];
    const auth = createFetchAuth({
      userPoolId: p.pool.userPoolId,
      userPoolClientId: p.pool.clientId,
      endpoint: p.emu.endpoint,
      revocationEndpoint: url,
      revocationOutbox: { retryBaseMs: 600_000 },
      fetch: (input, init) => (sent.push(input), globalThis.fetch(input, init)),
    });
    auths.push(auth);
    await auth.signIn({ username: p.pool.username, password: p.pool.password, authFlow: 'USER_PASSWORD_AUTH' });
    await expect(auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true, apiNotified: true });
    expect(sent).toContain(url);
    expect(announcements).toEqual(['endpoint']);
  });

  test('a global sign-out: every token of the user issued before it is refused; a sign-in afterwards is served', async () => {
    const { auth, accessToken } = await signedIn();
    const other = await p.signIn();
    await expect(auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true, apiNotified: true });
    // The user's entry refuses them; a token of the sign-out's very second is Cognito's to decide (it says revoked).
    expect(await api(accessToken)).toMatch(/^(user|cognito)$/);
    expect(await api(other.accessToken)).toMatch(/^(user|cognito)$/);
    const later = await p.signIn();
    expect(await api(later.accessToken)).toBe('served');
  });

  test('an API unreachable at sign-out time is told later by the outbox: partial, apiNotified false, finishedBy outbox; then refused', async () => {
    const inspected: InspectionEvent[] = [];
    const { auth, accessToken } = await signedIn({ revocationEndpoint: url, inspect: (event) => void inspected.push(event) });
    mode = { kind: 'down' };
    const result = await auth.signOut();
    expect(result).toEqual({ type: 'partial', signedOutLocally: true, global: false, finishedBy: 'outbox', apiNotified: false, announceError: { name: 'NetworkError', message: expect.any(String) } });
    expect(JSON.stringify(result)).not.toContain(accessToken);
    expect(await api(accessToken)).toBe('served'); // Cognito revoked it; the API does not know yet
    mode = { kind: 'endpoint' };
    // Cognito's half is not repeated: only the announcement is sent.
    p.emu.resetRequests();
    await expect(auth.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
    expect(p.emu.requests).toEqual([]);
    expect(announcements).toEqual(['down', 'endpoint']);
    expect(await api(accessToken)).toBe('session');
    // The announcing state, its outbox intent and the drain put the token in no event, snapshot or context.
    const seen = JSON.stringify([auth.actor.getSnapshot().context, auth.actor.getPersistedSnapshot(), inspected.map((event) => ({ type: event.type, event: (event as { event?: unknown }).event, snapshot: (event as { snapshot?: unknown }).snapshot }))]);
    expect(seen).toContain('announcing');
    expect(seen).not.toContain(accessToken);
  });

  test('a 503 is a retryable failure too: queued for the outbox', async () => {
    const { auth } = await signedIn();
    mode = { kind: 'status', status: 503 };
    await expect(auth.signOut({ global: true })).resolves.toMatchObject({ type: 'partial', global: true, finishedBy: 'outbox', apiNotified: false, announceError: { name: 'RevocationEndpointUnavailable' } });
    mode = { kind: 'endpoint' };
    await expect(auth.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
  });

  test('a final 4xx (the API refuses the token: 401): partial, apiNotified false, finishedBy nothing, nothing queued', async () => {
    const { auth, accessToken } = await signedIn();
    mode = { kind: 'foreignPool' };
    const result = await auth.signOut();
    expect(result).toEqual({
      type: 'partial',
      signedOutLocally: true,
      global: false,
      finishedBy: 'nothing',
      apiNotified: false,
      announceError: { name: 'RevocationEndpointRefused', message: expect.stringContaining('401') },
    });
    await expect(auth.flushRevocations()).resolves.toEqual({ revoked: 0, dropped: 0, pending: 0 });
    expect(announcements).toEqual(['foreignPool']);
    expect(await api(accessToken)).toBe('served');
  });

  test('nothing ended at Cognito: nothing is announced, apiNotified false', async () => {
    const { auth } = await signedIn();
    p.emu.faults.set('RevokeToken', { type: 'error', name: 'UnsupportedOperationException' });
    try {
      await expect(auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'nothing', apiNotified: false, revokeTokenError: { name: 'UnsupportedOperationException' } });
    } finally {
      p.emu.faults.clear();
    }
    expect(announcements).toEqual([]);
  });

  test('a queued global sign-out the next sign-in finishes first while the API is down: only its announcement stays queued, and it does not hold the sign-in', async () => {
    const { auth } = await signedIn();
    p.emu.faults.set('GlobalSignOut', { type: 'error', name: 'TooManyRequestsException', message: 'Rate exceeded', status: 400 });
    try {
      await expect(auth.signOut({ global: true })).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox', apiNotified: false, globalSignOutError: { name: 'TooManyRequestsException' } });
    } finally {
      p.emu.faults.clear();
    }
    expect(announcements).toEqual([]); // nothing ended yet: nothing told
    mode = { kind: 'down' };
    // The sign-in's drain: GlobalSignOut lands before InitiateAuth; its announcement stays queued (not a global intent any more).
    await auth.signIn({ username: p.pool.username, password: p.pool.password, authFlow: 'USER_PASSWORD_AUTH' });
    await expect(auth.getSession()).resolves.toMatchObject({ username: p.pool.username });
    await expect(auth.getSession({ forceRefresh: true })).resolves.toMatchObject({ username: p.pool.username }); // issued after it landed: alive
    mode = { kind: 'endpoint' };
    await expect(auth.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
    expect(announcements).toEqual(['down', 'endpoint']);
  });

  test('without revocationEndpoint the result has no apiNotified', async () => {
    const { auth } = await signedIn({});
    await expect(auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(announcements).toEqual([]);
  });

  test.each([
    ['not a URL', 'revoke'],
    ['http on a public host', 'http://api.example.com/revoke'],
    ['not a string', 42],
  ])('revocationEndpoint %s: AuthConfigError naming the field', (_, value) => {
    const config = { userPoolId: 'eu-west-1_AbC123', userPoolClientId: 'client', revocationEndpoint: value as string };
    expect(() => createAuth(config)).toThrow(AuthConfigError);
    expect(() => createAuth(config)).toThrow(expect.objectContaining({ field: 'revocationEndpoint' }));
  });

  test('https and loopback http are taken', async () => {
    for (const revocationEndpoint of ['https://api.example.com/revoke', 'http://localhost:8080/revoke', 'http://127.0.0.1/revoke']) {
      const auth = createAuth({ userPoolId: 'eu-west-1_AbC123', userPoolClientId: 'client', revocationEndpoint });
      await auth.stop();
    }
  });
});
