// The emulator's password operations over HTTP with the AWS SDK: ForgotPassword (a code to a
// verified address; none → InvalidParameterException; unknown users, and that with
// PreventUserExistenceErrors their answer cannot be told from a known user's),
// ConfirmForgotPassword (the newest code, once, within 1 hour; the policy; RESET_REQUIRED →
// CONFIRMED), ChangePassword (the access token as GetUser checks it, the policy, the previous
// password) and AdminResetUserPassword (PasswordResetRequiredException once the password is right).
import {
  AdminResetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startSrp } from '../services/srp/index.js';
import { hashPaths } from './support/hashes.js';
import { Browser, hidden } from './support/oauthBrowser.js';
import { secretHash, type SetupOptions } from '../src/testing/index';
import { accountHarness, failure } from './support/accountEmulator';

const NEW_PASSWORD = 'Brand-new-pw2!';
const h = accountHarness();
h.secrets.push(NEW_PASSWORD);

const pool = (options: SetupOptions = {}) => h.pool(options);
const resetCode = (userPoolId: string, username: string): string => h.newestCode(userPoolId, username, 'resetPassword');
const signIn = (clientId: string, username: string, password: string) =>
  h.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
/** USER_SRP_AUTH and its PASSWORD_VERIFIER answer, with authchart's SRP client. */
async function srpSignIn(userPoolId: string, clientId: string, username: string, password: string) {
  const handshake = startSrp(hashPaths()[0]!.hash);
  const out = await h.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: handshake.srpA } }));
  const c = out.ChallengeParameters ?? {};
  const answer = await handshake.answer({ userPoolId, userIdForSrp: c.USER_ID_FOR_SRP ?? '', password, srpB: c.SRP_B ?? '', salt: c.SALT ?? '', secretBlock: c.SECRET_BLOCK ?? '' });
  const ChallengeResponses = { USERNAME: c.USERNAME ?? username, PASSWORD_CLAIM_SECRET_BLOCK: answer.passwordClaimSecretBlock, PASSWORD_CLAIM_SIGNATURE: answer.passwordClaimSignature, TIMESTAMP: answer.timestamp };
  return h.sdk.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses }));
}
const confirm = (clientId: string, username: string, code: string, password = NEW_PASSWORD) => h.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: password }));

test('ForgotPassword sends a reset code to the verified email; ConfirmForgotPassword with it sets the new password, once', async () => {
  const { clientId, userPoolId, username, password } = pool();
  const answer = await h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  expect(answer.CodeDeliveryDetails).toEqual({ Destination: 't***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  expect(h.emu.inbox(username, { userPoolId })).toEqual([expect.objectContaining({ purpose: 'resetPassword', channel: 'EMAIL', destination: `${username}@example.com` })]);
  const code = resetCode(userPoolId, username);
  const wrong = code === '000000' ? '000001' : '000000';
  expect(await failure(confirm(clientId, username, wrong), code)).toEqual({ name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
  await confirm(clientId, username, code);
  expect((await signIn(clientId, username, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  expect(await failure(signIn(clientId, username, password), password)).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  // The code is used up.
  expect((await failure(confirm(clientId, username, code, 'Another-pw3!'), code)).name).toBe('CodeMismatchException');
});

test('ConfirmForgotPassword: a code older than 1 hour is expired, an older code than the newest does not confirm, and the policy applies', async () => {
  const { clientId, userPoolId, username } = pool();
  await h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  const first = resetCode(userPoolId, username);
  h.clock += 3600 * 1000 + 1;
  expect(await failure(confirm(clientId, username, first), first)).toEqual({ name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
  await h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  await h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  const sent = h.emu.inbox(username, { userPoolId }).filter((m) => m.purpose === 'resetPassword');
  const [older, newest] = [sent[1]!.code, sent[2]!.code];
  h.secrets.push(older, newest);
  if (older !== newest) expect((await failure(confirm(clientId, username, older), older)).name).toBe('CodeMismatchException');
  const weak = confirm(clientId, username, newest, 'weakpass');
  expect(await failure(weak, newest, 'weakpass')).toEqual({ name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have uppercase characters' });
  h.clock += 3600 * 1000; // exactly 1 hour after it was sent: still valid
  await confirm(clientId, username, newest);
});

test('ForgotPassword for a user with no verified email or phone: InvalidParameterException; SMS to a verified phone', async () => {
  const { clientId, userPoolId } = pool();
  h.emu.createUser({ userPoolId, username: 'unverified', password: 'Unverified-pw1!', attributes: { email: 'u@example.com', email_verified: 'false' } });
  expect(await failure(h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'unverified' })))).toEqual({ name: 'InvalidParameterException', message: 'Cannot reset password for the user as there is no registered/verified email or phone_number' });
  h.emu.createUser({ userPoolId, username: 'phoned', password: 'Phoned-pw1!', phoneNumber: '+15555550142' });
  const answer = await h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'phoned' }));
  expect(answer.CodeDeliveryDetails).toEqual({ Destination: '+*******0142', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
});

test('unknown users without PreventUserExistenceErrors: UserNotFoundException from ForgotPassword and ConfirmForgotPassword', async () => {
  const { clientId } = pool();
  expect(await failure(h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'nobody' })))).toEqual({ name: 'UserNotFoundException', message: 'Username/client id combination not found.' });
  expect((await failure(confirm(clientId, 'nobody', '123456'))).name).toBe('UserNotFoundException');
});

test('with PreventUserExistenceErrors, ForgotPassword answers a known and an unknown user alike, and stores nothing for the unknown one; ConfirmForgotPassword: CodeMismatch', async () => {
  const { clientId, userPoolId, username } = pool({ preventUserExistenceErrors: true, username: 'jane' });
  const known = await h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  const unknown = await h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'jake' }));
  const bare = (answer: typeof known) => ({ ...answer, $metadata: undefined });
  expect(Object.keys(bare(unknown)).sort()).toEqual(Object.keys(bare(known)).sort());
  const shape = { Destination: expect.stringMatching(/^j\*\*\*@.\*\*\*$/), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  expect(known.CodeDeliveryDetails).toEqual(shape);
  expect(unknown.CodeDeliveryDetails).toEqual(shape);
  expect(known.$metadata.httpStatusCode).toBe(unknown.$metadata.httpStatusCode);
  // The same answer every time for the same unknown username.
  expect((await h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'jake' }))).CodeDeliveryDetails).toEqual(unknown.CodeDeliveryDetails);
  expect(h.emu.inbox('jake', { userPoolId })).toEqual([]);
  expect(await failure(confirm(clientId, 'jake', '123456'))).toEqual({ name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
  // A pool that verifies only phone numbers simulates an SMS.
  const phones = pool({ preventUserExistenceErrors: true, userPool: { AutoVerifiedAttributes: ['phone_number'] } });
  expect((await h.sdk.send(new ForgotPasswordCommand({ ClientId: phones.clientId, Username: 'jake' }))).CodeDeliveryDetails).toEqual({ Destination: expect.stringMatching(/^\+\*{7}\d{4}$/), DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
});

test('a client with a secret: ForgotPassword and ConfirmForgotPassword need the SECRET_HASH', async () => {
  const { clientId, clientSecret, userPoolId, username } = pool({ generateSecret: true });
  expect(await failure(h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username })))).toEqual({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${clientId}` });
  const SecretHash = secretHash(clientSecret!, username, clientId);
  await h.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username, SecretHash }));
  const code = resetCode(userPoolId, username);
  expect((await failure(confirm(clientId, username, code), code)).name).toBe('NotAuthorizedException');
  await h.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: NEW_PASSWORD, SecretHash }));
});

test('ChangePassword: the previous password must be right and the new one must pass the policy; the new one signs in', async () => {
  const { clientId, username, password } = pool();
  const { AccessToken } = (await signIn(clientId, username, password)).AuthenticationResult!;
  const change = (previous: string, proposed: string) => h.sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: previous, ProposedPassword: proposed }));
  expect(await failure(change('Wrong-pw1!', NEW_PASSWORD), NEW_PASSWORD)).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  expect(await failure(change(password, 'alllowercase1!'), password, 'alllowercase1!')).toEqual({ name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have uppercase characters' });
  await change(password, NEW_PASSWORD);
  expect((await signIn(clientId, username, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  expect((await failure(signIn(clientId, username, password), password)).name).toBe('NotAuthorizedException');
});

test('ChangePassword checks the access token as GetUser does: invalid, expired, revoked', async () => {
  const { clientId, username, password } = pool();
  const change = (AccessToken: string) => h.sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: password, ProposedPassword: NEW_PASSWORD }));
  expect(await failure(change('not-a-token'))).toEqual({ name: 'NotAuthorizedException', message: 'Invalid Access Token' });
  const first = (await signIn(clientId, username, password)).AuthenticationResult!;
  await h.sdk.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken }));
  expect(await failure(change(first.AccessToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  const second = (await signIn(clientId, username, password)).AuthenticationResult!;
  h.clock += second.ExpiresIn! * 1000;
  expect(await failure(change(second.AccessToken!))).toEqual({ name: 'NotAuthorizedException', message: 'Access Token has expired' });
});

test('AdminResetUserPassword: a reset code is sent; the right password then answers PasswordResetRequired (USER_PASSWORD_AUTH and SRP), a wrong one Incorrect; the reset confirms the user', async () => {
  const { clientId, userPoolId, username, password } = pool();
  await h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: username }));
  expect(h.emu.inbox(username, { userPoolId })).toEqual([expect.objectContaining({ purpose: 'resetPassword', channel: 'EMAIL' })]);
  expect(await failure(signIn(clientId, username, password), password)).toEqual({ name: 'PasswordResetRequiredException', message: 'Password reset required for the user' });
  expect(await failure(signIn(clientId, username, 'Wrong-pw1!'))).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  expect((await failure(srpSignIn(userPoolId, clientId, username, password), password)).name).toBe('PasswordResetRequiredException');
  expect((await failure(srpSignIn(userPoolId, clientId, username, 'Wrong-pw1!'))).name).toBe('NotAuthorizedException');
  await confirm(clientId, username, resetCode(userPoolId, username));
  expect((await signIn(clientId, username, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
  expect((await failure(h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'nobody' })))).name).toBe('UserNotFoundException');
});

test('AdminResetUserPassword in a pool that auto-verifies nothing sends no code', async () => {
  const { userPoolId, username } = pool({ userPool: {} });
  await h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: username }));
  expect(h.emu.inbox(username, { userPoolId })).toEqual([]);
});

test('the hosted UI login refuses a RESET_REQUIRED user with the right password too (no session, no code)', async () => {
  const CB = 'http://localhost:3000/callback';
  const { clientId, userPoolId, username, password } = pool({ callbackUrls: [CB] });
  await h.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: username }));
  const b = new Browser(h.emu.endpoint);
  const page = await b.get(`/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: CB, response_type: 'code', scope: 'openid' }).toString()}`);
  const res = await b.post('/login', { flow: hidden(await page.text(), 'flow'), username, password });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('Password reset required for the user');
  expect(b.jar.get('cognito')).toBeUndefined();
});
