// The MFA setup (authchart/account) against moto, another Cognito implementation (issue 21: the
// operations moto implements pass against moto too): setUpTotp(), a wrong code refused and the
// setup still waiting, verifyTotpSetup(), updateMFAPreference(), fetchMFAPreference(), the refusal
// to re-associate over a working TOTP, and the TOTP step at the next sign-in. moto checks TOTP
// codes only with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true, and only for the current 30 s step
// (as in emulator.mfaMoto.test.ts, a code is computed where at least 3 s of its step remain: a
// wait, not a threshold). moto answers a wrong code with CodeMismatchException (Cognito and the
// emulator: EnableSoftwareTokenMFAException). Skipped loudly without moto_server.
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createAccount } from '../src/account/index';
import { createAuth } from '../src/fetch/index';
import { AuthStateError, CognitoServiceError } from '../src/index';
import { motoAvailable, startMoto, type Moto } from './support/moto';
import { sdkClient } from './support/sdk.js';
import { totpCode, wrongCode } from './support/totp';

const available = motoAvailable();
const run = available ? test : test.skip;
const USERNAME = 'totp-account';
const PASSWORD = 'Passw0rd-account!';

let moto: Moto | undefined;
let sdk!: CognitoIdentityProviderClient;
beforeAll(async () => {
  if (!available) return;
  moto = await startMoto({ env: { MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: 'true' } });
  sdk = sdkClient(moto.endpoint);
}, 30_000);
afterAll(async () => {
  sdk?.destroy();
  await moto?.close();
});

/** A code of the current step, computed where at least 3 s of the step remain (moto accepts only this step). */
async function currentCode(secret: string): Promise<string> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 3_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  return totpCode(secret, Date.now());
}

run('against moto: set up, a wrong code refused, verified, preferred, refused again without replace, and asked for at sign-in', async () => {
  const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: 'account-mfa' }));
  const userPoolId = UserPool!.Id!;
  await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const { UserPoolClient } = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'account-mfa', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
  await sdk.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: USERNAME, TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: USERNAME, Password: PASSWORD, Permanent: true }));

  const auth = createAuth({ userPoolId, userPoolClientId: UserPoolClient!.ClientId!, endpoint: moto!.endpoint });
  const account = createAccount(auth);
  const signIn = () => auth.signIn({ username: USERNAME, password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
  await expect(signIn()).resolves.toMatchObject({ isSignedIn: true });
  await expect(account.fetchMFAPreference()).resolves.toEqual({});

  const { sharedSecret } = await account.setUpTotp();
  const refused = await account.verifyTotpSetup({ code: wrongCode(sharedSecret, Date.now()) }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(CognitoServiceError);
  expect(refused).toMatchObject({ name: 'CodeMismatchException' });
  await expect(account.verifyTotpSetup({ code: await currentCode(sharedSecret), options: { friendlyDeviceName: 'phone' } })).resolves.toBeUndefined();
  await expect(account.updateMFAPreference({ totp: 'PREFERRED' })).resolves.toBeUndefined();
  await expect(account.fetchMFAPreference()).resolves.toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });

  const again = await account.setUpTotp().catch((e: unknown) => e);
  expect(again).toBeInstanceOf(AuthStateError);
  expect(again).toMatchObject({ name: 'TotpAlreadyEnabled' });

  await auth.signOut();
  await expect(signIn()).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  await expect(auth.confirmSignIn({ challengeResponse: await currentCode(sharedSecret) })).resolves.toMatchObject({ isSignedIn: true });
  await auth.stop();
}, 60_000);
