// The transport contract (issue 6 §4): the SDK transport (createSdkCognito) and the slim fetch
// transport (createFetchCognito) run the same cases against the emulator and must agree on every
// result and every error name, faults included. Then fetch-only wire details (with a stub fetch),
// and the tree-shaking guarantees of both entries (esbuild metafile inputs).
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createSdkCognito, type CognitoService } from '../services/cognito/sdkTransport';
import { createFetchCognito } from '../src/transport/fetch';
import { createAuth } from '../src/index';
import { startSrp } from '../services/srp/index';
import { hashPaths } from './support/hashes';
import { startCognitoEmulator, type CognitoEmulator, type Fault } from '../src/testing/index';
import { closedPort } from './support/faultMatrix';


/** Each form a server may echo a secret in: raw, inside a JSON body, URL-encoded (hex in either case) and form-encoded. */
const echoedForms = (secret: string): string[] => [
  secret,
  JSON.stringify(secret).slice(1, -1),
  encodeURIComponent(secret),
  encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
  new URLSearchParams([['', secret]]).toString().slice(1),
];

/** A loopback HTTP server that answers every request with `answer`, and counts them. */
async function loopbackServer(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void = (_req, _body, res) => res.end('{}')): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface MakeOptions {
  clientId: string;
  clientSecret?: string;
  callTimeoutMs?: number;
  endpoint?: string;
}
type Make = (options: MakeOptions) => CognitoService;

let emu: CognitoEmulator;
const sdkClients: CognitoIdentityProviderClient[] = [];
/** Moves the emulator's clock (refresh-token rotation's grace period) without waiting. */
let skewMs = 0;
beforeAll(async () => {
  emu = await startCognitoEmulator({ now: () => Date.now() + skewMs });
});
afterEach(() => {
  emu.faults.clear();
  skewMs = 0;
});
afterAll(async () => {
  for (const client of sdkClients) client.destroy();
  await emu.close();
});

const transports: Array<[string, Make]> = [
  [
    'sdk',
    ({ endpoint, ...rest }) => {
      // The SDK's defaults (standard retries, 3 attempts), as in the client createAuth builds.
      const client = new CognitoIdentityProviderClient({ region: emu.region, endpoint: endpoint ?? emu.endpoint });
      sdkClients.push(client);
      return createSdkCognito({ client, ...rest });
    },
  ],
  ['fetch', ({ endpoint, ...rest }) => createFetchCognito({ region: emu.region, endpoint: endpoint ?? emu.endpoint, ...rest })],
];

/** The requests the emulator saw for one operation during `run`. */
async function attemptsOf(operation: string, run: () => Promise<unknown>): Promise<number> {
  emu.resetRequests();
  await run().catch(() => {});
  return emu.requests.filter((record) => record.operation === operation).length;
}

describe.each(transports)('%s transport', (_label, make) => {
  async function signedIn(generateSecret = false) {
    const setup = emu.setup({ generateSecret });
    const cognito = make({ clientId: setup.clientId, ...(setup.clientSecret && { clientSecret: setup.clientSecret }) });
    const step = await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: setup.password });
    if (step.kind !== 'tokens') throw new Error(`expected tokens, got the ${step.name} challenge`);
    return { setup, cognito, tokens: step.tokens };
  }

  test('password sign-in returns access, ID and refresh tokens', async () => {
    const { tokens } = await signedIn();
    expect(tokens).toEqual({ accessToken: expect.stringMatching(/^eyJ/), idToken: expect.stringMatching(/^eyJ/), refreshToken: expect.any(String) });
  });

  test('a wrong password is NotAuthorizedException, and the password is not in the message', async () => {
    const setup = emu.setup();
    const cognito = make({ clientId: setup.clientId });
    const error = await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: 'Wr0ng-Passw0rd!' }).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'NotAuthorizedException' });
    expect(String((error as Error).message)).not.toContain('Wr0ng-Passw0rd!');
  });

  test('SRP sign-in: PASSWORD_VERIFIER then tokens', async () => {
    const setup = emu.setup();
    const cognito = make({ clientId: setup.clientId });
    const handshake = startSrp(hashPaths()[0]!.hash);
    const step = await cognito.initiateAuth('USER_SRP_AUTH', { USERNAME: setup.username, SRP_A: handshake.srpA });
    if (step.kind !== 'challenge') throw new Error('expected the PASSWORD_VERIFIER challenge');
    expect(step.name).toBe('PASSWORD_VERIFIER');
    const p = step.parameters;
    const userIdForSrp = p.USER_ID_FOR_SRP ?? setup.username;
    const answer = await handshake.answer({ userPoolId: setup.userPoolId, userIdForSrp, password: setup.password, srpB: p.SRP_B ?? '', salt: p.SALT ?? '', secretBlock: p.SECRET_BLOCK ?? '' });
    const done = await cognito.respondToAuthChallenge('PASSWORD_VERIFIER', step.session, {
      USERNAME: p.USERNAME ?? userIdForSrp,
      PASSWORD_CLAIM_SECRET_BLOCK: answer.passwordClaimSecretBlock,
      PASSWORD_CLAIM_SIGNATURE: answer.passwordClaimSignature,
      TIMESTAMP: answer.timestamp,
    });
    expect(done).toMatchObject({ kind: 'tokens', tokens: { accessToken: expect.any(String), idToken: expect.any(String), refreshToken: expect.any(String) } });
  });

  test('refresh returns new access tokens and keeps the refresh token', async () => {
    const { setup, cognito, tokens } = await signedIn();
    const refreshed = await cognito.refreshTokens(tokens.refreshToken!, setup.username);
    expect(refreshed).toMatchObject({ refreshToken: tokens.refreshToken });
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
  });

  test("device tracking: the sign-in's tokens carry NewDeviceMetadata; a refresh names the device (DEVICE_KEY, DeviceKey) or is refused 'Invalid Refresh Token', on both refreshes", async () => {
    for (const rotation of [false, true]) {
      const setup = emu.setup({ userPool: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true } }, ...(rotation && { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 5 } }) });
      const cognito = make({ clientId: setup.clientId });
      const step = await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: setup.password });
      if (step.kind !== 'tokens') throw new Error('expected tokens');
      expect(step.device).toEqual({ DeviceKey: expect.stringMatching(/^us-east-1_/), DeviceGroupKey: expect.any(String) });
      const deviceKey = String(step.device!.DeviceKey);
      const refreshToken = step.tokens.refreshToken!;
      const refresh = (key?: string) => (rotation ? cognito.getTokensFromRefreshToken!(refreshToken, undefined, key) : cognito.refreshTokens(refreshToken, setup.username, undefined, key));
      await expect(refresh()).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
      await expect(refresh(deviceKey)).resolves.toMatchObject({ accessToken: expect.stringMatching(/^eyJ/) });
    }
  });

  test('revoke, then refresh fails with NotAuthorizedException', async () => {
    const { setup, cognito, tokens } = await signedIn();
    await expect(cognito.revokeToken(tokens.refreshToken!)).resolves.toBeUndefined();
    expect(emu.tokenRevoked(tokens.refreshToken!)).toBe(true);
    await expect(cognito.refreshTokens(tokens.refreshToken!, setup.username)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  test('global sign-out revokes the session; a second one is NotAuthorizedException', async () => {
    const { setup, cognito, tokens } = await signedIn();
    await expect(cognito.globalSignOut(tokens.accessToken)).resolves.toBeUndefined();
    await expect(cognito.refreshTokens(tokens.refreshToken!, setup.username)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const error = await cognito.globalSignOut(tokens.accessToken).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'NotAuthorizedException' });
    expect((error as Error).message).not.toContain(tokens.accessToken);
  });

  test('NEW_PASSWORD_REQUIRED: the challenge with its session, then tokens for the new password', async () => {
    const { userPoolId } = emu.createUserPool();
    const { clientId } = emu.createUserPoolClient({ userPoolId });
    emu.createUser({ userPoolId, username: 'newbie', password: 'Temp0rary!', permanent: false });
    const cognito = make({ clientId });
    const step = await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: 'newbie', PASSWORD: 'Temp0rary!' });
    expect(step).toMatchObject({ kind: 'challenge', name: 'NEW_PASSWORD_REQUIRED', session: expect.any(String), parameters: expect.any(Object) });
    if (step.kind !== 'challenge') return;
    const done = await cognito.respondToAuthChallenge(step.name, step.session, { USERNAME: 'newbie', NEW_PASSWORD: 'Perm4nent!pass' });
    expect(done).toMatchObject({ kind: 'tokens' });
  });

  test('client secret: SECRET_HASH on sign-in and refresh, ClientSecret on revoke', async () => {
    const { setup, cognito, tokens } = await signedIn(true);
    expect(setup.clientSecret).toEqual(expect.any(String));
    await expect(cognito.refreshTokens(tokens.refreshToken!, setup.username)).resolves.toMatchObject({ refreshToken: tokens.refreshToken });
    await expect(cognito.revokeToken(tokens.refreshToken!)).resolves.toBeUndefined();
    // Without the secret the same client is refused.
    const unsigned = make({ clientId: setup.clientId });
    await expect(unsigned.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: setup.password })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  describe('GetTokensFromRefreshToken (refresh-token rotation)', () => {
    async function rotatingSignIn(options: { grace?: number; secret?: boolean; rotation?: boolean } = {}) {
      const feature = options.rotation === false ? 'DISABLED' : 'ENABLED';
      const setup = emu.setup({ generateSecret: options.secret ?? false, refreshTokenRotation: { feature, retryGracePeriodSeconds: options.grace ?? 5 } });
      const cognito = make({ clientId: setup.clientId, ...(setup.clientSecret && { clientSecret: setup.clientSecret }) });
      const step = await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: setup.password });
      if (step.kind !== 'tokens' || !step.tokens.refreshToken) throw new Error('expected tokens');
      return { setup, cognito, refreshToken: step.tokens.refreshToken, refresh: (token: string, signal?: AbortSignal) => cognito.getTokensFromRefreshToken!(token, signal) };
    }

    test('rotation on: a new refresh token; the old one works within the grace period, then RefreshTokenReuseException', async () => {
      const { refreshToken, refresh } = await rotatingSignIn({ grace: 5 });
      const rotated = await refresh(refreshToken);
      expect(rotated).toEqual({ accessToken: expect.stringMatching(/^eyJ/), idToken: expect.stringMatching(/^eyJ/), refreshToken: expect.any(String) });
      expect(rotated.refreshToken).not.toBe(refreshToken);
      skewMs = 4_000;
      await expect(refresh(refreshToken)).resolves.toMatchObject({ refreshToken: expect.any(String) });
      skewMs = 5_000;
      const error = (await refresh(refreshToken).catch((e: Error) => e)) as Error;
      expect(error.name).toBe('RefreshTokenReuseException');
      expect(error.message).not.toContain(refreshToken);
      await expect(refresh(rotated.refreshToken!)).resolves.toMatchObject({ refreshToken: expect.any(String) });
    });

    test('rotation off: new access and ID tokens, the refresh token kept', async () => {
      const { refreshToken, refresh } = await rotatingSignIn({ rotation: false });
      const tokens = await refresh(refreshToken);
      expect(tokens).toEqual({ accessToken: expect.any(String), idToken: expect.any(String), refreshToken });
      await expect(refresh(refreshToken)).resolves.toMatchObject({ refreshToken });
    });

    test('client secret: sent as ClientSecret; a transport without it is refused; neither secret nor token in the message', async () => {
      const { setup, refreshToken, refresh } = await rotatingSignIn({ secret: true });
      const unsigned = make({ clientId: setup.clientId });
      const error = (await unsigned.getTokensFromRefreshToken!(refreshToken).catch((e: Error) => e)) as Error;
      expect(error.name).toBe('NotAuthorizedException');
      expect(error.message).not.toContain(refreshToken);
      await expect(refresh(refreshToken)).resolves.toMatchObject({ refreshToken: expect.any(String) });
      emu.faults.set('GetTokensFromRefreshToken', { type: 'error', name: 'NotAuthorizedException', message: `echo ${[refreshToken, setup.clientSecret!].flatMap(echoedForms).join(' ')}` });
      const echoed = (await refresh(refreshToken).catch((e: Error) => e)) as Error;
      expect(echoed.name).toBe('NotAuthorizedException');
      for (const form of [refreshToken, setup.clientSecret!].flatMap(echoedForms)) expect(echoed.message).not.toContain(form);
    });

    test('connection reset → NetworkError after 3 attempts; nothing was used up', async () => {
      const { refreshToken, refresh } = await rotatingSignIn({ grace: 0 });
      emu.faults.set('GetTokensFromRefreshToken', { type: 'reset' });
      const error = (await refresh(refreshToken).catch((e: Error) => e)) as Error;
      expect(error).toMatchObject({ name: 'NetworkError' });
      expect(error.message).not.toContain(refreshToken);
      expect(await attemptsOf('GetTokensFromRefreshToken', () => refresh(refreshToken))).toBe(3);
      emu.faults.clear();
      await expect(refresh(refreshToken)).resolves.toMatchObject({ refreshToken: expect.any(String) });
    });

    test('blackhole with a small callTimeoutMs → TimeoutError, in time; the caller\'s abort → AbortError', async () => {
      const { setup, refreshToken, refresh } = await rotatingSignIn();
      emu.faults.set('GetTokensFromRefreshToken', { type: 'blackhole' });
      const bounded = make({ clientId: setup.clientId, callTimeoutMs: 300 });
      const started = Date.now();
      const error = (await bounded.getTokensFromRefreshToken!(refreshToken).catch((e: Error) => e)) as Error;
      expect(error).toMatchObject({ name: 'TimeoutError' });
      expect(error.message).not.toContain(refreshToken);
      expect(Date.now() - started).toBeLessThan(1500);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await expect(refresh(refreshToken, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    });
  });

  test('a refresh answered without tokens (a challenge) is UnexpectedResponse naming the request, for either refresh', async () => {
    const { setup, tokens } = await signedIn();
    const cognito = make({ clientId: setup.clientId });
    const challenge = { type: 'httpStatus', status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ ChallengeName: 'SMS_MFA', Session: 'sess', ChallengeParameters: {} }) } as const;
    emu.faults.set('InitiateAuth', challenge);
    emu.faults.set('GetTokensFromRefreshToken', challenge);
    try {
      await expect(cognito.refreshTokens(tokens.refreshToken!, setup.username)).rejects.toMatchObject({ name: 'UnexpectedResponse', message: 'REFRESH_TOKEN_AUTH answered without access and ID tokens' });
      await expect(cognito.getTokensFromRefreshToken!(tokens.refreshToken!)).rejects.toMatchObject({ name: 'UnexpectedResponse', message: 'GetTokensFromRefreshToken answered without access and ID tokens' });
    } finally {
      emu.faults.clear();
    }
  });

  describe('secrets in server-supplied messages', () => {
    test('a 7-character password with " and \\ echoed raw, JSON-escaped and URL-encoded is redacted in every form; the prose stays', async () => {
      const setup = emu.setup();
      const cognito = make({ clientId: setup.clientId });
      const password = 'p"w\\ 7!';
      expect(password).toHaveLength(7);
      const forms = echoedForms(password);
      emu.faults.set('InitiateAuth', { type: 'error', name: 'NotAuthorizedException', message: `Incorrect password: ${forms.join(' | ')} (body {"PASSWORD":"${JSON.stringify(password).slice(1, -1)}"})` });
      const error = (await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: password }).catch((e: Error) => e)) as Error;
      expect(error.name).toBe('NotAuthorizedException');
      for (const form of forms) expect(error.message).not.toContain(form);
      expect(error.message).toMatch(/^Incorrect password: \[redacted\] \| \[redacted\] \| \[redacted\] \| \[redacted\] \| \[redacted\] \(body \{"PASSWORD":"\[redacted\]"\}\)$/);
    });

    test('a challenge answer: new password, MFA code, Session, SECRET_HASH and client secret are redacted from the echo', async () => {
      const setup = emu.setup({ generateSecret: true });
      const cognito = make({ clientId: setup.clientId, clientSecret: setup.clientSecret! });
      const newPassword = 'N3w!pw';
      const code = '493817';
      const session = 'opaque/session+value==';
      const hash = createHmac('sha256', setup.clientSecret!).update(setup.username + setup.clientId).digest('base64');
      const secrets = [newPassword, code, session, hash, setup.clientSecret!];
      emu.faults.set('RespondToAuthChallenge', { type: 'error', name: 'InvalidPasswordException', message: `rejected ${secrets.flatMap(echoedForms).join(' ')}` });
      const error = (await cognito.respondToAuthChallenge('NEW_PASSWORD_REQUIRED', session, { USERNAME: setup.username, NEW_PASSWORD: newPassword, SOFTWARE_TOKEN_MFA_CODE: code }).catch((e: Error) => e)) as Error;
      expect(error.name).toBe('InvalidPasswordException');
      for (const form of secrets.flatMap(echoedForms)) expect(error.message).not.toContain(form);
      expect(error.message.startsWith('rejected [redacted]')).toBe(true);
    });

    test('a 5 MB message is cut to 512 characters after redaction, with …; a secret across the cut is redacted whole', async () => {
      const setup = emu.setup();
      const cognito = make({ clientId: setup.clientId });
      const password = 'Secr3t!';
      emu.faults.set('InitiateAuth', { type: 'error', name: 'NotAuthorizedException', message: `${'x'.repeat(506)}${password}${'y'.repeat(5 * 1024 * 1024)}` });
      const error = (await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: password }).catch((e: Error) => e)) as Error;
      expect(error.name).toBe('NotAuthorizedException');
      expect(error.message).toBe(`${'x'.repeat(506)}[redac…`);
      expect(error.message).not.toContain(password.slice(0, 3));
    });
  });

  describe('redirects are refused, never followed', () => {
    let elsewhere: Awaited<ReturnType<typeof loopbackServer>>;
    beforeAll(async () => (elsewhere = await loopbackServer()));
    afterAll(() => elsewhere.close());

    test.each([301, 302, 303, 307, 308] as const)('HTTP %d on RevokeToken → UnexpectedRedirect after 1 attempt; nothing reaches the Location', async (status) => {
      const { cognito, tokens } = await signedIn();
      const before = elsewhere.hits();
      emu.faults.set('RevokeToken', { type: 'redirect', status, location: `${elsewhere.url}/steal?token=${encodeURIComponent(tokens.refreshToken!)}` });
      emu.resetRequests();
      const error = (await cognito.revokeToken(tokens.refreshToken!).catch((e: Error) => e)) as Error;
      expect(error).toMatchObject({ name: 'UnexpectedRedirect', message: `RevokeToken: HTTP ${status} redirect refused` });
      expect(emu.requests.filter((r) => r.operation === 'RevokeToken')).toHaveLength(1);
      expect(elsewhere.hits()).toBe(before);
    });

    test('a password sign-in answered with 307 is refused: the password is not sent again, and the Location is not in the message', async () => {
      const setup = emu.setup();
      const cognito = make({ clientId: setup.clientId });
      const before = elsewhere.hits();
      emu.faults.set('InitiateAuth', { type: 'redirect', location: `${elsewhere.url}/login?password=${encodeURIComponent(setup.password)}` });
      const error = (await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: setup.password }).catch((e: Error) => e)) as Error;
      expect(error).toMatchObject({ name: 'UnexpectedRedirect', message: 'InitiateAuth: HTTP 307 redirect refused' });
      expect(error.message).not.toContain(elsewhere.url);
      expect(elsewhere.hits()).toBe(before);
    });
  });

  test("the challenge Session is opaque: whatever the server sends comes back byte for byte", async () => {
    const session = 'eyJub3Q.a.jwt==/+ é"\\%41 ';
    const seen: string[] = [];
    const server = await loopbackServer((req, body, res) => {
      const input = JSON.parse(body) as { Session?: string };
      const target = String(req.headers['x-amz-target']);
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target.endsWith('.InitiateAuth')) return res.end(JSON.stringify({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: session, ChallengeParameters: { USER_ID_FOR_SRP: 'ann' } }));
      seen.push(input.Session ?? '(none)');
      res.end(JSON.stringify({ AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r' } }));
    });
    try {
      const cognito = make({ clientId: 'client1', endpoint: server.url });
      const step = await cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: 'ann', PASSWORD: 'pw' });
      expect(step).toEqual({ kind: 'challenge', name: 'NEW_PASSWORD_REQUIRED', session, parameters: { USER_ID_FOR_SRP: 'ann' } });
      if (step.kind !== 'challenge') return;
      await expect(cognito.respondToAuthChallenge(step.name, step.session, { USERNAME: 'ann', NEW_PASSWORD: 'Perm4nent!pass' })).resolves.toMatchObject({ kind: 'tokens' });
      expect(seen).toEqual([session]);
    } finally {
      await server.close();
    }
  });

  describe('faults', () => {
    // [case, expected name, attempts (the SDK's standard retries, mirrored by the fetch transport), fault]
    const cases: Array<[string, string, number, Fault]> = [
      ['connection reset', 'NetworkError', 3, { type: 'reset' }],
      ['HTTP 503 with an HTML page', 'UnexpectedResponse', 3, { type: 'httpStatus', status: 503 }],
      ['HTTP 200 with a cut-off JSON body', 'UnexpectedResponse', 1, { type: 'malformed' }],
      ['a named Cognito error (400)', 'UnsupportedOperationException', 1, { type: 'error', name: 'UnsupportedOperationException' }],
      ['InternalErrorException (500)', 'InternalErrorException', 3, { type: 'error', name: 'InternalErrorException' }],
    ];
    test.each(cases)('%s → %s after %d attempt(s)', async (_case, name, attempts, fault) => {
      const { cognito, tokens } = await signedIn();
      emu.faults.set('RevokeToken', fault);
      const error = await cognito.revokeToken(tokens.refreshToken!).catch((e: Error) => e);
      expect(error).toMatchObject({ name });
      expect((error as Error).message).not.toContain(tokens.refreshToken!);
      if (name === 'UnexpectedResponse') expect((error as Error).message).toMatch(/HTTP (503|200)/);
      expect(await attemptsOf('RevokeToken', () => cognito.revokeToken(tokens.refreshToken!))).toBe(attempts);
    });

    test('blackhole with a small callTimeoutMs → TimeoutError, in time', async () => {
      const setup = emu.setup();
      const cognito = make({ clientId: setup.clientId, callTimeoutMs: 300 });
      emu.faults.set('InitiateAuth', { type: 'blackhole' });
      const started = Date.now();
      await expect(cognito.initiateAuth('USER_PASSWORD_AUTH', { USERNAME: setup.username, PASSWORD: setup.password })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeLessThan(1500);
    });

    test('connection refused → NetworkError', async () => {
      const port = await closedPort();
      const cognito = make({ clientId: 'someclient', endpoint: `http://127.0.0.1:${port}` });
      await expect(cognito.globalSignOut('not-a-real-token')).rejects.toMatchObject({ name: 'NetworkError' });
    });

    test("the caller's abort → AbortError, not retried", async () => {
      const { cognito, tokens } = await signedIn();
      emu.faults.set('RevokeToken', { type: 'blackhole' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      emu.resetRequests();
      await expect(cognito.revokeToken(tokens.refreshToken!, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
      expect(emu.requests.filter((r) => r.operation === 'RevokeToken')).toHaveLength(1);
    });
  });
});

describe('fetch transport: wire details (stub fetch)', () => {
  interface Sent {
    url: string;
    init: RequestInit;
  }
  function stub(...answers: Array<() => Response | Promise<Response>>) {
    const sent: Sent[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      const answer = answers[Math.min(sent.length, answers.length) - 1]!;
      return answer();
    };
    return { sent, fetch };
  }
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/x-amz-json-1.1', ...headers } });

  test('POST / to the regional endpoint with the AWS JSON 1.1 headers and an unsigned JSON body', async () => {
    const { sent, fetch } = stub(json(200, {}));
    await createFetchCognito({ region: 'eu-west-1', clientId: 'client1', clientSecret: 's3cret-value', fetch }).revokeToken('refresh-token-value');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
    expect(sent[0]!.init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.RevokeToken' } });
    expect(Object.keys(sent[0]!.init.headers as object).map((h) => h.toLowerCase())).not.toContain('authorization');
    expect(JSON.parse(sent[0]!.init.body as string)).toEqual({ Token: 'refresh-token-value', ClientId: 'client1', ClientSecret: 's3cret-value' });
  });

  test('SECRET_HASH is HMAC-SHA256(secret, username + clientId), base64', async () => {
    const { sent, fetch } = stub(json(200, { AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r' } }));
    const step = await createFetchCognito({ region: 'eu-west-1', clientId: 'client1', clientSecret: 's3cret-value', fetch }).initiateAuth('USER_PASSWORD_AUTH', { USERNAME: 'ann', PASSWORD: 'pw' });
    expect(step).toEqual({ kind: 'tokens', tokens: { accessToken: 'a', idToken: 'i', refreshToken: 'r' } });
    const body = JSON.parse(sent[0]!.init.body as string);
    expect(body).toMatchObject({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'client1', AuthParameters: { USERNAME: 'ann', PASSWORD: 'pw', SECRET_HASH: createHmac('sha256', 's3cret-value').update('annclient1').digest('base64') } });
  });

  test("error names: __type with 'Prefix#' and ':suffix' stripped, else code, else x-amzn-errortype", async () => {
    const names = async (answer: () => Response) => {
      const { fetch } = stub(answer);
      return createFetchCognito({ region: 'eu-west-1', clientId: 'c', fetch }).globalSignOut('t').catch((e: Error) => e.name);
    };
    expect(await names(json(400, { __type: 'com.amazonaws.cognito#NotAuthorizedException:http://internal', message: 'x' }))).toBe('NotAuthorizedException');
    expect(await names(json(400, { code: 'UserNotFoundException' }))).toBe('UserNotFoundException');
    expect(await names(() => new Response('', { status: 400, headers: { 'x-amzn-errortype': 'ForbiddenException:http://x' } }))).toBe('ForbiddenException');
    expect(await names(() => new Response('<html>oops</html>', { status: 400 }))).toBe('UnexpectedResponse');
  });

  test('throttling is retried (3 attempts in all); a message echoing a token is redacted', async () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const { sent, fetch } = stub(json(400, { __type: 'TooManyRequestsException', message: `slow down ${token}` }));
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.01); // 10 ms, 20 ms
    try {
      const error = await createFetchCognito({ region: 'eu-west-1', clientId: 'c', fetch }).globalSignOut(token).catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'TooManyRequestsException' });
      expect((error as Error).message).not.toContain(token);
    } finally {
      random.mockRestore();
    }
    expect(sent).toHaveLength(3);
  });

  test('a retried 5xx that then answers succeeds', async () => {
    const { sent, fetch } = stub(json(503, { __type: 'InternalErrorException' }), json(200, {}));
    await expect(createFetchCognito({ region: 'eu-west-1', clientId: 'c', fetch }).globalSignOut('t')).resolves.toBeUndefined();
    expect(sent).toHaveLength(2);
  });

  test('the deadline covers the backoff: a long throttling backoff ends in TimeoutError', async () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.99); // ~1 s
    try {
      const { sent, fetch } = stub(json(400, { __type: 'TooManyRequestsException' }));
      await expect(createFetchCognito({ region: 'eu-west-1', clientId: 'c', callTimeoutMs: 100, fetch }).globalSignOut('t')).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(sent).toHaveLength(1);
    } finally {
      random.mockRestore();
    }
  });

  test('GetTokensFromRefreshToken: its target, RefreshToken + ClientId + ClientSecret (no SECRET_HASH); the rotated token is returned', async () => {
    const { sent, fetch } = stub(json(200, { AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r2' } }));
    const tokens = await createFetchCognito({ region: 'eu-west-1', clientId: 'client1', clientSecret: 's3cret-value', fetch }).getTokensFromRefreshToken!('r1');
    expect(tokens).toEqual({ accessToken: 'a', idToken: 'i', refreshToken: 'r2' });
    expect(sent[0]!.init.headers).toMatchObject({ 'x-amz-target': 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken' });
    expect(JSON.parse(sent[0]!.init.body as string)).toEqual({ RefreshToken: 'r1', ClientId: 'client1', ClientSecret: 's3cret-value' });
  });

  test('GetTokensFromRefreshToken answered without tokens is UnexpectedResponse', async () => {
    const { fetch } = stub(json(200, {}));
    await expect(createFetchCognito({ region: 'eu-west-1', clientId: 'c', fetch }).getTokensFromRefreshToken!('r')).rejects.toMatchObject({ name: 'UnexpectedResponse' });
  });

  test('REFRESH_TOKEN_AUTH answered with a challenge is UnexpectedResponse', async () => {
    const { fetch } = stub(json(200, { ChallengeName: 'SMS_MFA', Session: 'sess' }));
    await expect(createFetchCognito({ region: 'eu-west-1', clientId: 'c', fetch }).refreshTokens('r', 'ann')).rejects.toMatchObject({ name: 'UnexpectedResponse' });
  });
});

describe('tree-shaking (esbuild: bundle, minify, browser, esm)', () => {
  const root = join(__dirname, '..');
  async function inputsOf(contents: string): Promise<string[]> {
    const result = await build({
      stdin: { contents, resolveDir: root, loader: 'ts' },
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    return Object.keys(result.metafile.inputs);
  }

  test('createAuth does not pull in the fetch transport', async () => {
    const inputs = await inputsOf("export { createAuth } from './src/index';");
    expect(inputs.some((file) => file.includes('@aws-sdk/client-cognito-identity-provider'))).toBe(true); // the check means something
    expect(inputs.filter((file) => /services\/fetchCognito\.ts|services\/fetch\//.test(file))).toEqual([]);
  });

  test('createFetchCognito does not pull in the AWS SDK (from node_modules only @noble/hashes, for SECRET_HASH)', async () => {
    const inputs = await inputsOf("export { createFetchCognito } from './src/transport/fetch';");
    expect(inputs).toContain('services/cognito/fetchTransport.ts');
    expect(inputs.filter((file) => file.includes('@aws-sdk/client-cognito-identity-provider'))).toEqual([]);
    expect(inputs.filter((file) => file.includes('node_modules') && !file.includes('node_modules/@noble/hashes/'))).toEqual([]);
  });
});

test('createAuth({ transport }) signs in and out through the fetch transport, building no SDK client', async () => {
  const emu = await startCognitoEmulator();
  try {
    const setup = emu.setup();
    const transport = createFetchCognito({ region: emu.region, endpoint: emu.endpoint, clientId: setup.clientId });
    const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, transport });
    await expect(auth.signIn({ username: setup.username, password: setup.password })).resolves.toMatchObject({ isSignedIn: true });
    await expect(auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    await auth.stop();
    expect(() => createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, transport: {} as never })).toThrow(expect.objectContaining({ name: 'AuthConfigError', field: 'transport' }));
  } finally {
    await emu.close();
  }
});
