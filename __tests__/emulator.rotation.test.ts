// Refresh-token rotation in the emulator, over real HTTP on 127.0.0.1: the app client setting
// (Create/Update/DescribeUserPoolClient, setup()), GetTokensFromRefreshToken through the AWS SDK's
// own client, REFRESH_TOKEN_AUTH on rotating clients, the /oauth2/token refresh grant, revocation
// of a whole family, faults and the request log.
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwtPayload, secretHash, startCognitoEmulator, type CognitoEmulator, type SetupOptions, type SetupResult } from '../src/testing/emulator.js';
import { hostedUiTokens, postForm } from './support/oauthBrowser.js';

const CB = 'http://localhost:3000/callback';
const DAY_MS = 24 * 3600 * 1000;

let emu: CognitoEmulator;
let sdk: CognitoIdentityProviderClient;
let clock = Date.now();

beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => clock });
  sdk = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});
afterEach(() => {
  emu.faults.clear();
  emu.resetRequests();
});

const claims = (jwt: string | undefined) => decodeJwtPayload(jwt ?? '') ?? {};
const rotating = (grace: number, o: SetupOptions = {}): SetupResult => emu.setup({ refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: grace }, ...o });

async function signIn(s: SetupResult): Promise<{ access: string; refresh: string }> {
  const out = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password } }));
  const r = out.AuthenticationResult;
  if (!r?.AccessToken || !r.RefreshToken) throw new Error('no tokens');
  return { access: r.AccessToken, refresh: r.RefreshToken };
}

const getTokens = (s: SetupResult, token: string, secret = s.clientSecret) =>
  sdk.send(new GetTokensFromRefreshTokenCommand({ RefreshToken: token, ClientId: s.clientId, ...(secret && { ClientSecret: secret }) })).then((out) => out.AuthenticationResult ?? {});

const failure = (promise: Promise<unknown>): Promise<{ name: string; message: string }> =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: { name: string; message: string }) => error,
  );

async function api(op: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown>; errorType: string | null }> {
  const res = await fetch(emu.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${op}` }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, errorType: res.headers.get('x-amzn-errortype') };
}

describe('the app client setting', () => {
  test('CreateUserPoolClient takes RefreshTokenRotation; DescribeUserPoolClient returns it; UpdateUserPoolClient replaces it (left out: off)', async () => {
    const { userPoolId } = emu.createUserPool();
    const created = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'app', RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 } }));
    const ClientId = created.UserPoolClient?.ClientId ?? '';
    expect(created.UserPoolClient?.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 30 });
    const described = await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId }));
    expect(described.UserPoolClient).toMatchObject({ ClientId, ClientName: 'app', RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 } });
    const updated = await sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId, RefreshTokenRotation: { Feature: 'ENABLED' } }));
    expect(updated.UserPoolClient).toMatchObject({ ClientId, ClientName: 'app', RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } });
    await sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId, ClientName: 'renamed' }));
    const after = await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId }));
    expect(after.UserPoolClient).toMatchObject({ ClientName: 'renamed', RefreshTokenRotation: { Feature: 'DISABLED', RetryGracePeriodSeconds: 0 } });
    const other = emu.createUserPool();
    expect(await failure(sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: other.userPoolId, ClientId })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test.each([
    [{ Feature: 'ENABLED', RetryGracePeriodSeconds: 61 }, "Value '61' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to 60"],
    [{ Feature: 'ENABLED', RetryGracePeriodSeconds: -1 }, "Value '-1' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value greater than or equal to 0"],
    [{ Feature: 'ON' }, "Value 'ON' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"],
    [{ RetryGracePeriodSeconds: 5 }, "Value at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must not be null"],
  ])('CreateUserPoolClient refuses %j with InvalidParameterException', async (rotation, message) => {
    const { userPoolId } = emu.createUserPool();
    const r = await api('CreateUserPoolClient', { UserPoolId: userPoolId, ClientName: 'app', RefreshTokenRotation: rotation });
    expect(r).toMatchObject({ status: 400, json: { __type: 'InvalidParameterException', message: `1 validation error detected: ${message}` } });
  });

  test('setup() and createUserPoolClient() take refreshTokenRotation; out of range is a RangeError', async () => {
    const s = rotating(15);
    const described = await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: s.userPoolId, ClientId: s.clientId }));
    expect(described.UserPoolClient?.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 15 });
    expect(() => rotating(61)).toThrow(RangeError);
    expect(() => rotating(1.5)).toThrow(RangeError);
    const plain = emu.setup();
    expect((await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: plain.userPoolId, ClientId: plain.clientId }))).UserPoolClient?.RefreshTokenRotation).toEqual({ Feature: 'DISABLED', RetryGracePeriodSeconds: 0 });
  });
});

describe('GetTokensFromRefreshToken with rotation on', () => {
  test('new access, ID and refresh tokens of the same family; the old token works for the grace period, then RefreshTokenReuseException', async () => {
    const s = rotating(10);
    const first = await signIn(s);
    const t0 = clock;
    const out = await getTokens(s, first.refresh);
    expect(out).toMatchObject({ AccessToken: expect.any(String), IdToken: expect.any(String), RefreshToken: expect.any(String), TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(out.RefreshToken).not.toBe(first.refresh);
    const origin = claims(first.access).origin_jti;
    expect(claims(out.AccessToken).origin_jti).toBe(origin);
    expect(claims(out.IdToken).origin_jti).toBe(origin);

    clock = t0 + 9_999; // a retry within the grace period: another new refresh token
    const retry = await getTokens(s, first.refresh);
    expect(retry.RefreshToken).toEqual(expect.any(String));
    expect([first.refresh, out.RefreshToken]).not.toContain(retry.RefreshToken);

    clock = t0 + 10_000;
    const error = await failure(getTokens(s, first.refresh));
    expect(error.name).toBe('RefreshTokenReuseException');
    expect(error.message).not.toContain(first.refresh);
    await expect(getTokens(s, out.RefreshToken ?? '')).resolves.toMatchObject({ RefreshToken: expect.any(String) });
    await expect(getTokens(s, retry.RefreshToken ?? '')).resolves.toMatchObject({ RefreshToken: expect.any(String) });
  });

  test('grace period 0: the token presented is refused at once; the wire error is RefreshTokenReuseException, 400', async () => {
    const s = rotating(0);
    const { refresh } = await signIn(s);
    await getTokens(s, refresh);
    const r = await api('GetTokensFromRefreshToken', { RefreshToken: refresh, ClientId: s.clientId });
    expect(r).toMatchObject({ status: 400, errorType: 'RefreshTokenReuseException', json: { __type: 'RefreshTokenReuseException', message: expect.any(String) } });
    expect(JSON.stringify(r.json)).not.toContain(refresh);
  });

  test('a rotated token expires when the original would have', async () => {
    const s = rotating(0);
    const { refresh } = await signIn(s);
    const start = clock;
    clock += 20 * DAY_MS;
    const next = (await getTokens(s, refresh)).RefreshToken ?? '';
    clock = start + 30 * DAY_MS;
    expect(await failure(getTokens(s, next))).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
    clock = start;
  });

  test('InitiateAuth REFRESH_TOKEN_AUTH is refused on a rotating client (InvalidParameterException naming GetTokensFromRefreshToken)', async () => {
    const s = rotating(5);
    const { refresh } = await signIn(s);
    const error = await failure(sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: s.clientId, AuthParameters: { REFRESH_TOKEN: refresh } })));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain('GetTokensFromRefreshToken');
  });

  test('client secret: ClientSecret required and checked; the secret is never in the message', async () => {
    const s = rotating(0, { generateSecret: true });
    const hash = secretHash(s.clientSecret ?? '', s.username, s.clientId);
    const out = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: s.username, PASSWORD: s.password, SECRET_HASH: hash } }));
    const refresh = out.AuthenticationResult?.RefreshToken ?? '';
    const missing = await failure(getTokens(s, refresh, ''));
    expect(missing.name).toBe('NotAuthorizedException');
    const wrong = await failure(getTokens(s, refresh, 'not-the-secret'));
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).not.toContain('not-the-secret');
    await expect(getTokens(s, refresh)).resolves.toMatchObject({ RefreshToken: expect.any(String) });
  });

  test('unknown client, other client, bad parameters', async () => {
    const a = rotating(0);
    const b = rotating(0);
    const { refresh } = await signIn(a);
    expect(await failure(getTokens(b, refresh))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    expect(await failure(sdk.send(new GetTokensFromRefreshTokenCommand({ RefreshToken: refresh, ClientId: 'nosuchclient' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await api('GetTokensFromRefreshToken', { ClientId: a.clientId })).toMatchObject({ status: 400, json: { __type: 'InvalidParameterException' } });
    expect(await api('GetTokensFromRefreshToken', { RefreshToken: refresh, ClientId: a.clientId, ClientMetadata: 'x' })).toMatchObject({ status: 400, json: { __type: 'InvalidParameterException' } });
    await expect(getTokens(a, refresh)).resolves.toMatchObject({ RefreshToken: expect.any(String) }); // the refusals used nothing up
  });
});

describe('GetTokensFromRefreshToken with rotation off', () => {
  test('new access and ID tokens, no refresh token; the token keeps working, and REFRESH_TOKEN_AUTH too', async () => {
    const s = emu.setup();
    const { refresh } = await signIn(s);
    const out = await getTokens(s, refresh);
    expect(out).toMatchObject({ AccessToken: expect.any(String), IdToken: expect.any(String) });
    expect(out.RefreshToken).toBeUndefined();
    clock += 120_000;
    await expect(getTokens(s, refresh)).resolves.toMatchObject({ AccessToken: expect.any(String) });
    const viaInitiate = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: s.clientId, AuthParameters: { REFRESH_TOKEN: refresh } }));
    expect(viaInitiate.AuthenticationResult?.RefreshToken).toBeUndefined();
  });
});

describe('revocation covers the whole family', () => {
  async function family(s: SetupResult): Promise<{ refresh: string[]; access: string[] }> {
    const first = await signIn(s);
    const second = await getTokens(s, first.refresh);
    const third = await getTokens(s, second.RefreshToken ?? '');
    return { refresh: [first.refresh, second.RefreshToken ?? '', third.RefreshToken ?? ''], access: [first.access, second.AccessToken ?? '', third.AccessToken ?? ''] };
  }

  test('RevokeToken with a middle member revokes every refresh and access token of the family', async () => {
    const s = rotating(60);
    const f = await family(s);
    const bystander = await signIn(s);
    await sdk.send(new RevokeTokenCommand({ Token: f.refresh[1], ClientId: s.clientId }));
    for (const token of [...f.refresh, ...f.access]) expect(emu.tokenRevoked(token)).toBe(true);
    for (const token of f.refresh) expect(await failure(getTokens(s, token))).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect(await failure(sdk.send(new GetUserCommand({ AccessToken: f.access[2] })))).toMatchObject({ name: 'NotAuthorizedException' });
    expect(emu.tokenRevoked(bystander.refresh)).toBe(false);
  });

  test('/oauth2/revoke with a retired member revokes the newest refresh token', async () => {
    const s = rotating(0);
    const f = await family(s);
    expect(await failure(getTokens(s, f.refresh[0] ?? ''))).toMatchObject({ name: 'RefreshTokenReuseException' });
    expect(emu.tokenRevoked(f.refresh[0] ?? '')).toBe(false); // retired, not revoked
    const r = await postForm(`${emu.endpoint}/oauth2/revoke`, { token: f.refresh[0] ?? '', client_id: s.clientId });
    expect(r.status).toBe(200);
    expect(await failure(getTokens(s, f.refresh[2] ?? ''))).toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });

  test('GlobalSignOut with the newest access token revokes the oldest refresh token too', async () => {
    const s = rotating(60);
    const f = await family(s);
    await sdk.send(new GlobalSignOutCommand({ AccessToken: f.access[2] }));
    for (const token of f.refresh) {
      expect(emu.tokenRevoked(token)).toBe(true);
      expect((await failure(getTokens(s, token))).name).toBe('NotAuthorizedException');
    }
  });
});

describe('/oauth2/token refresh_token grant', () => {
  const refreshGrant = (s: SetupResult, token: string) => postForm(`${emu.endpoint}/oauth2/token`, { grant_type: 'refresh_token', client_id: s.clientId, refresh_token: token });

  test('with rotation: a new refresh_token; the old one is good for the grace period, then invalid_grant', async () => {
    const s = rotating(5, { callbackUrls: [CB] });
    const signedIn = { refresh_token: (await hostedUiTokens(emu.endpoint, s, CB, 'openid email')).refresh_token ?? '' };
    const t0 = clock;
    const first = await refreshGrant(s, signedIn.refresh_token);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ access_token: expect.any(String), id_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer' });
    expect(first.json.refresh_token).not.toBe(signedIn.refresh_token);
    clock = t0 + 4_000;
    expect((await refreshGrant(s, signedIn.refresh_token)).status).toBe(200);
    clock = t0 + 5_000;
    expect(await refreshGrant(s, signedIn.refresh_token)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    // The hosted-UI family refreshes through the JSON API as well, scopes kept.
    const viaApi = await getTokens(s, String(first.json.refresh_token));
    expect(claims(viaApi.AccessToken).scope).toBe('openid email');
  });

  test('without rotation: no refresh_token in the answer', async () => {
    const s = emu.setup({ callbackUrls: [CB] });
    const signedIn = { refresh_token: (await hostedUiTokens(emu.endpoint, s, CB, 'openid')).refresh_token ?? '' };
    const r = await refreshGrant(s, signedIn.refresh_token);
    expect(r.status).toBe(200);
    expect(r.json.refresh_token).toBeUndefined();
  });
});

describe('faults and the request log', () => {
  test('the log names GetTokensFromRefreshToken; a fault set for it by name applies, and so does *', async () => {
    const s = rotating(0);
    const { refresh } = await signIn(s);
    emu.resetRequests();
    emu.faults.set('GetTokensFromRefreshToken', { type: 'error', name: 'InternalErrorException' }, { times: 1 });
    expect((await failure(getTokens(s, refresh))).name).toBe('InternalErrorException');
    emu.faults.set('*', { type: 'httpStatus', status: 503 }, { times: 1 });
    await failure(getTokens(s, refresh));
    const ok = await getTokens(s, refresh); // neither fault reached the operation: the token is still unused
    expect(ok.RefreshToken).toEqual(expect.any(String));
    expect(emu.requests).toEqual([
      { operation: 'GetTokensFromRefreshToken', status: 500, fault: 'error' },
      { operation: 'GetTokensFromRefreshToken', status: 503, fault: 'httpStatus' },
      { operation: 'GetTokensFromRefreshToken', status: 200 },
    ]);
  });
});
