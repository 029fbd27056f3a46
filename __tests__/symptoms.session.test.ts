// Issue 18, "What we saw", symptoms 2, 3, 9 and 10: sessions a store no longer backs, or that a
// sign-out proved dead, must never be served. Real HTTP to the emulator; storage we can look into
// and make misbehave. Each test failed on the code before its fix, for the reason its name gives.
import { waitFor } from 'xstate';
import { createAuth, type Auth, type AuthHubEvent, type StorageLike } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { inspectableStorage, type InspectableStorage } from './support/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The emulator's clock: tokens are minted two hours ago, then time moves on, so their access tokens expired an hour ago. */
let clock = Date.now();
let emu!: CognitoEmulator;
const auths: Auth[] = [];
beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
});
afterAll(() => emu.close());
afterEach(async () => {
  emu.faults.clear();
  clock = Date.now();
  await Promise.all(auths.splice(0).map((auth) => auth.stop()));
});

type Pool = ReturnType<CognitoEmulator['setup']>;
const sessionKey = (pool: Pool) => `authchart.${pool.clientId}.session`;

function start(pool: Pool, storage: StorageLike, options: { rotation?: boolean; storageTimeoutMs?: number; networkTimeoutMs?: number } = {}): Auth {
  const auth = createAuth({
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    endpoint: emu.endpoint,
    storage,
    refreshTokenRotation: options.rotation ?? false,
    revocationOutbox: { retryBaseMs: 600_000 },
    ...(options.storageTimeoutMs !== undefined && { storageTimeoutMs: options.storageTimeoutMs }),
    ...(options.networkTimeoutMs !== undefined && { networkTimeoutMs: options.networkTimeoutMs }),
  });
  auths.push(auth);
  return auth;
}

/** A rotating app client (no grace period), and its user signed in two hours ago: the access token expired an hour ago. */
async function signedInAnHourExpired(storage: StorageLike) {
  const pool = emu.setup({ refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } });
  clock = Date.now() - 2 * 3600_000;
  const auth = start(pool, storage, { rotation: true });
  await auth.signIn({ username: pool.username, password: pool.password });
  clock = Date.now();
  return { pool, auth };
}

const expiresAtOf = (accessToken: string): number => 1000 * (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
/** What a getSession() settled with: its tokens (if any) or its error. */
const settled = (call: Promise<{ tokens?: { accessToken: string } }>) => call.then((session) => ({ session }), (error: Error) => ({ error }));

describe('symptom 2: with rotation on, a refresh refused as already used never hands out the expired token it could not replace', () => {
  test('symptom 2: the rotated tokens could not be stored (a full quota): the next getSession() is refused with RefreshTokenReuseException and the session ends, never the token that expired an hour ago', async () => {
    const base = inspectableStorage();
    let full = false;
    const quota = () => Object.assign(new Error('The quota has been exceeded'), { name: 'QuotaExceededError' });
    const storage: StorageLike = {
      getItem: base.getItem,
      setItem: (key, value) => {
        if (full) throw quota();
        base.setItem(key, value);
      },
      removeItem: base.removeItem,
    };
    const { pool, auth } = await signedInAnHourExpired(storage);
    const events: AuthHubEvent[] = [];
    auth.on('signedOut', (event) => events.push(event));
    full = true;
    // The refresh rotates at Cognito, but the new tokens cannot be stored: the store keeps the old ones.
    await expect(auth.getSession()).rejects.toMatchObject({ name: 'StorageError' });
    const again = await settled(auth.getSession());
    if ('session' in again && again.session.tokens) expect(expiresAtOf(again.session.tokens.accessToken)).toBeGreaterThan(Date.now());
    expect(again).toEqual({ error: expect.objectContaining({ name: 'RefreshTokenReuseException' }) });
    await waitFor(auth.actor, (snapshot) => snapshot.matches('signedOut'));
    expect(events).toEqual([{ type: 'signedOut', reason: 'sessionEnded', outcome: { type: 'complete' } }]);
    expect(base.items.has(sessionKey(pool))).toBe(false); // a session no refresh can continue is cleared
    await expect(auth.getSession()).resolves.toEqual({});
  });

  test('symptom 2: a reuse whose look into the store fails ends the session too (lookingForTabsRefresh onError, lostRefreshRace), never the expired token', async () => {
    const base = inspectableStorage();
    let full = false;
    let unreadable = true;
    const earlier = emu.requests.length;
    const refused = () => emu.requests.slice(earlier).some((r) => r.operation === 'GetTokensFromRefreshToken' && r.status !== 200);
    const storage: StorageLike = {
      getItem: (key) => {
        // The first read after Cognito refused the reuse fails: the store cannot say whether another tab refreshed.
        if (unreadable && key.endsWith('.session') && refused()) {
          unreadable = false;
          throw new Error('storage unreadable for a moment');
        }
        return base.getItem(key);
      },
      setItem: (key, value) => {
        if (full) throw Object.assign(new Error('The quota has been exceeded'), { name: 'QuotaExceededError' });
        base.setItem(key, value);
      },
      removeItem: base.removeItem,
    };
    const { pool, auth } = await signedInAnHourExpired(storage);
    const states: string[] = [];
    auth.actor.subscribe((snapshot) => states.push(JSON.stringify(snapshot.value)));
    full = true;
    await expect(auth.getSession()).rejects.toMatchObject({ name: 'StorageError' });
    await expect(auth.getSession()).rejects.toMatchObject({ name: 'RefreshTokenReuseException' });
    expect(unreadable).toBe(false); // the look into the store failed
    expect(states).toContain(JSON.stringify({ signedIn: { refreshing: 'lookingForTabsRefresh' } }));
    await waitFor(auth.actor, (snapshot) => snapshot.matches('signedOut'));
    expect(states).toContain('"endingSession"');
    expect(base.items.has(sessionKey(pool))).toBe(false);
  });

  test('symptom 2: a session copied into another tab’s sessionStorage finds its refresh token already rotated: refused with RefreshTokenReuseException and ended there, never the expired token; the first tab is untouched', async () => {
    const first = inspectableStorage();
    const { pool, auth: a } = await signedInAnHourExpired(first);
    const copy = inspectableStorage();
    for (const [key, value] of first.items) copy.setItem(key, value); // the tab was duplicated: sessionStorage is copied
    const b = start(pool, copy, { rotation: true });
    await waitFor(b.actor, (snapshot) => snapshot.matches({ signedIn: 'active' }));
    const events: AuthHubEvent[] = [];
    b.on('signedOut', (event) => events.push(event));
    const fresh = (await a.getSession()).tokens!; // the first tab rotates its refresh token
    expect(expiresAtOf(fresh.accessToken)).toBeGreaterThan(Date.now());
    const copied = await settled(b.getSession());
    if ('session' in copied && copied.session.tokens) expect(expiresAtOf(copied.session.tokens.accessToken)).toBeGreaterThan(Date.now());
    expect(copied).toEqual({ error: expect.objectContaining({ name: 'RefreshTokenReuseException' }) });
    await waitFor(b.actor, (snapshot) => snapshot.matches('signedOut'));
    expect(events).toEqual([{ type: 'signedOut', reason: 'sessionEnded', outcome: { type: 'complete' } }]);
    expect(copy.items.has(sessionKey(pool))).toBe(false);
    await expect(a.getSession()).resolves.toMatchObject({ tokens: fresh }); // the first tab's own session is another store's
  });
});

describe('symptom 3: a reload after a sign-out that ended in revokedButStored', () => {
  test('symptom 3: a new instance over the healed storage never restores the revoked session: it clears it and is signed out, and getSession() hands out nothing', async () => {
    const pool = emu.setup();
    const base = inspectableStorage();
    let broken = false;
    const storage: StorageLike = {
      getItem: base.getItem,
      setItem: base.setItem,
      removeItem: (key) => {
        if (broken && key === sessionKey(pool)) throw new Error('storage is read-only now');
        base.removeItem(key);
      },
    };
    const auth = start(pool, storage);
    await auth.signIn({ username: pool.username, password: pool.password });
    const { accessToken, refreshToken } = JSON.parse(base.items.get(sessionKey(pool))!) as { accessToken: string; refreshToken: string };
    broken = true;
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'failed', signedOutLocally: false });
    expect(auth.actor.getSnapshot().value).toBe('revokedButStored');
    expect(emu.tokenRevoked(accessToken)).toBe(true);
    await auth.stop(); // the page reloads; the storage works again
    broken = false;
    const reloaded = start(pool, storage);
    await waitFor(reloaded.actor, (snapshot) => !snapshot.matches('loadingSession'));
    const session = await settled(reloaded.getSession());
    expect('session' in session && session.session.tokens?.accessToken === accessToken ? 'the revoked access token' : 'no revoked token').toBe('no revoked token');
    await waitFor(reloaded.actor, (snapshot) => snapshot.matches('signedOut'));
    expect(base.items.has(sessionKey(pool))).toBe(false); // what the sign-out proved dead is cleared at last
    await expect(reloaded.getSession()).resolves.toEqual({});
    // The mark that kept the proof across the reload goes with the session: nothing is left to revoke.
    await expect(reloaded.flushRevocations()).resolves.toEqual({ revoked: 0, dropped: 0, pending: 0 });
    expect([...base.items.values()].some((value) => value.includes(refreshToken))).toBe(false);
    expect(emu.requests.filter((r) => r.operation === 'RevokeToken')).toHaveLength(1);
  });
});

describe('symptom 3, the same at a sign-out: an instance that holds no session finds the revoked one in the store', () => {
  test('symptom 3: signOut() on another instance over the healed storage clears the revoked session (checkingStore → endingSession), sending nothing again', async () => {
    const pool = emu.setup();
    const earlier = emu.requests.length;
    const base = inspectableStorage();
    let broken = false;
    const storage: StorageLike = { ...base, removeItem: (key) => (broken && key === sessionKey(pool) ? Promise.reject(new Error('storage is read-only now')) : base.removeItem(key)) };
    const other = start(pool, storage); // started before the sign-in: it holds no session (no tab link in Node)
    await waitFor(other.actor, (snapshot) => snapshot.matches('signedOut'));
    const auth = start(pool, storage);
    await auth.signIn({ username: pool.username, password: pool.password });
    broken = true;
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'failed', signedOutLocally: false });
    expect(auth.actor.getSnapshot().value).toBe('revokedButStored');
    broken = false;
    const states: unknown[] = [];
    other.actor.subscribe((snapshot) => states.push(snapshot.value));
    await expect(other.signOut()).resolves.toMatchObject({ type: 'complete' });
    expect(states).toEqual(expect.arrayContaining(['checkingStore', 'endingSession', 'signedOut']));
    expect(states).not.toContain('signingOut'); // the revoked session is not signed out again: only cleared
    expect(base.items.has(sessionKey(pool))).toBe(false);
    expect(emu.requests.slice(earlier).filter((r) => r.operation === 'RevokeToken')).toHaveLength(1);
  });
});

describe('a clear the storage did not confirm in time: land where the store says', () => {
  const T = 100; // storageTimeoutMs

  test('symptom 9: a removeItem that lands after storageTimeoutMs while RevokeToken hangs: the session is gone, so the result is partial (signed out locally) and the state signedOut, not failed and signedIn.active', async () => {
    const pool = emu.setup();
    const base = inspectableStorage();
    let slowRemoval = false;
    const storage: StorageLike = {
      getItem: base.getItem,
      setItem: base.setItem,
      // Lands halfway into the second storageTimeoutMs: after the store gave up waiting for it.
      removeItem: (key) => (slowRemoval && key === sessionKey(pool) ? new Promise<void>((resolve) => setTimeout(() => resolve(base.removeItem(key)), 1.5 * T)) : base.removeItem(key)),
    };
    const auth = start(pool, storage, { storageTimeoutMs: T, networkTimeoutMs: 1_000 });
    await auth.signIn({ username: pool.username, password: pool.password });
    emu.faults.set('RevokeToken', { type: 'latency', ms: 5_000 }, { times: 1 });
    slowRemoval = true;
    const result = await auth.signOut();
    expect(result).toMatchObject({ type: 'partial', signedOutLocally: true, revokeTokenError: { name: 'TimeoutError' }, finishedBy: 'outbox' });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(base.items.has(sessionKey(pool))).toBe(false);
    await expect(auth.getSession()).resolves.toEqual({});
  });

  test('symptom 10: a getItem that hangs: removeItem worked, so the result says signed out locally with RevokeToken not sent, and the state is signedOut, not failed and signedIn.active', async () => {
    const pool = emu.setup();
    const base = inspectableStorage();
    let hang = false;
    const storage: StorageLike = {
      getItem: (key) => (hang ? new Promise<string | null>(() => {}) : base.getItem(key)),
      setItem: base.setItem,
      removeItem: base.removeItem,
    };
    const auth = start(pool, storage, { storageTimeoutMs: T });
    await auth.signIn({ username: pool.username, password: pool.password });
    emu.resetRequests();
    hang = true;
    const result = await auth.signOut();
    expect(base.items.has(sessionKey(pool))).toBe(false); // removeItem worked
    expect(emu.requests.map((r) => r.operation)).toEqual([]); // the tokens could not be read: RevokeToken never sent
    expect(result).toMatchObject({ type: 'partial', signedOutLocally: true, revokeTokenError: { name: 'NotSent' } });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    await expect(auth.getSession()).resolves.toEqual({});
  });
});
