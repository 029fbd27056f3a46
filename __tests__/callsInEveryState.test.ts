// Generated, not hand-picked: for every atomic state of the auth machine (read from its
// definition) and every public method, a real instance over real HTTP is held in that state by the
// testing kit (authchart/testing: kit.driveTo), the method is called, the hold is released, and the
// call must settle: a result, or a typed AuthError. A call that no state answers hangs, and the
// test fails at its timeout. A state added to the machine without a kit state that holds it fails
// the coverage check first.
import { authMachine } from '../machines/authMachine';
import { atomicStates, CALLS, pathOf } from '../scripts/diagrams/calls';
import { AuthError, type SignOutResult } from '../src/index';
import { createTestAuth, type TestAuth, type TestAuthState } from '../src/testing/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The kit state that holds each atomic state of the auth machine. */
const HOLDERS: Record<string, TestAuthState> = {
  loadingSession: 'loadingSession', // an app restart, its read of the stored session held
  clearingQueuedSession: 'clearingQueuedSession', // a restart over a session whose sign-out did not end, its clear held
  signedOut: 'signedOut',
  checkingStore: 'checkingStore', // a signOut() with nobody signed in, its read of the store held
  finishingGlobalSignOut: 'finishingGlobalSignOut', // a global sign-out queued (throttled); the sign-in's GlobalSignOut of it held
  signingIn: 'signingIn', // InitiateAuth held
  confirmingDevice: 'confirmingDevice', // a pool that tracks devices; the new device's ConfirmDevice held
  revokingUnstored: 'revokingUnstored', // a session that cannot be stored; the outbox's write of its revocation held
  openingHostedUi: 'openingHostedUi', // the kit's opener held (the user "at the hosted UI")
  completingRedirect: 'completingRedirect', // back with a code, the read of the pending sign-in held
  recordingHostedUiSignOut: 'recordingHostedUiSignOut', // a hosted-UI session signed out, the pending sign-out's write held
  openingLogout: 'openingLogout', // the same, the kit's opener held on /logout
  adoptingSession: 'adoptingSession', // "another tab signed in": the re-read of the store held
  awaitingChallengeAnswer: 'awaitingChallengeAnswer', // a TOTP user's sign-in, waiting for the code
  answeringChallenge: 'answeringChallenge', // a TOTP code's RespondToAuthChallenge held
  'signedIn.active': 'signedIn',
  'signedIn.refreshing.refreshingTokens': 'signedIn.refreshing', // the forced refresh held
  // Tabs share the storage (syncTabs): in Node the refresh lock is a storage lease.
  'signedIn.refreshing.waitingForTurn': 'signedIn.refreshing.waitingForTurn', // "another tab" holds the lease
  'signedIn.refreshing.lookingForTabsRefresh': 'signedIn.refreshing.lookingForTabsRefresh', // the turn began; the read of the store held
  'signedIn.refreshing.queueingRotatedToken': 'signedIn.refreshing.queueingRotatedToken', // a rotating client, the session unstorable; the outbox's write held
  endingSession: 'endingSession', // refresh refused, the clear held on removeItem
  confirmingClear: 'confirmingClear', // the same clear failed, its read-back held
  revokedButStored: 'revokedButStored',
  signingOut: 'revoking', // RevokeToken held
};

/** Holds `kit` in the kit state; the function lets it move on (a no-op for the states that rest). */
async function hold(kit: TestAuth, state: TestAuthState): Promise<() => void> {
  const held: unknown = await kit.driveTo(state);
  const handle = held as { release?: () => Promise<unknown> } | undefined;
  // The held call itself may be refused by what the call under test did (e.g. a sign-out overtaking a refresh).
  return typeof handle?.release === 'function' ? () => void handle.release!().catch(() => {}) : () => {};
}

const PARTIAL: SignOutResult = { type: 'partial', signedOutLocally: true, revokeTokenError: { name: 'NetworkError', message: 'offline', refreshToken: 'not-a-token' }, finishedBy: 'retrySignOut' };
const CALLERS: Record<(typeof CALLS)[number][0], (kit: TestAuth) => Promise<unknown>> = {
  signIn: (kit) => kit.auth.signIn({ username: kit.user().username, password: kit.user().password, authFlow: 'USER_PASSWORD_AUTH' }),
  confirmSignIn: (kit) => kit.auth.confirmSignIn({ challengeResponse: '123456' }),
  getSession: (kit) => kit.auth.getSession(),
  signOut: (kit) => kit.auth.signOut(),
  retrySignOut: (kit) => kit.auth.retrySignOut(PARTIAL),
  flushRevocations: (kit) => kit.auth.flushRevocations(),
  signInWithRedirect: (kit) => kit.auth.signInWithRedirect(), // the kit's opener: an auth session that signs the first user in
  handleRedirect: (kit) => kit.auth.handleRedirect(`${kit.oauth!.redirectSignIn}?code=not-a-code&state=not-the-state`),
};

const states = atomicStates(authMachine).map(pathOf);

test('every state of the auth machine can be held by the kit', () => {
  expect(Object.keys(HOLDERS).sort()).toEqual([...states].sort());
});

describe.each(states)('in %s', (state) => {
  let kit: TestAuth | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  test.each(CALLS.map(([method]) => method))('%s() settles with a result or a typed AuthError', async (method) => {
    const syncTabs = state.startsWith('signedIn.refreshing.') && state !== 'signedIn.refreshing.refreshingTokens' && state !== 'signedIn.refreshing.queueingRotatedToken';
    const rotating = state === 'signedIn.refreshing.queueingRotatedToken';
    kit = await createTestAuth({
      hostedUi: true,
      authFlow: 'USER_PASSWORD_AUTH',
      ...(rotating && { client: { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } } }),
      ...(state === 'confirmingDevice' && { userPool: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true } } }),
      config: { networkTimeoutMs: 5000, revocationOutbox: { retryBaseMs: 600_000 }, syncTabs, refreshTokenRotation: rotating },
    });
    const release = await hold(kit, HOLDERS[state]!);
    expect(kit.auth.actor.getSnapshot().matches(state as never)).toBe(true);
    const settled = CALLERS[method](kit).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    release();
    const outcome = await settled;
    if (!outcome.ok) {
      expect(outcome.error).toBeInstanceOf(AuthError);
      expect((outcome.error as AuthError).name).not.toBe('Error');
    }
  });
});
