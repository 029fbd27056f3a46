// A worked example, written the way an app developer would: a tiny view-model over authchart,
// tested in every state the testing kit can put the engine in. It imports only what an app
// imports: 'authchart' and 'authchart/testing' (here through ../src).
import type { Auth, SignOutResult } from '../src/index';
import { createTestAuth, type TestAuth } from '../src/testing/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// ---- the "app" -------------------------------------------------------------------------------

interface AuthView {
  status: string;
  signOutButton: { label: string; disabled: boolean } | null;
  codeInput: boolean;
  warning?: string;
}

/** What the header of the app shows, from the statechart and the last sign-out result. */
function authView(auth: Auth, lastSignOut?: SignOutResult): AuthView {
  const snapshot = auth.actor.getSnapshot();
  const username = snapshot.context.session?.username;
  if (snapshot.matches('signingOut')) return { status: 'Signing out…', signOutButton: { label: 'Signing out…', disabled: true }, codeInput: false };
  if (snapshot.matches('awaitingChallengeAnswer')) {
    const challenge = snapshot.context.challenge?.name;
    if (challenge === 'NEW_PASSWORD_REQUIRED') return { status: 'Choose a new password', signOutButton: null, codeInput: false };
    return { status: challenge === 'SMS_MFA' ? 'Enter the code we texted you' : 'Enter the code from your authenticator app', signOutButton: null, codeInput: true };
  }
  // The server calls killed the tokens, but this device could not forget them: signOut() again clears it.
  if (snapshot.matches('revokedButStored')) {
    return { status: 'Signed out on the server', signOutButton: { label: 'Sign out', disabled: false }, codeInput: false, warning: 'We could not sign you out on this device. Try again.' };
  }
  if (snapshot.matches('signedIn')) {
    const view: AuthView = { status: `Signed in as ${username}`, signOutButton: { label: 'Sign out', disabled: false }, codeInput: false };
    if (lastSignOut?.type === 'failed') view.warning = 'We could not sign you out on this device. Try again.';
    return view;
  }
  if (snapshot.matches('signedOut')) {
    const view: AuthView = { status: 'Signed out', signOutButton: null, codeInput: false };
    if (lastSignOut?.type === 'partial' && lastSignOut.globalSignOutError) view.warning = 'Signed out here. Your other devices may still be signed in.';
    else if (lastSignOut?.type === 'partial') view.warning = 'Signed out here. We will finish signing you out when you are back online.';
    return view;
  }
  return { status: 'Loading…', signOutButton: null, codeInput: false };
}

// ---- the tests ---------------------------------------------------------------------------------

let kit: TestAuth;
beforeEach(async () => {
  kit = await createTestAuth({ users: [{ username: 'alice' }, { username: 'totp-alice', mfa: 'SOFTWARE_TOKEN_MFA' }] });
});
afterEach(() => kit.close());

test('signed out', async () => {
  await kit.driveTo('signedOut');
  expect(authView(kit.auth)).toEqual({ status: 'Signed out', signOutButton: null, codeInput: false });
});

test('signed in', async () => {
  await kit.driveTo('signedIn');
  expect(authView(kit.auth)).toEqual({ status: 'Signed in as alice', signOutButton: { label: 'Sign out', disabled: false }, codeInput: false });
});

test('waiting for the TOTP code, then signed in once it is typed', async () => {
  const user = await kit.driveTo('awaitingChallengeAnswer', { challenge: 'SOFTWARE_TOKEN_MFA' });
  expect(authView(kit.auth)).toMatchObject({ status: 'Enter the code from your authenticator app', codeInput: true, signOutButton: null });
  await kit.auth.confirmSignIn({ challengeResponse: kit.mfaCode(user.username) });
  expect(authView(kit.auth).status).toBe('Signed in as totp-alice');
});

test('waiting for the SMS code', async () => {
  await kit.driveTo('awaitingChallengeAnswer', { challenge: 'SMS_MFA' });
  expect(authView(kit.auth)).toMatchObject({ status: 'Enter the code we texted you', codeInput: true });
});

test('waiting for a new password', async () => {
  await kit.driveTo('awaitingChallengeAnswer', { challenge: 'NEW_PASSWORD_REQUIRED' });
  expect(authView(kit.auth).status).toBe('Choose a new password');
});

test('while the sign-out revokes the token, the button is disabled; then signed out', async () => {
  const held = await kit.driveTo('revoking');
  expect(authView(kit.auth).signOutButton).toEqual({ label: 'Signing out…', disabled: true });
  const result = await held.release();
  expect(authView(kit.auth, result)).toEqual({ status: 'Signed out', signOutButton: null, codeInput: false });
});

test('while a global sign-out invalidates the sessions, the button is disabled too', async () => {
  const held = await kit.driveTo('signingOutGlobally.invalidatingSessions');
  expect(authView(kit.auth).status).toBe('Signing out…');
  const result = await held.release();
  expect(authView(kit.auth, result).warning).toBeUndefined();
});

test('revocation answered with an error: signed out here, finished later', async () => {
  const held = await kit.driveTo('revoking');
  const result = await held.release({ type: 'httpStatus', status: 503 });
  expect(authView(kit.auth, result)).toMatchObject({ status: 'Signed out', warning: 'Signed out here. We will finish signing you out when you are back online.' });
});

test('a global sign-out that half failed warns about the other devices', async () => {
  const result = await kit.driveTo('partial');
  expect(authView(kit.auth, result)).toEqual({
    status: 'Signed out',
    signOutButton: null,
    codeInput: false,
    warning: 'Signed out here. Your other devices may still be signed in.',
  });
});

test('a sign-out that could not clear the device (tokens revoked): a warning and a button to try again', async () => {
  const result = await kit.driveTo('failed');
  expect(kit.currentState()).toBe('revokedButStored');
  expect(authView(kit.auth, result)).toMatchObject({ status: 'Signed out on the server', signOutButton: { label: 'Sign out', disabled: false }, warning: expect.stringMatching(/could not sign you out/) });
  // Trying again (storage healed by the kit) clears the device.
  const again = await kit.auth.signOut();
  expect(authView(kit.auth, again)).toEqual({ status: 'Signed out', signOutButton: null, codeInput: false });
});

test('a sign-out whose server call and clear both failed keeps the user signed in, with a warning', async () => {
  await kit.driveTo('signedIn');
  kit.faults.set('RevokeToken', { type: 'error', name: 'UnsupportedOperationException', message: 'injected' });
  kit.storage.fail('removeItem');
  const result = await kit.auth.signOut();
  kit.storage.heal('removeItem');
  expect(result).toMatchObject({ type: 'failed' });
  expect(kit.currentState()).toBe('signedIn.active');
  expect(authView(kit.auth, result)).toMatchObject({ status: 'Signed in as alice', signOutButton: { label: 'Sign out', disabled: false }, warning: expect.stringMatching(/could not sign you out/) });
});
