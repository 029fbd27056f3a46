// KB6: a global sign-out the outbox finishes later ends every session its user has at Cognito at
// that moment, a newer one on this device included. The outbox tells the auth chart
// (GLOBAL_SIGN_OUT_LANDED), and the chart checks its session with a refresh instead of handing out
// tokens that may be dead: refused, the session ends (signedOut, reason sessionEnded); accepted
// (another user, or tokens issued after it landed), it goes on. Real HTTP to the emulator.
// A sign-in finishes the global intents already queued on its storage first
// (signInFinishesGlobalSignOut.test.ts); the intents here arrive after that drain, from another
// instance over the same storage (signInOverQueued).
import { waitFor } from 'xstate';
import { createAuth, type Auth, type SignOutResult } from '../src/index';
import type { CognitoEmulator, SetupResult } from '../src/testing/index';
import { storageKeys } from '../services/storage/keys';
import { emulatorPerFile, inspectableStorage, type InspectableStorage } from './support/harness';

let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

const THROTTLED = { type: 'error', name: 'TooManyRequestsException', message: 'Rate exceeded', status: 400 } as const;

/** An instance whose outbox only retries when asked (flushRevocations, retrySignOut). */
function start(pool: SetupResult): { auth: Auth; events: string[]; storage: InspectableStorage } {
  const storage = inspectableStorage();
  const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage, revocationOutbox: { retryBaseMs: 600_000 } });
  auths.push(auth);
  const events: string[] = [];
  auth.on('signedOut', (event) => events.push(`signedOut:${event.reason}`));
  auth.on('tokenRefresh', () => events.push('tokenRefresh'));
  return { auth, events, storage };
}

/** Signs `username` in and out globally while GlobalSignOut is throttled: the global intent is left queued. */
async function queueGlobalSignOut(auth: Auth, pool: SetupResult, failure = 'TooManyRequestsException'): Promise<SignOutResult> {
  await auth.signIn({ username: pool.username, password: pool.password });
  emu.faults.set('GlobalSignOut', THROTTLED);
  const result = await auth.signOut({ global: true });
  expect(result).toMatchObject({ type: 'partial', finishedBy: 'outbox', globalSignOutError: { name: failure } });
  emu.faults.clear();
  return result;
}

/**
 * Signs `username` in on `auth`, and once that sign-in is under way puts into its storage a global
 * intent of the same user that another instance queued (its GlobalSignOut throttled). A sign-in
 * finishes the global intents queued before it (finishingGlobalSignOut); this is one queued after
 * that drain, which the hold and the check below meet. `during` runs while the sign-in is under way.
 */
async function signInOverQueued(auth: Auth, storage: InspectableStorage, pool: SetupResult, username = pool.username, during?: () => Promise<void>, signInLatencyMs = 0): Promise<SignOutResult> {
  const other = start(pool);
  const result = await queueGlobalSignOut(other.auth, pool);
  const key = storageKeys(pool.clientId).outbox;
  const queued = other.storage.items.get(key);
  await other.auth.stop();
  if (queued === undefined) throw new Error('test: nothing queued');
  if (signInLatencyMs > 0) emu.faults.set('InitiateAuth', { type: 'latency', ms: signInLatencyMs }, { times: 1 });
  const signingIn = auth.signIn({ username, password: pool.password, authFlow: 'USER_PASSWORD_AUTH' });
  await waitFor(auth.actor, (snapshot) => snapshot.matches('signingIn'));
  storage.items.set(key, queued);
  await during?.();
  await signingIn;
  return result;
}

const operations = () => emu.requests.map((request) => request.operation);

test('the same user signed in again before the queued global sign-out was finished: the session ends when it lands', async () => {
  const pool = emu.setup();
  const { auth, events, storage } = start(pool);
  await signInOverQueued(auth, storage, pool);
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
  const { auth, events, storage } = start(pool);
  await signInOverQueued(auth, storage, pool);
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
  const { auth, storage } = start(pool);
  await signInOverQueued(auth, storage, pool, 'other-user');
  emu.resetRequests();

  await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 1, pending: 0 });
  await expect(auth.getSession()).resolves.toMatchObject({ username: 'other-user' });
  expect(operations()).toEqual(['GlobalSignOut', 'InitiateAuth']);
  expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
});

test('a retrySignOut() of an earlier global result, while the user is signed in again: the session ends', async () => {
  const pool = emu.setup();
  const { auth, storage } = start(pool);
  const earlier = await signInOverQueued(auth, storage, pool);
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
  const { auth, events, storage } = start(pool);
  await signInOverQueued(auth, storage, pool, pool.username, async () => {
    // Cognito answers this sign-in late, so the drain's GlobalSignOut lands while it is in flight.
    emu.resetRequests();
    await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 1 });
    expect(auth.actor.getSnapshot().value).toBe('signingIn');
  }, 300);
  // These tokens were issued after it landed (the emulator acts once the latency is over): the check keeps them.
  await waitFor(auth.actor, (snapshot) => snapshot.matches({ signedIn: 'active' }));
  await expect(auth.getSession()).resolves.toMatchObject({ username: pool.username });
  expect(operations().sort()).toEqual(['GlobalSignOut', 'InitiateAuth', 'InitiateAuth']);
  expect(events).toContain('tokenRefresh');
});

describe('held for the outbox\'s global sign-out of the same user (KB6)', () => {
  /** Signed in again after a queued global sign-out; the drain (flushRevocations) then runs while `during` happens. */
  async function signedInAgain(options: { networkTimeoutMs?: number } = {}) {
    const pool = emu.setup();
    const storage = inspectableStorage();
    const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage, revocationOutbox: { retryBaseMs: 600_000 }, ...options });
    auths.push(auth);
    await signInOverQueued(auth, storage, pool);
    emu.resetRequests();
    const sending = () => waitFor(auth.actor.getSnapshot().children.outbox!, (snapshot) => snapshot.matches({ draining: 'finishingIntent' }));
    return { auth, pool, sending };
  }

  test('Cognito refuses the drain\'s GlobalSignOut (throttled): the waiting getSession() is answered with the session, which goes on', async () => {
    const { auth, pool, sending } = await signedInAgain();
    emu.faults.set('GlobalSignOut', THROTTLED); // the SDK retries it: in flight for a while
    const flushing = auth.flushRevocations();
    await sending();
    const session = auth.getSession();
    await expect(flushing).resolves.toMatchObject({ revoked: 0, pending: 1 });
    await expect(session).resolves.toMatchObject({ username: pool.username });
    expect(operations().filter((operation) => operation !== 'GlobalSignOut')).toEqual([]);
    expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
  });

  test('the drain\'s GlobalSignOut gets no answer in time: it may still land, so the session is checked with a refresh before it is trusted', async () => {
    const { auth, pool, sending } = await signedInAgain({ networkTimeoutMs: 200 });
    emu.faults.set('GlobalSignOut', { type: 'latency', ms: 400 });
    const flushing = auth.flushRevocations();
    await sending();
    const session = auth.getSession();
    await expect(flushing).resolves.toMatchObject({ revoked: 0, pending: 1 });
    // Checked (InitiateAuth) before it was handed out: Cognito had not acted on it yet, so the session goes on.
    await expect(session).resolves.toMatchObject({ username: pool.username });
    expect(operations()).toContain('InitiateAuth'); // (the emulator lists the GlobalSignOut once it has acted on it, late)
    await new Promise((resolve) => setTimeout(resolve, 400)); // let it land before the next test
  });

  test('a refresh under way when it is sent: signOut() waits, and the landing ends the session (the refresh is abandoned)', async () => {
    const { auth, sending } = await signedInAgain();
    emu.faults.set('InitiateAuth', { type: 'latency', ms: 400 }, { times: 1 });
    const refreshing = auth.getSession({ forceRefresh: true });
    await waitFor(auth.actor, (snapshot) => snapshot.matches({ signedIn: 'refreshing' }));
    emu.faults.set('GlobalSignOut', { type: 'latency', ms: 100 }, { times: 1 });
    const flushing = auth.flushRevocations();
    await sending();
    const result = auth.signOut();
    await expect(flushing).resolves.toMatchObject({ revoked: 1, pending: 0 });
    await expect(refreshing).resolves.toEqual({});
    await expect(result).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(operations().filter((operation) => operation === 'GlobalSignOut')).toEqual(['GlobalSignOut']);
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
  });

  test('a refresh under way when it is sent, and Cognito refuses that GlobalSignOut for good: the hold ends, the refresh goes on', async () => {
    const { auth, pool } = await signedInAgain();
    emu.faults.set('InitiateAuth', { type: 'latency', ms: 400 }, { times: 1 });
    const refreshing = auth.getSession({ forceRefresh: true });
    await waitFor(auth.actor, (snapshot) => snapshot.matches({ signedIn: 'refreshing' }));
    // Answered at once, and not retried: the refresh is still waiting for its answer when the flow ends.
    emu.faults.set('GlobalSignOut', { type: 'error', name: 'InvalidParameterException', message: 'refused', status: 400 });
    await auth.flushRevocations();
    expect(auth.actor.getSnapshot().matches({ signedIn: 'refreshing' })).toBe(true);
    expect(auth.actor.getSnapshot().context.heldForGlobalSignOut).toBe(false);
    await expect(refreshing).resolves.toMatchObject({ username: pool.username });
  });
});
