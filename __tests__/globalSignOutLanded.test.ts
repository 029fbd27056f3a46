// KB6: a global sign-out the outbox finishes later ends every session its user has at Cognito at
// that moment, a newer one on this device included. The outbox tells the auth chart
// (GLOBAL_SIGN_OUT_LANDED), and the chart checks its session with a refresh instead of handing out
// tokens that may be dead: refused, the session ends (signedOut, reason sessionEnded); accepted
// (another user, or tokens issued after it landed), it goes on. Real HTTP to the emulator.
import { waitFor } from 'xstate';
import { createAuth, type Auth, type SignOutResult } from '../src/index';
import type { CognitoEmulator, SetupResult } from '../src/testing/index';
import { emulatorPerFile, inspectableStorage } from './support/harness';

let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

const THROTTLED = { type: 'error', name: 'TooManyRequestsException', message: 'Rate exceeded', status: 400 } as const;

/** An instance whose outbox only retries when asked (flushRevocations, retrySignOut). */
function start(pool: SetupResult): { auth: Auth; events: string[] } {
  const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage: inspectableStorage(), revocationOutbox: { retryBaseMs: 600_000 } });
  auths.push(auth);
  const events: string[] = [];
  auth.on('signedOut', (event) => events.push(`signedOut:${event.reason}`));
  auth.on('tokenRefresh', () => events.push('tokenRefresh'));
  return { auth, events };
}

/** Signs `username` in and out globally while GlobalSignOut is throttled: the global intent is left queued. */
async function queueGlobalSignOut(auth: Auth, pool: SetupResult): Promise<SignOutResult> {
  await auth.signIn({ username: pool.username, password: pool.password });
  emu.faults.set('GlobalSignOut', THROTTLED);
  const result = await auth.signOut({ global: true });
  expect(result).toMatchObject({ type: 'partial', finishedBy: 'outbox', globalSignOutError: { name: 'TooManyRequestsException' } });
  emu.faults.clear();
  return result;
}

const operations = () => emu.requests.map((request) => request.operation);

test('the same user signed in again before the queued global sign-out was finished: the session ends when it lands', async () => {
  const pool = emu.setup();
  const { auth, events } = start(pool);
  await queueGlobalSignOut(auth, pool);
  await auth.signIn({ username: pool.username, password: pool.password });
  const { tokens } = await auth.getSession();
  emu.resetRequests();

  await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 1, pending: 0 });
  // Cognito ended the new session too. The chart held it when the outbox sent GlobalSignOut for its
  // user, so it knows the session is over and ends it without presenting its dead tokens again.
  await expect(auth.getSession()).resolves.toEqual({});
  expect(operations()).toEqual(['GlobalSignOut']);
  expect(emu.tokenRevoked(tokens!.refreshToken!)).toBe(true);
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
  expect(events.slice(-1)).toEqual(['signedOut:sessionEnded']);
});

test('signOut() and getSession() while the outbox sends a global sign-out of the same user wait for it: no dead token presented or handed out', async () => {
  const pool = emu.setup();
  const { auth, events } = start(pool);
  await queueGlobalSignOut(auth, pool);
  await auth.signIn({ username: pool.username, password: pool.password });
  emu.resetRequests();
  // The drain's GlobalSignOut is answered late (in time), so the calls below are made while it is in flight.
  emu.faults.set('GlobalSignOut', { type: 'latency', ms: 200 }, { times: 1 });
  const flushing = auth.flushRevocations();
  const outbox = auth.actor.getSnapshot().children.outbox!;
  await waitFor(outbox, (snapshot) => snapshot.matches({ draining: 'finishingIntent' }));
  const [session, result] = await Promise.all([auth.getSession(), auth.signOut({ global: true })]);

  await expect(flushing).resolves.toMatchObject({ revoked: 1, pending: 0 });
  // Both waited for the outbox's GlobalSignOut, which ended this session too: nothing to hand out, nothing left to sign out.
  expect(session).toEqual({});
  expect(result).toEqual({ type: 'complete', signedOutLocally: true });
  expect(operations()).toEqual(['GlobalSignOut']);
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
  expect(events.slice(-1)).toEqual(['signedOut:sessionEnded']);
});

test('another user signed in when it lands: the check refreshes that session once, and it goes on', async () => {
  const pool = emu.setup();
  emu.createUser({ userPoolId: pool.userPoolId, username: 'other-user', password: pool.password });
  const { auth } = start(pool);
  await queueGlobalSignOut(auth, pool);
  await auth.signIn({ username: 'other-user', password: pool.password });
  emu.resetRequests();

  await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 1, pending: 0 });
  await expect(auth.getSession()).resolves.toMatchObject({ username: 'other-user' });
  expect(operations()).toEqual(['GlobalSignOut', 'InitiateAuth']);
  expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
});

test('a retrySignOut() of an earlier global result, while the user is signed in again: the session ends', async () => {
  const pool = emu.setup();
  const { auth } = start(pool);
  const earlier = await queueGlobalSignOut(auth, pool);
  await auth.signIn({ username: pool.username, password: pool.password });
  emu.resetRequests();

  await expect(auth.retrySignOut(earlier)).resolves.toMatchObject({ type: 'complete' });
  await expect(auth.getSession()).resolves.toEqual({});
  expect(operations()).toEqual(['GlobalSignOut', 'InitiateAuth']);
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
});

test('a local intent finished later ends nothing else: no check, the session goes on untouched', async () => {
  const pool = emu.setup();
  const { auth } = start(pool);
  await auth.signIn({ username: pool.username, password: pool.password });
  emu.faults.set('RevokeToken', THROTTLED);
  await expect(auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
  emu.faults.clear();
  await auth.signIn({ username: pool.username, password: pool.password });
  emu.resetRequests();

  await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 1, pending: 0 });
  await expect(auth.getSession()).resolves.toMatchObject({ username: pool.username });
  expect(operations()).toEqual(['RevokeToken']);
});

test('a sign-in in flight when it lands: once signed in, the session is checked with one refresh before it is trusted', async () => {
  const pool = emu.setup();
  const { auth, events } = start(pool);
  await queueGlobalSignOut(auth, pool);
  // Cognito answers this sign-in late, so the drain's GlobalSignOut lands while it is in flight.
  emu.faults.set('InitiateAuth', { type: 'latency', ms: 300 }, { times: 1 });
  emu.resetRequests();
  const signingIn = auth.signIn({ username: pool.username, password: pool.password, authFlow: 'USER_PASSWORD_AUTH' });
  await waitFor(auth.actor, (snapshot) => snapshot.matches('signingIn'));
  await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 1 });
  expect(auth.actor.getSnapshot().value).toBe('signingIn');
  await signingIn;
  // These tokens were issued after it landed (the emulator acts once the latency is over): the check keeps them.
  await waitFor(auth.actor, (snapshot) => snapshot.matches({ signedIn: 'active' }));
  await expect(auth.getSession()).resolves.toMatchObject({ username: pool.username });
  expect(operations().sort()).toEqual(['GlobalSignOut', 'InitiateAuth', 'InitiateAuth']);
  expect(events).toContain('tokenRefresh');
});
