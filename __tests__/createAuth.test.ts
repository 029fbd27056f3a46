// The public API's contract beyond the sign-out branches: sign-in, config and argument errors,
// storage failures, concurrency and shutdown. Real SDK, real HTTP, emulator on 127.0.0.1.
import { waitFor } from 'xstate';
import { createAuth, type AuthConfig, type StorageLike } from '../src/index';
import { inspectableStorage, startHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.close());
afterEach(() => h.emu.faults.clear());

function configFor(setup: { userPoolId: string; clientId: string; clientSecret?: string }, extra: Partial<AuthConfig> = {}): AuthConfig {
  return {
    userPoolId: setup.userPoolId,
    userPoolClientId: setup.clientId,
    endpoint: h.emu.endpoint,
    ...(setup.clientSecret && { clientSecret: setup.clientSecret }),
    ...extra,
  };
}

describe('signIn', () => {
  test('USER_PASSWORD_AUTH resolves like Amplify and stores the session', async () => {
    const setup = h.emu.setup();
    const storage = inspectableStorage();
    const auth = createAuth(configFor(setup, { storage }));
    try {
      await expect(auth.signIn({ username: setup.username, password: setup.password })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      expect(auth.actor.getSnapshot().matches('signedIn')).toBe(true);
      expect(auth.actor.getSnapshot().context.session).toMatchObject({ username: setup.username, revocable: true });
      expect([...storage.items.keys()]).toEqual([`authchart.${setup.clientId}.session`]);
    } finally {
      await auth.stop();
    }
  });

  test('with a client secret: SECRET_HASH is sent', async () => {
    const setup = h.emu.setup({ generateSecret: true });
    const auth = createAuth(configFor(setup));
    await expect(auth.signIn({ username: setup.username, password: setup.password })).resolves.toMatchObject({ isSignedIn: true });
    await auth.stop();
  });

  test.each([
    ['a wrong password', (s: { password: string }) => ({ password: s.password + '!' }), 'NotAuthorizedException'],
    ['an unknown user', () => ({ username: 'nobody-here' }), 'UserNotFoundException'],
  ])('%s rejects with Cognito’s exception name, and the machine stays signedOut', async (_, change, name) => {
    const setup = h.emu.setup();
    const auth = createAuth(configFor(setup));
    try {
      const attempt = auth.signIn({ username: setup.username, password: setup.password, ...change(setup) });
      await expect(attempt).rejects.toMatchObject({ name });
      await expect(attempt).rejects.toBeInstanceOf(Error);
      expect(auth.actor.getSnapshot().value).toBe('signedOut');
      expect(auth.actor.getSnapshot().context.lastSignInError).toMatchObject({ name });
    } finally {
      await auth.stop();
    }
  });

  test('a client without USER_PASSWORD_AUTH: InvalidParameterException', async () => {
    const { userPoolId } = h.emu.createUserPool();
    const { clientId } = h.emu.createUserPoolClient({ userPoolId, explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'] });
    h.emu.createUser({ userPoolId, username: 'flowless', password: 'Passw0rd!' });
    const auth = createAuth(configFor({ userPoolId, clientId }));
    await expect(auth.signIn({ username: 'flowless', password: 'Passw0rd!' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await auth.stop();
  });

  test('one user at a time: a second signIn rejects with UserAlreadyAuthenticatedException', async () => {
    const session = await h.signedIn();
    await expect(session.auth.signIn({ username: session.username, password: session.password })).rejects.toMatchObject({ name: 'UserAlreadyAuthenticatedException' });
    expect(h.emu.requests).toEqual([]);
  });

  test('signIn during a sign-out rejects with SignOutInProgressException', async () => {
    const session = await h.signedIn();
    h.emu.faults.set('RevokeToken', { type: 'latency', ms: 100 });
    const signingOut = session.auth.signOut();
    signingOut.catch(() => {}); // asserted below; keeps a failure here from becoming an unhandled rejection
    await expect(session.auth.signIn({ username: session.username, password: session.password })).rejects.toMatchObject({ name: 'SignOutInProgressException' });
    await signingOut;
  });

  test('signOut during a sign-in waits for it, then signs out', async () => {
    const setup = h.emu.setup();
    const auth = createAuth(configFor(setup));
    h.emu.faults.set('InitiateAuth', { type: 'latency', ms: 100 });
    const signingIn = auth.signIn({ username: setup.username, password: setup.password });
    const result = auth.signOut();
    result.catch(() => {});
    await signingIn;
    await expect(result).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    await auth.stop();
  });

  test.each([
    [undefined, 'signIn options'],
    [{ username: '', password: 'x' }, 'username'],
    [{ username: '   ', password: 'x' }, 'username'],
    [{ username: 'a', password: '' }, 'password'],
    [{ username: 'a', password: 42 }, 'password'],
    [{ username: 'a', password: 'x', authFlow: 'CUSTOM_AUTH' }, 'authFlow'],
  ])('bad input %j rejects with AuthValidationError naming %s, without a network call', async (input, field) => {
    const auth = createAuth(configFor(h.emu.setup()));
    h.emu.resetRequests();
    await expect(auth.signIn(input as never)).rejects.toMatchObject({ name: 'AuthValidationError', field });
    expect(h.emu.requests).toEqual([]);
    await auth.stop();
  });
});

describe('createAuth config', () => {
  const good = { userPoolId: 'eu-west-1_AbC123', userPoolClientId: 'abc123' };
  test.each([
    [null, 'config'],
    [{ ...good, userPoolId: 'nope' }, 'userPoolId'],
    [{ ...good, userPoolClientId: '' }, 'userPoolClientId'],
    [{ ...good, region: 'moon-1' }, 'region'],
    [{ ...good, endpoint: 'ftp://127.0.0.1' }, 'endpoint'],
    [{ ...good, clientSecret: '' }, 'clientSecret'],
    [{ ...good, storage: { getItem() {} } }, 'storage'],
    [{ ...good, networkTimeoutMs: 0 }, 'networkTimeoutMs'],
    [{ ...good, networkTimeoutMs: 1.5 }, 'networkTimeoutMs'],
    [{ ...good, client: {} }, 'client'],
    [{ ...good, inspect: 'yes' }, 'inspect'],
    [{ ...good, now: 1_700_000_000_000 }, 'now'],
  ])('%j throws AuthConfigError naming %s', (config, field) => {
    expect(() => createAuth(config as never)).toThrow(expect.objectContaining({ name: 'AuthConfigError', field }));
  });

  test("now moves the library's clock: a challenge answered past its deadline on that clock is refused (SignInSessionExpired), nothing sent; before it, answered", async () => {
    const { userPoolId } = h.emu.createUserPool();
    const { clientId } = h.emu.createUserPoolClient({ userPoolId });
    h.emu.createUser({ userPoolId, username: 'clocked', password: 'Clocked-pw1!', mfa: 'SOFTWARE_TOKEN_MFA' });
    let clock = Date.now();
    const auth = createAuth({ userPoolId, userPoolClientId: clientId, endpoint: h.emu.endpoint, now: () => clock, authSessionValidityMinutes: 3 });
    await expect(auth.signIn({ username: 'clocked', password: 'Clocked-pw1!' })).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    clock += 3 * 60_000 - 1;
    const code = h.emu.mfaCode(userPoolId, 'clocked');
    await expect(auth.confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    clock += 1;
    h.emu.resetRequests();
    await expect(auth.confirmSignIn({ challengeResponse: code })).rejects.toMatchObject({ name: 'SignInSessionExpired' });
    expect(h.emu.requests).toEqual([]);
    await auth.stop();
  });

  test('the region defaults to the user pool id prefix', async () => {
    const auth = createAuth(good);
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
    await auth.stop();
  });

  test('signOut with bad options rejects (never throws synchronously) with AuthValidationError', async () => {
    const auth = createAuth(good);
    const attempt = auth.signOut({ global: 'yes' } as never);
    await expect(attempt).rejects.toMatchObject({ name: 'AuthValidationError', field: 'global' });
    await auth.stop();
  });
});

describe('storage', () => {
  test('async (AsyncStorage-shaped) storage works end to end', async () => {
    const items = new Map<string, string>();
    const storage: StorageLike = {
      getItem: async (key) => items.get(key) ?? null,
      setItem: async (key, value) => void items.set(key, value),
      removeItem: async (key) => void items.delete(key),
    };
    const setup = h.emu.setup();
    const auth = createAuth(configFor(setup, { storage }));
    await auth.signIn({ username: setup.username, password: setup.password });
    expect(items.size).toBe(1);
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
    expect(items.size).toBe(0);
    await auth.stop();
  });

  test.each([
    ['removeItem throws', (s: ReturnType<typeof inspectableStorage>) => ({ ...s, removeItem: () => { throw new Error('disk full'); } })],
    ['removeItem silently keeps the item', (s: ReturnType<typeof inspectableStorage>) => ({ ...s, removeItem: () => {} })],
  ])('%s: failed, signedOutLocally false, the session left whole; its tokens are revoked, so it is never handed out', async (_, breakStorage) => {
    const setup = h.emu.setup();
    const storage = inspectableStorage();
    const broken = { ...storage, removeItem: storage.removeItem };
    const auth = createAuth(configFor(setup, { storage: broken }));
    await auth.signIn({ username: setup.username, password: setup.password });
    const before = new Map(storage.items);
    broken.removeItem = breakStorage(storage).removeItem;
    const result = await auth.signOut();
    expect(result).toEqual({ type: 'failed', signedOutLocally: false, error: { name: 'StorageError', message: expect.any(String) } });
    const sessionKey = [...before.keys()][0]!;
    expect(storage.items.get(sessionKey)).toBe(before.get(sessionKey)); // the session, whole
    // RevokeToken succeeded: the stored tokens are dead, and the engine says so rather than "signed in".
    expect(auth.actor.getSnapshot().value).toBe('revokedButStored');
    await expect(auth.getSession()).rejects.toMatchObject({ name: 'RevokedSessionNotCleared' });
    await expect(auth.signIn({ username: setup.username, password: setup.password })).rejects.toMatchObject({ name: 'RevokedSessionNotCleared' });
    broken.removeItem = storage.removeItem; // storage recovers: the next sign-out completes the job
    await expect(auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(storage.items.has(sessionKey)).toBe(false);
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    await auth.stop();
  });

  test('a failed sign-out whose RevokeToken failed too: the tokens are alive, so the user is still signed in', async () => {
    const setup = h.emu.setup();
    const storage = inspectableStorage();
    const broken = { ...storage, removeItem: storage.removeItem };
    const auth = createAuth(configFor(setup, { storage: broken, revocationOutbox: { retryBaseMs: 600_000 } }));
    await auth.signIn({ username: setup.username, password: setup.password });
    broken.removeItem = () => {
      throw new Error('disk full');
    };
    h.emu.faults.set('RevokeToken', { type: 'error', name: 'InternalErrorException' });
    try {
      await expect(auth.signOut()).resolves.toMatchObject({ type: 'failed', signedOutLocally: false });
      expect(auth.actor.getSnapshot().matches({ signedIn: 'active' })).toBe(true);
      await expect(auth.getSession()).resolves.toHaveProperty('tokens');
    } finally {
      h.emu.faults.clear();
      await auth.stop();
    }
  });

  test('a stored session is restored at start without a network call', async () => {
    const session = await h.signedIn();
    const again = createAuth(configFor({ userPoolId: session.userPoolId, clientId: session.clientId }, { storage: session.storage }));
    await new Promise((resolve) => again.actor.subscribe((s) => s.value !== 'loadingSession' && resolve(null)));
    expect(again.actor.getSnapshot().matches('signedIn')).toBe(true);
    expect(h.emu.requests).toEqual([]);
    await again.stop();
  });

  test('junk in storage: starts signedOut and removes it', async () => {
    const storage = inspectableStorage();
    storage.setItem('authchart.abc123.session', '{"accessToken":"not-a-jwt","idToken":"x"}');
    const auth = createAuth({ userPoolId: 'us-east-1_AbC', userPoolClientId: 'abc123', storage });
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(storage.items.size).toBe(0);
    await auth.stop();
  });
});

describe('stop', () => {
  test('a pending sign-out rejects with AuthStoppedError; later calls too', async () => {
    const session = await h.signedIn({ networkTimeoutMs: 60_000 });
    h.emu.faults.set('RevokeToken', { type: 'blackhole' });
    const pending = session.auth.signOut();
    await waitFor(session.auth.actor, (snapshot) => snapshot.matches('signingOut')); // in flight, held by the blackhole
    await session.auth.stop();
    await expect(pending).rejects.toMatchObject({ name: 'AuthStoppedError' });
    await expect(session.auth.signOut()).rejects.toMatchObject({ name: 'AuthStoppedError' });
    await expect(session.auth.signIn({ username: 'a', password: 'b' })).rejects.toMatchObject({ name: 'AuthStoppedError' });
  });

  test('calls made while the stored session loads wait for it; stop() during that wait rejects them', async () => {
    const setup = h.emu.setup();
    const signedIn = await h.signedIn();
    const stored = signedIn.storage.getItem(`authchart.${signedIn.clientId}.session`);
    await signedIn.auth.stop();
    // A storage whose first read is held until we release it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = (value: string | null): StorageLike => {
      const items = new Map(value === null ? [] : [[`authchart.${signedIn.clientId}.session`, value]]);
      return {
        getItem: async (key) => (await held, items.get(key) ?? null),
        setItem: (key, v) => void items.set(key, v),
        removeItem: (key) => void items.delete(key),
      };
    };
    const waiting = createAuth({ ...configFor(signedIn), storage: slow(stored) });
    const session = waiting.getSession();
    const signOutLater = waiting.signOut();
    expect(waiting.actor.getSnapshot().matches('loadingSession')).toBe(true);
    release();
    await expect(session).resolves.toMatchObject({ username: signedIn.username });
    await expect(signOutLater).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    await waiting.stop();

    const stopped = createAuth({ ...configFor(setup), storage: slow(null), revocationOutbox: false });
    const pending = [stopped.getSession(), stopped.signIn({ username: setup.username, password: setup.password }), stopped.signOut()];
    await stopped.stop();
    for (const call of pending) await expect(call).rejects.toMatchObject({ name: 'AuthStoppedError' });
  });
});
