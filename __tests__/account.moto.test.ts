// The account flows (authchart/account) against moto, another Cognito implementation (issue 21:
// the operations moto implements pass against moto too): a sign-up confirmed with a code, a
// password reset, a password change, the attributes, and the account's deletion, each through the
// library's own calls over its fetch wire. moto checks no code (it accepts any that is not its own
// 'moto-confirmation-code:' form) and sends none, and its ConfirmSignUp gives no Session (so no
// auto sign-in): what is compared is what the calls answer and what then holds. The MFA setup has
// its own file (account.mfaSetupMoto.test.ts). Skipped loudly without moto_server.
import { type CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAccount } from '../src/account/index';
import { createAuth } from '../src/fetch/index';
import { motoAvailable, startMoto, type Moto } from './support/moto';
import { sdkClient } from './support/sdk.js';

const available = motoAvailable();
const run = available ? test : test.skip;
const PASSWORD = 'First-pw1!';
const NEW_PASSWORD = 'Second-pw2!';
const ANY_CODE = '123456'; // moto accepts any code

let moto: Moto | undefined;
let sdk!: CognitoIdentityProviderClient;
beforeAll(async () => {
  if (!available) return;
  moto = await startMoto();
  sdk = sdkClient(moto.endpoint);
}, 30_000);
afterAll(async () => {
  sdk?.destroy();
  await moto?.close();
});

/** A pool with email auto-verified, a client, and an instance with its account flows. */
async function app() {
  const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: 'account-flows', AutoVerifiedAttributes: ['email'] }));
  const userPoolId = UserPool!.Id!;
  const { UserPoolClient } = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'account-flows', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
  const auth = createAuth({ userPoolId, userPoolClientId: UserPoolClient!.ClientId!, endpoint: moto!.endpoint });
  return { auth, account: createAccount(auth) };
}

run('sign-up, confirmed with a code: CONFIRM_SIGN_UP then DONE (moto gives no Session), and the user signs in', async () => {
  const { auth, account } = await app();
  const signedUp = await account.signUp({ username: 'jane', password: PASSWORD, options: { userAttributes: { email: 'jane@example.com' } } });
  expect(signedUp).toMatchObject({ isSignUpComplete: false, nextStep: { signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: { destination: 'j***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' } } });
  await expect(auth.signIn({ username: 'jane', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' })).resolves.toMatchObject({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } });
  await expect(account.confirmSignUp({ username: 'jane', confirmationCode: ANY_CODE })).resolves.toMatchObject({ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } });
  await expect(account.signUp({ username: 'jane', password: PASSWORD })).rejects.toMatchObject({ name: 'UsernameExistsException' });
  await expect(auth.signIn({ username: 'jane', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' })).resolves.toMatchObject({ isSignedIn: true });
  await auth.stop();
}, 30_000);

run('password reset, then a password change and the attributes while signed in, then the account deleted', async () => {
  const { auth, account } = await app();
  await account.signUp({ username: 'jane', password: PASSWORD, options: { userAttributes: { email: 'jane@example.com' } } });
  await account.confirmSignUp({ username: 'jane', confirmationCode: ANY_CODE });
  await expect(account.resetPassword({ username: 'jane' })).resolves.toMatchObject({ nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL' } } });
  await account.confirmResetPassword({ username: 'jane', confirmationCode: ANY_CODE, newPassword: NEW_PASSWORD });
  await expect(auth.signIn({ username: 'jane', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  await expect(auth.signIn({ username: 'jane', password: NEW_PASSWORD, authFlow: 'USER_PASSWORD_AUTH' })).resolves.toMatchObject({ isSignedIn: true });

  await expect(account.updatePassword({ oldPassword: 'Wrong-pw3!', newPassword: PASSWORD })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  await expect(account.updatePassword({ oldPassword: NEW_PASSWORD, newPassword: PASSWORD })).resolves.toMatchObject({ passwordChanged: true });

  await expect(account.fetchUserAttributes()).resolves.toMatchObject({ email: 'jane@example.com' });
  await account.updateUserAttributes({ userAttributes: { name: 'Jane' } });
  await expect(account.fetchUserAttributes()).resolves.toMatchObject({ name: 'Jane' });

  const deleted = await account.deleteUser();
  if (deleted.type === 'failed' && !deleted.userDeleted) {
    // moto 5.2.1 has no DeleteUser (a bare HTTP 500, as emulator.attributesMoto.test.ts records): the
    // honest answer is `failed`, the user still there and still signed in on this device.
    console.warn('!!! this moto has no DeleteUser: deleteUser() answered failed, as it must; the deletion itself is not compared !!!');
    expect(deleted).toMatchObject({ signedOutLocally: false, error: { name: 'UnexpectedResponse' } });
    await expect(auth.getSession()).resolves.toMatchObject({ username: 'jane' });
  } else {
    expect(deleted).toMatchObject({ type: 'complete', userDeleted: true });
    await expect(auth.getSession()).resolves.toEqual({});
  }
  await auth.stop();
}, 30_000);
