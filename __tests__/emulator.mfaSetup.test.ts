// The emulator's MFA setup and choice over HTTP with the AWS SDK: SetUserPoolMfaConfig and
// GetUserPoolMfaConfig, AssociateSoftwareToken and VerifySoftwareToken (with an access token, and
// with the MFA_SETUP challenge's Session), SetUserMFAPreference and GetUser's MFA settings, and the
// sign-in steps MFA_SETUP (TOTP and email), SELECT_MFA_TYPE and EMAIL_OTP. TOTP codes are computed
// here from the SecretCode the emulator answers, as an authenticator app would.
import {
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type ChallengeNameType,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { rejection, sdkClient } from './support/sdk.js';
import { totpCode, wrongCode } from './support/totp';

let emu!: CognitoEmulator;
let sdk!: CognitoIdentityProviderClient;
let clock = Date.now();
const PASSWORD = 'Passw0rd-mfa!';

beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
  sdk = sdkClient(emu.endpoint);
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

interface Pool {
  userPoolId: string;
  clientId: string;
}

let users = 0;
/** A pool with this MFA configuration, a client for USER_PASSWORD_AUTH, and a user without MFA. */
async function pool(mfa: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>, options: { email?: boolean; authSessionValidity?: number } = {}): Promise<Pool & { username: string }> {
  const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: 'mfa' }));
  const userPoolId = UserPool!.Id!;
  await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, ...mfa }));
  const { UserPoolClient } = await sdk.send(
    new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'c', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...(options.authSessionValidity === undefined ? {} : { AuthSessionValidity: options.authSessionValidity }) }),
  );
  const username = `user-${++users}`;
  const attributes: Record<string, string> = options.email === false ? {} : { email: `${username}@example.com`, email_verified: 'true' };
  emu.createUser({ userPoolId, username, password: PASSWORD, attributes });
  return { userPoolId, clientId: UserPoolClient!.ClientId!, username };
}

const TOTP_ONLY = { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } } as const;
const signIn = (p: Pool, username: string, password = PASSWORD) => sdk.send(new InitiateAuthCommand({ ClientId: p.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
const respond = (p: Pool, name: ChallengeNameType, session: string | undefined, responses: Record<string, string>) =>
  sdk.send(new RespondToAuthChallengeCommand({ ClientId: p.clientId, ChallengeName: name, ...(session === undefined ? {} : { Session: session }), ChallengeResponses: responses }));
const accessTokenOf = async (p: Pool, username: string): Promise<string> => {
  const out = await signIn(p, username);
  if (!out.AuthenticationResult?.AccessToken) throw new Error(`expected tokens, got the challenge ${String(out.ChallengeName)}`);
  return out.AuthenticationResult.AccessToken;
};
const getUser = (accessToken: string) => sdk.send(new GetUserCommand({ AccessToken: accessToken }));
const preference = (accessToken: string, settings: Omit<ConstructorParameters<typeof SetUserMFAPreferenceCommand>[0], 'AccessToken'>) => sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, ...settings }));

/** AssociateSoftwareToken and VerifySoftwareToken with an access token: the SecretCode, now verified. */
async function verifiedTotp(accessToken: string): Promise<string> {
  const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  await sdk.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(SecretCode!, clock) }));
  return SecretCode!;
}

describe('SetUserPoolMfaConfig and GetUserPoolMfaConfig', () => {
  test('set the factors and MfaConfiguration; a factor left out is off; MfaConfiguration left out is kept', async () => {
    const { userPoolId } = await pool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Code' } });
    const read = () => sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }));
    expect(await read()).toMatchObject({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} });
    expect((await read()).SmsMfaConfiguration).toBeUndefined();
    const set = await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}' } }));
    expect(set).toMatchObject({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: false }, SmsMfaConfiguration: {} });
    expect(set.EmailMfaConfiguration).toBeUndefined();
    expect((await sdk.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))).UserPool?.MfaConfiguration).toBe('ON');
  });

  test('refused: MFA OFF with a factor, an unknown MfaConfiguration, a template without {####}, an unknown pool', async () => {
    const { userPoolId } = await pool(TOTP_ONLY);
    const set = (input: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>, id = userPoolId) => rejection(sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, ...input })));
    expect(await set({ MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: true } })).toMatchObject({ name: 'InvalidParameterException', message: "Invalid MFA configuration given, can't turn off MFA and configure an MFA together." });
    expect(await set({ MfaConfiguration: 'SOMETIMES' as 'ON' })).toMatchObject({ name: 'InvalidParameterException' });
    expect(await set({ MfaConfiguration: 'ON', EmailMfaConfiguration: { Message: 'no placeholder' } })).toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('{####}') });
    expect(await set(TOTP_ONLY, 'us-east-1_nope')).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await rejection(sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_nope' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: userPoolId }))).toMatchObject(TOTP_ONLY);
  });

  test('MFA OFF: no user is asked for MFA, whatever they enabled', async () => {
    const p = await pool(TOTP_ONLY);
    const token = await accessTokenOf(p, p.username);
    await verifiedTotp(token);
    await preference(token, { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    expect((await signIn(p, p.username)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: p.userPoolId, MfaConfiguration: 'OFF' }));
    expect((await signIn(p, p.username)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });
});

describe('TOTP with an access token: AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference', () => {
  test('a secret, verified with its code, then enabled and preferred: GetUser lists it and the next sign-in asks for it', async () => {
    const p = await pool(TOTP_ONLY);
    const token = await accessTokenOf(p, p.username);
    expect(await rejection(preference(token, { SoftwareTokenMfaSettings: { Enabled: true } }))).toMatchObject({ name: 'InvalidParameterException', message: 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA' });
    const associated = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
    expect(associated.SecretCode).toMatch(/^[A-Z2-7]{32}$/);
    expect(associated.Session).toBeUndefined();
    const secret = associated.SecretCode!;
    expect(await rejection(preference(token, { SoftwareTokenMfaSettings: { Enabled: true } }))).toMatchObject({ name: 'InvalidParameterException' });
    const verify = (UserCode: string) => sdk.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode, FriendlyDeviceName: 'phone' }));
    expect(await rejection(verify(wrongCode(secret, clock)))).toMatchObject({ name: 'EnableSoftwareTokenMFAException', message: 'Code mismatch and fail enable Software Token MFA' });
    expect(await rejection(verify('12ab56'))).toMatchObject({ name: 'InvalidParameterException' });
    const verified = await verify(totpCode(secret, clock));
    expect(verified.Status).toBe('SUCCESS');
    expect(verified.Session).toBeUndefined();
    const before = await getUser(token);
    expect(before.UserMFASettingList).toBeUndefined();
    expect(before.PreferredMfaSetting).toBeUndefined();
    expect((await signIn(p, p.username)).AuthenticationResult).toBeDefined(); // verified, not enabled yet
    await preference(token, { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    expect(await getUser(token)).toMatchObject({ UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' });
    const challenge = await signIn(p, p.username);
    expect(challenge).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: {} });
    expect(emu.mfaCode(p.userPoolId, p.username)).toBe(totpCode(secret, clock));
    const done = await respond(p, 'SOFTWARE_TOKEN_MFA', challenge.Session, { USERNAME: p.username, SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, clock) });
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    await preference(token, { SoftwareTokenMfaSettings: { Enabled: false } });
    const after = await getUser(token);
    expect(after.UserMFASettingList).toBeUndefined();
    expect(after.PreferredMfaSetting).toBeUndefined();
    expect((await signIn(p, p.username)).AuthenticationResult).toBeDefined();
  });

  test('AssociateSoftwareToken again while TOTP works (amplify-js #1226): sign-in stops asking for it while GetUser still lists it, until the new secret is verified', async () => {
    const p = await pool(TOTP_ONLY);
    const token = await accessTokenOf(p, p.username);
    const first = await verifiedTotp(token);
    await preference(token, { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    const { SecretCode: second } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
    expect(second).not.toBe(first);
    expect(await getUser(token)).toMatchObject({ UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' });
    expect((await signIn(p, p.username)).AuthenticationResult).toBeDefined(); // no TOTP asked for
    expect(await rejection(preference(token, { SoftwareTokenMfaSettings: { Enabled: false } }))).toMatchObject({ name: 'InvalidParameterException', message: 'User has not set up software token mfa' });
    await sdk.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: totpCode(second!, clock) }));
    const challenge = await signIn(p, p.username);
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const answer = (secret: string) => respond(p, 'SOFTWARE_TOKEN_MFA', challenge.Session, { USERNAME: p.username, SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, clock) });
    if (totpCode(first, clock) !== totpCode(second!, clock)) expect(await rejection(answer(first))).toMatchObject({ name: 'CodeMismatchException' });
    await expect(answer(second!)).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });

  test('refused: a pool without TOTP, a verify before any associate, both or neither of AccessToken and Session, a bad token or session', async () => {
    const noTotp = await pool({ MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} });
    const other = await accessTokenOf(noTotp, noTotp.username);
    expect(await rejection(sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: other })))).toMatchObject({ name: 'SoftwareTokenMFANotFoundException' });
    const p = await pool(TOTP_ONLY);
    const token = await accessTokenOf(p, p.username);
    expect(await rejection(sdk.send(new VerifySoftwareTokenCommand({ AccessToken: token, UserCode: '123456' })))).toMatchObject({ name: 'SoftwareTokenMFANotFoundException' });
    expect(await rejection(sdk.send(new AssociateSoftwareTokenCommand({})))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await rejection(sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: token, Session: 'x'.repeat(40) })))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await rejection(sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: 'not-a-token' })))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Access Token' });
    expect(await rejection(sdk.send(new AssociateSoftwareTokenCommand({ Session: 'x'.repeat(40) })))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
    expect(await rejection(preference('not-a-token', { SoftwareTokenMfaSettings: { Enabled: false } }))).toMatchObject({ name: 'NotAuthorizedException' });
  });

  test('SetUserMFAPreference: SMS and email need a phone or an email, one preferred at most, a preferred factor must be enabled', async () => {
    const p = await pool({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} }, { email: false });
    const token = await accessTokenOf(p, p.username);
    expect(await rejection(preference(token, { SMSMfaSettings: { Enabled: true } }))).toMatchObject({ name: 'InvalidParameterException', message: 'User does not have delivery config set to turn on SMS_MFA' });
    expect(await rejection(preference(token, { EmailMfaSettings: { Enabled: true } }))).toMatchObject({ name: 'InvalidParameterException', message: 'User does not have delivery config set to turn on EMAIL_OTP' });
    await verifiedTotp(token);
    expect(await rejection(preference(token, { SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: true } }))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await rejection(preference(token, { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true }, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }))).toMatchObject({ name: 'InvalidParameterException' });
    // Nothing changed by the refused calls.
    expect((await getUser(token)).UserMFASettingList).toBeUndefined();
  });
});

describe('MFA_SETUP during sign-in', () => {
  const REQUIRED = { MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} } as const;

  test('TOTP: AssociateSoftwareToken and VerifySoftwareToken with the Session, then MFA_SETUP {USERNAME} gets tokens; the next sign-in asks for TOTP', async () => {
    const p = await pool(REQUIRED);
    const setup = await signIn(p, p.username);
    expect(setup).toMatchObject({ ChallengeName: 'MFA_SETUP', Session: expect.any(String), ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' } });
    expect(setup.AuthenticationResult).toBeUndefined();
    expect(await rejection(respond(p, 'MFA_SETUP', setup.Session, { USERNAME: p.username }))).toMatchObject({ name: 'InvalidParameterException' });
    const associated = await sdk.send(new AssociateSoftwareTokenCommand({ Session: setup.Session! }));
    expect(associated).toMatchObject({ SecretCode: expect.stringMatching(/^[A-Z2-7]{32}$/), Session: expect.any(String) });
    expect(associated.Session).not.toBe(setup.Session);
    expect(await rejection(sdk.send(new VerifySoftwareTokenCommand({ Session: setup.Session!, UserCode: totpCode(associated.SecretCode!, clock) })))).toMatchObject({ name: 'NotAuthorizedException' });
    const secret = associated.SecretCode!;
    expect(await rejection(sdk.send(new VerifySoftwareTokenCommand({ Session: associated.Session!, UserCode: wrongCode(secret, clock) })))).toMatchObject({ name: 'EnableSoftwareTokenMFAException' });
    const verified = await sdk.send(new VerifySoftwareTokenCommand({ Session: associated.Session!, UserCode: totpCode(secret, clock), FriendlyDeviceName: 'phone' }));
    expect(verified).toMatchObject({ Status: 'SUCCESS', Session: expect.any(String) });
    expect(await rejection(respond(p, 'MFA_SETUP', verified.Session, { USERNAME: 'someone-else' }))).toMatchObject({ name: 'NotAuthorizedException' });
    const done = await respond(p, 'MFA_SETUP', verified.Session, { USERNAME: p.username });
    const token = done.AuthenticationResult!.AccessToken!;
    expect(await getUser(token)).toMatchObject({ UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' });
    expect(await rejection(respond(p, 'MFA_SETUP', verified.Session, { USERNAME: p.username }))).toMatchObject({ name: 'NotAuthorizedException' });
    const next = await signIn(p, p.username);
    expect(next.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    await expect(respond(p, 'SOFTWARE_TOKEN_MFA', next.Session, { USERNAME: p.username, SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, clock) })).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });

  test('email: MFA_SETUP {USERNAME, EMAIL}, then an EMAIL_OTP code from the inbox; a wrong code keeps the session; email MFA is then enabled', async () => {
    const p = await pool({ MfaConfiguration: 'ON', EmailMfaConfiguration: {} }, { email: false });
    const setup = await signIn(p, p.username);
    expect(setup).toMatchObject({ ChallengeName: 'MFA_SETUP', ChallengeParameters: { MFAS_CAN_SETUP: '["EMAIL_OTP"]' } });
    expect(await rejection(respond(p, 'MFA_SETUP', setup.Session, { USERNAME: p.username, EMAIL: 'not-an-address' }))).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid email address format.' });
    const otp = await respond(p, 'MFA_SETUP', setup.Session, { USERNAME: p.username, EMAIL: 'jane@example.com' });
    expect(otp).toMatchObject({ ChallengeName: 'EMAIL_OTP', Session: expect.any(String), ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'j***@e***' } });
    const sent = emu.inbox(p.username, { userPoolId: p.userPoolId });
    expect(sent).toEqual([expect.objectContaining({ purpose: 'mfa', channel: 'EMAIL', destination: 'jane@example.com', code: expect.stringMatching(/^\d{6}$/) })]);
    const code = sent[0]!.code;
    const answer = (c: string) => respond(p, 'EMAIL_OTP', otp.Session, { USERNAME: p.username, EMAIL_OTP_CODE: c });
    expect(await rejection(answer(code === '000000' ? '111111' : '000000'))).toMatchObject({ name: 'CodeMismatchException' });
    const done = await answer(code);
    const user = await getUser(done.AuthenticationResult!.AccessToken!);
    expect(user).toMatchObject({ UserMFASettingList: ['EMAIL_OTP'], PreferredMfaSetting: 'EMAIL_OTP' });
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: 'jane@example.com' }, { Name: 'email_verified', Value: 'true' }]));
    const next = await signIn(p, p.username);
    expect(next).toMatchObject({ ChallengeName: 'EMAIL_OTP', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL' } });
    expect(emu.mfaCode(p.userPoolId, p.username)).toBe(emu.inbox(p.username, { userPoolId: p.userPoolId }).at(-1)?.code);
    await expect(respond(p, 'EMAIL_OTP', next.Session, { USERNAME: p.username, EMAIL_OTP_CODE: emu.mfaCode(p.userPoolId, p.username) })).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });

  test('EMAIL in a pool without email MFA is refused', async () => {
    const p = await pool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const setup = await signIn(p, p.username);
    expect(setup.ChallengeParameters).toEqual({ MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' });
    expect(await rejection(respond(p, 'MFA_SETUP', setup.Session, { USERNAME: p.username, EMAIL: 'jane@example.com' }))).toMatchObject({ name: 'InvalidParameterException' });
  });

  test('every step’s Session lasts the client’s AuthSessionValidity', async () => {
    const p = await pool(REQUIRED, { authSessionValidity: 5 });
    const late = await signIn(p, p.username);
    clock += 5 * 60_000 + 1;
    expect(await rejection(sdk.send(new AssociateSoftwareTokenCommand({ Session: late.Session! })))).toMatchObject({ name: 'NotAuthorizedException' });
    expect(await rejection(respond(p, 'MFA_SETUP', late.Session, { USERNAME: p.username, EMAIL: 'a@example.com' }))).toMatchObject({ name: 'NotAuthorizedException' });
    const setup = await signIn(p, p.username);
    clock += 5 * 60_000 - 1000;
    const associated = await sdk.send(new AssociateSoftwareTokenCommand({ Session: setup.Session! }));
    clock += 5 * 60_000 - 1000;
    const verified = await sdk.send(new VerifySoftwareTokenCommand({ Session: associated.Session!, UserCode: totpCode(associated.SecretCode!, clock) }));
    clock += 5 * 60_000 + 1;
    expect(await rejection(respond(p, 'MFA_SETUP', verified.Session, { USERNAME: p.username }))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
    const otp = await respond(p, 'MFA_SETUP', (await signIn(p, p.username)).Session, { USERNAME: p.username, EMAIL: `${p.username}@example.com` });
    clock += 5 * 60_000 + 1;
    const code = emu.inbox(p.username, { userPoolId: p.userPoolId }).at(-1)!.code;
    expect(await rejection(respond(p, 'EMAIL_OTP', otp.Session, { USERNAME: p.username, EMAIL_OTP_CODE: code }))).toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe('SELECT_MFA_TYPE', () => {
  test('several factors enabled and none preferred: MFAS_CAN_CHOOSE, ANSWER one of them, then its challenge; a preferred one is asked for at once', async () => {
    const p = await pool({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} });
    const token = await accessTokenOf(p, p.username);
    const secret = await verifiedTotp(token);
    await preference(token, { SoftwareTokenMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } });
    expect(await getUser(token)).toMatchObject({ UserMFASettingList: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] });
    const choose = async () => {
      const out = await signIn(p, p.username);
      expect(out).toMatchObject({ ChallengeName: 'SELECT_MFA_TYPE', ChallengeParameters: { MFAS_CAN_CHOOSE: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' } });
      return out.Session;
    };
    const first = await choose();
    expect(await rejection(respond(p, 'SELECT_MFA_TYPE', first, { USERNAME: p.username, ANSWER: 'SMS_MFA' }))).toMatchObject({ name: 'InvalidParameterException' });
    const email = await respond(p, 'SELECT_MFA_TYPE', first, { USERNAME: p.username, ANSWER: 'EMAIL_OTP' });
    expect(email).toMatchObject({ ChallengeName: 'EMAIL_OTP', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'u***@e***' } });
    expect(await rejection(respond(p, 'SELECT_MFA_TYPE', first, { USERNAME: p.username, ANSWER: 'EMAIL_OTP' }))).toMatchObject({ name: 'NotAuthorizedException' });
    const code = emu.inbox(p.username, { userPoolId: p.userPoolId }).at(-1)!.code;
    await expect(respond(p, 'EMAIL_OTP', email.Session, { USERNAME: p.username, EMAIL_OTP_CODE: code })).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
    const totp = await respond(p, 'SELECT_MFA_TYPE', await choose(), { USERNAME: p.username, ANSWER: 'SOFTWARE_TOKEN_MFA' });
    expect(totp.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    await expect(respond(p, 'SOFTWARE_TOKEN_MFA', totp.Session, { USERNAME: p.username, SOFTWARE_TOKEN_MFA_CODE: totpCode(secret, clock) })).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
    await preference(token, { EmailMfaSettings: { Enabled: true, PreferredMfa: true } });
    expect((await signIn(p, p.username)).ChallengeName).toBe('EMAIL_OTP');
  });
});

describe('in process, and what is never recorded', () => {
  test('createUser({ mfa: "EMAIL_OTP" }) in a pool with MFA OFF: the pool offers it (OPTIONAL), sign-in asks for it, mfaCode() reads the inbox', async () => {
    const s = emu.setup();
    expect(await sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: s.userPoolId }))).toMatchObject({ MfaConfiguration: 'OFF' });
    emu.createUser({ userPoolId: s.userPoolId, username: 'mailer', password: PASSWORD, attributes: { email: 'mailer@example.com' }, mfa: 'EMAIL_OTP' });
    expect(await sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: s.userPoolId }))).toMatchObject({ MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} });
    expect(() => emu.mfaCode(s.userPoolId, 'mailer')).toThrow(/No email code/);
    const out = await signIn(s, 'mailer');
    expect(out.ChallengeName).toBe('EMAIL_OTP');
    await expect(respond(s, 'EMAIL_OTP', out.Session, { USERNAME: 'mailer', EMAIL_OTP_CODE: emu.mfaCode(s.userPoolId, 'mailer') })).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
    expect((await signIn(s, s.username, s.password)).AuthenticationResult).toBeDefined(); // the user without MFA is not asked
  });

  test('no secret, code or session in the request log or in any error message', async () => {
    emu.resetRequests();
    const p = await pool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: {} });
    const secrets: string[] = [];
    const messages: string[] = [];
    const failing = async (promise: Promise<unknown>) => messages.push((await rejection(promise)).message);
    const setup = await signIn(p, p.username);
    const associated = await sdk.send(new AssociateSoftwareTokenCommand({ Session: setup.Session! }));
    const wrong = wrongCode(associated.SecretCode!, clock);
    await failing(sdk.send(new VerifySoftwareTokenCommand({ Session: associated.Session!, UserCode: wrong })));
    await failing(sdk.send(new VerifySoftwareTokenCommand({ Session: associated.Session!, UserCode: `${wrong}x` })));
    await failing(sdk.send(new AssociateSoftwareTokenCommand({ Session: setup.Session! })));
    const verified = await sdk.send(new VerifySoftwareTokenCommand({ Session: associated.Session!, UserCode: totpCode(associated.SecretCode!, clock) }));
    const done = await respond(p, 'MFA_SETUP', verified.Session, { USERNAME: p.username });
    const mfa = await signIn(p, p.username);
    await failing(respond(p, 'SOFTWARE_TOKEN_MFA', mfa.Session, { USERNAME: p.username, SOFTWARE_TOKEN_MFA_CODE: wrong }));
    await failing(respond(p, 'SELECT_MFA_TYPE', mfa.Session, { USERNAME: p.username, ANSWER: wrong }));
    secrets.push(associated.SecretCode!, wrong, setup.Session!, associated.Session!, verified.Session!, mfa.Session!, done.AuthenticationResult!.AccessToken!);
    expect(messages).toHaveLength(5);
    const recorded = JSON.stringify(emu.requests);
    expect(emu.requests.map((r) => r.operation)).toEqual(expect.arrayContaining(['AssociateSoftwareToken', 'VerifySoftwareToken', 'SetUserPoolMfaConfig']));
    for (const secret of secrets) {
      expect(recorded).not.toContain(secret);
      for (const message of messages) expect(message).not.toContain(secret);
    }
  });
});
