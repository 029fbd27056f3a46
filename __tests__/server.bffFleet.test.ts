// The backend-for-frontend as a fleet (issue 20, "Done when"): 3 server processes on 127.0.0.1
// (support/bffChild.ts), each createServerAuth over redisSessionStore on one real redis-server
// (AOF on), mounted with toNodeListener in node:http; the emulator over real HTTP in this process;
// an upstream API for the proxy. Every call carries the session cookie and, on a POST, the CSRF
// header and the process's own Origin, as the app's pages would. One request of a flow goes to
// one process and the next to another: a challenge, a hosted-UI return, a refresh, a sign-out the
// answering process cannot finish (it is SIGKILLed; another's outbox finishes it), a dead letter,
// and a Redis restart between a partial sign-out and its finishing.
import { createClient } from 'redis';
import { storageKeys } from '../services/storage/keys';
import { createHostedUiBrowser, startCognitoEmulator, type CognitoEmulator, type SetupOptions, type SetupResult } from '../src/testing/index';
import { answers, callAt, cookieOf, hashOf, leaksIn, send, startUpstream, type Answer, type CallOptions } from './support/bff';
import type { BffChildConfig, CognitoCall, DiePoint } from './support/bffChild';
import { startChildFleet, type ChildFleet } from './support/childFleet';
import { eventually } from './support/revocation';
import { redisAvailable, startRedis, type TestRedis } from './support/redisServer';
import { leaseKey, recordKey } from './support/redisSessions';

const describeRedis = redisAvailable() ? describe : describe.skip;
const LEASE_MS = 1500;
const CLAIM_IDLE_MS = 1000;
const NETWORK_TIMEOUT_MS = 2000;
const STORAGE_TIMEOUT_MS = 1000;
/**
 * How long an outbox entry may take to be finished once Cognito is back, at most: a process killed
 * while its engine held the sign-out intent (leased in the session's record, for 2 N + 4 S:
 * services/actors/actorServices.ts) leaves it to the others only when that lease runs out, and the
 * fleet looks at an idle entry every claimIdleMs. A bound that stops a broken test, not a speed claim.
 */
const FINISH_BOUND_MS = 2 * NETWORK_TIMEOUT_MS + 4 * STORAGE_TIMEOUT_MS + 3 * CLAIM_IDLE_MS + 5000;
jest.setTimeout(FINISH_BOUND_MS + 20_000);
/** The fleet's one public callback URL (its load balancer's): the hosted UI's return is replayed to whichever process the test picks. */
const PUBLIC_CALLBACK = 'http://localhost/auth/callback';
const PENDING = '__Host-Http-authchart-pending';

interface OutboxView {
  readonly state: { pending: number; claimed: number; dead: number };
  readonly deadLetters: number;
}

describeRedis('the backend-for-frontend as a fleet of 3 processes over Redis', () => {
  let redis: TestRedis;
  let emu: CognitoEmulator;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let client: ReturnType<typeof createClient>;
  let shiftMs = 0;
  let fleets = 0;
  let fleet: Fleet | undefined;
  /** Every secret met in this file: no answer may hold one, but in its own Set-Cookie. */
  const secrets = new Set<string>();

  beforeAll(async () => {
    [redis, emu, upstream] = await Promise.all([startRedis(), startCognitoEmulator({ now: () => Date.now() + shiftMs }), startUpstream()]);
    client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => {});
    await client.connect();
  });
  afterEach(async () => {
    emu.faults.clear();
    shiftMs = 0;
    await fleet?.close();
    fleet = undefined;
  });
  afterAll(async () => {
    if (client?.isOpen) await client.close();
    await Promise.all([redis?.close(), emu?.close(), upstream?.close()]);
  });

  /** Three BFF processes over one pool, under a key prefix of their own. */
  interface Fleet extends ChildFleet {
    readonly pool: SetupResult;
    readonly keyPrefix: string;
    readonly bases: readonly string[];
    call(index: number, method: string, path: string, options?: CallOptions): Promise<Answer>;
    /** Process `index`'s outbox as it sees it (outboxState()) and how often onDeadLetter fired there. */
    outbox(index: number): Promise<OutboxView>;
    /** The Cognito calls process `index` sent. */
    calls(index: number): Promise<CognitoCall[]>;
    /** Makes process `index` SIGKILL itself at `at` in its next refresh. */
    dieAt(index: number, at: DiePoint): Promise<void>;
    /** The tokens stored for a session id, read from Redis. */
    tokensOf(sessionId: string): Promise<{ accessToken: string; refreshToken: string } | null>;
  }

  async function startFleet(setup: SetupOptions = {}, own: Partial<Pick<BffChildConfig, 'maxDeliveries' | 'redirectSignIn'>> = {}): Promise<Fleet> {
    const pool = emu.setup(setup);
    secrets.add(pool.password);
    if (pool.clientSecret) secrets.add(pool.clientSecret);
    const keyPrefix = `fleet${(fleets += 1)}:`;
    const config: BffChildConfig = {
      redisUrl: redis.url,
      keyPrefix,
      leaseMs: LEASE_MS,
      claimIdleMs: CLAIM_IDLE_MS,
      maxDeliveries: own.maxDeliveries ?? 100,
      endpoint: emu.endpoint,
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      ...(pool.clientSecret && { clientSecret: pool.clientSecret }),
      rotation: setup.refreshTokenRotation !== undefined,
      networkTimeoutMs: NETWORK_TIMEOUT_MS,
      storageTimeoutMs: STORAGE_TIMEOUT_MS,
      ...(own.redirectSignIn && { redirectSignIn: own.redirectSignIn }),
      proxy: [{ path: '/api/orders', upstream: `${upstream.base}/v1` }],
    };
    const children = await startChildFleet('bffChild.ts', config, 3);
    const bases = children.ports.map((port) => `http://127.0.0.1:${port}`);
    const admin = async (index: number, path: string, init?: RequestInit) => {
      const response = await fetch(`${bases[index]}/__test/${path}`, init);
      if (!response.ok) throw new Error(`process ${index + 1}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    fleet = {
      ...children,
      pool,
      keyPrefix,
      bases,
      call: (index, method, path, options) => callAt(bases[index]!, method, path, options),
      outbox: (index) => admin(index, 'outbox') as Promise<OutboxView>,
      calls: (index) => admin(index, 'calls') as Promise<CognitoCall[]>,
      dieAt: async (index, at) => void (await admin(index, 'die', { method: 'POST', body: JSON.stringify({ at }) })),
      async tokensOf(sessionId) {
        const raw = await client.hGet(recordKey(keyPrefix, hashOf(sessionId)), storageKeys(pool.clientId).session);
        const tokens = raw ? (JSON.parse(raw) as { accessToken: string; idToken: string; refreshToken: string }) : null;
        for (const secret of [sessionId, tokens?.accessToken, tokens?.idToken, tokens?.refreshToken]) if (secret) secrets.add(secret);
        return tokens;
      },
    };
    return fleet;
  }

  /** Signs in over SRP at process `index`; `expired`: the tokens were issued two hours ago, so the access token expired an hour ago. */
  async function signIn(f: Fleet, index: number, expired = false): Promise<string> {
    shiftMs = expired ? -2 * 3600_000 : 0;
    try {
      const answer = await f.call(index, 'POST', '/auth/sign-in', { json: { username: f.pool.username, password: f.pool.password, authFlow: 'USER_SRP_AUTH' } });
      expect([answer.status, answer.body]).toEqual([200, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }]);
      const id = cookieOf(answer)!;
      await f.tokensOf(id); // its id and tokens are secrets
      return id;
    } finally {
      shiftMs = 0;
    }
  }

  /** The refreshes Cognito saw since the last resetRequests() (which follows each sign-in). */
  const refreshes = () => emu.requests.filter((r) => r.operation === 'GetTokensFromRefreshToken' || r.operation === 'InitiateAuth');
  const operationsOf = (calls: readonly CognitoCall[]) => calls.map((call) => `${call.operation} ${call.status}`);

  /** `count` concurrent GET /auth/session of one session, spread over `processes` in turn. */
  const storm = (f: Fleet, processes: readonly number[], id: string, count: number) =>
    Promise.all(Array.from({ length: count }, (_, i) => f.call(processes[i % processes.length]!, 'GET', '/auth/session', { cookie: id })));

  /** Every answer is 200 with the user, and the session now holds new tokens. */
  async function expectAllServed(f: Fleet, answers: readonly Answer[], id: string, before: { accessToken: string }): Promise<void> {
    expect(answers.map((a) => [a.status, a.body?.user?.username])).toEqual(answers.map(() => [200, f.pool.username]));
    const after = (await f.tokensOf(id))!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(new Set(answers.map((a) => a.body.user.claims.iat)).size).toBe(1);
  }

  test('sign-in over SRP with a TOTP challenge: POST sign-in at process 1, POST confirm-sign-in at process 2, GET session and the proxy at process 3', async () => {
    const f = await startFleet({ mfa: 'SOFTWARE_TOKEN_MFA' });
    const first = await f.call(0, 'POST', '/auth/sign-in', { json: { username: f.pool.username, password: f.pool.password, authFlow: 'USER_SRP_AUTH' } });
    expect([first.status, first.body]).toEqual([200, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } }]);
    const pending = cookieOf(first)!;
    secrets.add(pending);
    const confirmed = await f.call(1, 'POST', '/auth/confirm-sign-in', { cookie: pending, json: { challengeResponse: emu.mfaCode(f.pool.userPoolId, f.pool.username) } });
    expect([confirmed.status, confirmed.body]).toEqual([200, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }]);
    const id = cookieOf(confirmed)!;
    await f.tokensOf(id);
    expect(id).not.toBe(pending);

    const session = await f.call(2, 'GET', '/auth/session', { cookie: id });
    expect([session.status, session.body.user.username]).toEqual([200, f.pool.username]);
    const proxied = await f.call(2, 'GET', '/api/orders/7', { cookie: id });
    expect([proxied.status, proxied.body.path]).toEqual([200, '/v1/7']);
    expect(upstream.seen.at(-1)!.headers.authorization).toBe(`Bearer ${(await f.tokensOf(id))!.accessToken}`);
    expect((await f.call(0, 'GET', '/auth/session', { cookie: pending })).status).toBe(401);
    // SRP at process 1 (its password verifier answered there), the TOTP code at process 2.
    expect(operationsOf(await f.calls(0))).toEqual(['InitiateAuth 200', 'RespondToAuthChallenge 200']);
    expect(operationsOf(await f.calls(1))).toEqual(['RespondToAuthChallenge 200']);
    expect(await f.calls(2)).toEqual([]);
  });

  test('the hosted-UI code flow: GET sign-in/redirect at process 1, the sign-in at the hosted UI, GET callback at process 2, GET session at process 3', async () => {
    const f = await startFleet({ generateSecret: true, callbackUrls: [PUBLIC_CALLBACK], logoutUrls: [PUBLIC_CALLBACK] }, { redirectSignIn: PUBLIC_CALLBACK });
    const start = await f.call(0, 'GET', '/auth/sign-in/redirect');
    expect(start.status).toBe(302);
    const pending = start.headers['set-cookie']!.find((line) => line.startsWith(`${PENDING}=`))!.split(';')[0]!;
    secrets.add(pending.slice(PENDING.length + 1));
    const back = new URL(await createHostedUiBrowser(() => f.pool).visit(start.headers.location!));
    expect(`${back.origin}${back.pathname}`).toBe(PUBLIC_CALLBACK);

    const returned = await send(f.bases[1]!, `${back.pathname}${back.search}`, { headers: { cookie: pending } });
    expect([returned.status, returned.headers.location]).toEqual([303, '/']);
    const id = cookieOf(returned)!;
    await f.tokensOf(id);
    const session = await f.call(2, 'GET', '/auth/session', { cookie: id });
    expect([session.status, session.body.user.username]).toEqual([200, f.pool.username]);
    // The code was exchanged at process 2, with the verifier process 1 stored; the same return again is refused anywhere.
    expect(operationsOf(await f.calls(0))).toEqual([]);
    expect(operationsOf(await f.calls(1))).toEqual(['/oauth2/token 200']);
    const replayed = await send(f.bases[2]!, `${back.pathname}${back.search}`, { headers: { cookie: pending } });
    expect([replayed.status, replayed.body.error.name]).toEqual([400, 'OAuthStateMismatch']);
  });

  test.each([
    ['rotation off: REFRESH_TOKEN_AUTH', {}, 'InitiateAuth'],
    ['rotation on, grace period 0: GetTokensFromRefreshToken', { refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } }, 'GetTokensFromRefreshToken'],
  ] as const)('the refresh storm through the routes, %s: 60 concurrent GET session over 3 processes with an expired access token make exactly one refresh, and all 60 are answered 200 with the user', async (_name, setup, operation) => {
    const f = await startFleet(setup as SetupOptions);
    const id = await signIn(f, 0, true);
    const before = (await f.tokensOf(id))!;
    emu.resetRequests();
    const answers = await storm(f, [0, 1, 2], id, 60);
    await expectAllServed(f, answers, id, before);
    expect(refreshes().map((r) => [r.operation, r.status])).toEqual([[operation, 200]]);
  });

  describe('a lease holder killed mid-refresh through the routes', () => {
    /** Process 1 takes the lease for the session's refresh and SIGKILLs itself at `at`. */
    async function killHolder(f: Fleet, id: string, at: DiePoint): Promise<void> {
      await f.dieAt(0, at);
      await expect(f.call(0, 'GET', '/auth/session', { cookie: id })).rejects.toThrow(); // the connection dies with the process
      expect(await f.exited(0)).toBe('SIGKILL');
      // It died holding the session's lease, which no one renews now: the others wait at most what is left of it.
      const left = await client.pTTL(leaseKey(f.keyPrefix, hashOf(id)));
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(LEASE_MS);
    }

    test('killed before its refresh left (rotation on, grace 0): processes 2 and 3 wait out its lease, then one refresh serves all 20', async () => {
      const f = await startFleet({ refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } });
      const id = await signIn(f, 1, true);
      const before = (await f.tokensOf(id))!;
      emu.resetRequests();
      await killHolder(f, id, 'beforeSend');
      expect(refreshes()).toEqual([]);
      const answers = await storm(f, [1, 2], id, 20);
      await expectAllServed(f, answers, id, before);
      expect(refreshes().map((r) => [r.operation, r.status])).toEqual([['GetTokensFromRefreshToken', 200]]);
    });

    test('killed after Cognito answered (rotation off): the next holder refreshes again, and all 20 are served', async () => {
      const f = await startFleet();
      const id = await signIn(f, 1, true);
      const before = (await f.tokensOf(id))!;
      emu.resetRequests();
      await killHolder(f, id, 'afterAnswer');
      expect(refreshes()).toHaveLength(1);
      const answers = await storm(f, [1, 2], id, 20);
      await expectAllServed(f, answers, id, before);
      expect(refreshes().map((r) => [r.operation, r.status])).toEqual([
        ['InitiateAuth', 200],
        ['InitiateAuth', 200],
      ]);
    });
  });

  /** Both of Cognito's sign-out calls fail (a retryable error): a sign-out can only be partial, left to the outbox. */
  const cognitoDown = () => {
    for (const operation of ['RevokeToken', 'GlobalSignOut'] as const) emu.faults.set(operation, { type: 'error', name: 'InternalErrorException' });
  };

  /** Signs out at process `index` with Cognito down: partial, finished by the outbox; the session is pending there. */
  async function partialSignOut(f: Fleet, index: number, id: string, global: boolean): Promise<void> {
    cognitoDown();
    const answer = await f.call(index, 'POST', '/auth/sign-out', { cookie: id, json: { global } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ type: 'partial', signedOutLocally: true, global, finishedBy: 'outbox' });
    expect(cookieOf(answer)).toBe('');
    expect((await f.outbox(index === 0 ? 1 : 0)).state.pending).toBe(1);
  }

  /** Which of the survivors' Cognito calls finished the sign-out. */
  async function landedAt(f: Fleet, processes: readonly number[], operation: string): Promise<number> {
    const calls = await Promise.all(processes.map((i) => f.calls(i)));
    return calls.flat().filter((call) => call.operation === operation && call.status === 200).length;
  }

  test.each([
    ['local', false, 'RevokeToken'],
    ['global', true, 'GlobalSignOut'],
  ] as const)('sign-out, %s, with Cognito down: partial (finishedBy outbox); the answering process is SIGKILLed, and another process’s outbox finishes it once Cognito is back', async (_scope, global, operation) => {
    const f = await startFleet();
    const id = await signIn(f, 0);
    const tokens = (await f.tokensOf(id))!;
    await partialSignOut(f, 0, id, global);
    f.children[0]!.kill('SIGKILL');
    expect(await f.exited(0)).toBe('SIGKILL');
    expect((await f.call(1, 'GET', '/auth/session', { cookie: id })).status).toBe(401);
    expect(emu.tokenRevoked(tokens.refreshToken)).toBe(false);

    emu.faults.clear();
    await eventually(async () => (await f.outbox(1)).state.pending === 0, FINISH_BOUND_MS);
    expect(await landedAt(f, [1, 2], operation)).toBeGreaterThanOrEqual(1);
    expect(emu.requests.filter((r) => r.operation === operation && r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(emu.requests.filter((r) => r.operation === 'RevokeToken' && r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(emu.tokenRevoked(tokens.refreshToken)).toBe(true);
    expect((await f.outbox(2)).state).toEqual({ pending: 0, claimed: 0, dead: 0 });
    expect(await f.tokensOf(id)).toBeNull();
  });

  test('a sign-out whose Cognito calls fail for good: dead-lettered after maxDeliveries, dead 1, and the event fired once in the fleet', async () => {
    const f = await startFleet({}, { maxDeliveries: 2 });
    const id = await signIn(f, 0);
    await partialSignOut(f, 0, id, false);
    const deadLetters = async () => (await Promise.all([0, 1, 2].map((i) => f.outbox(i)))).reduce((sum, view) => sum + view.deadLetters, 0);
    await eventually(async () => (await deadLetters()) > 0, FINISH_BOUND_MS);
    expect((await f.outbox(1)).state).toEqual({ pending: 0, claimed: 0, dead: 1 });
    expect(await deadLetters()).toBe(1);
  });

  test('Redis killed and started again on its AOF between a partial sign-out and its finishing: nothing is lost', async () => {
    const f = await startFleet();
    const kept = await signIn(f, 2);
    const id = await signIn(f, 0);
    const tokens = (await f.tokensOf(id))!;
    await partialSignOut(f, 1, id, true);

    await redis.stop({ kill: true });
    await redis.start();
    // The sign-out is still pending, and the other session still signed in, on the replayed AOF.
    await eventually(async () => (await f.outbox(2).catch(() => null))?.state?.pending === 1, FINISH_BOUND_MS);
    // node-redis reconnects each process's connections on its own: a request meanwhile may be answered 5xx, never 401.
    let session: Answer | undefined;
    await eventually(async () => (session = await f.call(0, 'GET', '/auth/session', { cookie: kept })).status < 500, FINISH_BOUND_MS);
    expect(session!.status).toBe(200);

    emu.faults.clear();
    await eventually(async () => (await f.outbox(2)).state.pending === 0, FINISH_BOUND_MS);
    expect(emu.tokenRevoked(tokens.refreshToken)).toBe(true);
    expect(emu.requests.filter((r) => r.operation === 'GlobalSignOut' && r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect((await f.outbox(0)).state).toEqual({ pending: 0, claimed: 0, dead: 0 });
    expect((await f.call(1, 'GET', '/auth/session', { cookie: kept })).status).toBe(200);
  });

  test('no answer of the fleet holds a token, a session id, a password or a secret, but in its own Set-Cookie', () => {
    expect(answers.length).toBeGreaterThan(100);
    expect(secrets.size).toBeGreaterThan(20);
    expect(leaksIn(answers, secrets).filter((n) => n > 0)).toEqual([]);
  });
});
