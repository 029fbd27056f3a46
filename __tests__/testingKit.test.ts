// The app developer's testing kit (authchart/testing): createTestAuth() and its driveTo() helpers.
import { connect } from 'node:net';
import { AuthStoppedError } from '../src/index';
import { createTestAuth, decodeJwtPayload, TEST_AUTH_STATES, type TestAuth, type TestAuthState } from '../src/testing/index';
import { hostedUiTokens } from './support/oauthBrowser';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let kit: TestAuth;
afterEach(async () => kit?.close());

const storedTokens = (k: TestAuth) => JSON.parse(k.storage.items.get(k.storage.sessionKey) ?? '{}') as { accessToken: string; refreshToken: string };

describe('createTestAuth', () => {
  test('a fresh emulator, pool, client and default user; the engine rests in signedOut, storage empty', async () => {
    kit = await createTestAuth();
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.is('signedOut')).toBe(true);
    expect(kit.users).toEqual([{ username: 'test-user', password: expect.any(String), permanent: true }]);
    expect(kit.user()).toBe(kit.users[0]);
    expect(kit.clientSecret).toBeUndefined();
    expect(kit.emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(kit.faults).toBe(kit.emulator.faults);
    expect(kit.storage.items.size).toBe(0);
    expect(kit.storage.sessionKey).toBe(`authchart.${kit.clientId}.session`);
    expect(kit.storage.outboxKey).toBe(`authchart.${kit.clientId}.revocationOutbox`);
    expect(() => kit.user('nobody')).toThrow(/no user "nobody"/);
  });

  test('the given users are created: their passwords sign in, MFA users get their challenge', async () => {
    kit = await createTestAuth({
      users: [{ username: 'alice', password: 'Alice-pw-1!' }, { username: 'bob', mfa: 'SOFTWARE_TOKEN_MFA' }, { username: 'carol', permanent: false }],
      authFlow: 'USER_PASSWORD_AUTH',
    });
    expect(kit.users.map((u) => [u.username, u.mfa, u.permanent])).toEqual([
      ['alice', undefined, true],
      ['bob', 'SOFTWARE_TOKEN_MFA', true],
      ['carol', undefined, false],
    ]);
    expect(kit.user('alice').password).toBe('Alice-pw-1!');
    await expect(kit.auth.signIn({ username: 'alice', password: 'Alice-pw-1!' })).resolves.toMatchObject({ isSignedIn: true });
    await kit.auth.signOut();
    await expect(kit.auth.signIn({ username: 'bob', password: kit.user('bob').password })).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    await expect(kit.auth.confirmSignIn({ challengeResponse: kit.mfaCode('bob') })).resolves.toMatchObject({ isSignedIn: true });
    await kit.auth.signOut();
    await expect(kit.auth.signIn({ username: 'carol', password: kit.user('carol').password })).resolves.toMatchObject({
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' },
    });
  });

  test('client options: a client secret is wired into the auth (SECRET_HASH, RevokeToken)', async () => {
    kit = await createTestAuth({ client: { generateSecret: true } });
    expect(kit.clientSecret).toEqual(expect.any(String));
    await kit.driveTo('signedIn');
    await expect(kit.auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  });

  test('client options: token revocation off → tokens without origin_jti, RevokeToken skipped', async () => {
    kit = await createTestAuth({ client: { enableTokenRevocation: false } });
    await kit.driveTo('signedIn');
    expect(decodeJwtPayload(storedTokens(kit).accessToken)?.origin_jti).toBeUndefined();
    expect(decodeJwtPayload(storedTokens(kit).accessToken)).toMatchObject({ token_use: 'access' });
    kit.emulator.resetRequests();
    await expect(kit.auth.signOut()).resolves.toMatchObject({ type: 'partial', revokeTokenError: { name: 'TokenRevocationNotEnabled' } });
    expect(kit.emulator.requests).toEqual([]);
  });

  test('faults are applied per operation from the start, with times', async () => {
    kit = await createTestAuth({
      authFlow: 'USER_PASSWORD_AUTH',
      faults: { InitiateAuth: { fault: { type: 'error', name: 'NotAuthorizedException', message: 'Incorrect username or password.' }, times: 1 }, GetUser: { type: 'reset' } },
    });
    const { username, password } = kit.user();
    await expect(kit.auth.signIn({ username, password, authFlow: 'USER_PASSWORD_AUTH' })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(kit.auth.signIn({ username, password, authFlow: 'USER_PASSWORD_AUTH' })).resolves.toMatchObject({ isSignedIn: true });
    expect(kit.emulator.requests.map((r) => [r.operation, r.status, r.fault])).toEqual([
      ['InitiateAuth', 400, 'error'],
      ['InitiateAuth', 200, undefined],
    ]);
  });

  test('config passes through to createAuth (networkTimeoutMs bounds a user-set blackhole)', async () => {
    // Not too short: the helper's sign-in runs under the same deadline (an SRP round trip can take a few hundred ms).
    kit = await createTestAuth({ config: { networkTimeoutMs: 1000 }, authFlow: 'USER_PASSWORD_AUTH', faults: { RevokeToken: { type: 'blackhole' } } });
    await kit.driveTo('signedIn');
    await expect(kit.auth.signOut()).resolves.toMatchObject({ type: 'partial', revokeTokenError: { name: 'TimeoutError' } });
  });

  test('storage: inspectable, and can be made to fail', async () => {
    kit = await createTestAuth();
    await kit.driveTo('signedIn');
    expect(kit.storage.hasSession()).toBe(true);
    expect(kit.storage.outboxSize()).toBe(0);
    kit.storage.fail('getItem');
    expect(() => kit.storage.getItem(kit.storage.sessionKey)).toThrow(/injected/);
    kit.storage.heal();
    expect(kit.storage.getItem(kit.storage.sessionKey)).toEqual(expect.any(String));
  });
});

describe('driveTo', () => {
  test('the state names are typed and listed', () => {
    const all: TestAuthState[] = [...TEST_AUTH_STATES];
    expect(all).toEqual([
      'signedOut',
      'signedIn',
      'awaitingChallengeAnswer',
      'revoking',
      'signingOutGlobally.invalidatingSessions',
      'signingOutGlobally.revoking',
      'partial',
      'failed',
      'revokedButStored',
      'loadingSession',
      'clearingQueuedSession',
      'checkingStore',
      'finishingGlobalSignOut',
      'signingIn',
      'confirmingDevice',
      'revokingUnstored',
      'openingHostedUi',
      'completingRedirect',
      'recordingHostedUiSignOut',
      'openingLogout',
      'adoptingSession',
      'answeringChallenge',
      'signedIn.refreshing',
      'signedIn.refreshing.waitingForTurn',
      'signedIn.refreshing.lookingForTabsRefresh',
      'signedIn.refreshing.queueingRotatedToken',
      'endingSession',
      'confirmingClear',
    ]);
  });

  test('signedIn, then signedOut; signedIn is idempotent and switches users', async () => {
    kit = await createTestAuth({ users: [{ username: 'alice' }, { username: 'bob' }] });
    await expect(kit.driveTo('signedIn')).resolves.toMatchObject({ username: 'alice' });
    expect(kit.currentState()).toBe('signedIn.active');
    expect(kit.is('signedIn')).toBe(true);
    expect(kit.storage.hasSession()).toBe(true);
    kit.emulator.resetRequests();
    await kit.driveTo('signedIn');
    expect(kit.emulator.requests).toEqual([]); // already there: nothing done
    await expect(kit.driveTo('signedIn', { username: 'bob' })).resolves.toMatchObject({ username: 'bob' });
    expect(kit.auth.actor.getSnapshot().context.session?.username).toBe('bob');
    await expect(kit.driveTo('signedOut')).resolves.toBeUndefined();
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.storage.hasSession()).toBe(false);
  });

  test('signedIn with an MFA user passes the challenge with the emulator code', async () => {
    kit = await createTestAuth({ users: [{ username: 'sam', mfa: 'SMS_MFA' }] });
    await kit.driveTo('signedIn', { username: 'sam' });
    expect(kit.is('signedIn')).toBe(true);
  });

  test('awaitingChallengeAnswer: a TOTP user by default (created on demand); the code signs in', async () => {
    kit = await createTestAuth();
    const user = await kit.driveTo('awaitingChallengeAnswer');
    expect(user).toMatchObject({ username: 'totp-user', mfa: 'SOFTWARE_TOKEN_MFA' });
    expect(kit.users.map((u) => u.username)).toEqual(['test-user', 'totp-user']);
    expect(kit.currentState()).toBe('awaitingChallengeAnswer');
    expect(kit.is('awaitingChallengeAnswer')).toBe(true);
    expect(kit.auth.actor.getSnapshot().context.challenge?.name).toBe('SOFTWARE_TOKEN_MFA');
    await expect(kit.auth.confirmSignIn({ challengeResponse: kit.mfaCode(user.username) })).resolves.toMatchObject({ isSignedIn: true });
    // From a signed-in state too, and with the given TOTP user.
    await expect(kit.driveTo('awaitingChallengeAnswer')).resolves.toMatchObject({ username: 'totp-user' });
    expect(kit.users).toHaveLength(2);
  });

  test('awaitingChallengeAnswer uses a given TOTP user', async () => {
    kit = await createTestAuth({ users: [{ username: 'plain' }, { username: 'tina', mfa: 'SOFTWARE_TOKEN_MFA' }] });
    await expect(kit.driveTo('awaitingChallengeAnswer', { challenge: 'SOFTWARE_TOKEN_MFA' })).resolves.toMatchObject({ username: 'tina' });
    await expect(kit.driveTo('awaitingChallengeAnswer', { username: 'plain', challenge: 'SOFTWARE_TOKEN_MFA' })).rejects.toThrow(/went to DONE/);
  });

  test('awaitingChallengeAnswer for SMS_MFA and NEW_PASSWORD_REQUIRED', async () => {
    kit = await createTestAuth();
    await expect(kit.driveTo('awaitingChallengeAnswer', { challenge: 'SMS_MFA' })).resolves.toMatchObject({ username: 'sms-user', mfa: 'SMS_MFA' });
    expect([kit.currentState(), kit.auth.actor.getSnapshot().context.challenge?.name]).toEqual(['awaitingChallengeAnswer', 'SMS_MFA']);
    await expect(kit.driveTo('awaitingChallengeAnswer', { challenge: 'NEW_PASSWORD_REQUIRED' })).resolves.toMatchObject({ username: 'new-password-user', permanent: false });
    expect([kit.currentState(), kit.auth.actor.getSnapshot().context.challenge?.name]).toEqual(['awaitingChallengeAnswer', 'NEW_PASSWORD_REQUIRED']);
    await expect(kit.auth.confirmSignIn({ challengeResponse: 'A-new-pw-1!' })).resolves.toMatchObject({ isSignedIn: true });
  });

  test('revoking: held by a blackhole until release(); then complete', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('revoking');
    expect(kit.currentState()).toBe('signingOut.callingCognito.revoking');
    expect(kit.is('revoking')).toBe(true);
    expect(kit.emulator.requests.at(-1)).toEqual({ operation: 'RevokeToken', status: 'blackholed', fault: 'blackhole' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(kit.is('revoking')).toBe(true); // still held
    await expect(held.release()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    await expect(held.result).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.storage.hasSession()).toBe(false);
    expect(kit.storage.outboxSize()).toBe(0);
    await expect(kit.driveTo('signedIn')).resolves.toMatchObject({ username: 'test-user' }); // the kit is reusable
  });

  test('revoking: release(answer) answers the held call with a fault → partial', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('revoking');
    const result = await held.release({ type: 'error', name: 'UnsupportedOperationException', message: 'nope' });
    expect(result).toMatchObject({ type: 'partial', revokeTokenError: { name: 'UnsupportedOperationException' } });
    expect(kit.currentState()).toBe('signedOut');
  });

  test('driveTo refuses to leave a held sign-out that was not released', async () => {
    kit = await createTestAuth();
    await kit.driveTo('revoking');
    await expect(kit.driveTo('signedIn')).rejects.toThrow(/release\(\) it first/);
  });

  test('signingOutGlobally.invalidatingSessions: held; release → complete in one round trip', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('signingOutGlobally.invalidatingSessions');
    expect(kit.currentState()).toBe('signingOut.callingCognito.signingOutGlobally.invalidatingSessions');
    expect(kit.is('signingOutGlobally.invalidatingSessions')).toBe(true);
    const tokens = storedTokens(kit);
    await expect(held.release()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(kit.emulator.tokenRevoked(tokens.refreshToken)).toBe(true);
    expect(kit.emulator.requests.filter((r) => r.operation === 'RevokeToken')).toEqual([]);
  });

  test('signingOutGlobally.revoking: GlobalSignOut failed, RevokeToken held; release → partial', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('signingOutGlobally.revoking');
    expect(kit.currentState()).toBe('signingOut.callingCognito.signingOutGlobally.revoking');
    // The default fault is non-retryable (NotAuthorizedException): only then does RevokeToken follow.
    await expect(held.release()).resolves.toMatchObject({ type: 'partial', globalSignOutError: { name: 'NotAuthorizedException' }, finishedBy: 'nothing' });
  });

  test('signingOutGlobally.revoking refuses a retryable GlobalSignOut fault (the outbox would finish it, no RevokeToken)', async () => {
    kit = await createTestAuth();
    await expect(kit.driveTo('signingOutGlobally.revoking', { globalSignOutFault: { type: 'error', name: 'InternalErrorException' } })).rejects.toThrow(/non-retryable/);
  });

  test('partial (default fault, non-retryable): GlobalSignOut failed, RevokeToken followed and succeeded', async () => {
    kit = await createTestAuth();
    await kit.driveTo('signedIn');
    const tokens = storedTokens(kit);
    const result = await kit.driveTo('partial');
    expect(result).toMatchObject({ type: 'partial', signedOutLocally: true, finishedBy: 'nothing', globalSignOutError: { name: 'NotAuthorizedException', accessToken: tokens.accessToken } });
    expect(result.revokeTokenError).toBeUndefined();
    expect(kit.is('partial')).toBe(true);
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.emulator.tokenRevoked(tokens.refreshToken)).toBe(true);
    expect(kit.storage.outboxSize()).toBe(0);
  });

  test('partial (retryable fault): no RevokeToken, the intent is left to the outbox; the fault is cleared after', async () => {
    kit = await createTestAuth();
    await kit.driveTo('signedIn');
    const tokens = storedTokens(kit);
    const result = await kit.driveTo('partial', { globalSignOutFault: { type: 'error', name: 'TooManyRequestsException', status: 400 } });
    expect(result).toMatchObject({
      type: 'partial',
      signedOutLocally: true,
      finishedBy: 'outbox',
      globalSignOutError: { name: 'TooManyRequestsException', accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
    });
    expect(result.revokeTokenError).toBeUndefined();
    expect(kit.is('partial')).toBe(true);
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.emulator.requests.filter((r) => r.operation === 'RevokeToken')).toEqual([]);
    expect(kit.emulator.tokenRevoked(tokens.refreshToken)).toBe(false);
    expect(kit.storage.outboxSize()).toBe(1);
    // The fault is cleared: the outbox finishes the intent. (Signing in first would race its backoff:
    // the GlobalSignOut landing would end the new session too, KB6.)
    await expect(kit.auth.flushRevocations()).resolves.toMatchObject({ pending: 0 });
    expect(kit.emulator.tokenRevoked(tokens.refreshToken)).toBe(true);
    await kit.driveTo('signedIn');
    await expect(kit.auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  });

  test('failed: storage cannot be cleared after RevokeToken succeeded → revokedButStored', async () => {
    kit = await createTestAuth();
    await kit.driveTo('signedIn');
    const tokens = storedTokens(kit);
    const result = await kit.driveTo('failed');
    expect(result).toMatchObject({ type: 'failed', signedOutLocally: false, error: { name: 'StorageError' } });
    expect(kit.is('failed')).toBe(true);
    expect(kit.is('revokedButStored')).toBe(true);
    expect(kit.is('signedIn')).toBe(false);
    expect(kit.currentState()).toBe('revokedButStored');
    expect(kit.storage.hasSession()).toBe(true);
    expect(kit.emulator.tokenRevoked(tokens.refreshToken)).toBe(true);
    await expect(kit.auth.getSession()).rejects.toMatchObject({ name: 'RevokedSessionNotCleared' });
    await expect(kit.driveTo('signedOut')).resolves.toBeUndefined(); // storage healed: the next signOut() retries the clear
    expect(kit.storage.hasSession()).toBe(false);
  });

  test('revokedButStored: the same, by the engine state name; signedIn leaves it', async () => {
    kit = await createTestAuth();
    const result = await kit.driveTo('revokedButStored');
    expect(result).toMatchObject({ type: 'failed', error: { name: 'StorageError' } });
    expect(kit.currentState()).toBe('revokedButStored');
    await expect(kit.driveTo('signedIn')).resolves.toMatchObject({ username: 'test-user' });
    expect(kit.currentState()).toBe('signedIn.active');
  });

  test('an unknown state is refused', async () => {
    kit = await createTestAuth();
    await expect(kit.driveTo('nowhere' as TestAuthState)).rejects.toThrow(/unknown state "nowhere"/);
  });
});

/** Resolves after `ms`: a held state must still be held then. */
const pause = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

describe('driveTo: the transient states, held until release()', () => {
  test('signingIn: InitiateAuth held; release → signed in', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('signingIn');
    expect(held.user).toMatchObject({ username: 'test-user' });
    expect(kit.currentState()).toBe('signingIn');
    expect(kit.is('signingIn')).toBe(true);
    expect(kit.emulator.requests.at(-1)).toEqual({ operation: 'InitiateAuth', status: 'blackholed', fault: 'blackhole' });
    await pause();
    expect(kit.is('signingIn')).toBe(true);
    await expect(held.release()).resolves.toMatchObject({ isSignedIn: true });
    await expect(held.result).resolves.toMatchObject({ isSignedIn: true });
    expect(kit.currentState()).toBe('signedIn.active');
    expect(kit.storage.hasSession()).toBe(true);
    await expect(kit.driveTo('signedOut')).resolves.toBeUndefined(); // the kit is reusable
  });

  test('signingIn: release(answer) answers InitiateAuth with a fault → the sign-in rejects, signedOut', async () => {
    kit = await createTestAuth({ authFlow: 'USER_PASSWORD_AUTH' });
    const held = await kit.driveTo('signingIn');
    await expect(held.release({ type: 'error', name: 'NotAuthorizedException', message: 'Incorrect username or password.' })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(held.result).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(kit.currentState()).toBe('signedOut');
    await expect(kit.driveTo('signedIn')).resolves.toMatchObject({ username: 'test-user' }); // the fault is cleared
  });

  test('finishingGlobalSignOut: a queued global sign-out\'s GlobalSignOut held; release → it lands and the sign-in goes on; release(a throttle) → refused, still queued', async () => {
    kit = await createTestAuth({ authFlow: 'USER_PASSWORD_AUTH' });
    let held = await kit.driveTo('finishingGlobalSignOut');
    expect(kit.currentState()).toBe('finishingGlobalSignOut');
    expect(kit.emulator.requests.at(-1)).toEqual({ operation: 'GlobalSignOut', status: 'blackholed', fault: 'blackhole' });
    await expect(held.release({ type: 'error', name: 'TooManyRequestsException', message: 'Rate exceeded' })).rejects.toMatchObject({ name: 'GlobalSignOutPendingException' });
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.emulator.requests.filter((request) => request.operation === 'InitiateAuth')).toHaveLength(1); // the drive's own sign-in: the refused one sent none
    held = await kit.driveTo('finishingGlobalSignOut');
    await expect(held.release()).resolves.toMatchObject({ isSignedIn: true });
    expect(kit.currentState()).toBe('signedIn.active');
  });

  test('answeringChallenge: a TOTP user (created on demand) answers, RespondToAuthChallenge held; release → signed in', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('answeringChallenge');
    expect(held.user).toMatchObject({ username: 'totp-user', mfa: 'SOFTWARE_TOKEN_MFA' });
    expect(kit.currentState()).toBe('answeringChallenge');
    expect(kit.emulator.requests.at(-1)).toEqual({ operation: 'RespondToAuthChallenge', status: 'blackholed', fault: 'blackhole' });
    await pause();
    expect(kit.is('answeringChallenge')).toBe(true);
    await expect(held.release()).resolves.toMatchObject({ isSignedIn: true });
    expect(kit.currentState()).toBe('signedIn.active');
    expect(kit.auth.actor.getSnapshot().context.session?.username).toBe('totp-user');
  });

  test('answeringChallenge with a FORCE_CHANGE_PASSWORD user: the new password is held, then kept in kit.users', async () => {
    kit = await createTestAuth({ users: [{ username: 'carol', permanent: false }] });
    const held = await kit.driveTo('answeringChallenge', { username: 'carol' });
    expect(kit.currentState()).toBe('answeringChallenge');
    await expect(held.release()).resolves.toMatchObject({ isSignedIn: true });
    expect(kit.user('carol')).toMatchObject({ permanent: true });
    await kit.driveTo('signedOut');
    await expect(kit.driveTo('signedIn', { username: 'carol' })).resolves.toMatchObject({ username: 'carol' });
  });

  test('signedIn.refreshing: the forced refresh held; release → new session, signedIn.active', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('signedIn.refreshing');
    expect(held.user).toMatchObject({ username: 'test-user' });
    expect(kit.currentState()).toBe('signedIn.refreshing.refreshingTokens');
    expect(kit.is('signedIn.refreshing')).toBe(true);
    expect(kit.is('signedIn')).toBe(true);
    await pause();
    expect(kit.is('signedIn.refreshing')).toBe(true);
    const session = await held.release();
    expect(session).toMatchObject({ username: 'test-user', tokens: { accessToken: expect.any(String) } });
    expect(kit.currentState()).toBe('signedIn.active');
  });

  test('signedIn.refreshing: release(NotAuthorizedException) ends the session → signedOut, the refresh answers {}', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('signedIn.refreshing');
    await expect(held.release({ type: 'error', name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' })).resolves.toEqual({});
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.storage.hasSession()).toBe(false);
  });

  test('signedIn.refreshing.waitingForTurn: another tab holds the refresh lock; release → the refresh goes on, InitiateAuth once', async () => {
    kit = await createTestAuth({ config: { syncTabs: true } });
    const held = await kit.driveTo('signedIn.refreshing.waitingForTurn');
    expect(kit.currentState()).toBe('signedIn.refreshing.waitingForTurn');
    kit.emulator.resetRequests();
    await pause();
    expect(kit.currentState()).toBe('signedIn.refreshing.waitingForTurn'); // it waits: no request while the lease is held
    expect(kit.emulator.requests.map((r) => r.operation)).toEqual([]);
    await expect(held.release()).resolves.toMatchObject({ username: 'test-user' });
    expect(kit.emulator.requests.map((r) => r.operation)).toEqual(['InitiateAuth']);
    expect(kit.currentState()).toBe('signedIn.active');
  });

  test('signedIn.refreshing.lookingForTabsRefresh: the read of the store held; release → nothing newer there, so it refreshes', async () => {
    kit = await createTestAuth({ config: { syncTabs: true } });
    const held = await kit.driveTo('signedIn.refreshing.lookingForTabsRefresh');
    expect(kit.currentState()).toBe('signedIn.refreshing.lookingForTabsRefresh');
    await expect(held.release()).resolves.toMatchObject({ username: 'test-user' });
    expect(kit.currentState()).toBe('signedIn.active');
  });

  test('signedIn.refreshing.queueingRotatedToken: the rotated session unstorable, the outbox’s write held; release → StorageError, still signed in, the new refresh token queued', async () => {
    kit = await createTestAuth({ client: { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } }, config: { refreshTokenRotation: true } });
    const held = await kit.driveTo('signedIn.refreshing.queueingRotatedToken');
    expect(kit.currentState()).toBe('signedIn.refreshing.queueingRotatedToken');
    await expect(held.release()).rejects.toMatchObject({ name: 'StorageError' });
    expect(kit.currentState()).toBe('signedIn.active');
    expect(kit.storage.outboxSize()).toBe(1);
  });

  test('revokingUnstored: a sign-in whose session cannot be stored, the outbox’s write of its revocation held; release → StorageError, signed out, the refresh token revoked', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('revokingUnstored');
    expect(kit.currentState()).toBe('revokingUnstored');
    kit.emulator.resetRequests();
    await expect(held.release()).rejects.toMatchObject({ name: 'StorageError' });
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.storage.hasSession()).toBe(false);
    expect(kit.emulator.requests.filter((r) => r.operation === 'RevokeToken' && r.status === 200)).toHaveLength(1);
    expect(kit.storage.outboxSize()).toBe(0);
  });

  test('the turn-taking states need tabs that share the storage: without syncTabs, driveTo says so', async () => {
    kit = await createTestAuth();
    await expect(kit.driveTo('signedIn.refreshing.waitingForTurn')).rejects.toThrow('needs createTestAuth({ config: { syncTabs: true } })');
  });

  test('clearingQueuedSession: a restart over a session whose sign-out did not end, its clear held; release → signedOut, the intent still queued', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('clearingQueuedSession');
    expect(kit.currentState()).toBe('clearingQueuedSession');
    expect(kit.storage.hasSession()).toBe(true);
    await expect(held.release()).resolves.toBe('signedOut');
    expect(kit.storage.hasSession()).toBe(false);
    expect(kit.storage.outboxSize()).toBe(1);
  });

  test('confirmingClear: the ended session’s clear failed, its read-back held; release → still stored, so revokedButStored', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('confirmingClear');
    expect(kit.currentState()).toBe('confirmingClear');
    await expect(held.release()).rejects.toMatchObject({ name: 'RevokedSessionNotCleared' });
    expect(kit.currentState()).toBe('revokedButStored');
    expect(kit.storage.hasSession()).toBe(true);
  });

  test('endingSession: the refresh refused, the clear held on removeItem; release → signedOut, storage empty', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('endingSession');
    expect(kit.currentState()).toBe('endingSession');
    expect(kit.is('endingSession')).toBe(true);
    expect(kit.storage.hasSession()).toBe(true);
    expect(kit.storage.getItem(kit.storage.sessionKey)).toEqual(expect.any(String)); // the kit's own calls are never held
    await pause();
    expect(kit.is('endingSession')).toBe(true);
    await expect(held.release()).resolves.toEqual({});
    await expect(held.result).resolves.toEqual({});
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.storage.hasSession()).toBe(false);
    await expect(kit.driveTo('signedIn')).resolves.toMatchObject({ username: 'test-user' }); // the refresh fault is cleared
  });

  test('endingSession: storage.fail(removeItem) before release → revokedButStored', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('endingSession');
    kit.storage.fail('removeItem');
    await expect(held.release()).rejects.toMatchObject({ name: 'RevokedSessionNotCleared' });
    expect(kit.currentState()).toBe('revokedButStored');
    kit.storage.heal();
    await expect(kit.driveTo('signedOut')).resolves.toBeUndefined();
    expect(kit.storage.hasSession()).toBe(false);
  });

  test('loadingSession: an app restart held on the read of the stored session; release → signedIn.active', async () => {
    kit = await createTestAuth();
    await kit.driveTo('signedIn');
    const before = kit.auth;
    const held = await kit.driveTo('loadingSession');
    expect(kit.auth).not.toBe(before);
    expect(held.auth).toBe(kit.auth);
    expect(kit.currentState()).toBe('loadingSession');
    expect(kit.is('loadingSession')).toBe(true);
    await expect(before.getSession()).rejects.toBeInstanceOf(AuthStoppedError);
    const session = kit.auth.getSession(); // waits (deferred) for the load
    await pause();
    expect(kit.is('loadingSession')).toBe(true);
    await expect(held.release()).resolves.toBe('signedIn.active');
    await expect(session).resolves.toMatchObject({ username: 'test-user' });
    expect(kit.currentState()).toBe('signedIn.active');
  });

  test('loadingSession with nothing stored → signedOut; driveTo refuses to leave it before release()', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('loadingSession');
    await expect(kit.driveTo('signedIn')).rejects.toThrow(/release\(\) it first/);
    await expect(held.release()).resolves.toBe('signedOut');
    await expect(kit.driveTo('signedIn')).resolves.toMatchObject({ username: 'test-user' });
  });

  test('checkingStore: a signOut() with nobody signed in, its read of the store held; release → complete', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('checkingStore');
    expect(kit.currentState()).toBe('checkingStore');
    expect(kit.is('checkingStore')).toBe(true);
    await pause();
    expect(kit.is('checkingStore')).toBe(true);
    await expect(held.release()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    await expect(held.result).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(kit.currentState()).toBe('signedOut');
  });

  test('checkingStore: a session stored meanwhile (another instance) is signed out before the answer', async () => {
    kit = await createTestAuth();
    await kit.driveTo('signedIn');
    const stored = kit.storage.items.get(kit.storage.sessionKey)!;
    kit.storage.removeItem(kit.storage.sessionKey); // this instance forgets it…
    await kit.restart();
    expect(kit.currentState()).toBe('signedOut');
    const held = await kit.driveTo('checkingStore');
    kit.storage.setItem(kit.storage.sessionKey, stored); // …and "another instance" signs in
    kit.emulator.resetRequests();
    await expect(held.release()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(kit.emulator.requests.map((r) => r.operation)).toContain('RevokeToken');
    expect(kit.storage.hasSession()).toBe(false);
    expect(kit.currentState()).toBe('signedOut');
  });

  test('restart(): a new instance reads the stored session', async () => {
    kit = await createTestAuth();
    await kit.driveTo('signedIn');
    const before = kit.auth;
    await kit.restart();
    expect(kit.auth).not.toBe(before);
    expect(kit.currentState()).toBe('signedIn.active');
    await expect(kit.auth.getSession()).resolves.toMatchObject({ username: 'test-user' });
  });

  test('close() ends a held transient state: its pending call rejects with AuthStoppedError', async () => {
    kit = await createTestAuth();
    const signingIn = await kit.driveTo('signingIn');
    await kit.close();
    await expect(signingIn.result).rejects.toBeInstanceOf(AuthStoppedError);
    kit = await createTestAuth();
    const loading = await kit.driveTo('loadingSession');
    await kit.close();
    await expect(loading.result).rejects.toBeInstanceOf(AuthStoppedError);
  });
});

describe('close', () => {
  test('stops the auth and the emulator; a held sign-out rejects; idempotent', async () => {
    kit = await createTestAuth();
    const held = await kit.driveTo('revoking');
    const port = Number(new URL(kit.emulator.endpoint).port);
    await kit.close();
    await expect(held.result).rejects.toBeInstanceOf(AuthStoppedError);
    await expect(kit.auth.signOut()).rejects.toMatchObject({ name: 'AuthStoppedError' });
    await expect(kit.driveTo('signedIn')).rejects.toThrow(/closed/);
    await kit.close();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => (socket.destroy(), resolve(false)));
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  test('a held sign-out never awaited does not surface as an unhandled rejection', async () => {
    kit = await createTestAuth();
    await kit.driveTo('signingOutGlobally.invalidatingSessions');
    await kit.close();
  });
});

test('the kit configures the app client for the hosted UI: callback and sign-out URLs, scopes, providers', async () => {
  const kit = await createTestAuth({ client: { callbackUrls: ['http://localhost:3000/callback'], logoutUrls: ['http://localhost:3000/bye'], allowedOAuthScopes: ['openid', 'email'] } });
  try {
    const [user] = kit.users;
    const tokens = await hostedUiTokens(kit.emulator.endpoint, { clientId: kit.clientId, username: user!.username, password: user!.password }, 'http://localhost:3000/callback', 'openid email');
    expect(tokens.access_token).toEqual(expect.any(String));
    // A scope the client does not allow is refused by the emulator's authorize endpoint.
    await expect(hostedUiTokens(kit.emulator.endpoint, { clientId: kit.clientId, username: user!.username, password: user!.password }, 'http://localhost:3000/callback', 'openid aws.cognito.signin.user.admin')).rejects.toThrow();
  } finally {
    await kit.close();
  }
});

describe('hostedUi', () => {
  test('registers the callback and sign-out URLs and passes oauth to createAuth: signInWithRedirect() signs the first user in at the hosted UI', async () => {
    kit = await createTestAuth({ hostedUi: { scopes: ['openid', 'email', 'aws.cognito.signin.user.admin'] }, client: { callbackUrls: ['http://localhost:3000/callback'] } });
    expect(kit.oauth).toEqual({ redirectSignIn: 'http://localhost/authchart-testing/callback', redirectSignOut: 'http://localhost/authchart-testing/signed-out' });
    expect(kit.hostedUiUser).toBeUndefined();
    await expect(kit.auth.signInWithRedirect()).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(kit.currentState()).toBe('signedIn.active');
    await expect(kit.auth.getSession()).resolves.toMatchObject({ username: 'test-user' });
    expect(kit.storage.items.has(`authchart.${kit.clientId}.pendingSignIn`)).toBe(false);
    // The URLs given in `client` are kept: the app's own hosted-UI sign-in still works.
    const user = kit.user();
    await expect(hostedUiTokens(kit.emulator.endpoint, { clientId: kit.clientId, username: user.username, password: user.password }, 'http://localhost:3000/callback', 'openid')).resolves.toMatchObject({ access_token: expect.any(String) });
  });

  test('kit.hostedUiUser chooses who signs in at the hosted UI', async () => {
    kit = await createTestAuth({ hostedUi: true, users: [{ username: 'alice' }, { username: 'bob' }] });
    kit.hostedUiUser = 'bob';
    await expect(kit.auth.signInWithRedirect()).resolves.toMatchObject({ isSignedIn: true });
    await expect(kit.auth.getSession()).resolves.toMatchObject({ username: 'bob' });
  });

  test('without hostedUi: no oauth config, and the hosted-UI states say what is missing', async () => {
    kit = await createTestAuth();
    expect(kit.oauth).toBeUndefined();
    await expect(kit.auth.signInWithRedirect()).rejects.toMatchObject({ name: 'AuthConfigError' });
    await expect(kit.driveTo('openingHostedUi')).rejects.toThrow(/hostedUi: true/);
    await expect(kit.driveTo('completingRedirect')).rejects.toThrow(/hostedUi: true/);
  });

  test('openingHostedUi: the opener held; release → signed in at the hosted UI', async () => {
    kit = await createTestAuth({ hostedUi: true });
    const held = await kit.driveTo('openingHostedUi');
    expect(held.user).toMatchObject({ username: 'test-user' });
    expect(new URL(held.url).pathname).toBe('/oauth2/authorize');
    expect(kit.currentState()).toBe('openingHostedUi');
    expect(kit.auth.actor.getSnapshot().value).toBe('openingHostedUi');
    expect(kit.storage.items.has(`authchart.${kit.clientId}.pendingSignIn`)).toBe(true);
    await pause();
    expect(kit.is('openingHostedUi')).toBe(true);
    await expect(held.release()).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await expect(held.result).resolves.toMatchObject({ isSignedIn: true });
    expect(kit.currentState()).toBe('signedIn.active');
    expect(kit.storage.hasSession()).toBe(true);
    await expect(kit.driveTo('signedOut')).resolves.toBeUndefined(); // the kit is reusable
  });

  test('completingRedirect: the read of the pending sign-in held; release → the code exchanged, signed in', async () => {
    kit = await createTestAuth({ hostedUi: true, users: [{ username: 'alice' }, { username: 'bob' }] });
    const held = await kit.driveTo('completingRedirect', { username: 'bob' });
    expect(held.user).toMatchObject({ username: 'bob' });
    expect(kit.hostedUiUser).toBe('bob');
    expect(kit.currentState()).toBe('completingRedirect');
    await pause();
    expect(kit.is('completingRedirect')).toBe(true);
    expect(kit.storage.hasSession()).toBe(false);
    await expect(held.release()).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(kit.currentState()).toBe('signedIn.active');
    await expect(kit.auth.getSession()).resolves.toMatchObject({ username: 'bob' });
    expect(kit.storage.items.has(`authchart.${kit.clientId}.pendingSignIn`)).toBe(false);
  });

  test('recordingHostedUiSignOut: the device cleared, the pending record write held; release → /logout, complete', async () => {
    kit = await createTestAuth({ hostedUi: true });
    const held = await kit.driveTo('recordingHostedUiSignOut');
    expect(kit.currentState()).toBe('recordingHostedUiSignOut');
    expect(kit.storage.hasSession()).toBe(false);
    await pause();
    expect(kit.is('recordingHostedUiSignOut')).toBe(true);
    await expect(kit.auth.getSession()).resolves.toEqual({}); // nobody is signed in here any more
    await expect(held.release()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(kit.currentState()).toBe('signedOut');
    expect(kit.storage.items.has(`authchart.${kit.clientId}.pendingSignOut`)).toBe(false);
  });

  test('openingLogout: the opener held on the /logout URL; release → back at the sign-out URL, complete', async () => {
    kit = await createTestAuth({ hostedUi: true });
    const held = await kit.driveTo('openingLogout');
    const url = new URL(held.url);
    expect([url.pathname, url.searchParams.get('client_id'), url.searchParams.get('logout_uri')]).toEqual(['/logout', kit.clientId, kit.oauth!.redirectSignOut]);
    expect(kit.currentState()).toBe('openingLogout');
    await expect(held.release()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    await expect(kit.driveTo('signedIn')).resolves.toMatchObject({ username: 'test-user' }); // the kit is reusable
  });

  test('close() ends a held hosted-UI state: its pending call rejects with AuthStoppedError', async () => {
    kit = await createTestAuth({ hostedUi: true });
    const opening = await kit.driveTo('openingHostedUi');
    await kit.close();
    await expect(opening.result).rejects.toBeInstanceOf(AuthStoppedError);
    kit = await createTestAuth({ hostedUi: true });
    const completing = await kit.driveTo('completingRedirect');
    await kit.close();
    await expect(completing.result).rejects.toBeInstanceOf(AuthStoppedError);
  });
});
