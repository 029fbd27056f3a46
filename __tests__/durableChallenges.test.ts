// durableChallenges: a sign-in that ends on a challenge is stored with Cognito's Session, so that
// another instance over the same storage answers it (the BFF runs one instance per request, so the
// instance that answers is never the one that asked). Real HTTP to the emulator; each instance is
// a createAuth() over one shared Web-Storage-shaped store, the one that asked stopped first.
import { waitFor } from 'xstate';
import { createAuth, AuthStateError, type Auth, type AuthConfig } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/index';
import { inspectableStorage, type InspectableStorage } from './support/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: CognitoEmulator;
const auths: Auth[] = [];
beforeAll(async () => (emu = await startCognitoEmulator()));
afterAll(async () => {
  await Promise.all(auths.map((auth) => auth.stop()));
  await emu.close();
});

interface Pool {
  readonly userPoolId: string;
  readonly clientId: string;
}
const keyOf = (pool: Pool) => `authchart.${pool.clientId}.pendingChallenge`;

/** One instance over `storage`, settled out of loadingSession (as a request's instance would be before its call). */
/** A pool with a TOTP user, and instance A over a fresh storage, which met the challenge at sign-in (`config` as instance()'s). */
async function challengeMet(config?: Parameters<typeof instance>[2]): Promise<{ setup: SetupResult; storage: InspectableStorage; a: Auth }> {
  const setup = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
  const storage = inspectableStorage();
  const a = await instance(setup, storage, config);
  await a.signIn({ username: setup.username, password: setup.password });
  return { setup, storage, a };
}

async function instance(pool: Pool, storage: InspectableStorage, config: Pick<AuthConfig, 'durableChallenges' | 'authSessionValidityMinutes'> = { durableChallenges: true }): Promise<Auth> {
  const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage, ...config });
  auths.push(auth);
  await waitFor(auth.actor, (snapshot) => !snapshot.matches('loadingSession'));
  return auth;
}
const state = (auth: Auth) => auth.actor.getSnapshot().value;
const record = (storage: InspectableStorage, pool: Pool): Record<string, unknown> | undefined => {
  const text = storage.items.get(keyOf(pool));
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
};
/** The removal after a cancel runs on its own (challengeCancelled): let the event loop turn until it lands. */
async function removed(storage: InspectableStorage, pool: Pool): Promise<boolean> {
  for (let turn = 0; turn < 200 && storage.items.has(keyOf(pool)); turn++) await new Promise((resolve) => setImmediate(resolve));
  return !storage.items.has(keyOf(pool));
}
const otherCode = (code: string) => String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');

describe('SOFTWARE_TOKEN_MFA across instances', () => {
  test('A asks (SRP) and stops; B, over the same storage, answers and is signed in; the record goes', async () => {
    const setup = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const storage = inspectableStorage();
    const a = await instance(setup, storage);
    await expect(a.signIn({ username: setup.username, password: setup.password })).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const stored = record(storage, setup);
    expect(stored).toMatchObject({ name: 'SOFTWARE_TOKEN_MFA', username: setup.username, authFlow: 'USER_SRP_AUTH', session: expect.any(String), deadline: expect.any(Number) });
    expect(Object.keys(stored!).sort()).toEqual(['authFlow', 'deadline', 'name', 'session', 'username']);
    expect(storage.items.get(keyOf(setup))).not.toContain(setup.password);
    await a.stop();

    const b = await instance(setup, storage);
    expect(state(b)).toBe('awaitingChallengeAnswer');
    expect(b.actor.getSnapshot().context.challenge).toMatchObject({ name: 'SOFTWARE_TOKEN_MFA', username: setup.username, deadline: stored!.deadline });
    emu.resetRequests();
    await expect(b.confirmSignIn({ challengeResponse: emu.mfaCode(setup.userPoolId, setup.username) })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(emu.requests.map((r) => r.operation)).toEqual(['RespondToAuthChallenge']);
    expect(state(b)).toEqual({ signedIn: 'active' });
    expect(storage.items.has(keyOf(setup))).toBe(false);
    await expect(b.getSession()).resolves.toMatchObject({ username: setup.username, tokens: { accessToken: expect.any(String) } });
  });

  test('the deadline is AuthSessionValidity after the step began (authSessionValidityMinutes)', async () => {
    const setup = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const storage = inspectableStorage();
    const a = await instance(setup, storage, { durableChallenges: true, authSessionValidityMinutes: 10 });
    const before = Date.now();
    await a.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
    const after = Date.now();
    const { deadline, authFlow } = record(storage, setup)!;
    expect(authFlow).toBe('USER_PASSWORD_AUTH');
    expect(deadline).toBeGreaterThanOrEqual(before + 10 * 60_000);
    expect(deadline).toBeLessThanOrEqual(after + 10 * 60_000);
    expect(a.actor.getSnapshot().context.challenge?.deadline).toBe(deadline);
  });

  test('a wrong code keeps the challenge answerable by a third instance', async () => {
    const { setup, storage, a } = await challengeMet();
    const stored = storage.items.get(keyOf(setup));
    await a.stop();

    const b = await instance(setup, storage);
    const code = emu.mfaCode(setup.userPoolId, setup.username);
    await expect(b.confirmSignIn({ challengeResponse: otherCode(code) })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect(state(b)).toBe('awaitingChallengeAnswer');
    expect(storage.items.get(keyOf(setup))).toBe(stored);
    await b.stop();

    const c = await instance(setup, storage);
    expect(state(c)).toBe('awaitingChallengeAnswer');
    await expect(c.confirmSignIn({ challengeResponse: emu.mfaCode(setup.userPoolId, setup.username) })).resolves.toMatchObject({ isSignedIn: true });
    expect(storage.items.has(keyOf(setup))).toBe(false);
  });

  test('a record past its deadline: refused with SignInSessionExpired, nothing sent, the record removed', async () => {
    const { setup, storage, a } = await challengeMet();
    await a.stop();
    // The same record, three minutes on: only its deadline has passed.
    storage.items.set(keyOf(setup), JSON.stringify({ ...record(storage, setup), deadline: Date.now() - 1 }));

    const b = await instance(setup, storage);
    expect(state(b)).toBe('awaitingChallengeAnswer');
    emu.resetRequests();
    const error = await b.confirmSignIn({ challengeResponse: emu.mfaCode(setup.userPoolId, setup.username) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthStateError);
    expect(error).toMatchObject({ name: 'SignInSessionExpired', message: expect.stringContaining('signIn() again') });
    expect(emu.requests).toEqual([]);
    expect(state(b)).toBe('signedOut');
    expect(await removed(storage, setup)).toBe(true);
    await expect(b.confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({ name: 'NoPendingChallengeException' });
  });

  test('a failure for good (Cognito refuses the session) ends the challenge and removes its record', async () => {
    const { setup, storage, a } = await challengeMet();
    await a.stop();
    const b = await instance(setup, storage);
    emu.faults.set('RespondToAuthChallenge', { type: 'error', name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
    try {
      await expect(b.confirmSignIn({ challengeResponse: emu.mfaCode(setup.userPoolId, setup.username) })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    } finally {
      emu.faults.clear();
    }
    expect(state(b)).toBe('signedOut');
    expect(await removed(storage, setup)).toBe(true);
  });

  test('signOut() on another instance drops the challenge and its record', async () => {
    const { setup, storage, a } = await challengeMet();
    await a.stop();
    const b = await instance(setup, storage);
    emu.resetRequests();
    await expect(b.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(emu.requests).toEqual([]);
    expect(await removed(storage, setup)).toBe(true);
    const c = await instance(setup, storage);
    expect(state(c)).toBe('signedOut');
  });

  test('a new signIn() replaces the record with its own challenge', async () => {
    const { setup, storage, a } = await challengeMet();
    const first = record(storage, setup)!;
    await a.stop();
    const b = await instance(setup, storage);
    await expect(b.signIn({ username: setup.username, password: setup.password })).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const second = record(storage, setup)!;
    expect(second.session).not.toBe(first.session);
    await b.stop();
    const c = await instance(setup, storage);
    await expect(c.confirmSignIn({ challengeResponse: emu.mfaCode(setup.userPoolId, setup.username) })).resolves.toMatchObject({ isSignedIn: true });
  });
});

test('NEW_PASSWORD_REQUIRED across instances: B sets the new password', async () => {
  const { userPoolId } = emu.createUserPool();
  const { clientId } = emu.createUserPoolClient({ userPoolId });
  emu.createUser({ userPoolId, username: 'first-timer', password: 'Temp-Passw0rd!', permanent: false });
  const pool = { userPoolId, clientId };
  const storage = inspectableStorage();
  const a = await instance(pool, storage);
  await expect(a.signIn({ username: 'first-timer', password: 'Temp-Passw0rd!' })).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } });
  expect(record(storage, pool)).toMatchObject({ name: 'NEW_PASSWORD_REQUIRED', username: 'first-timer' });
  expect(storage.items.get(keyOf(pool))).not.toContain('Temp-Passw0rd!');
  await a.stop();

  const b = await instance(pool, storage);
  expect(b.actor.getSnapshot().context.challenge?.name).toBe('NEW_PASSWORD_REQUIRED');
  await expect(b.confirmSignIn({ challengeResponse: 'Brand-New-Passw0rd!' })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect(storage.items.has(keyOf(pool))).toBe(false);
  await b.signOut();
  await expect(b.signIn({ username: 'first-timer', password: 'Brand-New-Passw0rd!' })).resolves.toMatchObject({ isSignedIn: true });
});

test('NEW_PASSWORD_REQUIRED then SOFTWARE_TOKEN_MFA: each challenge is answered by another instance', async () => {
  const { userPoolId } = emu.createUserPool();
  const { clientId } = emu.createUserPoolClient({ userPoolId });
  emu.createUser({ userPoolId, username: 'both', password: 'Temp-Passw0rd!', permanent: false, mfa: 'SOFTWARE_TOKEN_MFA' });
  const pool = { userPoolId, clientId };
  const storage = inspectableStorage();
  const a = await instance(pool, storage);
  await a.signIn({ username: 'both', password: 'Temp-Passw0rd!' });
  await a.stop();
  const b = await instance(pool, storage);
  await expect(b.confirmSignIn({ challengeResponse: 'Brand-New-Passw0rd!' })).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  expect(record(storage, pool)).toMatchObject({ name: 'SOFTWARE_TOKEN_MFA', authFlow: 'USER_SRP_AUTH' });
  await b.stop();
  const c = await instance(pool, storage);
  await expect(c.confirmSignIn({ challengeResponse: emu.mfaCode(userPoolId, 'both') })).resolves.toMatchObject({ isSignedIn: true });
});

test('without durableChallenges nothing is written: another instance has no challenge to answer', async () => {
  const { setup, storage, a } = await challengeMet({});
  expect(state(a)).toBe('awaitingChallengeAnswer');
  expect([...storage.items.keys()].filter((key) => key.endsWith('pendingChallenge'))).toEqual([]);
  const b = await instance(setup, storage, {});
  expect(state(b)).toBe('signedOut');
  await expect(b.confirmSignIn({ challengeResponse: emu.mfaCode(setup.userPoolId, setup.username) })).rejects.toMatchObject({ name: 'NoPendingChallengeException' });
  // The instance that asked still answers from its memory.
  await expect(a.confirmSignIn({ challengeResponse: emu.mfaCode(setup.userPoolId, setup.username) })).resolves.toMatchObject({ isSignedIn: true });
});

test('a storage that fails the write: the sign-in fails with StorageError, nobody waits for a challenge', async () => {
  const setup = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
  const storage = inspectableStorage();
  const key = keyOf(setup);
  const failing: InspectableStorage = {
    ...storage,
    setItem: (k, value) => {
      if (k === key) throw new Error('quota');
      storage.setItem(k, value);
    },
  };
  const a = await instance(setup, failing);
  await expect(a.signIn({ username: setup.username, password: setup.password })).rejects.toMatchObject({ name: 'StorageError' });
  expect(state(a)).toBe('signedOut');
  expect(storage.items.has(key)).toBe(false);
});

test('a storage that never answers the read: loading ends by its bound, signed out, with a StorageError', async () => {
  const setup = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
  const storage = inspectableStorage();
  const key = keyOf(setup);
  const hanging = { getItem: (k: string) => (k === key ? new Promise<null>(() => {}) : storage.getItem(k)), setItem: storage.setItem, removeItem: storage.removeItem };
  const errors: unknown[] = [];
  const b = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage: hanging, durableChallenges: true, storageTimeoutMs: 50 });
  auths.push(b);
  b.on('storageError', (event) => errors.push(event.error));
  await expect(b.confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({ name: 'NoPendingChallengeException' });
  expect(state(b)).toBe('signedOut');
  expect(errors).toEqual([expect.objectContaining({ name: 'StorageError' })]);
});

test.each([
  [{ durableChallenges: 'yes' }, 'durableChallenges'],
  [{ authSessionValidityMinutes: 2 }, 'authSessionValidityMinutes'],
  [{ authSessionValidityMinutes: 16 }, 'authSessionValidityMinutes'],
  [{ authSessionValidityMinutes: 3.5 }, 'authSessionValidityMinutes'],
])('createAuth(%j) throws AuthConfigError naming %s', (bad, field) => {
  expect(() => createAuth({ userPoolId: 'eu-west-1_AbC123', userPoolClientId: 'client1', ...(bad as object) })).toThrow(expect.objectContaining({ name: 'AuthConfigError', field }));
});
