// The sign-in's account steps and MFA challenges of issue 21 through createAuth, over HTTP against
// the emulator: CONFIRM_SIGN_UP and RESET_PASSWORD (nothing stored, no challenge waits), MFA_SETUP
// (the choice, TOTP with its secret and a code computed here, email), SELECT_MFA_TYPE and EMAIL_OTP;
// the typed answers, answers of the wrong kind refused with nothing sent, and a step's deadline.
import { AdminResetUserPasswordCommand, SetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { AuthValidationError, createAuth, createMemoryStorage, type Auth, type SignInResult } from '../src/index';
import { createAuth as createFetchAuth } from '../src/fetch/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { sdkClient } from './support/sdk';
import { totpCode, wrongCode } from './support/totp';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: CognitoEmulator;
let sdk: CognitoIdentityProviderClient;
const auths: Auth[] = [];
beforeAll(async () => {
  emu = await startCognitoEmulator();
  sdk = sdkClient(emu.endpoint);
});
afterEach(() => jest.restoreAllMocks());
afterAll(async () => {
  await Promise.all(auths.map((auth) => auth.stop()));
  sdk.destroy();
  await emu.close();
});

const PASSWORD = 'Passw0rd-steps!';
let users = 0;

/** A pool with these MFA factors on (`required`: MfaConfiguration ON), a client, and a user with an email and no MFA. */
async function pool(factors: { totp?: boolean; email?: boolean; required?: boolean } = {}) {
  const { userPoolId } = emu.createUserPool();
  if (factors.totp || factors.email) {
    await sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: userPoolId,
        MfaConfiguration: factors.required ? 'ON' : 'OPTIONAL',
        ...(factors.totp && { SoftwareTokenMfaConfiguration: { Enabled: true } }),
        ...(factors.email && { EmailMfaConfiguration: {} }),
      }),
    );
  }
  const { clientId } = emu.createUserPoolClient({ userPoolId });
  const username = `steps-${++users}`;
  emu.createUser({ userPoolId, username, password: PASSWORD, attributes: { email: `${username}@example.com`, email_verified: 'true' } });
  return { userPoolId, clientId, username };
}

function authFor(p: { userPoolId: string; clientId: string }) {
  const storage = createMemoryStorage();
  const auth = createAuth({ userPoolId: p.userPoolId, userPoolClientId: p.clientId, endpoint: emu.endpoint, storage });
  auths.push(auth);
  return { auth, storage };
}
const state = (auth: Auth) => auth.actor.getSnapshot().value;
const operations = () => emu.requests.map((r) => r.operation);
const stepOf = (result: SignInResult) => result.nextStep.signInStep;
/** The newest MFA code the emulator emailed the user. */
const emailedCode = (p: { userPoolId: string; username: string }) => {
  const messages = emu.inbox(p.username, { userPoolId: p.userPoolId }).filter((m) => m.purpose === 'mfa');
  return messages[messages.length - 1]!.code;
};

/** Each answer is refused with AuthValidationError naming `field`, nothing is sent, and the challenge stays open. */
async function refusedWithNothingSent(auth: Auth, answers: Array<[Record<string, unknown>, string]>) {
  emu.resetRequests();
  for (const [answer, field] of answers) {
    const error = await auth.confirmSignIn(answer as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthValidationError);
    expect(error).toMatchObject({ name: 'AuthValidationError', field });
    expect(state(auth)).toBe('awaitingChallengeAnswer');
  }
  expect(emu.requests).toEqual([]);
}

describe('signIn of a user Cognito will not sign in yet answers the step to take, with nothing stored and no challenge', () => {
  test('an unconfirmed user (SignUp without confirmation): CONFIRM_SIGN_UP', async () => {
    const p = await pool();
    await sdk.send(new SignUpCommand({ ClientId: p.clientId, Username: 'signed-up', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'signed-up@example.com' }] }));
    const { auth, storage } = authFor(p);
    await expect(auth.signIn({ username: 'signed-up', password: PASSWORD })).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } });
    expect(state(auth)).toBe('signedOut');
    expect(auth.actor.getSnapshot().context.challenge).toBeNull();
    expect(storage.getItem(`authchart.${p.clientId}.session`)).toBeNull();
    await expect(auth.confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({ name: 'NoPendingChallengeException' });
  });

  test.each([undefined, 'USER_PASSWORD_AUTH' as const])('a user who must reset the password (AdminResetUserPassword; %s): RESET_PASSWORD', async (authFlow) => {
    const p = await pool();
    await sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: p.userPoolId, Username: p.username }));
    const { auth, storage } = authFor(p);
    await expect(auth.signIn({ username: p.username, password: PASSWORD, ...(authFlow && { authFlow }) })).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'RESET_PASSWORD' } });
    expect(state(auth)).toBe('signedOut');
    expect(auth.actor.getSnapshot().context.challenge).toBeNull();
    expect(storage.getItem(`authchart.${p.clientId}.session`)).toBeNull();
  });
});

describe('MFA_SETUP: a pool that requires MFA, and a user without any', () => {
  test('TOTP and email both possible: the choice, answers of the wrong kind refused, then TOTP set up with a code of its secret', async () => {
    const p = await pool({ totp: true, email: true, required: true });
    const { auth } = authFor(p);
    await expect(auth.signIn({ username: p.username, password: PASSWORD })).resolves.toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION', allowedMFATypes: ['TOTP', 'EMAIL'] },
    });
    await refusedWithNothingSent(auth, [
      [{ challengeResponse: '123456' }, 'challengeResponse'],
      [{ email: 'a@example.com' }, 'email'],
      [{ mfaType: 'SMS' }, 'mfaType'],
      [{ mfaType: 'totp' }, 'mfaType'],
      [{ factor: 'TOTP' }, 'factor'],
      [{ firstFactor: 'PASSWORD' }, 'firstFactor'],
      [{ mfaType: 'TOTP', challengeResponse: '123456' }, 'challengeResponse'],
    ]);

    emu.resetRequests();
    const setup = await auth.confirmSignIn({ mfaType: 'TOTP' });
    expect(operations()).toEqual(['AssociateSoftwareToken']);
    if (setup.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') throw new Error(`expected the TOTP setup, got ${stepOf(setup)}`);
    const { sharedSecret } = setup.nextStep.totpSetupDetails;
    expect(sharedSecret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = setup.nextStep.totpSetupDetails.getSetupUri('My App');
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(sharedSecret);
    expect(uri.searchParams.get('issuer')).toBe('My App');
    expect(decodeURIComponent(uri.pathname)).toContain(`My App:${p.username}`);

    // A code where the setup is due is the answer; a factor is not.
    await refusedWithNothingSent(auth, [[{ mfaType: 'TOTP' }, 'mfaType']]);
    // A wrong code: Cognito's EnableSoftwareTokenMFAException, and the setup stays open.
    await expect(auth.confirmSignIn({ challengeResponse: wrongCode(sharedSecret, Date.now()) })).rejects.toMatchObject({ name: 'EnableSoftwareTokenMFAException' });
    expect(state(auth)).toBe('awaitingChallengeAnswer');

    emu.resetRequests();
    await expect(auth.confirmSignIn({ challengeResponse: totpCode(sharedSecret, Date.now()) })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(operations()).toEqual(['VerifySoftwareToken', 'RespondToAuthChallenge']);
    expect(state(auth)).toEqual({ signedIn: 'active' });

    // The next sign-in asks for the TOTP code of that secret.
    await auth.signOut();
    await expect(auth.signIn({ username: p.username, password: PASSWORD })).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    await expect(auth.confirmSignIn({ challengeResponse: totpCode(sharedSecret, Date.now()) })).resolves.toMatchObject({ isSignedIn: true });
  });

  test('TOTP alone: the setup at once, its secret associated during signIn()', async () => {
    const p = await pool({ totp: true, required: true });
    const { auth } = authFor(p);
    emu.resetRequests();
    const setup = await auth.signIn({ username: p.username, password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
    expect(operations()).toEqual(['InitiateAuth', 'AssociateSoftwareToken']);
    if (setup.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') throw new Error(`expected the TOTP setup, got ${stepOf(setup)}`);
    expect(Object.keys(setup.nextStep)).toEqual(['signInStep', 'totpSetupDetails']);
    await expect(auth.confirmSignIn({ challengeResponse: totpCode(setup.nextStep.totpSetupDetails.sharedSecret, Date.now()) })).resolves.toMatchObject({ isSignedIn: true });
  });

  test('over authchart/fetch: AssociateSoftwareToken and VerifySoftwareToken through the fetch transport', async () => {
    const p = await pool({ totp: true, required: true });
    const auth = createFetchAuth({ userPoolId: p.userPoolId, userPoolClientId: p.clientId, endpoint: emu.endpoint });
    auths.push(auth);
    emu.resetRequests();
    const setup = await auth.signIn({ username: p.username, password: PASSWORD });
    if (setup.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') throw new Error(`expected the TOTP setup, got ${stepOf(setup)}`);
    const { sharedSecret } = setup.nextStep.totpSetupDetails;
    await expect(auth.confirmSignIn({ challengeResponse: wrongCode(sharedSecret, Date.now()) })).rejects.toMatchObject({ name: 'EnableSoftwareTokenMFAException' });
    await expect(auth.confirmSignIn({ challengeResponse: totpCode(sharedSecret, Date.now()) })).resolves.toMatchObject({ isSignedIn: true });
    expect(operations()).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'AssociateSoftwareToken', 'VerifySoftwareToken', 'VerifySoftwareToken', 'RespondToAuthChallenge']);
  });

  test('email: the address, then the code emailed there', async () => {
    const p = await pool({ totp: true, email: true, required: true });
    const { auth } = authFor(p);
    await auth.signIn({ username: p.username, password: PASSWORD });
    emu.resetRequests();
    await expect(auth.confirmSignIn({ mfaType: 'EMAIL' })).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' } });
    expect(emu.requests).toEqual([]); // choosing email asks Cognito nothing yet
    await refusedWithNothingSent(auth, [
      [{ challengeResponse: 'new@example.com' }, 'challengeResponse'],
      [{ mfaType: 'EMAIL' }, 'mfaType'],
    ]);
    await expect(auth.confirmSignIn({ email: `new-${p.username}@example.com` })).resolves.toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: expect.stringContaining('***') } },
    });
    const sent = emu.inbox(p.username, { userPoolId: p.userPoolId }).filter((m) => m.purpose === 'mfa');
    expect(sent[sent.length - 1]!.destination).toBe(`new-${p.username}@example.com`);
    await expect(auth.confirmSignIn({ challengeResponse: emailedCode(p) })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });
});

describe('EMAIL_OTP and SELECT_MFA_TYPE', () => {
  test('EMAIL_OTP: the code emailed, a wrong one keeps it open, a factor is refused with nothing sent', async () => {
    const p = await pool({ email: true });
    emu.createUser({ userPoolId: p.userPoolId, username: `${p.username}-otp`, password: PASSWORD, attributes: { email: `${p.username}-otp@example.com`, email_verified: 'true' }, mfa: 'EMAIL_OTP' });
    const user = { ...p, username: `${p.username}-otp` };
    const { auth } = authFor(p);
    await expect(auth.signIn({ username: user.username, password: PASSWORD })).resolves.toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: expect.stringContaining('***') } },
    });
    await refusedWithNothingSent(auth, [[{ mfaType: 'EMAIL' }, 'mfaType']]);
    const code = emailedCode(user);
    await expect(auth.confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect(state(auth)).toBe('awaitingChallengeAnswer');
    await expect(auth.confirmSignIn({ challengeResponse: code })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  test('SELECT_MFA_TYPE: the factors to choose from; a code is refused with nothing sent; the chosen factor is asked next', async () => {
    const p = await pool({ totp: true, email: true });
    const totpUser = `${p.username}-select`;
    emu.createUser({ userPoolId: p.userPoolId, username: totpUser, password: PASSWORD, attributes: { email: `${totpUser}@example.com`, email_verified: 'true' }, mfa: 'SOFTWARE_TOKEN_MFA' });
    // Signed in once with TOTP, the user enables email MFA too, and prefers neither.
    const { auth } = authFor(p);
    await auth.signIn({ username: totpUser, password: PASSWORD });
    await auth.confirmSignIn({ challengeResponse: emu.mfaCode(p.userPoolId, totpUser) });
    const { tokens } = await auth.getSession();
    await sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: tokens!.accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false }, EmailMfaSettings: { Enabled: true, PreferredMfa: false } }));
    await auth.signOut();

    await expect(auth.signIn({ username: totpUser, password: PASSWORD })).resolves.toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['TOTP', 'EMAIL'] },
    });
    await refusedWithNothingSent(auth, [
      [{ challengeResponse: '123456' }, 'challengeResponse'],
      [{ mfaType: 'SMS' }, 'mfaType'],
    ]);
    await expect(auth.confirmSignIn({ mfaType: 'TOTP' })).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    await expect(auth.confirmSignIn({ challengeResponse: emu.mfaCode(p.userPoolId, totpUser) })).resolves.toMatchObject({ isSignedIn: true });
  });
});

test("a TOTP setup past its challenge's deadline: SignInSessionExpired, nothing sent, signed out", async () => {
  const p = await pool({ totp: true, required: true });
  const { auth } = authFor(p);
  const began = Date.now();
  const setup = await auth.signIn({ username: p.username, password: PASSWORD });
  expect(stepOf(setup)).toBe('CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
  const deadline = auth.actor.getSnapshot().context.challenge?.deadline;
  expect(deadline).toBeGreaterThanOrEqual(began + 3 * 60_000);
  jest.spyOn(Date, 'now').mockReturnValue(deadline!);
  emu.resetRequests();
  await expect(auth.confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({ name: 'SignInSessionExpired' });
  expect(emu.requests).toEqual([]);
  expect(state(auth)).toBe('signedOut');
});
