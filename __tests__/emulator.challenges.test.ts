// The emulator's USER_SRP_AUTH (PASSWORD_VERIFIER) and challenge sessions: NEW_PASSWORD_REQUIRED,
// SOFTWARE_TOKEN_MFA and SMS_MFA, through the real SDK client and authchart's SRP client.
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type ChallengeNameType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createSrpHandshake } from '../services/srp/client.js';
import { startSrp, type SrpAnswer } from '../services/srp/index.js';
import * as srp from '../services/srp/math.js';
import { hashPaths } from './support/hashes.js';

const webCrypto = hashPaths()[0]!.hash;
const run = <T>(formula: srp.Formula<T>): Promise<T> => srp.runFormulaAsync(formula, webCrypto);
import { totp } from '../src/testing/emulator/mfa.js';
import { decodeJwtPayload, secretHash, startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/emulator.js';

let emu: CognitoEmulator;
let sdk: CognitoIdentityProviderClient;
let clock = Date.now();

beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
  sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the call to fail');
}

type Who = Pick<SetupResult, 'userPoolId' | 'clientId' | 'clientSecret'>;
const hash = (s: Who, username: string): Record<string, string> => (s.clientSecret ? { SECRET_HASH: secretHash(s.clientSecret, username, s.clientId) } : {});

const initiateSrp = (s: Who, username: string, params: Record<string, string>) =>
  sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: username, ...hash(s, username), ...params } }));

const respond = (s: Who, name: ChallengeNameType, session: string | undefined, responses: Record<string, string>) =>
  sdk.send(new RespondToAuthChallengeCommand({ ClientId: s.clientId, ChallengeName: name, ...(session !== undefined && { Session: session }), ChallengeResponses: { ...hash(s, responses.USERNAME ?? ''), ...responses } }));

/** InitiateAuth(USER_SRP_AUTH) and the PASSWORD_VERIFIER answer, ready to send (or tamper with). */
async function srpAnswer(s: Who, username: string, password: string, now?: Date): Promise<{ out: InitiateAuthCommandOutput; answer: SrpAnswer; responses: Record<string, string> }> {
  const handshake = startSrp(webCrypto);
  const out = await initiateSrp(s, username, { SRP_A: handshake.srpA });
  const p = out.ChallengeParameters ?? {};
  const answer = await handshake.answer({ userPoolId: s.userPoolId, userIdForSrp: p.USER_ID_FOR_SRP ?? '', password, srpB: p.SRP_B ?? '', salt: p.SALT ?? '', secretBlock: p.SECRET_BLOCK ?? '' }, now);
  const responses = { USERNAME: p.USERNAME ?? username, PASSWORD_CLAIM_SECRET_BLOCK: answer.passwordClaimSecretBlock, PASSWORD_CLAIM_SIGNATURE: answer.passwordClaimSignature, TIMESTAMP: answer.timestamp };
  return { out, answer, responses };
}

async function srpSignIn(s: Who, username: string, password: string) {
  const { responses } = await srpAnswer(s, username, password);
  return respond(s, 'PASSWORD_VERIFIER', undefined, responses);
}

const passwordSignIn = (s: Who, username: string, password: string) =>
  sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: username, PASSWORD: password, ...hash(s, username) } }));

const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const EXPIRED = { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' };
const MISMATCH = { name: 'CodeMismatchException', message: 'Invalid code received for user' };
const otherCode = (code: string): string => String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');

describe('USER_SRP_AUTH', () => {
  test('InitiateAuth answers PASSWORD_VERIFIER with no Session; the right claim gets tokens', async () => {
    const s = emu.setup();
    const { out, responses } = await srpAnswer(s, s.username, s.password);
    expect(out.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(out.Session).toBeUndefined();
    expect(out.AuthenticationResult).toBeUndefined();
    const p = out.ChallengeParameters ?? {};
    expect(Object.keys(p).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    expect(p).toMatchObject({ USER_ID_FOR_SRP: s.username, USERNAME: s.username, SALT: expect.stringMatching(/^[0-9a-f]+$/), SRP_B: expect.stringMatching(/^[0-9a-f]+$/) });
    expect(BigInt(`0x${p.SRP_B}`) < srp.N).toBe(true);
    expect(Buffer.from(p.SECRET_BLOCK ?? '', 'base64').toString('base64')).toBe(p.SECRET_BLOCK);
    const done = await respond(s, 'PASSWORD_VERIFIER', undefined, responses);
    expect(done.ChallengeName).toBeUndefined();
    expect(decodeJwtPayload(done.AuthenticationResult?.AccessToken ?? '')).toMatchObject({ username: s.username, token_use: 'access' });
    expect(done.AuthenticationResult?.RefreshToken).toBeDefined();
  });

  test('signing in with the sub as USERNAME: USER_ID_FOR_SRP is still the username', async () => {
    const s = emu.setup();
    const sub = String(decodeJwtPayload((await srpSignIn(s, s.username, s.password)).AuthenticationResult?.AccessToken ?? '')?.sub);
    const { out, responses } = await srpAnswer(s, sub, s.password);
    expect(out.ChallengeParameters).toMatchObject({ USER_ID_FOR_SRP: s.username, USERNAME: s.username });
    await expect(respond(s, 'PASSWORD_VERIFIER', undefined, { ...responses, USERNAME: sub })).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });

  test('wrong password, reused or foreign SECRET_BLOCK, expired step: Incorrect username or password.', async () => {
    const s = emu.setup();
    const wrong = await srpAnswer(s, s.username, 'not-the-password');
    expect(await rejection(respond(s, 'PASSWORD_VERIFIER', undefined, wrong.responses))).toMatchObject(INCORRECT);

    const good = await srpAnswer(s, s.username, s.password);
    await respond(s, 'PASSWORD_VERIFIER', undefined, good.responses);
    expect(await rejection(respond(s, 'PASSWORD_VERIFIER', undefined, good.responses))).toMatchObject(INCORRECT); // single use

    const other = emu.createUserPoolClient({ userPoolId: s.userPoolId });
    const foreign = await srpAnswer(s, s.username, s.password);
    expect(await rejection(respond({ ...s, clientId: other.clientId }, 'PASSWORD_VERIFIER', undefined, foreign.responses))).toMatchObject(INCORRECT);

    const late = await srpAnswer(s, s.username, s.password);
    clock += 3 * 60 * 1000;
    expect(await rejection(respond(s, 'PASSWORD_VERIFIER', undefined, late.responses))).toMatchObject(INCORRECT);

    const tampered = await srpAnswer(s, s.username, s.password);
    const sig = tampered.responses.PASSWORD_CLAIM_SIGNATURE ?? '';
    const flipped = `${sig.charAt(0) === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(await rejection(respond(s, 'PASSWORD_VERIFIER', undefined, { ...tampered.responses, PASSWORD_CLAIM_SIGNATURE: flipped }))).toMatchObject(INCORRECT);
  });

  test('TIMESTAMP: a malformed one is InvalidParameterException; a zero-padded day or another time fails the signature', async () => {
    const s = emu.setup();
    const format = { name: 'InvalidParameterException', message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.' };
    const date = new Date(Date.UTC(2026, 10, 3, 7, 5, 9));
    for (const bad of ['2026-11-03T07:05:09Z', 'Di Nov 3 07:05:09 UTC 2026', 'Tue Nov 3 7:05:09 UTC 2026', 'Mon Nov 3 07:05:09 UTC 2026', '']) {
      const { responses } = await srpAnswer(s, s.username, s.password, date);
      const expected = bad === '' ? { name: 'InvalidParameterException' } : format;
      expect(await rejection(respond(s, 'PASSWORD_VERIFIER', undefined, { ...responses, TIMESTAMP: bad }))).toMatchObject(expected);
    }
    // The emulator, like Cognito, signs the canonical form of the parsed time: a client that signs
    // a zero-padded day fails, one that signs 'Nov 3' but sends 'Nov 03' passes.
    const padded = 'Tue Nov 03 07:05:09 UTC 2026';
    const a = 0x1234567890abcdefn ** 9n;
    const handshake = createSrpHandshake(a, webCrypto);
    const out = await initiateSrp(s, s.username, { SRP_A: handshake.srpA });
    const p = out.ChallengeParameters ?? {};
    const B = BigInt(`0x${p.SRP_B}`);
    const u = await run(srp.computeU(BigInt(`0x${handshake.srpA}`), B));
    const x = await run(srp.computeX(BigInt(`0x${p.SALT}`), srp.poolNameOf(s.userPoolId), s.username, s.password));
    const key = await run(srp.deriveKey(srp.modPowN(B - srp.k * srp.modPowN(srp.g, x), a + u * x), u));
    const signature = await run(srp.claimSignature(key, srp.poolNameOf(s.userPoolId), s.username, Buffer.from(p.SECRET_BLOCK ?? '', 'base64'), padded));
    const base = { USERNAME: s.username, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK ?? '', PASSWORD_CLAIM_SIGNATURE: signature };
    expect(await rejection(respond(s, 'PASSWORD_VERIFIER', undefined, { ...base, TIMESTAMP: padded }))).toMatchObject(INCORRECT);
    const canonical = await srpAnswer(s, s.username, s.password, date);
    expect(canonical.answer.timestamp).toBe('Tue Nov 3 07:05:09 UTC 2026');
    await expect(respond(s, 'PASSWORD_VERIFIER', undefined, { ...canonical.responses, TIMESTAMP: padded })).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
    const moved = await srpAnswer(s, s.username, s.password, date);
    expect(await rejection(respond(s, 'PASSWORD_VERIFIER', undefined, { ...moved.responses, TIMESTAMP: 'Tue Nov 3 07:05:10 UTC 2026' }))).toMatchObject(INCORRECT);
    // A timestamp far from the emulator's clock is accepted: the emulator does not check clock skew.
    const old = await srpAnswer(s, s.username, s.password, new Date(Date.UTC(2001, 0, 1)));
    await expect(respond(s, 'PASSWORD_VERIFIER', undefined, old.responses)).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });

  test('flow disabled, missing or invalid SRP_A, unknown user', async () => {
    const s = emu.setup();
    const { clientId } = emu.createUserPoolClient({ userPoolId: s.userPoolId, explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
    expect(await rejection(initiateSrp({ ...s, clientId }, s.username, { SRP_A: startSrp(webCrypto).srpA }))).toMatchObject({ name: 'InvalidParameterException', message: 'USER_SRP_AUTH flow not enabled for this client' });
    expect(await rejection(initiateSrp(s, s.username, {}))).toMatchObject({ name: 'InvalidParameterException', message: 'Missing required parameter SRP_A' });
    for (const bad of [srp.N.toString(16), '0', 'xyz']) {
      expect(await rejection(initiateSrp(s, s.username, { SRP_A: bad }))).toMatchObject({ name: 'InvalidParameterException' });
    }
    expect(await rejection(initiateSrp(s, 'ghost', { SRP_A: startSrp(webCrypto).srpA }))).toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  test('PreventUserExistenceErrors: an unknown user gets a simulated challenge, then Incorrect username or password.', async () => {
    const s = emu.setup();
    const created = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: s.userPoolId, ClientName: 'quiet', PreventUserExistenceErrors: 'ENABLED', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] }));
    const quiet = { ...s, clientId: created.UserPoolClient?.ClientId ?? '' };
    const { out, responses } = await srpAnswer(quiet, 'ghost', 'whatever');
    expect(out).toMatchObject({ ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { USER_ID_FOR_SRP: 'ghost' } });
    expect(await rejection(respond(quiet, 'PASSWORD_VERIFIER', undefined, responses))).toMatchObject(INCORRECT);
  });

  test('a client with a secret needs SECRET_HASH in InitiateAuth and in the PASSWORD_VERIFIER responses', async () => {
    const s = emu.setup({ generateSecret: true });
    const unable = { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${s.clientId}` };
    const noSecret = { ...s, clientSecret: undefined };
    expect(await rejection(initiateSrp(noSecret, s.username, { SRP_A: startSrp(webCrypto).srpA }))).toMatchObject(unable);
    const { responses } = await srpAnswer(s, s.username, s.password);
    expect(await rejection(respond(noSecret, 'PASSWORD_VERIFIER', undefined, responses))).toMatchObject(unable);
    await expect(srpSignIn(s, s.username, s.password)).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });

  test('the verifier follows AdminCreateUser TemporaryPassword, NEW_PASSWORD_REQUIRED and AdminSetUserPassword', async () => {
    const s = emu.setup();
    await sdk.send(new AdminCreateUserCommand({ UserPoolId: s.userPoolId, Username: 'newbie', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
    const first = await srpSignIn(s, 'newbie', 'Temp-Passw0rd!');
    expect(first).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: expect.any(String), ChallengeParameters: { USER_ID_FOR_SRP: 'newbie' } });
    const done = await respond(s, 'NEW_PASSWORD_REQUIRED', first.Session, { USERNAME: 'newbie', NEW_PASSWORD: 'Second-Passw0rd!' });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(await rejection(srpSignIn(s, 'newbie', 'Temp-Passw0rd!'))).toMatchObject(INCORRECT);
    await expect(srpSignIn(s, 'newbie', 'Second-Passw0rd!')).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: s.userPoolId, Username: 'newbie', Password: 'Third-Passw0rd!', Permanent: true }));
    expect(await rejection(srpSignIn(s, 'newbie', 'Second-Passw0rd!'))).toMatchObject(INCORRECT);
    await expect(srpSignIn(s, 'newbie', 'Third-Passw0rd!')).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });
});

describe('SOFTWARE_TOKEN_MFA', () => {
  test.each(['USER_PASSWORD_AUTH', 'USER_SRP_AUTH'])('after %s: challenge, wrong code keeps the session, right code gets tokens, reuse fails', async (flow) => {
    const s = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const out = flow === 'USER_SRP_AUTH' ? await srpSignIn(s, s.username, s.password) : await passwordSignIn(s, s.username, s.password);
    expect(out).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: expect.any(String), ChallengeParameters: {} });
    expect(out.AuthenticationResult).toBeUndefined();
    const code = emu.mfaCode(s.userPoolId, s.username);
    expect(code).toMatch(/^\d{6}$/);
    const answer = (c: string) => respond(s, 'SOFTWARE_TOKEN_MFA', out.Session, { USERNAME: s.username, SOFTWARE_TOKEN_MFA_CODE: c });
    expect(await rejection(answer(otherCode(code)))).toMatchObject(MISMATCH);
    expect(await rejection(respond(s, 'SOFTWARE_TOKEN_MFA', out.Session, { USERNAME: s.username }))).toMatchObject({ name: 'InvalidParameterException', message: 'Missing required parameter SOFTWARE_TOKEN_MFA_CODE' });
    const done = await answer(code);
    expect(decodeJwtPayload(done.AuthenticationResult?.AccessToken ?? '')).toMatchObject({ username: s.username });
    expect(await rejection(answer(code))).toMatchObject(EXPIRED);
  });

  test('the code is RFC 6238 at the emulator clock; one step of skew is accepted, two are not', async () => {
    // RFC 6238 appendix B, SHA-1 vectors (last 6 of the 8 digits).
    const rfcSecret = Buffer.from('12345678901234567890');
    for (const [seconds, code] of [[59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037'], [20000000000, '353130']] as const) {
      expect(totp(rfcSecret, seconds * 1000)).toBe(code);
    }
    const s = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const start = clock;
    const codeAt = (ms: number): string => {
      clock = ms;
      return emu.mfaCode(s.userPoolId, s.username);
    };
    const old = codeAt(start - 60_000);
    const near = [codeAt(start - 30_000), codeAt(start), codeAt(start + 30_000)];
    clock = start;
    const challenge = async () => (await passwordSignIn(s, s.username, s.password)).Session;
    const session = await challenge();
    if (!near.includes(old)) {
      expect(await rejection(respond(s, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: s.username, SOFTWARE_TOKEN_MFA_CODE: old }))).toMatchObject(MISMATCH);
    }
    await expect(respond(s, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: s.username, SOFTWARE_TOKEN_MFA_CODE: near[0] ?? '' })).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
    await expect(respond(s, 'SOFTWARE_TOKEN_MFA', await challenge(), { USERNAME: s.username, SOFTWARE_TOKEN_MFA_CODE: near[2] ?? '' })).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });

  test('unknown, expired, foreign or mismatched sessions: Invalid session for the user, session is expired.', async () => {
    const s = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const code = () => emu.mfaCode(s.userPoolId, s.username);
    const session = (await passwordSignIn(s, s.username, s.password)).Session;
    expect(await rejection(respond(s, 'SOFTWARE_TOKEN_MFA', 'bogus', { USERNAME: s.username, SOFTWARE_TOKEN_MFA_CODE: code() }))).toMatchObject(EXPIRED);
    expect(await rejection(respond(s, 'SOFTWARE_TOKEN_MFA', undefined, { USERNAME: s.username, SOFTWARE_TOKEN_MFA_CODE: code() }))).toMatchObject(EXPIRED);
    expect(await rejection(respond(s, 'SMS_MFA', session, { USERNAME: s.username, SMS_MFA_CODE: code() }))).toMatchObject(EXPIRED);
    expect(await rejection(respond(s, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: 'someone-else', SOFTWARE_TOKEN_MFA_CODE: code() }))).toMatchObject(EXPIRED);
    const other = emu.createUserPoolClient({ userPoolId: s.userPoolId });
    expect(await rejection(respond({ ...s, clientId: other.clientId }, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: s.username, SOFTWARE_TOKEN_MFA_CODE: code() }))).toMatchObject(EXPIRED);
    clock += 3 * 60 * 1000;
    expect(await rejection(respond(s, 'SOFTWARE_TOKEN_MFA', session, { USERNAME: s.username, SOFTWARE_TOKEN_MFA_CODE: code() }))).toMatchObject(EXPIRED);
  });

  test('a client with a secret needs SECRET_HASH in the MFA responses', async () => {
    const s = emu.setup({ generateSecret: true, mfa: 'SOFTWARE_TOKEN_MFA' });
    const out = await srpSignIn(s, s.username, s.password);
    const responses = { USERNAME: s.username, SOFTWARE_TOKEN_MFA_CODE: emu.mfaCode(s.userPoolId, s.username) };
    expect(await rejection(respond({ ...s, clientSecret: undefined }, 'SOFTWARE_TOKEN_MFA', out.Session, responses))).toMatchObject({ name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${s.clientId}` });
    await expect(respond(s, 'SOFTWARE_TOKEN_MFA', out.Session, responses)).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });

  test('NEW_PASSWORD_REQUIRED, then the MFA challenge, each with a new Session', async () => {
    const s = emu.setup();
    emu.createUser({ userPoolId: s.userPoolId, username: 'fresh', password: 'Temp-Passw0rd!', permanent: false, mfa: 'SOFTWARE_TOKEN_MFA' });
    const first = await srpSignIn(s, 'fresh', 'Temp-Passw0rd!');
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const second = await respond(s, 'NEW_PASSWORD_REQUIRED', first.Session, { USERNAME: 'fresh', NEW_PASSWORD: 'Final-Passw0rd!' });
    expect(second).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: expect.any(String) });
    expect(second.Session).not.toBe(first.Session);
    expect(second.AuthenticationResult).toBeUndefined();
    const done = await respond(s, 'SOFTWARE_TOKEN_MFA', second.Session, { USERNAME: 'fresh', SOFTWARE_TOKEN_MFA_CODE: emu.mfaCode(s.userPoolId, 'fresh') });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  });
});

describe('SMS_MFA', () => {
  test('masked destination, the code of the last SMS, wrong code, right code', async () => {
    const s = emu.setup();
    emu.createUser({ userPoolId: s.userPoolId, username: 'texter', password: 'Passw0rd-texter!', mfa: 'SMS_MFA', phoneNumber: '+15555551234' });
    expect(() => emu.mfaCode(s.userPoolId, 'texter')).toThrow(/No SMS code/);
    const first = await passwordSignIn(s, 'texter', 'Passw0rd-texter!');
    expect(first).toMatchObject({ ChallengeName: 'SMS_MFA', Session: expect.any(String), ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******1234' } });
    const firstCode = emu.mfaCode(s.userPoolId, 'texter');
    const out = await srpSignIn(s, 'texter', 'Passw0rd-texter!'); // a second SMS with its own code
    const code = emu.mfaCode(s.userPoolId, 'texter');
    const answer = (c: string) => respond(s, 'SMS_MFA', out.Session, { USERNAME: 'texter', SMS_MFA_CODE: c });
    expect(await rejection(answer(otherCode(code)))).toMatchObject(MISMATCH);
    if (firstCode !== code) expect(await rejection(answer(firstCode))).toMatchObject(MISMATCH);
    const done = await answer(code);
    const user = await sdk.send(new GetUserCommand({ AccessToken: done.AuthenticationResult?.AccessToken ?? '' }));
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'phone_number', Value: '+15555551234' }]));
    expect(await rejection(answer(code))).toMatchObject(EXPIRED);
  });

  test('setup({ mfa: "SMS_MFA" }) gives a default phone number; users without MFA have no code', async () => {
    const s = emu.setup({ mfa: 'SMS_MFA' });
    const out = await passwordSignIn(s, s.username, s.password);
    expect(out.ChallengeParameters?.CODE_DELIVERY_DESTINATION).toMatch(/^\+\*+\d{4}$/);
    const plain = emu.setup();
    expect(() => emu.mfaCode(plain.userPoolId, plain.username)).toThrow(/has no MFA/);
    await expect(passwordSignIn(plain, plain.username, plain.password)).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });
});
