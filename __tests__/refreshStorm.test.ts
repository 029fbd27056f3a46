// One refresh per session across a fleet (issue 20, item 4): 3 server processes on 127.0.0.1
// (sessionChild.ts), each running one engine instance per request over redisSessionStore on a real
// redis-server, and the emulator over HTTP. 60 concurrent requests of one session whose access
// token has expired make exactly one refresh, with rotation off and on (grace period 0, where a
// second refresh would end the session). A lease holder killed (SIGKILL, at a precise point of its
// refresh) delays the others until its lease runs out: killed before its request left, the next
// holder refreshes once; killed after Cognito answered, a grace period lets the next holder refresh
// again, and without one the session ends with a typed reason.
import { startChildFleet, type ChildFleet } from './support/childFleet';
import { redisAvailable } from './support/redisServer';
import { startSessionsRig, type SessionsRig, type StoredSession } from './support/redisSessions';
import type { SessionAnswer, SessionChildConfig, SessionRequest } from './support/sessionChild';

const describeRedis = redisAvailable() ? describe : describe.skip;
const LEASE_MS = 1500;

describeRedis('one refresh per session across a fleet of 3 processes', () => {
  let rig: SessionsRig;
  let fleet: ChildFleet;
  beforeAll(async () => {
    rig = await startSessionsRig('storm:', LEASE_MS);
    fleet = await startFleet();
  });
  afterAll(async () => {
    await fleet?.close();
    await rig?.close();
  });

  const startFleet = () => startChildFleet('sessionChild.ts', { redisUrl: rig.redis.url, keyPrefix: 'storm:', leaseMs: LEASE_MS } satisfies SessionChildConfig, 3);

  /** One request of `session` at the process on `port`: a new engine instance, one getSession(). */
  async function request(port: number, session: StoredSession, die?: SessionRequest['die']): Promise<SessionAnswer> {
    const body: SessionRequest = { hash: session.hash, pool: session.pool, rotation: session.rotation, ...(die && { die }) };
    const response = await fetch(`http://127.0.0.1:${port}/session`, { method: 'POST', body: JSON.stringify(body) });
    return (await response.json()) as SessionAnswer;
  }

  /** `count` concurrent requests, spread over `ports` in turn. */
  const storm = (ports: readonly number[], session: StoredSession, count: number) => Promise.all(Array.from({ length: count }, (_, index) => request(ports[index % ports.length]!, session)));

  /** Every answer carries the same tokens, new ones, and they are what the store holds. */
  async function expectOneNewSession(answers: SessionAnswer[], session: StoredSession): Promise<void> {
    expect(answers.filter((answer) => !answer.tokens)).toEqual([]);
    const accessTokens = new Set(answers.map((answer) => answer.tokens!.accessToken));
    expect(accessTokens.size).toBe(1);
    const stored = await rig.record(session);
    expect([...accessTokens]).toEqual([stored!.accessToken]);
    expect(stored!.accessToken).not.toBe(session.signedIn.accessToken);
    expect(stored!.generation).toBe(session.signedIn.generation);
    if (session.rotation) expect(new Set(answers.map((answer) => answer.tokens!.refreshToken))).toEqual(new Set([stored!.refreshToken]));
  }

  test.each([
    ['rotation off: REFRESH_TOKEN_AUTH', undefined, 'InitiateAuth'],
    ['rotation on, grace period 0: GetTokensFromRefreshToken', { retryGracePeriodSeconds: 0 }, 'GetTokensFromRefreshToken'],
  ] as const)('%s: 60 concurrent requests of one expired session over 3 processes make exactly one refresh; every request gets the new tokens', async (_name, rotation, operation) => {
    const session = await rig.newSession(rotation ? { rotation } : {});
    const answers = await storm(fleet.ports, session, 60);
    await expectOneNewSession(answers, session);
    expect(rig.refreshes()).toEqual([expect.objectContaining({ operation, status: 200 })]);
    if (session.rotation) expect(rig.emu.tokenRevoked(session.signedIn.refreshToken)).toBe(false); // retired by the rotation, not revoked
  });

  describe('a lease holder killed mid-refresh (each test starts its own fleet: one process dies)', () => {
    let own: ChildFleet;
    beforeEach(async () => {
      own = await startFleet();
    });
    afterEach(async () => own?.close());

    /** Kills process 0 at `die` in its refresh (it holds the lease then), and waits for it to be gone. */
    async function killHolder(session: StoredSession, die: NonNullable<SessionRequest['die']>): Promise<void> {
      await expect(request(own.ports[0]!, session, die)).rejects.toThrow(); // the connection dies with the process
      expect(await own.exited(0)).toBe('SIGKILL');
    }

    test('killed before its request left (rotation on, grace 0): the others wait out its lease, then one refresh serves them all', async () => {
      const session = await rig.newSession({ rotation: { retryGracePeriodSeconds: 0 } });
      await killHolder(session, 'beforeSend');
      expect(rig.refreshes()).toEqual([]);
      const answers = await storm(own.ports.slice(1), session, 20);
      await expectOneNewSession(answers, session);
      expect(rig.refreshes()).toEqual([expect.objectContaining({ operation: 'GetTokensFromRefreshToken', status: 200 })]);
    });

    test.each([
      ['rotation off', undefined, 'InitiateAuth'],
      ['rotation on with RetryGracePeriodSeconds 10', { retryGracePeriodSeconds: 10 }, 'GetTokensFromRefreshToken'],
    ] as const)('killed after Cognito answered, %s: the next holder refreshes again with the token it holds, and the session goes on', async (_name, rotation, operation) => {
      const session = await rig.newSession(rotation ? { rotation } : {});
      await killHolder(session, 'afterAnswer');
      expect(rig.refreshes()).toEqual([expect.objectContaining({ operation, status: 200 })]);
      const answers = await storm(own.ports.slice(1), session, 20);
      await expectOneNewSession(answers, session);
      expect(rig.refreshes()).toEqual([expect.objectContaining({ operation, status: 200 }), expect.objectContaining({ operation, status: 200 })]);
      expect(rig.emu.tokenRevoked((await rig.record(session))!.refreshToken!)).toBe(false);
    });

    test('killed after Cognito answered, with no grace period: the session ends with a typed reason (RefreshTokenReuseException), never with tokens, never silently', async () => {
      const session = await rig.newSession({ rotation: { retryGracePeriodSeconds: 0 } });
      await killHolder(session, 'afterAnswer');
      const answers = await storm(own.ports.slice(1), session, 20);
      // The instance that met the reuse answers its callers why; the later ones find no session any more.
      const reasons = answers.map((answer) => (answer.tokens ? 'tokens' : answer.error ? `${answer.error.kind}:${answer.error.name}` : 'signed out'));
      expect(reasons).toContain('CognitoServiceError:RefreshTokenReuseException');
      expect(reasons.filter((reason) => reason !== 'CognitoServiceError:RefreshTokenReuseException' && reason !== 'signed out')).toEqual([]);
      expect(await rig.record(session)).toBeNull();
      expect(rig.refreshes().filter((refresh) => refresh.status === 200)).toHaveLength(1); // the dead holder's, and no other
    });
  });
});
