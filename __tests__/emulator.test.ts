import { createPublicKey, createVerify } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwtPayload, secretHash, startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/emulator.js';

interface SdkError {
  name: string;
  message: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

let emu: CognitoEmulator;
let sdk: CognitoIdentityProviderClient;
let clock = Date.now();

const makeClient = (): CognitoIdentityProviderClient =>
  new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: emu.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });

beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
  sdk = makeClient();
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});
afterEach(() => {
  emu.faults.clear();
  emu.resetRequests();
});

async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}

async function waitUntil(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!predicate()) throw new Error('condition never became true');
}

async function signIn(s: SetupResult, client = sdk): Promise<Required<Pick<AuthenticationResultType, 'AccessToken' | 'IdToken' | 'RefreshToken'>>> {
  const params: Record<string, string> = { USERNAME: s.username, PASSWORD: s.password };
  if (s.clientSecret) params.SECRET_HASH = secretHash(s.clientSecret, s.username, s.clientId);
  const out = await client.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: params }));
  const r = out.AuthenticationResult;
  if (!r?.AccessToken || !r.IdToken || !r.RefreshToken) throw new Error('no tokens');
  return { AccessToken: r.AccessToken, IdToken: r.IdToken, RefreshToken: r.RefreshToken };
}

const refresh = (s: SetupResult, token: string, hashUser?: string) =>
  sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: s.clientId,
      AuthParameters: {
        REFRESH_TOKEN: token,
        ...(s.clientSecret && hashUser ? { SECRET_HASH: secretHash(s.clientSecret, hashUser, s.clientId) } : {}),
      },
    }),
  );
const getUser = (accessToken: string) => sdk.send(new GetUserCommand({ AccessToken: accessToken }));
const claims = (jwt: string) => decodeJwtPayload(jwt) ?? {};

describe('USER_PASSWORD_AUTH', () => {
  test('returns RS256 JWTs with Cognito claims, verifiable with the JWKS', async () => {
    const s = emu.setup();
    const out = await sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password } }),
    );
    expect(out.ChallengeName).toBeUndefined();
    const r = out.AuthenticationResult ?? {};
    expect(r).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(r.RefreshToken?.split('.')).toHaveLength(5);
    const access = claims(r.AccessToken ?? '');
    const id = claims(r.IdToken ?? '');
    expect(access).toMatchObject({
      iss: `${emu.endpoint}/${s.userPoolId}`,
      client_id: s.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: s.username,
    });
    expect(access.exp).toBe(Number(access.iat) + 3600);
    for (const claim of ['sub', 'origin_jti', 'jti', 'event_id', 'auth_time']) expect(access[claim]).toBeDefined();
    expect(id).toMatchObject({ aud: s.clientId, token_use: 'id', 'cognito:username': s.username, email: `${s.username}@example.com`, sub: access.sub, origin_jti: access.origin_jti });

    const jwks = (await (await fetch(`${emu.endpoint}/${s.userPoolId}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string; kty: string; n: string; e: string }> };
    const [header, payload, signature] = (r.AccessToken ?? '').split('.') as [string, string, string];
    const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string; alg: string }).kid;
    const jwk = jwks.keys.find((k) => k.kid === kid);
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: { kty: jwk?.kty ?? '', n: jwk?.n ?? '', e: jwk?.e ?? '' }, format: 'jwk' });
    expect(createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key, Buffer.from(signature, 'base64url'))).toBe(true);

    const user = await getUser(r.AccessToken ?? '');
    expect(user.Username).toBe(s.username);
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'sub', Value: access.sub }]));
  });

  test('wrong password, unknown user, unknown client, disabled flow', async () => {
    const s = emu.setup();
    const auth = (clientId: string, USERNAME: string, PASSWORD: string) =>
      sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME, PASSWORD } }));
    expect(await rejection(auth(s.clientId, s.username, 'nope'))).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.', $metadata: { httpStatusCode: 400 } });
    expect(await rejection(auth(s.clientId, 'ghost', 'x'))).toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await rejection(auth('nosuchclient', s.username, s.password))).toMatchObject({ name: 'ResourceNotFoundException' });
    const { clientId } = emu.createUserPoolClient({ userPoolId: s.userPoolId, explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    expect(await rejection(auth(clientId, s.username, s.password))).toMatchObject({ name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });
  });

  test('a client with a secret requires a correct SECRET_HASH', async () => {
    const s = emu.setup({ generateSecret: true });
    expect(s.clientSecret).toMatch(/^[a-z0-9]{51}$/);
    const auth = (extra: Record<string, string>) =>
      sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password, ...extra } }));
    const expected = { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${s.clientId}` };
    expect(await rejection(auth({}))).toMatchObject(expected);
    expect(await rejection(auth({ SECRET_HASH: secretHash('wrong', s.username, s.clientId) }))).toMatchObject(expected);
    const tokens = await signIn(s);
    // Refresh: hash computed with the username or with the sub; missing → rejected.
    expect(await rejection(refresh(s, tokens.RefreshToken))).toMatchObject(expected);
    await expect(refresh(s, tokens.RefreshToken, s.username)).resolves.toBeDefined();
    await expect(refresh(s, tokens.RefreshToken, String(claims(tokens.AccessToken).sub))).resolves.toBeDefined();
  });

  test('FORCE_CHANGE_PASSWORD answers NEW_PASSWORD_REQUIRED; RespondToAuthChallenge completes it', async () => {
    const s = emu.setup();
    emu.createUser({ userPoolId: s.userPoolId, username: 'newbie', password: 'Temp-Passw0rd!', permanent: false });
    const out = await sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: 'newbie', PASSWORD: 'Temp-Passw0rd!' } }),
    );
    expect(out).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeParameters: { USER_ID_FOR_SRP: 'newbie', requiredAttributes: '[]', userAttributes: '{}' } });
    expect(out.AuthenticationResult).toBeUndefined();
    const respond = (session: string) =>
      sdk.send(new RespondToAuthChallengeCommand({ ClientId: s.clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeResponses: { USERNAME: 'newbie', NEW_PASSWORD: 'New-Passw0rd!' } }));
    expect(await rejection(respond('bogus'))).toMatchObject({ name: 'NotAuthorizedException' });
    const done = await respond(out.Session ?? '');
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    await expect(signIn({ ...s, username: 'newbie', password: 'New-Passw0rd!' })).resolves.toBeDefined();
  });
});

describe('REFRESH_TOKEN_AUTH', () => {
  test('mints new access and ID tokens with the same origin_jti and no new refresh token', async () => {
    const s = emu.setup();
    const first = await signIn(s);
    for (const flow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'] as const) {
      const out = await sdk.send(new InitiateAuthCommand({ AuthFlow: flow, ClientId: s.clientId, AuthParameters: { REFRESH_TOKEN: first.RefreshToken } }));
      const r = out.AuthenticationResult ?? {};
      expect(r.RefreshToken).toBeUndefined();
      const before = claims(first.AccessToken);
      const after = claims(r.AccessToken ?? '');
      expect(after.origin_jti).toBe(before.origin_jti);
      expect(after.jti).not.toBe(before.jti);
      expect(claims(r.IdToken ?? '').origin_jti).toBe(before.origin_jti);
      await expect(getUser(r.AccessToken ?? '')).resolves.toMatchObject({ Username: s.username });
    }
  });

  test('unknown token, or a token of another client, is an Invalid Refresh Token', async () => {
    const s = emu.setup();
    const other = { ...s, clientId: emu.createUserPoolClient({ userPoolId: s.userPoolId }).clientId };
    const tokens = await signIn(s);
    const invalid = { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' };
    expect(await rejection(refresh(s, 'a.b.c.d.e'))).toMatchObject(invalid);
    expect(await rejection(refresh(other, tokens.RefreshToken))).toMatchObject(invalid);
  });
});

describe('RevokeToken', () => {
  test('revokes the refresh token and every access token from it, not other sessions', async () => {
    const s = emu.setup();
    const session = await signIn(s);
    const otherSession = await signIn(s);
    const refreshed = (await refresh(s, session.RefreshToken)).AuthenticationResult?.AccessToken ?? '';
    await sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: session.RefreshToken }));
    expect(await rejection(refresh(s, session.RefreshToken))).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    for (const token of [session.AccessToken, refreshed]) {
      expect(await rejection(getUser(token))).toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    }
    await expect(getUser(otherSession.AccessToken)).resolves.toBeDefined();
    await expect(refresh(s, otherSession.RefreshToken)).resolves.toBeDefined();
    // Idempotent: revoking again, or an unknown refresh token, succeeds.
    await expect(sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: session.RefreshToken }))).resolves.toBeDefined();
    await expect(sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: 'a.b.c.d.e' }))).resolves.toBeDefined();
  });

  test('edge cases use only RevokeToken’s documented errors', async () => {
    const s = emu.setup();
    const tokens = await signIn(s);
    const revoke = (Token: string, ClientId: string, ClientSecret?: string) =>
      sdk.send(new RevokeTokenCommand({ Token, ClientId, ...(ClientSecret ? { ClientSecret } : {}) }));
    expect(await rejection(revoke(tokens.AccessToken, s.clientId))).toMatchObject({ name: 'UnsupportedTokenTypeException', $metadata: { httpStatusCode: 400 } });
    expect(await rejection(revoke(tokens.RefreshToken, 'nosuchclient'))).toMatchObject({ name: 'UnauthorizedException' });
    const other = emu.createUserPoolClient({ userPoolId: s.userPoolId });
    expect(await rejection(revoke(tokens.RefreshToken, other.clientId))).toMatchObject({ name: 'UnauthorizedException' });
    await expect(refresh(s, tokens.RefreshToken)).resolves.toBeDefined(); // nothing was revoked

    const secret = emu.setup({ generateSecret: true });
    const secretTokens = await signIn(secret);
    expect(await rejection(revoke(secretTokens.RefreshToken, secret.clientId))).toMatchObject({ name: 'UnauthorizedException' });
    expect(await rejection(revoke(secretTokens.RefreshToken, secret.clientId, 'wrongsecretwrongsecretwrong'))).toMatchObject({ name: 'UnauthorizedException' });
    await revoke(secretTokens.RefreshToken, secret.clientId, secret.clientSecret);
    expect(await rejection(getUser(secretTokens.AccessToken))).toMatchObject({ message: 'Access Token has been revoked' });
  });

  test('a client without token revocation: no origin_jti/jti, RevokeToken unsupported', async () => {
    const s = emu.setup({ enableTokenRevocation: false });
    const tokens = await signIn(s);
    for (const jwt of [tokens.AccessToken, tokens.IdToken]) {
      expect(claims(jwt)).not.toHaveProperty('origin_jti');
      expect(claims(jwt)).not.toHaveProperty('jti');
    }
    expect(await rejection(sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: tokens.RefreshToken })))).toMatchObject({
      name: 'UnsupportedOperationException',
      message: expect.stringContaining('Token revocation is not enabled'),
    });
    await expect(refresh(s, tokens.RefreshToken)).resolves.toBeDefined();
    // GlobalSignOut still works for such clients.
    await sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    expect(await rejection(getUser(tokens.AccessToken))).toMatchObject({ message: 'Access Token has been revoked' });
  });
});

describe('GlobalSignOut and access-token checks', () => {
  test('revokes every token of the user in the pool, across clients', async () => {
    const s = emu.setup();
    const second = { ...s, clientId: emu.createUserPoolClient({ userPoolId: s.userPoolId }).clientId };
    const a = await signIn(s);
    const b = await signIn(second);
    const bystander = { ...s, username: 'bystander', password: 'Bystander-Passw0rd!' };
    emu.createUser({ userPoolId: s.userPoolId, username: bystander.username, password: bystander.password });
    const c = await signIn(bystander);

    await expect(sdk.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken }))).resolves.toBeDefined();
    const revokedAccess = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };
    expect(await rejection(getUser(a.AccessToken))).toMatchObject(revokedAccess);
    expect(await rejection(getUser(b.AccessToken))).toMatchObject(revokedAccess);
    expect(await rejection(sdk.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken })))).toMatchObject(revokedAccess);
    expect(await rejection(refresh(s, a.RefreshToken))).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect(await rejection(refresh(second, b.RefreshToken))).toMatchObject({ message: 'Refresh Token has been revoked' });
    await expect(getUser(c.AccessToken)).resolves.toMatchObject({ Username: 'bystander' });
    await expect(signIn(s)).resolves.toBeDefined(); // signing in again works
  });

  test('invalid and expired access tokens', async () => {
    const s = emu.setup();
    const tokens = await signIn(s);
    const invalid = { name: 'NotAuthorizedException', message: 'Invalid Access Token' };
    expect(await rejection(getUser('not-a-jwt'))).toMatchObject(invalid);
    expect(await rejection(getUser(tokens.IdToken))).toMatchObject(invalid);
    const [h, , sig] = tokens.AccessToken.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims(tokens.AccessToken), username: 'x' })).toString('base64url')}.${sig}`;
    expect(await rejection(getUser(forged))).toMatchObject(invalid);
    expect(await rejection(sdk.send(new GlobalSignOutCommand({ AccessToken: forged })))).toMatchObject(invalid);

    const start = clock;
    try {
      clock = start + 3600 * 1000;
      expect(await rejection(getUser(tokens.AccessToken))).toMatchObject({ name: 'NotAuthorizedException', message: 'Access Token has expired' });
      expect(await rejection(sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken })))).toMatchObject({ message: 'Access Token has expired' });
      await expect(refresh(s, tokens.RefreshToken)).resolves.toBeDefined();
    } finally {
      clock = start;
    }
  });

  test('token lifetime: emulator option and per-client validity', async () => {
    const short = await startCognitoEmulator({ accessTokenTtlSeconds: 60 });
    const client = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: short.endpoint, maxAttempts: 1 });
    try {
      const s = short.setup();
      const out = await client.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password } }),
      );
      expect(out.AuthenticationResult?.ExpiresIn).toBe(60);
      const perClient = { ...s, clientId: short.createUserPoolClient({ userPoolId: s.userPoolId, accessTokenTtlSeconds: 5 }).clientId };
      const t = await signIn(perClient, client);
      expect(Number(claims(t.AccessToken).exp) - Number(claims(t.AccessToken).iat)).toBe(5);
    } finally {
      client.destroy();
      await short.close();
    }
  });
});

describe('admin operations through the SDK', () => {
  test('CreateUserPool → CreateUserPoolClient → AdminCreateUser → AdminSetUserPassword → InitiateAuth', async () => {
    const pool = (await sdk.send(new CreateUserPoolCommand({ PoolName: 'sdk-pool' }))).UserPool;
    expect(pool?.Id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool).toMatchObject({ Name: 'sdk-pool', Arn: expect.stringContaining(`userpool/${pool?.Id}`) });
    const userPoolId = pool?.Id ?? '';

    const defaults = (await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'defaults' }))).UserPoolClient;
    expect(defaults).toMatchObject({ EnableTokenRevocation: true, UserPoolId: userPoolId });
    expect(defaults?.ClientSecret).toBeUndefined();
    expect(defaults?.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');

    const created = (
      await sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientName: 'web',
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          AccessTokenValidity: 10,
          TokenValidityUnits: { AccessToken: 'minutes' },
        }),
      )
    ).UserPoolClient;
    const clientId = created?.ClientId ?? '';
    const clientSecret = created?.ClientSecret ?? '';
    expect(clientSecret).not.toBe('');

    const user = (
      await sdk.send(
        new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'alice', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'alice@example.com' }] }),
      )
    ).User;
    expect(user).toMatchObject({ Username: 'alice', UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    expect(user?.Attributes?.find((a) => a.Name === 'sub')?.Value).toMatch(/^[0-9a-f-]{36}$/);
    expect(await rejection(sdk.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'alice' })))).toMatchObject({ name: 'UsernameExistsException' });
    expect(await rejection(sdk.send(new AdminCreateUserCommand({ UserPoolId: 'us-east-1_nope', Username: 'x' })))).toMatchObject({ name: 'ResourceNotFoundException' });

    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'alice', Password: 'Final-Passw0rd!', Permanent: true }));
    const s: SetupResult = { userPoolId, clientId, clientSecret, username: 'alice', password: 'Final-Passw0rd!' };
    const tokens = await signIn(s);
    expect(claims(tokens.IdToken)).toMatchObject({ email: 'alice@example.com', aud: clientId });
    expect(Number(claims(tokens.AccessToken).exp) - Number(claims(tokens.AccessToken).iat)).toBe(600);
    expect(await rejection(sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'bob', Password: 'x', Permanent: true })))).toMatchObject({
      name: 'UserNotFoundException',
    });
  });
});

describe('wire protocol', () => {
  const post = (target: string | undefined, body: string) =>
    fetch(`${emu.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}) },
      body,
    });

  test('unknown operation, bad JSON, request id header', async () => {
    const unknown = await post('AWSCognitoIdentityProviderService.DescribeEverything', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(await (await post(undefined, '{}')).json()).toMatchObject({ __type: 'UnknownOperationException' });
    const bad = await post('AWSCognitoIdentityProviderService.GetUser', '{"AccessToken":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ __type: 'SerializationException' });
    const missing = await post('AWSCognitoIdentityProviderService.GetUser', '{}');
    expect(missing.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await missing.json()).toMatchObject({ __type: 'InvalidParameterException' });
  });

  test('the request log names operations and statuses only, never token values', async () => {
    const s = emu.setup();
    const tokens = await signIn(s);
    await getUser(tokens.AccessToken);
    await rejection(getUser('bogus'));
    expect(emu.requests).toEqual([
      { operation: 'InitiateAuth', status: 200 },
      { operation: 'GetUser', status: 200 },
      { operation: 'GetUser', status: 400 },
    ]);
    const logged = JSON.stringify(emu.requests);
    for (const secret of [tokens.AccessToken, tokens.RefreshToken, s.password]) expect(logged).not.toContain(secret);
  });
});

describe('fault injection', () => {
  let s: SetupResult;
  let tokens: Awaited<ReturnType<typeof signIn>>;
  beforeEach(async () => {
    s = emu.setup();
    tokens = await signIn(s);
    emu.resetRequests();
  });

  test('latency: the answer is normal, just later (seen in the request log order)', async () => {
    emu.faults.set('GetUser', { type: 'latency', ms: 400 });
    const slow = getUser(tokens.AccessToken);
    await refresh(s, tokens.RefreshToken); // answered while GetUser is held
    expect(emu.requests).toEqual([{ operation: 'InitiateAuth', status: 200 }]);
    await expect(slow).resolves.toMatchObject({ Username: s.username });
    expect(emu.requests).toEqual([
      { operation: 'InitiateAuth', status: 200 },
      { operation: 'GetUser', status: 200, fault: 'latency' },
    ]);
  });

  test('blackhole: never answers; abortSignal cancels the call', async () => {
    emu.faults.set('RevokeToken', { type: 'blackhole' });
    const controller = new AbortController();
    const call = sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: tokens.RefreshToken }), { abortSignal: controller.signal });
    await waitUntil(() => emu.requests.some((r) => r.status === 'blackholed'));
    controller.abort();
    expect(await rejection(call)).toMatchObject({ name: 'AbortError' });
    expect(emu.requests).toEqual([{ operation: 'RevokeToken', status: 'blackholed', fault: 'blackhole' }]);
    await expect(refresh(s, tokens.RefreshToken)).resolves.toBeDefined(); // the token was not revoked
  });

  test('reset: the SDK sees ECONNRESET', async () => {
    emu.faults.set('GlobalSignOut', { type: 'reset' });
    const error = await rejection(sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken })));
    // Outside jest the SDK error has code 'ECONNRESET'; jest's separate realm makes the SDK wrap
    // it ("AWS SDK error wrapper for TimeoutError: read ECONNRESET"), so check the message.
    expect(error.message).toContain('ECONNRESET');
    expect(emu.requests).toEqual([{ operation: 'GlobalSignOut', status: 'reset', fault: 'reset' }]);
    await expect(getUser(tokens.AccessToken)).resolves.toBeDefined(); // nothing happened server-side
  });

  test.each([500, 503])('httpStatus %d with the default HTML page', async (status) => {
    emu.faults.set('RevokeToken', { type: 'httpStatus', status });
    const raw = await fetch(`${emu.endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.RevokeToken' }, body: '{}' });
    expect(raw.status).toBe(status);
    expect(raw.headers.get('content-type')).toBe('text/html');
    expect(await raw.text()).toContain('<html>');
    const error = await rejection(sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: tokens.RefreshToken })));
    expect(error.$metadata?.httpStatusCode).toBe(status);
  });

  test('httpStatus with a custom body and content type', async () => {
    emu.faults.set('GetUser', { type: 'httpStatus', status: 502, body: 'bad gateway', contentType: 'text/plain' });
    const raw = await fetch(`${emu.endpoint}/`, { method: 'POST', headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser' }, body: '{}' });
    expect([raw.status, raw.headers.get('content-type'), await raw.text()]).toEqual([502, 'text/plain', 'bad gateway']);
  });

  test('error: named Cognito errors with default and explicit statuses', async () => {
    emu.faults.set('RevokeToken', { type: 'error', name: 'TooManyRequestsException', message: 'Rate exceeded' });
    expect(await rejection(sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: tokens.RefreshToken })))).toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Rate exceeded',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    emu.faults.set('RevokeToken', { type: 'error', name: 'InternalErrorException' });
    expect(await rejection(sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: tokens.RefreshToken })))).toMatchObject({
      name: 'InternalErrorException',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    emu.faults.set('RevokeToken', { type: 'error', name: 'UnauthorizedException', status: 401 });
    expect(await rejection(sdk.send(new RevokeTokenCommand({ ClientId: s.clientId, Token: tokens.RefreshToken })))).toMatchObject({
      name: 'UnauthorizedException',
      $metadata: { httpStatusCode: 401 },
    });
  });

  test('malformed: a 200 with a truncated body makes the SDK fail', async () => {
    emu.faults.set('InitiateAuth', { type: 'malformed' });
    const error = await rejection(refresh(s, tokens.RefreshToken));
    expect(error.name).toBe('SyntaxError');
    expect(error.$metadata?.httpStatusCode).toBe(200);
    expect(emu.requests).toEqual([{ operation: 'InitiateAuth', status: 200, fault: 'malformed' }]);
  });

  test('times, "*" fallback, specific precedence and clear', async () => {
    emu.faults.set('*', { type: 'error', name: 'InternalErrorException' }, { times: 2 });
    emu.faults.set('GetUser', { type: 'error', name: 'TooManyRequestsException' }, { times: 1 });
    expect((await rejection(getUser(tokens.AccessToken))).name).toBe('TooManyRequestsException');
    expect((await rejection(getUser(tokens.AccessToken))).name).toBe('InternalErrorException');
    expect((await rejection(refresh(s, tokens.RefreshToken))).name).toBe('InternalErrorException');
    await expect(getUser(tokens.AccessToken)).resolves.toBeDefined();

    emu.faults.set('GetUser', { type: 'error', name: 'TooManyRequestsException' });
    for (let i = 0; i < 3; i++) expect((await rejection(getUser(tokens.AccessToken))).name).toBe('TooManyRequestsException');
    emu.faults.clear('GetUser');
    await expect(getUser(tokens.AccessToken)).resolves.toBeDefined();
    expect(() => emu.faults.set('GetUser', { type: 'blackhole' }, { times: 0 })).toThrow(RangeError);
  });
});

describe('close()', () => {
  test('destroys blackholed sockets and stops listening', async () => {
    const local = await startCognitoEmulator();
    const client = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: local.endpoint, maxAttempts: 1 });
    const s = local.setup();
    local.faults.set('*', { type: 'blackhole' });
    const hanging = rejection(client.send(new GetUserCommand({ AccessToken: 'x' })));
    await waitUntil(() => local.requests.length === 1);
    local.faults.set('GetUser', { type: 'latency', ms: 60_000 });
    const delayed = rejection(client.send(new GetUserCommand({ AccessToken: 'x' })));
    await local.close();
    await local.close(); // idempotent
    expect((await hanging).message).toMatch(/ECONNRESET|socket hang up/);
    expect((await delayed).name).toBeDefined(); // held by a latency timer, or refused: either way it ends
    const refused = await rejection(
      client.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password } })),
    );
    expect(refused.message).toContain('ECONNREFUSED');
    client.destroy();
  });
});
