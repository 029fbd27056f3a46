// Three API processes (child processes, each with its own node-redis client) on one real Redis: a
// sign-out announced at one is refused at all three, the user's other session is served, and a
// global sign-out refuses every earlier token of the user while a later sign-in is served; a token of
// the same second as a global sign-out is decided by Cognito (GetUser) for the whole fleet; and an
// unannounced sign-out (RevokeToken at Cognito) is caught by revalidateAfterMs at all three.
import { createFetchCognito } from '../services/cognito/fetchTransport';
import { readJwtClaims } from '../services/encoding/jwt';
import { startApiFleet, type ApiFleet } from './support/apiFleet';
import { redisAvailable, startRedis, type TestRedis } from './support/redisServer';
import { eventually, startPool, type Pool } from './support/revocation';

const describeRedis = redisAvailable() ? describe : describe.skip;
const authTime = (token: string) => readJwtClaims(token)!.auth_time as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeRedis('a fleet of 3 API processes', () => {
  let redis: TestRedis;
  let p: Pool;
  let fleet: ApiFleet;
  let ports: readonly number[] = [];

  beforeAll(async () => {
    [redis, p] = await Promise.all([startRedis(), startPool()]);
    fleet = await startApiFleet({ redisUrl: redis.url, keyPrefix: 'fleet:', cognito: p.cognito, jwks: p.emu.jwks(p.pool.userPoolId) });
    ports = fleet.ports;
  }, 60_000);
  afterAll(async () => {
    await fleet?.close();
    await Promise.all([redis?.close(), p?.emu.close()]);
  });

  const atEach = (token: string) => fleet.atEach(token);
  const announce = (port: number, token: string, scope: 'session' | 'user') => fleet.announce(port, token, scope);

  test('a local sign-out announced at one process is refused at all three; the user’s other session is served everywhere', async () => {
    const [a, b] = [await p.signIn(), await p.signIn()];
    expect(await atEach(a.accessToken)).toEqual(['served', 'served', 'served']);
    expect((await announce(ports[0]!, a.accessToken, 'session')).status).toBe(204);
    await eventually(async () => (await atEach(a.accessToken)).every((answer) => answer === 'session'));
    expect(await atEach(b.accessToken)).toEqual(['served', 'served', 'served']);
  });

  test('a global sign-out announced at one process refuses the user’s earlier tokens at all three; a sign-in afterwards is served', async () => {
    const a = await p.signIn();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second than a's sign-in
    expect((await announce(ports[1]!, a.accessToken, 'user')).status).toBe(204);
    await eventually(async () => (await atEach(a.accessToken)).every((answer) => answer === 'user'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await p.signIn();
    expect(await atEach(later.accessToken)).toEqual(['served', 'served', 'served']);
    // The old token announces again (a replay) at the third: covered, nothing moves.
    expect((await announce(ports[2]!, a.accessToken, 'user')).status).toBe(204);
    expect(await atEach(later.accessToken)).toEqual(['served', 'served', 'served']);
  });

  const getUsers = () => p.emu.requests.filter((r) => r.operation === 'GetUser').length;
  /** Cognito's API at the emulator, called directly (not through any API process). */
  const transport = () => createFetchCognito({ region: p.emu.region, endpoint: p.emu.endpoint, clientId: p.pool.clientId });

  test('a token of the same second as a global sign-out is decided by Cognito at all three: refused if it says revoked, served if valid; a bounded number of GetUser calls', async () => {
    // The processes use the wall clock, so the same second is arranged on it: at the start of a
    // second, sign in, sign out globally at Cognito, sign in again, and announce the global sign-out;
    // if the second has turned meanwhile (a loaded machine), try again in a later one.
    let pair: { before: string; after: string } | undefined;
    for (let attempt = 0; attempt < 5 && !pair; attempt++) {
      await sleep(1000 - (Date.now() % 1000) + 1000 * attempt);
      const before = (await p.signIn()).accessToken;
      await transport().globalSignOut(before);
      const after = (await p.signIn()).accessToken;
      const second = authTime(before);
      if (authTime(after) !== second || Math.floor(Date.now() / 1000) !== second) continue;
      expect((await announce(ports[2]!, before, 'user')).status).toBe(204);
      if (Math.floor(Date.now() / 1000) === second) pair = { before, after };
    }
    if (!pair) throw new Error('could not fit two sign-ins, a global sign-out and its announcement in one second in 5 tries');
    p.emu.resetRequests();
    // Revoked at Cognito: refused everywhere (by Cognito's answer, or by the session entry it left).
    for (const answer of await atEach(pair.before)) expect(['cognito', 'session']).toContain(answer);
    const askedAboutBefore = getUsers();
    expect(askedAboutBefore).toBeGreaterThanOrEqual(1);
    expect(askedAboutBefore).toBeLessThanOrEqual(3); // at most one per process: each dedups its own
    expect(await atEach(pair.before)).toEqual(['session', 'session', 'session']);
    expect(getUsers()).toBe(askedAboutBefore); // the answer is kept in Redis: not asked again
    // Valid at Cognito (signed in after the sign-out, in that second): served everywhere.
    expect(await atEach(pair.after)).toEqual(['served', 'served', 'served']);
    const asked = getUsers();
    expect(asked - askedAboutBefore).toBeGreaterThanOrEqual(1);
    expect(asked - askedAboutBefore).toBeLessThanOrEqual(3);
    expect(await atEach(pair.after)).toEqual(['served', 'served', 'served']);
    expect(await atEach(pair.after)).toEqual(['served', 'served', 'served']);
    expect(getUsers()).toBe(asked);
  }, 60_000);

  test('revalidateAfterMs: an unannounced sign-out (RevokeToken at Cognito) is refused at all three once the interval is due; one GetUser per session per interval, shared through Redis', async () => {
    const revalidateAfterMs = 5000;
    const revalidating = await startApiFleet({ redisUrl: redis.url, keyPrefix: 'fleet-revalidate:', cognito: p.cognito, jwks: p.emu.jwks(p.pool.userPoolId), revalidateAfterMs });
    try {
      const answerAt = (i: number, token: string) => revalidating.answer(revalidating.ports[i]!, token);
      const a = await p.signIn();
      p.emu.resetRequests();
      // One after another: the first process asks, the other two find its answer in Redis.
      for (const i of [0, 1, 2]) expect(await answerAt(i, a.accessToken)).toBe('served');
      expect(getUsers()).toBe(1);
      // Signed out where no process hears of it.
      await transport().revokeToken(a.refreshToken);
      // Still served until the interval is due, then the first process to see it due asks, and refuses.
      await eventually(async () => (await answerAt(0, a.accessToken)) === 'cognito', 4 * revalidateAfterMs);
      expect(getUsers()).toBe(2);
      // Its answer is a session entry in Redis: the other two refuse too.
      await eventually(async () => (await revalidating.atEach(a.accessToken)).every((answer) => answer === 'session' || answer === 'cognito'));
      expect(await revalidating.atEach(a.accessToken)).toEqual(['session', 'session', 'session']);
      // At most one more per process that saw the interval due before the entry reached it.
      expect(getUsers()).toBeLessThanOrEqual(4);
    } finally {
      await revalidating.close();
    }
  }, 60_000);
});
