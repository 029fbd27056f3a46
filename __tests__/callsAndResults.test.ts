// Issue 10's symptoms, each as a test that failed on the engine whose façade decided outside the
// statechart, and passes now that every call is an event the chart answers. Real HTTP to the
// emulator on 127.0.0.1, through the real SDK transport; storage is async where the symptom needed it.
import { waitFor } from 'xstate';
import { createAuth, AuthError, StorageError, type Auth, type SignOutResult } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';

let emu: CognitoEmulator;
beforeAll(async () => (emu = await startCognitoEmulator()));
afterAll(() => emu.close());
afterEach(() => emu.faults.clear());

const auths: Auth[] = [];
afterEach(async () => {
  await Promise.all(auths.splice(0).map((auth) => auth.stop()));
});

/** Storage whose calls answer after `delayMs` (async, like React Native's), with switchable faults. */
function asyncStorage(delayMs: () => number = () => 1 + Math.floor(Math.random() * 20)) {
  const items = new Map<string, string>();
  const faults = { removeItemDelayMs: 0, removeItemThrows: false, getItemHangsOnce: false };
  let removed!: () => void;
  /** Resolves once a removeItem has actually run (late or not). */
  const removal = new Promise<void>((resolve) => (removed = resolve));
  const later = <T>(value: () => T, ms = delayMs()) => new Promise<T>((resolve, reject) => setTimeout(() => {
    try {
      resolve(value());
    } catch (error) {
      reject(error);
    }
  }, ms));
  return {
    items,
    faults,
    getItem(key: string) {
      if (faults.getItemHangsOnce) {
        faults.getItemHangsOnce = false;
        return new Promise<string | null>(() => {});
      }
      return later(() => items.get(key) ?? null);
    },
    setItem: (key: string, value: string) => later(() => void items.set(key, value)),
    removal,
    removeItem: (key: string) =>
      later(() => {
        if (faults.removeItemThrows) throw new Error('disk full');
        items.delete(key);
        if (key.endsWith('.session')) removed();
      }, faults.removeItemDelayMs || delayMs()),
  };
}

function start(options: { storage?: ReturnType<typeof asyncStorage>; networkTimeoutMs?: number; storageTimeoutMs?: number; accessTokenTtlSeconds?: number; mfa?: 'SOFTWARE_TOKEN_MFA' } = {}) {
  const setup = emu.setup({ ...(options.mfa && { mfa: options.mfa }) });
  if (options.accessTokenTtlSeconds) Object.assign(setup, { clientId: emu.createUserPoolClient({ userPoolId: setup.userPoolId, accessTokenTtlSeconds: options.accessTokenTtlSeconds }).clientId });
  const storage = options.storage ?? asyncStorage();
  const auth = createAuth({
    userPoolId: setup.userPoolId,
    userPoolClientId: setup.clientId,
    endpoint: emu.endpoint,
    storage,
    revocationOutbox: { retryBaseMs: 600_000 },
    ...(options.networkTimeoutMs && { networkTimeoutMs: options.networkTimeoutMs }),
    ...(options.storageTimeoutMs && { storageTimeoutMs: options.storageTimeoutMs }),
  });
  auths.push(auth);
  const signIn = () => auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
  return { auth, storage, setup, signIn };
}
const outboxOf = (storage: ReturnType<typeof asyncStorage>) => [...storage.items].find(([key]) => key.endsWith('.revocationOutbox'))?.[1] ?? '';
const refused = { type: 'error', name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' } as const;

test('signIn() from a tokenRefresh_failure handler (the session was refused) settles, and the instance keeps working', async () => {
  const { auth, signIn } = start();
  await signIn();
  let fromHandler: Promise<unknown> | undefined;
  auth.on('tokenRefresh_failure', () => {
    fromHandler = signIn().then(() => 'signed in');
  });
  emu.faults.set('InitiateAuth', refused, { times: 1 });
  await expect(auth.getSession({ forceRefresh: true })).resolves.toEqual({});
  await expect(fromHandler).resolves.toBe('signed in');
  await expect(auth.getSession()).resolves.toHaveProperty('tokens');
  await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
});

test('signOut() during a refresh Cognito refuses, with async storage: both settle, nobody is left signed in', async () => {
  const { auth, signIn } = start();
  await signIn();
  emu.faults.set('InitiateAuth', refused);
  emu.resetRequests();
  // The refresh is still reading the async storage when the sign-out arrives (the old engine checked
  // "signed in", awaited storage, then sent its event into a state that ignored it).
  const refreshing = auth.getSession({ forceRefresh: true });
  expect(auth.actor.getSnapshot().matches({ signedIn: 'refreshing' })).toBe(true);
  const [session, result] = await Promise.all([refreshing, auth.signOut()]);
  expect(session).toEqual({});
  expect(result).toMatchObject({ signedOutLocally: true });
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
  // No refresh answer was ever taken: any refresh that reached Cognito was refused.
  expect(emu.requests.filter((request) => request.operation === 'InitiateAuth' && request.status === 200)).toEqual([]);
});

test('signOut() while a refused session is being cleared waits for that clear, and says so when it fails', async () => {
  const storage = asyncStorage();
  const { auth, signIn } = start({ storage });
  await signIn();
  storage.faults.removeItemThrows = true;
  emu.faults.set('InitiateAuth', refused);
  const refreshing = auth.getSession({ forceRefresh: true }).catch((error: unknown) => error);
  await waitFor(auth.actor, (snapshot) => snapshot.matches('endingSession'));
  const result = await auth.signOut();
  expect(result).toMatchObject({ type: 'failed', signedOutLocally: false, error: { name: 'StorageError' } });
  // The refresh token was refused: the stored tokens are dead, and never handed out again.
  expect(auth.actor.getSnapshot().value).toBe('revokedButStored');
  await expect(refreshing).resolves.toMatchObject({ name: 'RevokedSessionNotCleared' });
  storage.faults.removeItemThrows = false;
  await expect(auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
});

test('signOut() then confirmSignIn() in the same tick: the challenge is cancelled for good', async () => {
  const { auth, setup, signIn } = start({ mfa: 'SOFTWARE_TOKEN_MFA' });
  await expect(signIn()).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  const code = emu.mfaCode(setup.userPoolId, setup.username);
  const [signedOut, confirmed] = await Promise.allSettled([auth.signOut(), auth.confirmSignIn({ challengeResponse: code })]);
  expect(signedOut).toMatchObject({ status: 'fulfilled', value: { type: 'complete' } });
  expect(confirmed).toMatchObject({ status: 'rejected', reason: { name: 'NoPendingChallengeException' } });
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
  await expect(auth.getSession()).resolves.toEqual({});
});

test('a removeItem that lands after storageTimeoutMs: the unrevoked refresh token stays queued until it is revoked', async () => {
  const storage = asyncStorage(() => 1);
  const { auth, signIn } = start({ storage, storageTimeoutMs: 100 });
  await signIn();
  const { refreshToken } = JSON.parse([...storage.items].find(([key]) => key.endsWith('.session'))![1]);
  emu.faults.set('RevokeToken', { type: 'reset' });
  storage.faults.removeItemDelayMs = 300;
  const result: SignOutResult = await auth.signOut();
  expect(result).toMatchObject({ type: 'failed', error: { name: 'StorageError' } });
  await storage.removal; // the late removeItem lands: the session is gone after all
  expect([...storage.items.keys()].filter((key) => key.endsWith('.session'))).toEqual([]);
  expect(outboxOf(storage)).toContain(refreshToken); // never dropped without a revocation
  emu.faults.clear();
  await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 1, pending: 0 });
  expect(emu.tokenRevoked(refreshToken)).toBe(true);
});

test('getSession() rejects with an exported AuthError subclass when the storage fails', async () => {
  const storage = asyncStorage();
  const { auth, signIn } = start({ storage });
  await signIn();
  storage.getItem = () => Promise.reject(new Error('SecurityError'));
  const error = await auth.getSession().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AuthError);
  expect(error).toBeInstanceOf(StorageError);
  expect(error).toMatchObject({ name: 'StorageError' });
});

test('storage slower than its deadline: RevokeToken is reported as not sent, not as aborted', async () => {
  const storage = asyncStorage(() => 1);
  const { auth, signIn } = start({ storage, storageTimeoutMs: 100 });
  await signIn();
  emu.resetRequests();
  storage.faults.getItemHangsOnce = true;
  const result = await auth.signOut();
  expect(result).toMatchObject({ type: 'partial', revokeTokenError: { name: 'NotSent', message: expect.stringMatching(/^RevokeToken was not sent: /) }, finishedBy: 'nothing' });
  expect(emu.requests.filter((request) => request.operation === 'RevokeToken')).toEqual([]);
});

test('an SRP sign-in has one deadline for both round trips', async () => {
  const { auth, setup } = start({ networkTimeoutMs: 1000 });
  emu.faults.set('InitiateAuth', { type: 'latency', ms: 600 });
  emu.faults.set('RespondToAuthChallenge', { type: 'latency', ms: 600 });
  await expect(auth.signIn({ username: setup.username, password: setup.password })).rejects.toMatchObject({ name: 'TimeoutError' });
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
});

test('flushRevocations() has one deadline, whatever the outbox holds: what is left stays queued', async () => {
  const storage = asyncStorage(() => 1);
  const setup = emu.setup();
  const config = { userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage, networkTimeoutMs: 300, revocationOutbox: { retryBaseMs: 600_000 } };
  emu.faults.set('RevokeToken', { type: 'reset' });
  for (let i = 0; i < 3; i += 1) {
    const auth = createAuth(config);
    await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
    await expect(auth.signOut()).resolves.toMatchObject({ finishedBy: 'outbox' });
    await auth.stop();
  }
  emu.faults.set('RevokeToken', { type: 'blackhole' });
  emu.resetRequests();
  const auth = createAuth(config);
  auths.push(auth);
  await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 0, pending: 3 });
  // One deadline: the first blackholed request used it up, so the other two were never sent.
  expect(emu.requests.filter((request) => request.operation === 'RevokeToken').length).toBe(1);
});

test('signOut() on an instance that saw no sign-in: complete only once the shared store is seen empty', async () => {
  const storage = asyncStorage();
  const a = start({ storage });
  await waitFor(a.auth.actor, (snapshot) => snapshot.matches('signedOut'));
  // Another instance over the same storage (another tab, another process) signs in.
  const b = createAuth({ userPoolId: a.setup.userPoolId, userPoolClientId: a.setup.clientId, endpoint: emu.endpoint, storage, revocationOutbox: { retryBaseMs: 600_000 } });
  auths.push(b);
  await b.signIn({ username: a.setup.username, password: a.setup.password, authFlow: 'USER_PASSWORD_AUTH' });
  const { refreshToken } = JSON.parse([...storage.items].find(([key]) => key.endsWith('.session'))![1]) as { refreshToken: string };
  expect(a.auth.actor.getSnapshot().value).toBe('signedOut'); // A never heard of it
  await expect(a.auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  expect([...storage.items.keys()].filter((key) => key.endsWith('.session'))).toEqual([]);
  expect(emu.tokenRevoked(refreshToken)).toBe(true);
});

test('getSession() and signOut() in the same tick, async storage: the tokens getSession hands out were read before the sign-out touched them', async () => {
  const storage = asyncStorage(() => 1);
  const slowSession = storage.getItem;
  // Session reads are slow, outbox writes fast: a read started after the sign-out's would lose the race to RevokeToken.
  storage.getItem = (key: string) => (key.endsWith('.session') ? new Promise((resolve) => setTimeout(() => resolve(slowSession(key)), 30)) : slowSession(key));
  const { auth, signIn } = start({ storage });
  await signIn();
  let revokedWhenResolved: boolean | undefined;
  const reading = auth.getSession().then((session) => {
    revokedWhenResolved = emu.tokenRevoked(session.tokens!.refreshToken!);
    return session;
  });
  const [session, result] = await Promise.all([reading, auth.signOut()]);
  expect(result).toMatchObject({ type: 'complete' });
  // Linearized before the sign-out: the tokens were live when getSession() resolved.
  expect(session.tokens).toBeDefined();
  expect(revokedWhenResolved).toBe(false);
});
