// Every sign-in path and challenge through createAuth, the real SDK and the emulator:
// SRP (the default) and USER_PASSWORD_AUTH, with and without a client secret, NEW_PASSWORD_REQUIRED,
// SOFTWARE_TOKEN_MFA and SMS_MFA, wrong answers, and bad input.
import { createAuth, type Auth, type AuthHubEvent } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: CognitoEmulator;
const auths: Auth[] = [];
beforeAll(async () => (emu = await startCognitoEmulator()));
afterAll(async () => {
  await Promise.all(auths.map((auth) => auth.stop()));
  await emu.close();
});

function authFor(setup: { userPoolId: string; clientId: string; clientSecret?: string }) {
  const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, ...(setup.clientSecret && { clientSecret: setup.clientSecret }) });
  auths.push(auth);
  return auth;
}
const state = (auth: Auth) => auth.actor.getSnapshot().value;

describe.each([
  ['USER_SRP_AUTH (default)', undefined],
  ['USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH' as const],
])('%s', (_, authFlow) => {
  test.each([false, true])('signs in (client secret: %s)', async (generateSecret) => {
    const setup = emu.setup({ generateSecret });
    const auth = authFor(setup);
    emu.resetRequests();
    await expect(auth.signIn({ username: setup.username, password: setup.password, ...(authFlow && { authFlow }) })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(state(auth)).toEqual({ signedIn: 'active' });
    const operations = emu.requests.map((r) => r.operation);
    expect(operations).toEqual(authFlow ? ['InitiateAuth'] : ['InitiateAuth', 'RespondToAuthChallenge']);
  });

  test('a wrong password is NotAuthorizedException; an unknown user UserNotFoundException', async () => {
    const setup = emu.setup();
    const auth = authFor(setup);
    await expect(auth.signIn({ username: setup.username, password: 'Wr0ng-pass!', ...(authFlow && { authFlow }) })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(auth.signIn({ username: 'nobody', password: 'Wr0ng-pass!', ...(authFlow && { authFlow }) })).rejects.toMatchObject({ name: 'UserNotFoundException' });
    expect(state(auth)).toBe('signedOut');
  });

  test('an unconfirmed user: the step CONFIRM_SIGN_UP once the password is right (Amplify v6), nothing stored', async () => {
    const { userPoolId } = emu.createUserPool();
    const { clientId } = emu.createUserPoolClient({ userPoolId });
    emu.createUser({ userPoolId, username: 'unconfirmed', password: 'Passw0rd!', confirmed: false });
    const auth = authFor({ userPoolId, clientId });
    await expect(auth.signIn({ username: 'unconfirmed', password: 'Passw0rd!', ...(authFlow && { authFlow }) })).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } });
    expect(state(auth)).toBe('signedOut');
    expect(auth.actor.getSnapshot().context.challenge).toBeNull();
    await expect(auth.getSession()).resolves.toEqual({});
    await expect(auth.signIn({ username: 'unconfirmed', password: 'Wr0ng-pass!', ...(authFlow && { authFlow }) })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(state(auth)).toBe('signedOut');
  });

  test('NEW_PASSWORD_REQUIRED, then confirmSignIn with a new password', async () => {
    const { userPoolId } = emu.createUserPool();
    const { clientId } = emu.createUserPoolClient({ userPoolId });
    emu.createUser({ userPoolId, username: 'first-timer', password: 'Temp-Passw0rd!', permanent: false });
    const auth = authFor({ userPoolId, clientId });
    await expect(auth.signIn({ username: 'first-timer', password: 'Temp-Passw0rd!', ...(authFlow && { authFlow }) })).resolves.toMatchObject({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' },
    });
    expect([state(auth), auth.actor.getSnapshot().context.challenge?.name]).toEqual(['awaitingChallengeAnswer', 'NEW_PASSWORD_REQUIRED']);
    await expect(auth.confirmSignIn({ challengeResponse: 'Brand-New-Passw0rd!' })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await auth.signOut();
    await expect(auth.signIn({ username: 'first-timer', password: 'Brand-New-Passw0rd!', ...(authFlow && { authFlow }) })).resolves.toMatchObject({ isSignedIn: true });
  });
});

describe('MFA', () => {
  test('SOFTWARE_TOKEN_MFA: a wrong code is CodeMismatchException and the challenge stays open; the right one signs in', async () => {
    const setup = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const auth = authFor(setup);
    const events: AuthHubEvent[] = [];
    auth.on('signedIn', (event) => events.push(event));
    await expect(auth.signIn({ username: setup.username, password: setup.password })).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const right = emu.mfaCode(setup.userPoolId, setup.username);
    const wrong = right === '000000' ? '111111' : '000000';
    await expect(auth.confirmSignIn({ challengeResponse: wrong })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect([state(auth), auth.actor.getSnapshot().context.challenge?.name]).toEqual(['awaitingChallengeAnswer', 'SOFTWARE_TOKEN_MFA']);
    await expect(auth.confirmSignIn({ challengeResponse: right })).resolves.toMatchObject({ isSignedIn: true });
    expect(events).toEqual([{ type: 'signedIn', username: setup.username }]);
  });

  test('SMS_MFA: the masked destination is reported; the code signs in', async () => {
    const setup = emu.setup({ mfa: 'SMS_MFA' });
    const auth = authFor(setup);
    const step = await auth.signIn({ username: setup.username, password: setup.password });
    expect(step).toMatchObject({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: expect.stringMatching(/^\+\*+\d{4}$/) } } });
    expect([state(auth), auth.actor.getSnapshot().context.challenge?.name]).toEqual(['awaitingChallengeAnswer', 'SMS_MFA']);
    await expect(auth.confirmSignIn({ challengeResponse: emu.mfaCode(setup.userPoolId, setup.username) })).resolves.toMatchObject({ isSignedIn: true });
  });

  test('signOut during a challenge cancels the sign-in, with no network call', async () => {
    const setup = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const auth = authFor(setup);
    await auth.signIn({ username: setup.username, password: setup.password });
    emu.resetRequests();
    await expect(auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(state(auth)).toBe('signedOut');
    expect(emu.requests).toEqual([]);
    await expect(auth.confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({ name: 'NoPendingChallengeException' });
  });

  test('signIn during a challenge starts over', async () => {
    const setup = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const auth = authFor(setup);
    await auth.signIn({ username: setup.username, password: setup.password });
    await expect(auth.signIn({ username: setup.username, password: setup.password })).resolves.toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    await expect(auth.confirmSignIn({ challengeResponse: emu.mfaCode(setup.userPoolId, setup.username) })).resolves.toMatchObject({ isSignedIn: true });
  });
});

describe('bad input', () => {
  test('confirmSignIn with no pending challenge: NoPendingChallengeException, no call', async () => {
    const auth = authFor(emu.setup());
    emu.resetRequests();
    await expect(auth.confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({ name: 'NoPendingChallengeException' });
    expect(emu.requests).toEqual([]);
  });

  test.each([
    [undefined, 'confirmSignIn options'],
    [{ challengeResponse: '' }, 'challengeResponse'],
    [{ challengeResponse: '1', options: { userAttributes: { email: 5 } } }, 'options.userAttributes.email'],
  ])('confirmSignIn(%j) rejects with AuthValidationError naming %s', async (input, field) => {
    const auth = authFor(emu.setup());
    await expect(auth.confirmSignIn(input as never)).rejects.toMatchObject({ name: 'AuthValidationError', field });
  });

  test('empty username (SRP): AuthValidationError before any call', async () => {
    const auth = authFor(emu.setup());
    emu.resetRequests();
    await expect(auth.signIn({ username: '', password: 'x' })).rejects.toMatchObject({ name: 'AuthValidationError', field: 'username' });
    expect(emu.requests).toEqual([]);
  });

  test('a client without SRP enabled: InvalidParameterException', async () => {
    const { userPoolId } = emu.createUserPool();
    const { clientId } = emu.createUserPoolClient({ userPoolId, explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    emu.createUser({ userPoolId, username: 'no-srp', password: 'Passw0rd!' });
    const auth = authFor({ userPoolId, clientId });
    await expect(auth.signIn({ username: 'no-srp', password: 'Passw0rd!' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
