// Independent cross-checks of the SRP client and the emulator's SRP server:
// - amazon-cognito-identity-js (AWS's own SRP client) signs in to the emulator, and computes the
//   same keys, signatures and TIMESTAMPs as services/srp for the same private value;
// - services/srp + the raw AWS SDK sign in to the emulator over many fresh handshakes.
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession, type IAuthenticationCallback } from 'amazon-cognito-identity-js';
import { createHmac, randomBytes } from 'node:crypto';
import { createSrpHandshake } from '../services/srp/client.js';
import { formatSrpTimestamp, startSrp } from '../services/srp/index.js';
import { N } from '../services/srp/math.js';
import { hashPaths } from './support/hashes.js';
import { decodeJwtPayload, secretHash, startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/emulator.js';

// Internal modules of amazon-cognito-identity-js (no type declarations; typed here for what we use).
interface JsbnBigInteger {
  toString(radix: number): string;
}
interface AuthHelper {
  smallAValue: JsbnBigInteger;
  getLargeAValue(cb: (err: Error | null, A: JsbnBigInteger) => void): void;
  getPasswordAuthenticationKey(username: string, password: string, B: JsbnBigInteger, salt: JsbnBigInteger, cb: (err: Error | null, hkdf: Uint8Array) => void): void;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const AuthenticationHelper = (require('amazon-cognito-identity-js/lib/AuthenticationHelper.js') as { default: new (poolName: string) => AuthHelper }).default;
const BigInteger = (require('amazon-cognito-identity-js/lib/BigInteger.js') as { default: new (hex: string, radix: number) => JsbnBigInteger }).default;
const DateHelper = (require('amazon-cognito-identity-js/lib/DateHelper.js') as { default: new () => { getNowString(): string } }).default;
/* eslint-enable @typescript-eslint/no-require-imports */

let emu: CognitoEmulator;
let sdk: CognitoIdentityProviderClient;

beforeAll(async () => {
  emu = await startCognitoEmulator();
  sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: emu.endpoint, maxAttempts: 1 });
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

describe('amazon-cognito-identity-js 6.3.21 against services/srp, offline', () => {
  test.each(hashPaths())('same a, B, salt: the same SRP_A and the same PASSWORD_CLAIM_SIGNATURE, hashing with $name', (path) => path.run(async () => {
    for (let i = 0; i < 16; i++) {
      const helper = new AuthenticationHelper('AbC123xyz');
      const a = BigInt(`0x${helper.smallAValue.toString(16)}`);
      const theirA = await new Promise<JsbnBigInteger>((resolve, reject) => helper.getLargeAValue((err, A) => (err ? reject(err) : resolve(A))));
      const ours = createSrpHandshake(a, path.hash);
      expect(ours.srpA).toBe(theirA.toString(16));

      const srpB = (BigInt(`0x${randomBytes(384).toString('hex')}`) % N).toString(16);
      const salt = randomBytes(1 + (i % 16)).toString('hex');
      const secretBlock = randomBytes(100 + i).toString('base64');
      const username = `user-${i}`;
      const password = `pässword-${i}`;
      const hkdf = await new Promise<Uint8Array>((resolve, reject) =>
        helper.getPasswordAuthenticationKey(username, password, new BigInteger(srpB, 16), new BigInteger(salt, 16), (err, key) => (err ? reject(err) : resolve(key))),
      );
      const now = new Date(Date.UTC(2026, i % 12, 1 + i, i % 24, i, 59 - i));
      const timestamp = formatSrpTimestamp(now);
      const message = Buffer.concat([Buffer.from('AbC123xyz'), Buffer.from(username), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)]);
      const theirSignature = createHmac('sha256', hkdf).update(message).digest('base64');
      const answer = await ours.answer({ userPoolId: 'eu-west-1_AbC123xyz', userIdForSrp: username, password, srpB, salt, secretBlock }, now);
      expect(answer.passwordClaimSignature).toBe(theirSignature);
    }
    expect(path.loads() > 0).toBe(!path.name.startsWith('Web Crypto')); // the path really ran
  }), 60_000);

  test('the same TIMESTAMP as its DateHelper', () => {
    jest.useFakeTimers();
    try {
      for (const ms of [Date.UTC(2026, 10, 3, 7, 5, 9), Date.UTC(2025, 11, 31, 23, 59, 59), Date.UTC(2026, 0, 1, 0, 0, 0), Date.UTC(2028, 1, 29, 12, 30, 1)]) {
        jest.setSystemTime(ms);
        expect(formatSrpTimestamp(new Date(ms))).toBe(new DateHelper().getNowString());
      }
    } finally {
      jest.useRealTimers();
    }
  });
});

/** Sign-in with amazon-cognito-identity-js (USER_SRP_AUTH, its default), answering TOTP/SMS with the emulator's code. */
function identityJsSignIn(s: Pick<SetupResult, 'userPoolId' | 'clientId'>, username: string, password: string): Promise<CognitoUserSession> {
  const pool = new CognitoUserPool({ UserPoolId: s.userPoolId, ClientId: s.clientId, endpoint: emu.endpoint });
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    const callbacks: IAuthenticationCallback = {
      onSuccess: resolve,
      onFailure: reject,
      totpRequired: () => user.sendMFACode(emu.mfaCode(s.userPoolId, username), callbacks, 'SOFTWARE_TOKEN_MFA'),
      mfaRequired: () => user.sendMFACode(emu.mfaCode(s.userPoolId, username), callbacks),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks);
  });
}

describe('amazon-cognito-identity-js signs in to the emulator with SRP', () => {
  // It has no support for app clients with a secret (no SECRET_HASH), so only secret-less clients.
  test('a plain user, 12 times (fresh a and b each time), and a wrong password', async () => {
    const s = emu.setup();
    for (let i = 0; i < 12; i++) {
      const session = await identityJsSignIn(s, s.username, s.password);
      expect(session.isValid()).toBe(true);
      expect(session.getAccessToken().decodePayload()).toMatchObject({ username: s.username, client_id: s.clientId });
    }
    await expect(identityJsSignIn(s, s.username, 'wrong-password')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  }, 60_000);

  test('a TOTP user through totpRequired / sendMFACode, and an SMS user through mfaRequired', async () => {
    const totp = emu.setup({ mfa: 'SOFTWARE_TOKEN_MFA' });
    expect((await identityJsSignIn(totp, totp.username, totp.password)).isValid()).toBe(true);
    const sms = emu.setup({ mfa: 'SMS_MFA' });
    expect((await identityJsSignIn(sms, sms.username, sms.password)).isValid()).toBe(true);
  });
});

describe('services/srp + the raw AWS SDK sign in to the emulator', () => {
  async function signIn(s: SetupResult): Promise<string> {
    const hash: Record<string, string> = s.clientSecret ? { SECRET_HASH: secretHash(s.clientSecret, s.username, s.clientId) } : {};
    const handshake = startSrp(hashPaths()[0]!.hash);
    const out = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, SRP_A: handshake.srpA, ...hash } }));
    const p = out.ChallengeParameters ?? {};
    const answer = await handshake.answer({ userPoolId: s.userPoolId, userIdForSrp: p.USER_ID_FOR_SRP ?? '', password: s.password, srpB: p.SRP_B ?? '', salt: p.SALT ?? '', secretBlock: p.SECRET_BLOCK ?? '' });
    const done = await sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: s.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: { USERNAME: p.USERNAME ?? '', PASSWORD_CLAIM_SECRET_BLOCK: answer.passwordClaimSecretBlock, PASSWORD_CLAIM_SIGNATURE: answer.passwordClaimSignature, TIMESTAMP: answer.timestamp, ...hash },
      }),
    );
    return done.AuthenticationResult?.AccessToken ?? '';
  }

  test.each([
    ['without a client secret', false],
    ['with a client secret (SECRET_HASH)', true],
  ])('50 fresh handshakes %s all succeed', async (_, generateSecret) => {
    const s = emu.setup({ generateSecret });
    for (let i = 0; i < 50; i++) {
      expect(decodeJwtPayload(await signIn(s))).toMatchObject({ username: s.username, token_use: 'access' });
    }
  }, 120_000);
});
