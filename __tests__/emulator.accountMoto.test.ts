// Contract: the same sign-up and password scenarios against authchart's emulator and against moto
// (moto_server, a second Cognito implementation), so that the emulator does not drift from
// another reading of Cognito's API where both implement it. moto is skipped loudly where missing.
//
// What is compared, and why only that:
// - Pools and clients are made through Cognito's own API (CreateUserPool, CreateUserPoolClient) on
//   both, with email auto-verified.
// - SignUp: UserConfirmed false, a UUID UserSub, CodeDeliveryDetails masked as 'j***@e***';
//   UsernameExistsException; InvalidPasswordException; an unconfirmed user's right password →
//   UserNotConfirmedException.
// - ConfirmSignUp then sign-in. moto ignores the code, and its codes cannot be read: the emulator
//   gets the code from its inbox, moto any code. So the contract is "the sent code confirms", not
//   "a wrong code is refused" (that is tested against the emulator alone, emulator.signUp.test.ts).
//   moto's ConfirmSignUp has no Session, so USER_AUTH with it is not compared either.
// - ForgotPassword's CodeDeliveryDetails for a confirmed user with an email, and
//   ConfirmForgotPassword with the sent code: the new password signs in, the old one is refused.
//   moto accepts any code that is not in its own 'moto-confirmation-code:' form, so again only the
//   right code is compared. moto answers ForgotPassword for unknown users with HTTP 200 and made-up
//   details even without PreventUserExistenceErrors ("partially broken", its source says), so
//   unknown users are not compared.
// - ChangePassword: a wrong previous password → NotAuthorizedException, a weak proposed one →
//   InvalidPasswordException, then the new password signs in and the old one is refused.
import {
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { motoAvailable, startMoto, type Moto } from './support/moto';

/** One Cognito implementation under test. */
interface Target {
  readonly sdk: CognitoIdentityProviderClient;
  /** The code last sent to the user for `purpose` (moto: one it accepts, as it checks none of ours). */
  code(userPoolId: string, username: string, purpose: 'signUp' | 'resetPassword'): string;
}

const PASSWORD = 'First-pw1!';
const NEW_PASSWORD = 'Second-pw2!';

const sdkFor = (endpoint: string) => new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });

async function newPool(t: Target): Promise<{ userPoolId: string; clientId: string }> {
  const pool = await t.sdk.send(new CreateUserPoolCommand({ PoolName: 'contract', AutoVerifiedAttributes: ['email'] }));
  const userPoolId = pool.UserPool!.Id!;
  const client = await t.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'contract', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
  return { userPoolId, clientId: client.UserPoolClient!.ClientId! };
}
const signIn = (t: Target, clientId: string, username: string, password: string) =>
  t.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
const errorName = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'no error',
    (e: unknown) => (e as Error).name,
  );

/** A confirmed user, signed up and confirmed through the API. */
async function signedUp(t: Target, username: string) {
  const pool = await newPool(t);
  const answer = await t.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }] }));
  return { ...pool, answer };
}

// The scenarios, run against each target.
const scenarios = {
  async signUpAndConfirm(t: Target) {
    const { userPoolId, clientId, answer } = await signedUp(t, 'jane');
    expect(answer).toMatchObject({ UserConfirmed: false, UserSub: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/), CodeDeliveryDetails: { Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } });
    expect(await errorName(signIn(t, clientId, 'jane', PASSWORD))).toBe('UserNotConfirmedException');
    expect(await errorName(t.sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'jane', Password: PASSWORD })))).toBe('UsernameExistsException');
    expect(await errorName(t.sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'weak', Password: 'weakpass' })))).toBe('InvalidPasswordException');
    await t.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'jane', ConfirmationCode: t.code(userPoolId, 'jane', 'signUp') }));
    expect((await signIn(t, clientId, 'jane', PASSWORD)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  },
  async forgotAndConfirmPassword(t: Target) {
    const { userPoolId, clientId } = await signedUp(t, 'jane');
    await t.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'jane', ConfirmationCode: t.code(userPoolId, 'jane', 'signUp') }));
    const forgot = await t.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'jane' }));
    expect(forgot.CodeDeliveryDetails).toEqual({ Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await t.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'jane', ConfirmationCode: t.code(userPoolId, 'jane', 'resetPassword'), Password: NEW_PASSWORD }));
    expect((await signIn(t, clientId, 'jane', NEW_PASSWORD)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(await errorName(signIn(t, clientId, 'jane', PASSWORD))).toBe('NotAuthorizedException');
  },
  async changePassword(t: Target) {
    const { userPoolId, clientId } = await signedUp(t, 'jane');
    await t.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'jane', ConfirmationCode: t.code(userPoolId, 'jane', 'signUp') }));
    const { AccessToken } = (await signIn(t, clientId, 'jane', PASSWORD)).AuthenticationResult!;
    const change = (previous: string, proposed: string) => t.sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: previous, ProposedPassword: proposed }));
    expect(await errorName(change('Wrong-pw1!', NEW_PASSWORD))).toBe('NotAuthorizedException');
    expect(await errorName(change(PASSWORD, 'weakpass'))).toBe('InvalidPasswordException');
    await change(PASSWORD, NEW_PASSWORD);
    expect((await signIn(t, clientId, 'jane', NEW_PASSWORD)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(await errorName(signIn(t, clientId, 'jane', PASSWORD))).toBe('NotAuthorizedException');
  },
};

const withMoto = motoAvailable();
const targets: Array<[string, boolean]> = [
  ['the emulator', true],
  ['moto', withMoto],
];

describe.each(targets)('against %s', (name, available) => {
  let target!: Target;
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    if (!available) return;
    if (name === 'moto') {
      const moto: Moto = await startMoto();
      const sdk = sdkFor(moto.endpoint);
      target = { sdk, code: () => '123456' };
      stop = async () => {
        sdk.destroy();
        await moto.close();
      };
    } else {
      const emu: CognitoEmulator = await startCognitoEmulator();
      const sdk = sdkFor(emu.endpoint);
      target = {
        sdk,
        code: (userPoolId, username, purpose) => {
          const sent = emu.inbox(username, { userPoolId }).filter((m) => m.purpose === purpose);
          return sent[sent.length - 1]!.code;
        },
      };
      stop = async () => {
        sdk.destroy();
        await emu.close();
      };
    }
  }, 30_000);
  afterAll(() => stop());

  const maybe = available ? test : test.skip;
  maybe('SignUp, then ConfirmSignUp with the code sent', () => scenarios.signUpAndConfirm(target));
  maybe('ForgotPassword, then ConfirmForgotPassword with the code sent', () => scenarios.forgotAndConfirmPassword(target));
  maybe('ChangePassword', () => scenarios.changePassword(target));
});
