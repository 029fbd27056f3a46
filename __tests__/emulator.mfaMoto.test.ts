// One TOTP scenario, run against the emulator AND against moto (another Cognito implementation):
// AssociateSoftwareToken, VerifySoftwareToken and SetUserMFAPreference with an access token, GetUser's
// MFA settings, and the SOFTWARE_TOKEN_MFA sign-in that follows. It pins the emulator to behaviour a
// second implementation shares, so neither drifts alone.
//
// What is compared, and why only that:
// - moto checks TOTP codes only when MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true (given to moto's
//   process below), and then against one fixed secret for every user, the SecretCode it answers; the
//   test computes codes from the SecretCode either target answers, as an authenticator app would.
//   moto's codes must be of the current 30 s step exactly, so the test waits out the last 3 s of a
//   step before computing one (a wait, not a threshold: nothing is asserted about time).
// - A wrong code in VerifySoftwareToken: both refuse it, under different names. Cognito answers
//   EnableSoftwareTokenMFAException (what the emulator answers); moto answers CodeMismatchException.
//   Each target's name is pinned below.
// - GetUser with no factor: moto answers `UserMFASettingList: []` and `PreferredMfaSetting: ''`, the
//   emulator (like Cognito) leaves both out: compared as "none".
// - Not compared: the SecretCode's length (moto's fixed secret is 12 characters, Cognito's 32), the
//   Session moto adds to VerifySoftwareToken's answer with an access token (the emulator, like
//   Cognito, answers none), re-association (moto keeps one secret for everyone), MFA_SETUP,
//   SELECT_MFA_TYPE and EMAIL_OTP (moto does not implement them alike).
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognitoEmulator } from '../src/testing/index';
import { sdkClient } from './support/sdk.js';
import { motoAvailable, startMoto } from './support/moto';
import { totpCode, wrongCode } from './support/totp';

interface Target {
  readonly endpoint: string;
  close(): Promise<void>;
}

const TARGETS: ReadonlyArray<[string, { available: boolean; start: () => Promise<Target>; wrongCodeError: string }]> = [
  ['emulator', { available: true, start: () => startCognitoEmulator(), wrongCodeError: 'EnableSoftwareTokenMFAException' }],
  [
    'moto',
    {
      available: motoAvailable(),
      start: () => startMoto({ env: { MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: 'true' } }), // moto checks TOTP codes only with it
      wrongCodeError: 'CodeMismatchException',
    },
  ],
];

const PASSWORD = 'Passw0rd-contract!';
const USERNAME = 'totp-contract';

/** A code of the current step, computed where at least 3 s of the step remain (moto accepts only this step). */
async function currentCode(secretCode: string): Promise<string> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 3_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  return totpCode(secretCode, Date.now());
}

const none = (list: string[] | undefined, preferred: string | undefined) => ({ list: list ?? [], preferred: preferred === '' ? undefined : preferred });

describe.each(TARGETS)('the TOTP contract against %s', (_name, target) => {
  const run = target.available ? test : test.skip;
  let server: Target | undefined;
  let sdk!: CognitoIdentityProviderClient;

  beforeAll(async () => {
    if (!target.available) return;
    server = await target.start();
    sdk = sdkClient(server.endpoint);
  }, 30_000);
  afterAll(async () => {
    sdk?.destroy();
    await server?.close();
  });

  run('associate, a wrong code refused, the right one verified, TOTP enabled and preferred, asked for at sign-in, then disabled', async () => {
    const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: 'contract' }));
    const userPoolId = UserPool!.Id!;
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const { UserPoolClient } = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'contract', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    const clientId = UserPoolClient!.ClientId!;
    await sdk.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: USERNAME, TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: USERNAME, Password: PASSWORD, Permanent: true }));
    const signIn = () => sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
    const first = await signIn();
    const token = first.AuthenticationResult!.AccessToken!;
    const mfaOf = async () => {
      const user = await sdk.send(new GetUserCommand({ AccessToken: token }));
      return none(user.UserMFASettingList, user.PreferredMfaSetting);
    };

    // Enabling TOTP before any verified secret is refused by both.
    await expect(sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(await mfaOf()).toEqual({ list: [], preferred: undefined });

    const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
    expect(SecretCode).toMatch(/^[A-Z2-7]+=*$/i);
    const secret = SecretCode!;
    await expect(sdk.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: wrongCode(secret, Date.now()), FriendlyDeviceName: 'phone' }))).rejects.toMatchObject({ name: target.wrongCodeError });
    await expect(sdk.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: await currentCode(secret), FriendlyDeviceName: 'phone' }))).resolves.toMatchObject({ Status: 'SUCCESS' });

    await sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    expect(await mfaOf()).toEqual({ list: ['SOFTWARE_TOKEN_MFA'], preferred: 'SOFTWARE_TOKEN_MFA' });

    const challenge = await signIn();
    expect(challenge).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: expect.any(String) });
    expect(challenge.AuthenticationResult).toBeUndefined();
    const answer = (code: string) => sdk.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: challenge.Session!, ChallengeResponses: { USERNAME, SOFTWARE_TOKEN_MFA_CODE: code } }));
    await expect(answer(wrongCode(secret, Date.now()))).rejects.toMatchObject({ name: 'CodeMismatchException' });
    const done = await answer(await currentCode(secret));
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));

    await sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false } }));
    expect(await mfaOf()).toEqual({ list: [], preferred: undefined });
    expect((await signIn()).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  }, 30_000);
});
