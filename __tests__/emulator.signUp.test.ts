// The emulator's sign-up over HTTP with the AWS SDK: SignUp (password policy, UsernameExists,
// SECRET_HASH, where the code goes), ConfirmSignUp (the newest code within 24 hours, the verified
// attribute, already confirmed, unknown users with and without PreventUserExistenceErrors) and
// its Session, which InitiateAuth USER_AUTH turns into tokens once; ResendConfirmationCode and
// AdminConfirmSignUp. Codes are read from h.emu.inbox(); none reaches the request log or an error.
import {
  AdminConfirmSignUpCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash, type SetupOptions } from '../src/testing/index';
import { accountHarness, failure } from './support/accountEmulator';

const PASSWORD = 'Sign-up-pw1!';
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'];
const h = accountHarness();

function pool(options: SetupOptions = {}) {
  return h.emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] }, explicitAuthFlows: FLOWS, ...options });
}
const newName = (() => {
  let n = 0;
  return () => `new-user-${++n}`;
})();
async function signUp(clientId: string, username: string, attributes: Record<string, string> = { email: `${username}@example.com` }) {
  h.secrets.push(PASSWORD);
  return h.sdk.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }));
}
function codeOf(userPoolId: string, username: string): string {
  const sent = h.emu.inbox(username, { userPoolId }).filter((m) => m.purpose === 'signUp');
  const code = sent[sent.length - 1]!.code;
  h.secrets.push(code);
  return code;
}
const passwordSignIn = (clientId: string, username: string, password = PASSWORD) =>
  h.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
const sessionSignIn = (clientId: string, username: string, session: string | undefined) =>
  h.sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username }, Session: session }));

test('SignUp: an UNCONFIRMED user and a code to the auto-verified email, with masked CodeDeliveryDetails; signing in says UserNotConfirmed', async () => {
  const { userPoolId, clientId } = pool();
  const username = newName();
  const answer = await signUp(clientId, username, { email: 'jane@example.com' });
  expect(answer).toMatchObject({ UserConfirmed: false, UserSub: expect.stringMatching(/^[0-9a-f-]{36}$/), CodeDeliveryDetails: { Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } });
  expect(h.emu.inbox(username, { userPoolId })).toEqual([expect.objectContaining({ purpose: 'signUp', channel: 'EMAIL', destination: 'jane@example.com', code: expect.stringMatching(/^\d{6}$/) })]);
  expect(await failure(passwordSignIn(clientId, username))).toEqual({ name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
});

test('SignUp: the phone gets the code when the pool verifies phone numbers (also when it verifies both); with nothing to send to, no code and no CodeDeliveryDetails', async () => {
  const both = pool({ userPool: { AutoVerifiedAttributes: ['email', 'phone_number'] } });
  const answer = await signUp(both.clientId, 'phone-user', { email: 'p@example.com', phone_number: '+15555550199' });
  expect(answer.CodeDeliveryDetails).toEqual({ Destination: '+*******0199', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
  const none = pool({ userPool: {} });
  const quiet = await signUp(none.clientId, 'quiet-user');
  expect(quiet.CodeDeliveryDetails).toBeUndefined();
  expect(quiet.UserConfirmed).toBe(false);
  expect(h.emu.inbox('quiet-user', { userPoolId: none.userPoolId })).toEqual([]);
  // Such a user is confirmed by an administrator.
  await h.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: none.userPoolId, Username: 'quiet-user' }));
  expect((await passwordSignIn(none.clientId, 'quiet-user')).AuthenticationResult?.AccessToken).toBeDefined();
  expect(await failure(h.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: none.userPoolId, Username: 'quiet-user' })))).toEqual({ name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  expect((await failure(h.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: none.userPoolId, Username: 'nobody' })))).name).toBe('UserNotFoundException');
});

test('SignUp refuses a password the policy refuses, an existing username, and a written sub', async () => {
  const { clientId, username } = pool({ userPool: { AutoVerifiedAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 12 } } } });
  const weak = h.sdk.send(new SignUpCommand({ ClientId: clientId, Username: newName(), Password: 'short-pw1!' }));
  expect(await failure(weak, 'short-pw1!')).toEqual({ name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
  const taken = h.sdk.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: 'long-enough-pw1!' }));
  expect(await failure(taken, 'long-enough-pw1!')).toEqual({ name: 'UsernameExistsException', message: 'User already exists' });
  const sub = h.sdk.send(new SignUpCommand({ ClientId: clientId, Username: newName(), Password: 'long-enough-pw1!', UserAttributes: [{ Name: 'sub', Value: 'mine' }] }));
  expect((await failure(sub)).name).toBe('NotAuthorizedException');
  expect((await failure(h.sdk.send(new SignUpCommand({ ClientId: 'nope', Username: newName(), Password: PASSWORD })))).name).toBe('ResourceNotFoundException');
});

test('a client with a secret: SignUp, ConfirmSignUp and ResendConfirmationCode need the SECRET_HASH', async () => {
  const { clientId, clientSecret, userPoolId } = pool({ generateSecret: true });
  const username = newName();
  const missing = h.sdk.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }));
  expect(await failure(missing)).toEqual({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${clientId}` });
  const hash = secretHash(clientSecret!, username, clientId);
  await h.sdk.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, SecretHash: hash, UserAttributes: [{ Name: 'email', Value: 'x@example.com' }] }));
  expect((await failure(h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username, SecretHash: 'd3Jvbmc=' })))).name).toBe('NotAuthorizedException');
  await h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username, SecretHash: hash }));
  const code = codeOf(userPoolId, username);
  expect((await failure(h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code })), code)).name).toBe('NotAuthorizedException');
  await h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, SecretHash: hash }));
});

test('ConfirmSignUp: a wrong code is refused, the right one confirms and verifies the email; confirming again is refused', async () => {
  const { clientId, userPoolId } = pool();
  const username = newName();
  await signUp(clientId, username);
  const code = codeOf(userPoolId, username);
  const wrong = code === '000000' ? '000001' : '000000';
  expect(await failure(h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: wrong })), code)).toEqual({ name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
  const confirmed = await h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
  expect(confirmed.Session).toEqual(expect.any(String));
  h.secrets.push(confirmed.Session!);
  const tokens = (await passwordSignIn(clientId, username)).AuthenticationResult!;
  const idClaims = JSON.parse(Buffer.from(tokens.IdToken!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  expect(idClaims.email_verified).toBe(true);
  expect(await failure(h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code })), code)).toEqual({ name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
});

test('ConfirmSignUp: a code older than 24 hours is expired; after ResendConfirmationCode only the newest code confirms', async () => {
  const { clientId, userPoolId } = pool();
  const username = newName();
  await signUp(clientId, username);
  const first = codeOf(userPoolId, username);
  h.clock += 24 * 3600 * 1000 + 1;
  expect(await failure(h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: first })), first)).toEqual({ name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
  const resent = await h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username }));
  expect(resent.CodeDeliveryDetails).toEqual({ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  const second = codeOf(userPoolId, username);
  expect(h.emu.inbox(username, { userPoolId })).toHaveLength(2);
  if (first !== second) expect((await failure(h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: first })), first)).name).toBe('CodeMismatchException');
  h.clock += 24 * 3600 * 1000; // exactly 24 hours: still valid
  await h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: second }));
  expect(await failure(h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username })))).toEqual({ name: 'InvalidParameterException', message: 'User is already confirmed.' });
});

test('unknown users: UserNotFoundException, or with PreventUserExistenceErrors what Cognito documents (ConfirmSignUp: ExpiredCode; a resend: a simulated delivery)', async () => {
  const legacy = pool();
  expect(await failure(h.sdk.send(new ConfirmSignUpCommand({ ClientId: legacy.clientId, Username: 'nobody', ConfirmationCode: '123456' })))).toEqual({ name: 'UserNotFoundException', message: 'Username/client id combination not found.' });
  expect((await failure(h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: legacy.clientId, Username: 'nobody' })))).name).toBe('UserNotFoundException');
  const prevent = pool({ preventUserExistenceErrors: true });
  expect((await failure(h.sdk.send(new ConfirmSignUpCommand({ ClientId: prevent.clientId, Username: 'nobody', ConfirmationCode: '123456' })))).name).toBe('ExpiredCodeException');
  const unknown = await h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: prevent.clientId, Username: 'nobody' }));
  await signUp(prevent.clientId, 'somebody', { email: 'somebody@example.com' });
  const known = await h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: prevent.clientId, Username: 'somebody' }));
  const shape = { Destination: expect.stringMatching(/^.\*\*\*@.\*\*\*$/), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  expect(unknown.CodeDeliveryDetails).toEqual(shape);
  expect(known.CodeDeliveryDetails).toEqual(shape);
  // Stable per username, and nothing stored for nobody.
  expect((await h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: prevent.clientId, Username: 'nobody' }))).CodeDeliveryDetails).toEqual(unknown.CodeDeliveryDetails);
  expect(h.emu.inbox('nobody', { userPoolId: prevent.userPoolId })).toEqual([]);
});

test('ResendConfirmationCode in a pool that verifies nothing: InvalidParameterException', async () => {
  const { clientId } = pool({ userPool: {} });
  await signUp(clientId, 'no-auto');
  expect(await failure(h.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'no-auto' })))).toEqual({ name: 'InvalidParameterException', message: 'Cannot resend codes. Auto verification not turned on.' });
});

test('ConfirmSignUp’s Session: InitiateAuth USER_AUTH turns it into tokens once, for that user and client', async () => {
  const { clientId, userPoolId } = pool();
  const username = newName();
  await signUp(clientId, username);
  const { Session } = await h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: codeOf(userPoolId, username) }));
  h.secrets.push(Session!);
  expect((await failure(sessionSignIn(clientId, 'someone-else', Session), Session!)).message).toBe('Invalid session for the user, session is expired.');
  const signedIn = await sessionSignIn(clientId, username, Session);
  expect(signedIn.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String), RefreshToken: expect.any(String), TokenType: 'Bearer' });
  expect(await failure(sessionSignIn(clientId, username, Session), Session!)).toEqual({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
  // Without a Session, USER_AUTH is the choice-based sign-in (emulator.userAuth.test.ts): a choice of first factor.
  const choice = await sessionSignIn(clientId, username, undefined);
  h.secrets.push(choice.Session!);
  expect(choice).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP'] });
});

test('ConfirmSignUp’s Session lasts the client’s AuthSessionValidity and needs ALLOW_USER_AUTH', async () => {
  const { clientId, userPoolId } = pool({ authSessionValidity: 5 });
  const username = newName();
  await signUp(clientId, username);
  const { Session } = await h.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: codeOf(userPoolId, username) }));
  h.secrets.push(Session!);
  h.clock += 5 * 60_000;
  expect((await failure(sessionSignIn(clientId, username, Session), Session!)).name).toBe('NotAuthorizedException');

  const inTime = pool({ authSessionValidity: 5 });
  const other = newName();
  await signUp(inTime.clientId, other);
  const fresh = await h.sdk.send(new ConfirmSignUpCommand({ ClientId: inTime.clientId, Username: other, ConfirmationCode: codeOf(inTime.userPoolId, other) }));
  h.secrets.push(fresh.Session!);
  h.clock += 5 * 60_000 - 1;
  expect((await sessionSignIn(inTime.clientId, other, fresh.Session)).AuthenticationResult?.AccessToken).toBeDefined();

  const noUserAuth = pool({ explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
  const third = newName();
  await signUp(noUserAuth.clientId, third);
  const refused = await h.sdk.send(new ConfirmSignUpCommand({ ClientId: noUserAuth.clientId, Username: third, ConfirmationCode: codeOf(noUserAuth.userPoolId, third) }));
  h.secrets.push(refused.Session!);
  expect(await failure(sessionSignIn(noUserAuth.clientId, third, refused.Session), refused.Session!)).toEqual({ name: 'InvalidParameterException', message: 'USER_AUTH flow not enabled for this client' });
});
