// Three API processes (child processes, each with its own node-redis client) on one real Redis: a
// sign-out announced at one is refused at all three, the user's other session is served, and a
// global sign-out refuses every earlier token of the user while a later sign-in is served.
import { startApiFleet, type ApiFleet } from './support/apiFleet';
import { redisAvailable, startRedis, type TestRedis } from './support/redisServer';
import { eventually, startPool, type Pool } from './support/revocation';

const describeRedis = redisAvailable() ? describe : describe.skip;

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
});
