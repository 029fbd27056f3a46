// The emulator's choice-based sign-in (InitiateAuth USER_AUTH without a Session) over HTTP with the
// AWS SDK: SELECT_CHALLENGE and the AvailableChallenges each user gets from the pool's
// AllowedFirstAuthFactors; EMAIL_OTP and SMS_OTP end to end with the code from the inbox (purpose
// 'signIn'); one-step PASSWORD; PASSWORD_SRP through authchart's SRP client; wrong codes, expired
// sessions, a client without ALLOW_USER_AUTH, a factor the pool does not allow, a client with a
// secret, unknown users with and without PreventUserExistenceErrors. No code, password or session
// reaches the request log (the harness checks it) or an error message.
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, type ChallengeNameType, type InitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { startSrp } from '../services/srp/index.js';
import { secretHash, type SetupOptions } from '../src/testing/index';
import { accountHarness, failure } from './support/accountEmulator';
import { hashPaths } from './support/hashes.js';

const h = accountHarness();
const FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const ALL_FACTORS: Array<'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP'> = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'];
const PHONE = '+15555551234';
const INVALID_SESSION = { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' };
const MISMATCH = { name: 'CodeMismatchException', message: 'Invalid code received for user' };

interface Who {
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
  username: string;
  password: string;
}

/** A pool allowing `factors` first, a USER_AUTH client, and a user with a verified email and a verified phone number. */
function pool(options: SetupOptions & { factors?: Array<'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP'> } = {}): Who {
  const { factors = ALL_FACTORS, ...rest } = options;
  const made = h.pool({ explicitAuthFlows: FLOWS, ...rest, userPool: { AutoVerifiedAttributes: ['email'], ...rest.userPool, Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } } } });
  // setup()'s user has a verified email; another user has a phone number too (createUser marks it verified).
  const username = `${made.username}-phone`;
  h.emu.createUser({ userPoolId: made.userPoolId, username, password: made.password, attributes: { email: `${username}@example.com`, email_verified: 'true', phone_number: PHONE } });
  return { ...made, username };
}

/** A CONFIRMED user whose phone number is not verified (AdminCreateUser, then a permanent password). */
async function unverifiedPhoneUser(s: Who, username: string): Promise<Who> {
  const UserAttributes = [{ Name: 'phone_number', Value: PHONE }, { Name: 'phone_number_verified', Value: 'false' }, { Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }];
  await h.sdk.send(new AdminCreateUserCommand({ UserPoolId: s.userPoolId, Username: username, UserAttributes, MessageAction: 'SUPPRESS' }));
  await h.sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: s.userPoolId, Username: username, Password: s.password, Permanent: true }));
  return { ...s, username };
}

const hash = (s: Who, username: string): Record<string, string> => (s.clientSecret ? { SECRET_HASH: secretHash(s.clientSecret, username, s.clientId) } : {});

function initiate(s: Who, params: Record<string, string> = {}, username = s.username): Promise<InitiateAuthCommandOutput> {
  return h.sdk.send(new InitiateAuthCommand({ ClientId: s.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username, ...hash(s, username), ...params } }));
}

function respond(s: Who, name: ChallengeNameType, session: string | undefined, responses: Record<string, string>, username = s.username) {
  if (session !== undefined) h.secrets.push(session);
  return h.sdk.send(new RespondToAuthChallengeCommand({ ClientId: s.clientId, ChallengeName: name, Session: session, ChallengeResponses: { USERNAME: username, ...hash(s, username), ...responses } }));
}

/** The newest sign-in code sent to the user, kept among the secrets. */
const signInCode = (s: Who, username = s.username): string => h.newestCode(s.userPoolId, username, 'signIn');
const otherCode = (code: string): string => String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');

/** USER_AUTH's PASSWORD_SRP (preferred, or chosen on `session`) and the PASSWORD_VERIFIER answer, with authchart's SRP client. */
async function srpSignIn(s: Who, session?: string) {
  const handshake = startSrp(hashPaths()[0]!.hash);
  const out = session === undefined ? await initiate(s, { PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: handshake.srpA }) : await respond(s, 'SELECT_CHALLENGE', session, { ANSWER: 'PASSWORD_SRP', SRP_A: handshake.srpA });
  expect(out.ChallengeName).toBe('PASSWORD_VERIFIER');
  const c = out.ChallengeParameters ?? {};
  const answer = await handshake.answer({ userPoolId: s.userPoolId, userIdForSrp: c.USER_ID_FOR_SRP ?? '', password: s.password, srpB: c.SRP_B ?? '', salt: c.SALT ?? '', secretBlock: c.SECRET_BLOCK ?? '' });
  return respond(s, 'PASSWORD_VERIFIER', out.Session, { PASSWORD_CLAIM_SECRET_BLOCK: answer.passwordClaimSecretBlock, PASSWORD_CLAIM_SIGNATURE: answer.passwordClaimSignature, TIMESTAMP: answer.timestamp }, c.USERNAME ?? s.username);
}

const TOKENS = { AuthenticationResult: expect.objectContaining({ AccessToken: expect.any(String), IdToken: expect.any(String), RefreshToken: expect.any(String), TokenType: 'Bearer' }) };

describe('SELECT_CHALLENGE', () => {
  test('without PREFERRED_CHALLENGE: the pool’s allowed first factors this user can use, and a Session', async () => {
    const s = pool();
    const out = await initiate(s);
    h.secrets.push(out.Session!);
    expect(out).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', Session: expect.any(String), ChallengeParameters: {}, AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'] });
    expect(out.AuthenticationResult).toBeUndefined();
    // setup()'s user has no phone number: no SMS_OTP; nothing was sent to anyone.
    expect((await initiate(s, {}, s.username.replace(/-phone$/, ''))).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    expect(h.emu.inbox(s.username, { userPoolId: s.userPoolId })).toEqual([]);
  });

  test('an unverified phone number or email is not offered, nor is what the pool does not allow; a pool with MFA ON offers no codes', async () => {
    const unverified = await unverifiedPhoneUser(pool(), 'unverified-phone');
    expect((await initiate(unverified)).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    // Preferred but not usable: a choice instead, and nothing sent.
    expect(await initiate(unverified, { PREFERRED_CHALLENGE: 'SMS_OTP' })).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'] });
    expect(h.emu.inbox(unverified.username, { userPoolId: unverified.userPoolId })).toEqual([]);
    const passwordOnly = pool({ factors: ['PASSWORD'] });
    expect((await initiate(passwordOnly)).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
    const smsOnly = pool({ factors: ['PASSWORD', 'SMS_OTP'] });
    expect((await initiate(smsOnly)).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'SMS_OTP']);
    const mfaOn = pool({ userPool: { MfaConfiguration: 'ON' } });
    expect((await initiate(mfaOn)).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
  });

  test('the choice is used up; an ANSWER not among AvailableChallenges is refused and sends nothing', async () => {
    const s = pool({ factors: ['PASSWORD'] });
    const { Session } = await initiate(s, { PREFERRED_CHALLENGE: 'EMAIL_OTP' }); // not allowed by the pool: a choice instead
    expect(await failure(respond(s, 'SELECT_CHALLENGE', Session, { ANSWER: 'EMAIL_OTP' }), Session!)).toEqual({ name: 'InvalidParameterException', message: 'ANSWER must be one of the AvailableChallenges.' });
    expect(await failure(respond(s, 'SELECT_CHALLENGE', Session, { ANSWER: 'WEB_AUTHN' }), Session!)).toEqual({ name: 'InvalidParameterException', message: 'ANSWER must be one of the AvailableChallenges.' });
    expect(h.emu.inbox(s.username, { userPoolId: s.userPoolId })).toEqual([]);
    expect(await respond(s, 'SELECT_CHALLENGE', Session, { ANSWER: 'PASSWORD', PASSWORD: s.password })).toMatchObject(TOKENS);
    expect(await failure(respond(s, 'SELECT_CHALLENGE', Session, { ANSWER: 'PASSWORD', PASSWORD: s.password }), Session!, s.password)).toEqual(INVALID_SESSION);
  });

  test('a wrong password on the choice: NotAuthorizedException, and the choice is used up', async () => {
    const s = pool();
    const { Session } = await initiate(s);
    expect(await failure(respond(s, 'SELECT_CHALLENGE', Session, { ANSWER: 'PASSWORD', PASSWORD: 'Wrong-pw1!' }), Session!)).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(await failure(respond(s, 'SELECT_CHALLENGE', Session, { ANSWER: 'PASSWORD', PASSWORD: s.password }), Session!, s.password)).toEqual(INVALID_SESSION);
    // PASSWORD without the password: refused before the choice is spent.
    const again = await initiate(s);
    expect(await failure(respond(s, 'SELECT_CHALLENGE', again.Session, { ANSWER: 'PASSWORD' }), again.Session!)).toEqual({ name: 'InvalidParameterException', message: 'Missing required parameter PASSWORD' });
    expect(await respond(s, 'SELECT_CHALLENGE', again.Session, { ANSWER: 'PASSWORD', PASSWORD: s.password })).toMatchObject(TOKENS);
  });
});

describe('EMAIL_OTP and SMS_OTP', () => {
  test('EMAIL_OTP chosen: a code to the verified email (inbox, purpose signIn), the masked destination, then tokens; the session is used up', async () => {
    const s = pool();
    const choice = await initiate(s);
    const challenge = await respond(s, 'SELECT_CHALLENGE', choice.Session, { ANSWER: 'EMAIL_OTP' });
    expect(challenge).toMatchObject({ ChallengeName: 'EMAIL_OTP', Session: expect.any(String), ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 't***@e***' } });
    expect(challenge.Session).not.toBe(choice.Session);
    expect(h.emu.inbox(s.username, { userPoolId: s.userPoolId })).toEqual([expect.objectContaining({ purpose: 'signIn', channel: 'EMAIL', destination: `${s.username}@example.com`, code: expect.stringMatching(/^\d{6}$/) })]);
    const code = signInCode(s);
    expect(await respond(s, 'EMAIL_OTP', challenge.Session, { EMAIL_OTP_CODE: code })).toMatchObject(TOKENS);
    expect(await failure(respond(s, 'EMAIL_OTP', challenge.Session, { EMAIL_OTP_CODE: code }), code, challenge.Session!)).toEqual(INVALID_SESSION);
    // The request log has operation names and statuses only (the harness checks every secret again at the end).
    const log = JSON.stringify(h.emu.requests);
    for (const secret of [code, choice.Session!, challenge.Session!]) expect(log).not.toContain(secret);
    expect(h.emu.requests.slice(-4).map((r) => `${r.operation} ${r.status}`)).toEqual(['InitiateAuth 200', 'RespondToAuthChallenge 200', 'RespondToAuthChallenge 200', 'RespondToAuthChallenge 400']);
  });

  test('SMS_OTP preferred: straight to the SMS code (masked number), then tokens', async () => {
    const s = pool();
    const challenge = await initiate(s, { PREFERRED_CHALLENGE: 'SMS_OTP' });
    expect(challenge).toMatchObject({ ChallengeName: 'SMS_OTP', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******1234' } });
    expect(challenge.AvailableChallenges).toBeUndefined();
    expect(h.emu.inbox(s.username, { userPoolId: s.userPoolId })).toEqual([expect.objectContaining({ purpose: 'signIn', channel: 'SMS', destination: PHONE })]);
    expect(await respond(s, 'SMS_OTP', challenge.Session, { SMS_OTP_CODE: signInCode(s) })).toMatchObject(TOKENS);
  });

  test('a wrong code: CodeMismatchException and the session stays for another try, up to 3 wrong codes; the code of another session does not work', async () => {
    const s = pool();
    const first = await initiate(s, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const firstCode = signInCode(s);
    const second = await initiate(s, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const code = signInCode(s);
    if (firstCode !== code) expect(await failure(respond(s, 'EMAIL_OTP', second.Session, { EMAIL_OTP_CODE: firstCode }), firstCode, code)).toEqual(MISMATCH);
    else expect(await failure(respond(s, 'EMAIL_OTP', second.Session, { EMAIL_OTP_CODE: otherCode(code) }), code)).toEqual(MISMATCH);
    expect(await respond(s, 'EMAIL_OTP', second.Session, { EMAIL_OTP_CODE: code })).toMatchObject(TOKENS);
    // Three wrong codes use the session up: the right one is refused after them.
    for (let i = 0; i < 3; i++) expect(await failure(respond(s, 'EMAIL_OTP', first.Session, { EMAIL_OTP_CODE: otherCode(firstCode) }), firstCode)).toEqual(MISMATCH);
    expect(await failure(respond(s, 'EMAIL_OTP', first.Session, { EMAIL_OTP_CODE: firstCode }), firstCode)).toEqual(INVALID_SESSION);
  });

  test('a session lasts the client’s AuthSessionValidity by the emulator’s clock', async () => {
    const s = pool({ authSessionValidity: 5 });
    const challenge = await initiate(s, { PREFERRED_CHALLENGE: 'SMS_OTP' });
    const code = signInCode(s);
    h.clock += 4 * 60_000;
    expect(await failure(respond(s, 'SMS_OTP', challenge.Session, { SMS_OTP_CODE: otherCode(code) }), code)).toEqual(MISMATCH);
    h.clock += 60_000; // 5 minutes: expired
    expect(await failure(respond(s, 'SMS_OTP', challenge.Session, { SMS_OTP_CODE: code }), code)).toEqual(INVALID_SESSION);
    const choice = await initiate(s);
    h.clock += 5 * 60_000;
    expect(await failure(respond(s, 'SELECT_CHALLENGE', choice.Session, { ANSWER: 'SMS_OTP' }), choice.Session!)).toEqual(INVALID_SESSION);
  });

  test('a sign-in code is the whole sign-in: a user with TOTP in an OPTIONAL pool gets tokens; the same user’s PASSWORD goes on to the MFA', async () => {
    const s = { ...h.pool({ explicitAuthFlows: FLOWS, mfa: 'SOFTWARE_TOKEN_MFA', userPool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ALL_FACTORS } } } }) };
    const challenge = await initiate(s, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(await respond(s, 'EMAIL_OTP', challenge.Session, { EMAIL_OTP_CODE: signInCode(s) })).toMatchObject(TOKENS);
    const password = await initiate(s, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: s.password });
    h.secrets.push(password.Session!);
    expect(password).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: expect.any(String) });
  });
});

describe('PASSWORD and PASSWORD_SRP', () => {
  test('PREFERRED_CHALLENGE PASSWORD with PASSWORD: tokens in one step; a wrong password or none is refused', async () => {
    const s = pool();
    expect(await initiate(s, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: s.password })).toMatchObject(TOKENS);
    expect(await failure(initiate(s, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong-pw1!' }))).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(await failure(initiate(s, { PREFERRED_CHALLENGE: 'PASSWORD' }))).toEqual({ name: 'InvalidParameterException', message: 'Missing required parameter PASSWORD' });
  });

  test('PASSWORD_SRP, preferred or chosen: PASSWORD_VERIFIER, answered by authchart’s SRP client, then tokens', async () => {
    const s = pool();
    expect(await srpSignIn(s)).toMatchObject(TOKENS);
    const choice = await initiate(s);
    expect(await srpSignIn(s, choice.Session)).toMatchObject(TOKENS);
    expect(await failure(initiate(s, { PREFERRED_CHALLENGE: 'PASSWORD_SRP' }))).toEqual({ name: 'InvalidParameterException', message: 'Missing required parameter SRP_A' });
  });
});

describe('refusals', () => {
  test('a client without ALLOW_USER_AUTH: InvalidParameterException', async () => {
    const s = pool({ explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    expect(await failure(initiate(s))).toEqual({ name: 'InvalidParameterException', message: 'USER_AUTH flow not enabled for this client' });
    expect(await failure(initiate(s, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: s.password }), s.password)).toEqual({ name: 'InvalidParameterException', message: 'USER_AUTH flow not enabled for this client' });
  });

  test('a PREFERRED_CHALLENGE that is not a challenge name: InvalidParameterException; WEB_AUTHN (no passkey yet): a choice', async () => {
    const s = pool();
    expect((await failure(initiate(s, { PREFERRED_CHALLENGE: 'TOTP' }))).name).toBe('InvalidParameterException');
    expect(await initiate(s, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'] });
  });

  test('a client with a secret: SECRET_HASH is required at every step', async () => {
    const s = pool({ generateSecret: true });
    expect(await failure(h.sdk.send(new InitiateAuthCommand({ ClientId: s.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: s.username } })))).toEqual({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${s.clientId}` });
    const choice = await initiate(s);
    const bare = h.sdk.send(new RespondToAuthChallengeCommand({ ClientId: s.clientId, ChallengeName: 'SELECT_CHALLENGE', Session: choice.Session, ChallengeResponses: { USERNAME: s.username, ANSWER: 'EMAIL_OTP' } }));
    expect((await failure(bare, choice.Session!)).name).toBe('NotAuthorizedException');
    const challenge = await respond(s, 'SELECT_CHALLENGE', choice.Session, { ANSWER: 'EMAIL_OTP' });
    expect(await respond(s, 'EMAIL_OTP', challenge.Session, { EMAIL_OTP_CODE: signInCode(s) })).toMatchObject(TOKENS);
  });

  test('an unknown user: UserNotFoundException; with PreventUserExistenceErrors, a choice and code challenge like a real user’s that always fail', async () => {
    const legacy = pool();
    expect(await failure(initiate(legacy, {}, 'nobody'))).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    const s = pool({ preventUserExistenceErrors: true });
    const choice = await initiate(s, {}, 'nobody');
    expect(choice).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', Session: expect.any(String), AvailableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'] });
    const challenge = await respond(s, 'SELECT_CHALLENGE', choice.Session, { ANSWER: 'EMAIL_OTP' }, 'nobody');
    expect(challenge).toMatchObject({ ChallengeName: 'EMAIL_OTP', Session: expect.any(String), ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: expect.stringMatching(/^n\*\*\*@.\*\*\*$/) } });
    expect(await failure(respond(s, 'EMAIL_OTP', challenge.Session, { EMAIL_OTP_CODE: '123456' }, 'nobody'))).toEqual(MISMATCH);
    const sms = await initiate(s, { PREFERRED_CHALLENGE: 'SMS_OTP' }, 'nobody');
    expect(sms.ChallengeParameters).toEqual({ CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: expect.stringMatching(/^\+\*{7}\d{4}$/) });
    // Stable per username, as a real destination is.
    expect((await initiate(s, { PREFERRED_CHALLENGE: 'SMS_OTP' }, 'nobody')).ChallengeParameters).toEqual(sms.ChallengeParameters);
    expect(await failure(initiate(s, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Any-pw1!' }, 'nobody'))).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect(h.emu.inbox('nobody', { userPoolId: s.userPoolId })).toEqual([]);
  });
});

test('a pool that tracks devices: an EMAIL_OTP first-factor sign-in ends as a password sign-in does, with NewDeviceMetadata and a device_key claim', async () => {
  const s = pool({ factors: ['PASSWORD', 'EMAIL_OTP'], userPool: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } } });
  const started = await initiate(s, { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
  expect(started.ChallengeName).toBe('EMAIL_OTP');
  const done = await respond(s, 'EMAIL_OTP', started.Session, { EMAIL_OTP_CODE: signInCode(s) });
  expect(done.AuthenticationResult?.NewDeviceMetadata?.DeviceKey).toMatch(/^[a-z]{2}(-[a-z]+)+-\d_[0-9a-f-]{36}$/);
  const claims = JSON.parse(Buffer.from(done.AuthenticationResult!.AccessToken!.split('.')[1]!, 'base64url').toString('utf8')) as { device_key?: string };
  expect(claims.device_key).toBe(done.AuthenticationResult?.NewDeviceMetadata?.DeviceKey);
});
