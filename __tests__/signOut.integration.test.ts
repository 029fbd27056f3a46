// Sign-out end to end: createAuth → statechart → real AWS SDK → HTTP → emulator on 127.0.0.1.
// Every test checks what the result says, what the store still holds, and what Cognito now says.
import { CognitoIdentityProviderClient, GlobalSignOutCommand, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth } from '../src/index';
import { startCognitoEmulator } from '../src/testing/index';
import { expectSignedOutStore, inspectableStorage, startHarness, serverView, type Harness, type Session } from './support/harness';

let h: Harness;
let server: ReturnType<typeof serverView>;
beforeAll(async () => {
  h = await startHarness();
  server = serverView(h.emu);
});
afterAll(async () => {
  server.destroy();
  await h.close();
});
afterEach(() => h.emu.faults.clear());

/** No session and no token left, except a refresh token queued in the revocation outbox. */
const storeIsEmpty = (session: Session) => expectSignedOutStore(session.storage, session.tokens);
const sent = () => h.emu.requests.map((request) => request.operation);
const stateOf = (session: Session) => session.auth.actor.getSnapshot().value;

describe('local sign-out (default)', () => {
  test('complete: RevokeToken revokes the refresh token and the access tokens issued from it', async () => {
    const session = await h.signedIn();
    await expect(session.auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    storeIsEmpty(session);
    expect(stateOf(session)).toBe('signedOut');
    expect(sent()).toEqual(['RevokeToken']);
    await expect(server.refresh(session)).resolves.toBe('NotAuthorizedException');
    await expect(server.getUser(session.tokens.accessToken)).resolves.toBe('NotAuthorizedException');
  });

  test('with a client secret: RevokeToken sends it and succeeds', async () => {
    const session = await h.signedIn({ generateSecret: true });
    await expect(session.auth.signOut()).resolves.toMatchObject({ type: 'complete' });
    await expect(server.refresh(session)).resolves.toBe('NotAuthorizedException');
  });

  test('no origin_jti (revocation disabled on the client): no RevokeToken call, partial TokenRevocationNotEnabled', async () => {
    const session = await h.signedIn({ enableTokenRevocation: false });
    const result = await session.auth.signOut();
    expect(result).toMatchObject({
      type: 'partial',
      signedOutLocally: true,
      revokeTokenError: { name: 'TokenRevocationNotEnabled', refreshToken: session.tokens.refreshToken },
    });
    expect(sent()).toEqual([]);
    storeIsEmpty(session);
  });

  test.each([
    ['a Cognito exception keeps its name', { type: 'error', name: 'UnsupportedOperationException' }, 'UnsupportedOperationException', 'nothing'],
    ['throttling keeps its name (after the SDK retries)', { type: 'error', name: 'TooManyRequestsException' }, 'TooManyRequestsException', 'outbox'],
    ['a connection reset is a NetworkError', { type: 'reset' }, 'NetworkError', 'outbox'],
    ['an HTML 503 page is an UnexpectedResponse', { type: 'httpStatus', status: 503 }, 'UnexpectedResponse', 'outbox'],
    ['a cut-off JSON body is an UnexpectedResponse', { type: 'malformed' }, 'UnexpectedResponse', 'outbox'],
  ] as const)('RevokeToken fails, %s: partial, cache cleared', async (_, fault, name, finishedBy) => {
    const session = await h.signedIn();
    h.emu.faults.set('RevokeToken', fault);
    const result = await session.auth.signOut();
    expect(result).toEqual({
      type: 'partial',
      signedOutLocally: true,
      global: false,
      revokeTokenError: { name, message: expect.any(String), refreshToken: session.tokens.refreshToken },
      finishedBy,
    });
    storeIsEmpty(session);
  });

  test('server never answers: aborted at networkTimeoutMs, TimeoutError, cache cleared', async () => {
    const session = await h.signedIn({ networkTimeoutMs: 300 });
    h.emu.faults.set('RevokeToken', { type: 'blackhole' });
    const result = await session.auth.signOut();
    expect(result).toMatchObject({ type: 'partial', revokeTokenError: { name: 'TimeoutError' } });
    expect(h.emu.requests).toEqual([expect.objectContaining({ operation: 'RevokeToken', status: 'blackholed' })]);
    storeIsEmpty(session);
  });

  test('server unreachable (connection refused): NetworkError, cache cleared', async () => {
    const session = await h.signedIn();
    // The same stored session, restored by an app whose Cognito endpoint refuses connections.
    const offline = createAuth({ userPoolId: session.userPoolId, userPoolClientId: session.clientId, endpoint: 'http://127.0.0.1:9', storage: session.storage });
    try {
      const result = await offline.signOut();
      expect(result).toMatchObject({ type: 'partial', revokeTokenError: { name: 'NetworkError', refreshToken: session.tokens.refreshToken } });
      storeIsEmpty(session);
    } finally {
      await offline.stop();
    }
  });
});

describe('global sign-out', () => {
  test('complete in one round trip: GlobalSignOut alone; every old token is rejected', async () => {
    const session = await h.signedIn();
    await expect(session.auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(sent()).toEqual(['GlobalSignOut']);
    storeIsEmpty(session);
    await expect(server.getUser(session.tokens.accessToken)).resolves.toBe('NotAuthorizedException');
    await expect(server.refresh(session)).resolves.toBe('NotAuthorizedException');
  });

  test('why GlobalSignOut goes first: a concurrent RevokeToken can make it fail with "Access Token has been revoked"', async () => {
    // RevokeToken revokes the access tokens issued from its refresh token; if Cognito handles it
    // first, the concurrent GlobalSignOut is refused and the user's other devices stay signed in.
    const session = await h.signedIn();
    h.emu.faults.set('GlobalSignOut', { type: 'latency', ms: 50 });
    const client = new CognitoIdentityProviderClient({ region: h.emu.region, endpoint: h.emu.endpoint, maxAttempts: 1 });
    const [global] = await Promise.allSettled([
      client.send(new GlobalSignOutCommand({ AccessToken: session.tokens.accessToken })),
      client.send(new RevokeTokenCommand({ Token: session.tokens.refreshToken, ClientId: session.clientId })),
    ]);
    client.destroy();
    expect(global).toMatchObject({ status: 'rejected', reason: { name: 'NotAuthorizedException', message: 'Access Token has been revoked' } });
  });

  test('GlobalSignOut fails, RevokeToken succeeds: partial with the access token to retry with; this device is still protected', async () => {
    const session = await h.signedIn();
    h.emu.faults.set('GlobalSignOut', { type: 'error', name: 'NotAuthorizedException', message: 'Access Token has expired' });
    const result = await session.auth.signOut({ global: true });
    expect(result).toEqual({
      type: 'partial',
      signedOutLocally: true,
      global: true,
      globalSignOutError: { name: 'NotAuthorizedException', message: 'Access Token has expired', accessToken: session.tokens.accessToken },
      finishedBy: 'nothing',
    });
    expect(sent()).toEqual(['GlobalSignOut', 'RevokeToken']);
    storeIsEmpty(session);
    await expect(server.refresh(session)).resolves.toBe('NotAuthorizedException');
  });

  test('offline: no RevokeToken (it would make the global half impossible); queued as a global intent with both tokens', async () => {
    const session = await h.signedIn();
    h.emu.faults.set('*', { type: 'reset' });
    const result = await session.auth.signOut({ global: true });
    expect(result).toEqual({
      type: 'partial',
      signedOutLocally: true,
      global: true,
      globalSignOutError: { name: 'NetworkError', message: expect.any(String), accessToken: session.tokens.accessToken, refreshToken: session.tokens.refreshToken },
      finishedBy: 'outbox',
    });
    expect(sent()).not.toContain('RevokeToken'); // GlobalSignOut was tried (the SDK retries a reset)
    expect(storeIsEmpty(session)).toBe(true);
  });

  test('the outbox finishes an offline global sign-out as a global sign-out: the other devices are signed out too', async () => {
    const session = await h.signedIn();
    // The same user on another device.
    const otherStorage = inspectableStorage();
    const otherAuth = createAuth({ userPoolId: session.userPoolId, userPoolClientId: session.clientId, region: h.emu.region, endpoint: h.emu.endpoint, storage: otherStorage });
    await otherAuth.signIn({ username: session.username, password: session.password, authFlow: 'USER_PASSWORD_AUTH' });
    const other = { ...session, tokens: JSON.parse([...otherStorage.items.values()][0]!) };
    await otherAuth.stop();
    h.emu.faults.set('*', { type: 'reset' });
    await expect(session.auth.signOut({ global: true })).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
    h.emu.faults.clear();
    h.emu.resetRequests();
    await expect(session.auth.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
    expect(sent()).toEqual(['GlobalSignOut']);
    await expect(server.refresh(other)).resolves.toBe('NotAuthorizedException');
    await expect(server.getUser(session.tokens.accessToken)).resolves.toBe('NotAuthorizedException');
  });

  test('server never answers: GlobalSignOut aborted at networkTimeoutMs; both tokens returned for a retry', async () => {
    const session = await h.signedIn({ networkTimeoutMs: 300 });
    h.emu.faults.set('*', { type: 'blackhole' });
    const result = await session.auth.signOut({ global: true });
    expect(result).toMatchObject({
      type: 'partial',
      globalSignOutError: { name: 'TimeoutError', accessToken: session.tokens.accessToken },
      revokeTokenError: { name: 'TimeoutError', refreshToken: session.tokens.refreshToken },
    });
    storeIsEmpty(session);
  });

  test('revocation disabled on the client: GlobalSignOut alone, complete', async () => {
    const session = await h.signedIn({ enableTokenRevocation: false });
    await expect(session.auth.signOut({ global: true })).resolves.toMatchObject({ type: 'complete' });
    expect(sent()).toEqual(['GlobalSignOut']);
    await expect(server.getUser(session.tokens.accessToken)).resolves.toBe('NotAuthorizedException');
  });
});

describe('retrySignOut', () => {
  test('a global sign-out made offline, retried once the server is back: complete, every old token dead', async () => {
    const session = await h.signedIn();
    h.emu.faults.set('*', { type: 'reset' });
    const first = await session.auth.signOut({ global: true });
    expect(first).toMatchObject({ type: 'partial', globalSignOutError: { name: 'NetworkError' }, finishedBy: 'outbox' });
    h.emu.faults.clear();
    h.emu.resetRequests();
    await expect(session.auth.retrySignOut(first)).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(sent()).toEqual(['GlobalSignOut']); // as in a sign-out: its success makes RevokeToken unnecessary
    await expect(server.getUser(session.tokens.accessToken)).resolves.toBe('NotAuthorizedException');
    await expect(server.refresh(session)).resolves.toBe('NotAuthorizedException');
  });

  test('GlobalSignOut answered 503: RevokeToken is not sent, so the retry can still sign out every device', async () => {
    // RevokeToken also revokes the access tokens issued from the refresh token (Cognito API reference):
    // sent after a retryable failure, it would make the global half impossible.
    const session = await h.signedIn();
    h.emu.faults.set('GlobalSignOut', { type: 'httpStatus', status: 503 });
    const first = await session.auth.signOut({ global: true });
    expect(first).toMatchObject({ type: 'partial', globalSignOutError: { name: 'UnexpectedResponse' }, finishedBy: 'outbox' });
    expect(first).not.toHaveProperty('revokeTokenError');
    expect(sent()).not.toContain('RevokeToken');
    h.emu.faults.clear();
    await expect(session.auth.retrySignOut(first)).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    await expect(server.refresh(session)).resolves.toBe('NotAuthorizedException');
  });

  test('a partial local sign-out retried: RevokeToken again, then complete', async () => {
    const session = await h.signedIn();
    h.emu.faults.set('RevokeToken', { type: 'reset' });
    const first = await session.auth.signOut();
    await expect(server.refresh(session)).resolves.toBe('accepted'); // not revoked yet
    h.emu.faults.clear();
    await expect(session.auth.retrySignOut(first)).resolves.toMatchObject({ type: 'complete' });
    await expect(server.refresh(session)).resolves.toBe('NotAuthorizedException');
  });

  test('still failing: a new partial result with the same token', async () => {
    const session = await h.signedIn();
    h.emu.faults.set('RevokeToken', { type: 'error', name: 'InternalErrorException' });
    const first = await session.auth.signOut();
    await expect(session.auth.retrySignOut(first)).resolves.toMatchObject({
      type: 'partial',
      revokeTokenError: { name: 'InternalErrorException', refreshToken: session.tokens.refreshToken },
    });
  });

  test('bad input is a typed error', async () => {
    const session = await h.signedIn();
    await expect(session.auth.retrySignOut({} as never)).rejects.toMatchObject({ name: 'AuthValidationError', field: 'result' });
    await expect(session.auth.retrySignOut({ type: 'failed', signedOutLocally: false, error: { name: 'StorageError', message: 'x' } })).rejects.toMatchObject({
      name: 'AuthValidationError',
    });
  });

  test('a partial result whose tokens are not strings: nothing is sent, and no part of it is echoed', async () => {
    const session = await h.signedIn();
    const junk = { type: 'partial', signedOutLocally: true, revokeTokenError: { name: 'NetworkError', message: 'x', refreshToken: { secret: 'not-a-string-token' } }, finishedBy: 'retrySignOut' };
    h.emu.resetRequests();
    const result = await session.auth.retrySignOut(junk as never);
    // The app's argument is wrong (AuthValidationError, final): not Cognito's body, and no retry of it can help.
    expect(result).toMatchObject({ type: 'partial', revokeTokenError: { name: 'AuthValidationError', message: expect.stringContaining('not strings') }, finishedBy: 'nothing' });
    expect(JSON.stringify(result)).not.toContain('not-a-string-token');
    expect(h.emu.requests).toEqual([]);
  });
});

describe('edge cases', () => {
  test('nobody signed in: complete with no network call', async () => {
    const session = await h.signedIn();
    await session.auth.signOut();
    h.emu.resetRequests();
    await expect(session.auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    expect(h.emu.requests).toEqual([]);
  });

  test('a second signOut while one runs joins it: one flow, the same result', async () => {
    const session = await h.signedIn();
    h.emu.faults.set('RevokeToken', { type: 'latency', ms: 100 });
    const first = session.auth.signOut();
    const second = session.auth.signOut({ global: true });
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(sent()).toEqual(['RevokeToken']);
  });

  test('a session restored from storage signs out the same way', async () => {
    const session = await h.signedIn();
    const again = createAuth({ region: h.emu.region, userPoolId: session.userPoolId, userPoolClientId: session.clientId, endpoint: h.emu.endpoint, storage: session.storage });
    try {
      await expect(again.signOut()).resolves.toMatchObject({ type: 'complete' });
      storeIsEmpty(session);
      await expect(server.refresh(session)).resolves.toBe('NotAuthorizedException');
    } finally {
      await again.stop();
    }
  });
});

describe('global sign-out with an expired access token', () => {
  test('refreshes the access token first (into the sign-out intent, never the session), then GlobalSignOut succeeds: complete', async () => {
    let clock = Date.now() - 2 * 3600_000; // tokens minted two hours ago
    const started = await startCognitoEmulator({ now: () => clock });
    try {
      const setup = started.setup();
      const storage = inspectableStorage();
      const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: started.endpoint, storage });
      await auth.signIn({ username: setup.username, password: setup.password });
      clock = Date.now(); // the access token has now expired, for the emulator and for us
      started.resetRequests();
      await expect(auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true });
      expect(started.requests.map((r) => r.operation)).toEqual(['InitiateAuth', 'GlobalSignOut']);
      expect(storage.items.size).toBe(0);
      await auth.stop();
    } finally {
      await started.close();
    }
  });
});
