// Issue 18, item 3 "Facts out, decisions in": services report what happened, the auth chart decides
// what follows. Real HTTP to the emulator; the chart's decisions are read from its inspection stream.
import type { InspectionEvent } from 'xstate';
import { waitFor } from 'xstate';
import { createAuth, type Auth, type StorageLike } from '../src/index';
import { signInAtHostedUi, type CognitoEmulator } from '../src/testing/index';
import { emulatorPerFile, inspectableStorage } from './support/harness';

let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));
type Pool = ReturnType<CognitoEmulator['setup']>;

/** An instance whose inspection stream is kept, with what it needs to count the outbox's INTENTS_QUEUED. */
function start(pool: Pool, storage: StorageLike, rotation = false) {
  const inspected: InspectionEvent[] = [];
  const auth: Auth = createAuth({
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    endpoint: emu.endpoint,
    storage,
    refreshTokenRotation: rotation,
    revocationOutbox: { retryBaseMs: 600_000 },
    inspect: (event: InspectionEvent) => inspected.push(event),
  });
  auths.push(auth);
  /** The INTENTS_QUEUED the outbox received. */
  const intentsQueued = () => inspected.filter((e) => e.type === '@xstate.event' && e.event.type === 'INTENTS_QUEUED' && e.actorRef.sessionId === auth.actor.getSnapshot().children.outbox?.sessionId).length;
  const visited = () => inspected.flatMap((e) => (e.type === '@xstate.snapshot' && e.actorRef === auth.actor ? [JSON.stringify((e.snapshot as { value?: unknown }).value)] : []));
  return { auth, intentsQueued, visited };
}

/** A storage whose session writes throw once `full` is set (the quota): the outbox's writes still land. */
function sessionQuota() {
  const base = inspectableStorage();
  const state = { full: false };
  const storage: StorageLike = {
    getItem: base.getItem,
    setItem: (key, value) => {
      if (state.full && key.endsWith('.session')) throw Object.assign(new Error('The quota has been exceeded'), { name: 'QuotaExceededError' });
      base.setItem(key, value);
    },
    removeItem: base.removeItem,
  };
  return { base, storage, state };
}

describe('the rotated-token queueing is the chart’s: the refresh reports a rotated token it could not store, the chart queues it', () => {
  test('rotated tokens that could not be stored: the chart visits queueingRotatedToken, the outbox holds the new refresh token, and INTENTS_QUEUED follows once', async () => {
    const pool = emu.setup({ refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } });
    const { base, storage, state } = sessionQuota();
    const { auth, intentsQueued, visited } = start(pool, storage, true);
    await auth.signIn({ username: pool.username, password: pool.password });
    const before = intentsQueued();
    state.full = true;
    await expect(auth.getSession({ forceRefresh: true })).rejects.toMatchObject({ name: 'StorageError' });
    expect(visited()).toContain(JSON.stringify({ signedIn: { refreshing: 'queueingRotatedToken' } }));
    expect(intentsQueued() - before).toBe(1);
    const outbox = JSON.parse(base.items.get(`authchart.${pool.clientId}.revocationOutbox`) ?? '{}') as { entries?: unknown[] };
    expect(outbox.entries).toHaveLength(1); // the rotated token, live at Cognito and stored nowhere else
    state.full = false;
    await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 1, pending: 0 });
  });

  test('a refresh that fails offline queued nothing: the outbox is not told INTENTS_QUEUED', async () => {
    const pool = emu.setup();
    const { auth, intentsQueued } = start(pool, inspectableStorage());
    await auth.signIn({ username: pool.username, password: pool.password });
    const before = intentsQueued();
    emu.faults.set('InitiateAuth', { type: 'reset' });
    await expect(auth.getSession({ forceRefresh: true })).rejects.toMatchObject({ name: 'NetworkError' });
    expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
    expect(intentsQueued() - before).toBe(0);
  });
});

describe('INTENTS_QUEUED after a sign-out only when its result says an intent is queued', () => {
  test('a complete sign-out queued nothing: no INTENTS_QUEUED', async () => {
    const pool = emu.setup();
    const { auth, intentsQueued } = start(pool, inspectableStorage());
    await auth.signIn({ username: pool.username, password: pool.password });
    const before = intentsQueued();
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
    expect(intentsQueued() - before).toBe(0);
  });

  test('a sign-out left to the outbox (RevokeToken offline): INTENTS_QUEUED, once', async () => {
    const pool = emu.setup();
    const { auth, intentsQueued } = start(pool, inspectableStorage());
    await auth.signIn({ username: pool.username, password: pool.password });
    const before = intentsQueued();
    emu.faults.set('RevokeToken', { type: 'reset' });
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
    await waitFor(auth.actor, (s) => s.matches('signedOut'));
    expect(intentsQueued() - before).toBe(1);
  });
});

describe('endingSession reads the store back after a clear it could not confirm, and decides from what it finds', () => {
  const T = 200; // storageTimeoutMs

  test('a removeItem that lands after storageTimeoutMs while an ended session is cleared: the store is empty, so signedOut (sessionEnded), never revokedButStored', async () => {
    const pool = emu.setup();
    const base = inspectableStorage();
    const key = `authchart.${pool.clientId}.session`;
    let slowRemoval = false;
    const storage: StorageLike = {
      getItem: base.getItem,
      setItem: base.setItem,
      // Lands halfway into the second storageTimeoutMs: after the store gave up waiting for it.
      removeItem: (k) => (slowRemoval && k === key ? new Promise<void>((resolve) => setTimeout(() => resolve(base.removeItem(k)), 1.5 * T)) : base.removeItem(k)),
    };
    const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage, storageTimeoutMs: T, revocationOutbox: { retryBaseMs: 600_000 } });
    auths.push(auth);
    const events: string[] = [];
    auth.on('signedOut', (event) => events.push(event.reason));
    await auth.signIn({ username: pool.username, password: pool.password });
    emu.faults.set('InitiateAuth', { type: 'error', name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    slowRemoval = true;
    // Its caller waits for the clear, and hears what the store holds then: nothing.
    await expect(auth.getSession({ forceRefresh: true })).resolves.toEqual({});
    expect(base.items.has(key)).toBe(false);
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(events).toEqual(['sessionEnded']);
    await expect(auth.getSession()).resolves.toEqual({});
  });
});

describe('loadSession reports how the outbox holds the stored tokens; the chart decides', () => {
  test('a session whose sign-out began and did not end (its tokens queued): the next instance clears it in clearingQueuedSession, never restores it', async () => {
    const pool = emu.setup();
    const base = inspectableStorage();
    const a = start(pool, base);
    await a.auth.signIn({ username: pool.username, password: pool.password });
    emu.faults.set('RevokeToken', { type: 'blackhole' }); // blackhole, not a long latency: a delayed request would be acted on (a RevokeToken 200) during a later test, whose count it would break
    const signingOut = a.auth.signOut().catch((error: Error) => error);
    const outboxKey = `authchart.${pool.clientId}.revocationOutbox`;
    for (let i = 0; i < 200 && !base.items.has(outboxKey); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    await a.auth.stop(); // the process stops mid-sign-out: the session is still stored, its tokens queued
    await signingOut;
    expect(base.items.has(`authchart.${pool.clientId}.session`)).toBe(true);
    emu.faults.clear();
    const b = start(pool, base);
    await waitFor(b.auth.actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    expect(b.visited()).toContain('"clearingQueuedSession"');
    expect(base.items.has(`authchart.${pool.clientId}.session`)).toBe(false);
    await expect(b.auth.getSession()).resolves.toEqual({});
    // b's outbox revokes a's queued tokens on its own: wait for that here. Stopped mid-request by
    // afterEach, its RevokeToken reached the emulator during the next test and broke its count (1 run in 4).
    await expect(b.auth.flushRevocations()).resolves.toMatchObject({ pending: 0 });
  });
});

describe('the hosted UI’s code exchange: tokens it could not store do not stay live', () => {
  // Issue 18, item 3: the exchange (completeRedirect) reports the tokens the store took back, and the
  // chart revokes them in revokingUnstored, as for a password sign-in (this failed before: no RevokeToken).
  test('a storage whose setItem throws (a full quota) on the session: signInWithRedirect rejects with StorageError and the refresh token Cognito issued is revoked', async () => {
    const CALLBACK = 'http://localhost:3000/callback';
    const pool = emu.setup({ callbackUrls: [CALLBACK], logoutUrls: ['http://localhost:3000/signed-out'] });
    const { base, storage, state } = sessionQuota();
    const inspected: InspectionEvent[] = [];
    const auth = createAuth({
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.clientId,
      endpoint: emu.endpoint,
      storage,
      revocationOutbox: { retryBaseMs: 600_000 },
      inspect: (event: InspectionEvent) => inspected.push(event),
      oauth: { domain: emu.endpoint, redirectSignIn: CALLBACK, redirectSignOut: 'http://localhost:3000/signed-out', opener: async (url) => ({ type: 'returned', url: await signInAtHostedUi(url, pool) }) },
    });
    auths.push(auth);
    const visited = () => inspected.flatMap((e) => (e.type === '@xstate.snapshot' && e.actorRef === auth.actor ? [JSON.stringify((e.snapshot as { value?: unknown }).value)] : []));
    await waitFor(auth.actor, (s) => s.matches('signedOut'));
    state.full = true;
    emu.resetRequests();
    await expect(auth.signInWithRedirect()).rejects.toMatchObject({ name: 'StorageError' });
    expect(base.items.has(`authchart.${pool.clientId}.session`)).toBe(false);
    expect(emu.requests.filter((r) => r.operation === 'RevokeToken' && r.status === 200)).toHaveLength(1);
    expect(visited()).toContain('"revokingUnstored"');
  });
});
