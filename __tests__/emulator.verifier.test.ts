// An app's API checks the emulator's tokens with aws-jwt-verify, unchanged: with `issuer: 'aws'` the
// emulator mints Cognito's own `iss`, and `emulator.jwks(userPoolId)` hands the verifier the keys
// (cacheJwks) so that it never reaches AWS. And, as with Cognito, a revoked token still passes such
// a verifier: only GetUser tells that it was revoked (issue 19, item 6). All over real HTTP.
import {
  CognitoIdentityProviderClient,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { decodeJwtPayload, startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/emulator.js';

const REGION = 'eu-west-2';
let emu: CognitoEmulator;
let sdk: CognitoIdentityProviderClient;

beforeAll(async () => {
  emu = await startCognitoEmulator({ issuer: 'aws', region: REGION });
  sdk = new CognitoIdentityProviderClient({ region: REGION, endpoint: emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

interface Tokens {
  AccessToken: string;
  IdToken: string;
  RefreshToken: string;
}

async function signIn(s: SetupResult): Promise<Tokens> {
  const out = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password } }));
  const r = out.AuthenticationResult;
  if (!r?.AccessToken || !r.IdToken || !r.RefreshToken) throw new Error('no tokens');
  return { AccessToken: r.AccessToken, IdToken: r.IdToken, RefreshToken: r.RefreshToken };
}

async function refreshedAccess(s: SetupResult, refreshToken: string): Promise<string> {
  const out = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: s.clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } }));
  const token = out.AuthenticationResult?.AccessToken;
  if (!token) throw new Error('no access token');
  return token;
}

/** GetUser's answer: the username, or the error's name and message. */
async function getUser(accessToken: string): Promise<{ username: string } | { name: string; message: string }> {
  try {
    const out = await sdk.send(new GetUserCommand({ AccessToken: accessToken }));
    return { username: out.Username ?? '' };
  } catch (error) {
    const e = error as Error;
    return { name: e.name, message: e.message };
  }
}

const REVOKED = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };

function accessVerifier(s: SetupResult) {
  const verifier = CognitoJwtVerifier.create({ userPoolId: s.userPoolId, tokenUse: 'access', clientId: s.clientId });
  verifier.cacheJwks(emu.jwks(s.userPoolId));
  return verifier;
}

/** The token with one character of its payload changed (the signature left as it was). */
function tampered(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, username: 'someone-else' })).toString('base64url');
  return `${header}.${forged}.${signature}`;
}

describe("issuer: 'aws'", () => {
  test("tokens carry Cognito's issuer for the pool's region; the pool's JWKS is served and at hand", async () => {
    const s = emu.setup();
    expect(s.userPoolId.startsWith(`${REGION}_`)).toBe(true);
    const tokens = await signIn(s);
    const iss = `https://cognito-idp.${REGION}.amazonaws.com/${s.userPoolId}`;
    expect(decodeJwtPayload(tokens.AccessToken)?.iss).toBe(iss);
    expect(decodeJwtPayload(tokens.IdToken)?.iss).toBe(iss);
    const served = (await (await fetch(`${emu.endpoint}/${s.userPoolId}/.well-known/jwks.json`)).json()) as unknown;
    expect(emu.jwks(s.userPoolId)).toEqual(served);
    expect(emu.jwks(s.userPoolId).keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(() => emu.jwks(`${REGION}_nosuchpool`)).toThrow(/nosuchpool/);
  });

  test("the default issuer stays '<endpoint>/<poolId>'; an unknown issuer option is a RangeError", async () => {
    const plain = await startCognitoEmulator();
    try {
      const s = plain.setup();
      const out = await fetch(`${plain.endpoint}/${s.userPoolId}/.well-known/openid-configuration`);
      expect(((await out.json()) as { issuer: string }).issuer).toBe(`${plain.endpoint}/${s.userPoolId}`);
    } finally {
      await plain.close();
    }
    await expect(startCognitoEmulator({ issuer: 'cognito' as 'aws' })).rejects.toThrow(RangeError);
  });

  test('CognitoJwtVerifier verifies an access token; refuses a tampered one and one of another pool', async () => {
    const s = emu.setup();
    const tokens = await signIn(s);
    const verifier = accessVerifier(s);
    await expect(verifier.verify(tokens.AccessToken)).resolves.toMatchObject({ client_id: s.clientId, token_use: 'access', username: s.username });
    await expect(verifier.verify(tampered(tokens.AccessToken))).rejects.toThrow(/signature/i);
    await expect(verifier.verify(tokens.IdToken)).rejects.toThrow(/token use/i);

    const other = emu.setup();
    const foreign = await signIn(other);
    await expect(verifier.verify(foreign.AccessToken)).rejects.toThrow(/issuer/i);
    // The same token with the other pool's verifier passes: the refusal above is the pool, not the token.
    await expect(accessVerifier(other).verify(foreign.AccessToken)).resolves.toMatchObject({ client_id: other.clientId });
  });

  test("an ID token verifies with tokenUse 'id' (its aud is the client)", async () => {
    const s = emu.setup();
    const tokens = await signIn(s);
    const verifier = CognitoJwtVerifier.create({ userPoolId: s.userPoolId, tokenUse: 'id', clientId: s.clientId });
    verifier.cacheJwks(emu.jwks(s.userPoolId));
    await expect(verifier.verify(tokens.IdToken)).resolves.toMatchObject({ aud: s.clientId, token_use: 'id', 'cognito:username': s.username });
    await expect(verifier.verify(tokens.AccessToken)).rejects.toThrow(/token use/i);
    const otherClient = emu.createUserPoolClient({ userPoolId: s.userPoolId }).clientId;
    const wrongClient = CognitoJwtVerifier.create({ userPoolId: s.userPoolId, tokenUse: 'id', clientId: otherClient });
    wrongClient.cacheJwks(emu.jwks(s.userPoolId));
    await expect(wrongClient.verify(tokens.IdToken)).rejects.toThrow(/audience|client/i);
  });
});

describe('GetUser with a revoked access token, as Cognito answers it', () => {
  test("after RevokeToken: that refresh token's access tokens (one origin_jti, across refreshes); the user's other session is served", async () => {
    const s = emu.setup();
    const session = await signIn(s);
    const refreshed = await refreshedAccess(s, session.RefreshToken);
    const otherSession = await signIn(s);
    const originJti = (jwt: string) => decodeJwtPayload(jwt)?.origin_jti;
    expect(originJti(refreshed)).toBe(originJti(session.AccessToken));
    expect(originJti(otherSession.AccessToken)).not.toBe(originJti(session.AccessToken));

    await sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: session.RefreshToken }));
    expect(await getUser(session.AccessToken)).toEqual(REVOKED);
    expect(await getUser(refreshed)).toEqual(REVOKED);
    expect(await getUser(otherSession.AccessToken)).toEqual({ username: s.username });
    // What the issue is about: a JWT library alone still accepts the revoked token.
    await expect(accessVerifier(s).verify(session.AccessToken)).resolves.toMatchObject({ origin_jti: originJti(session.AccessToken) });
  });

  test('after GlobalSignOut: every token of the user issued before it; a sign-in afterwards is served', async () => {
    const s = emu.setup();
    const secondClient = { ...s, clientId: emu.createUserPoolClient({ userPoolId: s.userPoolId }).clientId };
    const a = await signIn(s);
    const b = await signIn(secondClient);
    await sdk.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken }));
    expect(await getUser(a.AccessToken)).toEqual(REVOKED);
    expect(await getUser(b.AccessToken)).toEqual(REVOKED);
    const after = await signIn(s);
    expect(await getUser(after.AccessToken)).toEqual({ username: s.username });
    await expect(accessVerifier(s).verify(a.AccessToken)).resolves.toBeDefined();
  });
});
