// getSession and token refresh through the real SDK and the emulator: refresh on expiry, forced,
// shared between concurrent callers, after revocation (the session ends), offline (tokens kept),
// and a sign-out that overtakes an in-flight refresh.
import { CognitoIdentityProviderClient, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { waitFor } from 'xstate';
import { createAuth, type AuthHubEvent } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { inspectableStorage } from './support/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: CognitoEmulator;
beforeAll(async () => (emu = await startCognitoEmulator()));
afterAll(() => emu.close());
afterEach(() => emu.faults.clear());

/** A signed-in Auth. With `expiring`, access tokens live 30 s, inside the 60 s skew, so every getSession refreshes. */
async function signedIn({ expiring = false } = {}) {
  const setup = emu.setup();
  if (expiring) {
    const { clientId } = emu.createUserPoolClient({ userPoolId: setup.userPoolId, accessTokenTtlSeconds: 30 });
    Object.assign(setup, { clientId });
  }
  const storage = inspectableStorage();
  const events: AuthHubEvent[] = [];
  const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage });
  for (const type of ['signedIn', 'signedOut', 'tokenRefresh', 'tokenRefresh_failure'] as const) auth.on(type, (event) => events.push(event));
  await auth.signIn({ username: setup.username, password: setup.password });
  emu.resetRequests();
  return { auth, storage, events, setup };
}
const initiateAuthCalls = () => emu.requests.filter((request) => request.operation === 'InitiateAuth').length;

test('a fresh session is returned as stored, without a network call', async () => {
  const { auth, storage, setup } = await signedIn();
  const session = await auth.getSession();
  expect(session).toMatchObject({ username: setup.username, expiresAt: expect.any(Number), tokens: { accessToken: expect.any(String), idToken: expect.any(String), refreshToken: expect.any(String) } });
  expect(JSON.parse([...storage.items.values()][0]!)).toMatchObject(session.tokens!);
  expect(emu.requests).toEqual([]);
  await auth.stop();
});

test('forceRefresh refreshes: new access token, same refresh token, tokenRefresh announced', async () => {
  const { auth, events } = await signedIn();
  const before = await auth.getSession();
  const after = await auth.getSession({ forceRefresh: true });
  expect(after.tokens!.accessToken).not.toBe(before.tokens!.accessToken);
  expect(after.tokens!.refreshToken).toBe(before.tokens!.refreshToken);
  expect(initiateAuthCalls()).toBe(1);
  expect(events.map((event) => event.type)).toEqual(['signedIn', 'tokenRefresh']);
  expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
  await auth.stop();
});

test('an access token expiring within the skew is refreshed on read', async () => {
  const { auth } = await signedIn({ expiring: true });
  const session = await auth.getSession();
  expect(initiateAuthCalls()).toBe(1);
  expect(session.tokens).toBeDefined();
  await auth.stop();
});

test('concurrent getSession calls share one refresh', async () => {
  const { auth } = await signedIn({ expiring: true });
  emu.faults.set('InitiateAuth', { type: 'latency', ms: 50 });
  const sessions = await Promise.all([auth.getSession(), auth.getSession(), auth.getSession({ forceRefresh: true })]);
  expect(initiateAuthCalls()).toBe(1);
  expect(new Set(sessions.map((s) => s.tokens!.accessToken)).size).toBe(1);
  await auth.stop();
});

test('a revoked refresh token ends the session: store cleared, signedOut, events announced', async () => {
  const { auth, storage, events } = await signedIn();
  emu.faults.set('InitiateAuth', { type: 'error', name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  await expect(auth.getSession({ forceRefresh: true })).resolves.toEqual({});
  expect(storage.items.size).toBe(0);
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
  expect(events.slice(1)).toEqual([
    { type: 'tokenRefresh_failure', error: { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' } },
    { type: 'signedOut', reason: 'sessionEnded', outcome: { type: 'complete' } },
  ]);
  await auth.stop();
});

test('really revoked on the server (RevokeToken elsewhere): the next refresh ends the session', async () => {
  const { auth, storage, setup } = await signedIn();
  const tokens = (await auth.getSession()).tokens!;
  const client = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint });
  await client.send(new RevokeTokenCommand({ Token: tokens.refreshToken!, ClientId: setup.clientId }));
  client.destroy();
  expect(storage.items.size).toBe(1); // this device does not know yet
  await expect(auth.getSession({ forceRefresh: true })).resolves.toEqual({});
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
  await auth.stop();
});

test.each([
  ['offline (connection reset)', { type: 'reset' } as const, 'NetworkError'],
  ['throttled', { type: 'error', name: 'TooManyRequestsException' } as const, 'TooManyRequestsException'],
  ['server error page', { type: 'httpStatus', status: 503 } as const, 'UnexpectedResponse'],
])('refresh %s: rejects with %s, tokens kept, still signed in', async (_, fault, name) => {
  const { auth, storage, events } = await signedIn();
  const stored = new Map(storage.items);
  emu.faults.set('InitiateAuth', fault);
  await expect(auth.getSession({ forceRefresh: true })).rejects.toMatchObject({ name });
  expect(storage.items).toEqual(stored);
  expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
  expect(events.at(-1)).toMatchObject({ type: 'tokenRefresh_failure', error: { name } });
  emu.faults.clear();
  await expect(auth.getSession({ forceRefresh: true })).resolves.toMatchObject({ tokens: expect.any(Object) });
  await auth.stop();
});

test('a sign-out overtaking an in-flight refresh: the refresh is aborted and its tokens never written back', async () => {
  const { auth, storage } = await signedIn();
  emu.faults.set('InitiateAuth', { type: 'latency', ms: 150 });
  const reading = auth.getSession({ forceRefresh: true });
  await waitFor(auth.actor, (snapshot) => snapshot.matches({ signedIn: 'refreshing' }));
  await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
  await expect(reading).resolves.toEqual({});
  await new Promise((resolve) => setTimeout(resolve, 200)); // past the refresh's answer
  expect(storage.items.size).toBe(0);
  await auth.stop();
});

test('signed out: getSession resolves with no tokens and makes no call', async () => {
  const auth = createAuth({ userPoolId: 'us-east-1_none', userPoolClientId: 'none', endpoint: emu.endpoint });
  emu.resetRequests();
  await expect(auth.getSession({ forceRefresh: true })).resolves.toEqual({});
  expect(emu.requests).toEqual([]);
  await expect(auth.getSession({ forceRefresh: 'yes' } as never)).rejects.toMatchObject({ name: 'AuthValidationError', field: 'forceRefresh' });
  await auth.stop();
});

test('a session restored from storage goes straight to signedIn, without a network call, and refreshes', async () => {
  const { auth, storage, setup } = await signedIn();
  await auth.stop();
  const again = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage });
  await expect(again.getSession()).resolves.toMatchObject({ username: setup.username });
  expect(emu.requests).toEqual([]);
  await expect(again.getSession({ forceRefresh: true })).resolves.toMatchObject({ tokens: expect.any(Object) });
  await again.stop();
});
