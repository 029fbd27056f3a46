// createAuth({ revocationEndpoint }) against a fleet: three API processes (child processes, each with
// its own node-redis client) on one real Redis, the emulator with Cognito's issuer. The client's own
// sign-out is what each process comes to refuse; an API unreachable at sign-out time is told later
// by the outbox. Between the client and the fleet's first process, a loopback relay that can drop
// every connection (the API "down").
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuth, type Auth } from '../src/index';
import { startApiFleet, type ApiFleet } from './support/apiFleet';
import { redisAvailable, startRedis, type TestRedis } from './support/redisServer';
import { eventually, startPool, type Pool } from './support/revocation';

const describeRedis = redisAvailable() ? describe : describe.skip;

describeRedis('createAuth({ revocationEndpoint }) and a fleet of 3 API processes on Redis', () => {
  let redis: TestRedis;
  let p: Pool;
  let fleet: ApiFleet;
  let relay: Server;
  let down = false;
  let revocationEndpoint: string;
  const auths: Auth[] = [];

  beforeAll(async () => {
    [redis, p] = await Promise.all([startRedis(), startPool()]);
    fleet = await startApiFleet({ redisUrl: redis.url, keyPrefix: 'announce:', cognito: p.cognito, jwks: p.emu.jwks(p.pool.userPoolId) });
    // The relay forwards the announcement to the first process, or drops the connection while `down`.
    relay = createServer((req, res) => {
      if (down) return void req.socket.destroy();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const headers = { authorization: req.headers.authorization ?? '', 'content-type': req.headers['content-type'] ?? '' };
        fetch(`http://127.0.0.1:${fleet.ports[0]}/revoke`, { method: 'POST', headers, body: Buffer.concat(chunks) }).then(
          async (answer) => res.writeHead(answer.status).end(Buffer.from(await answer.arrayBuffer())),
          () => res.writeHead(502).end(),
        );
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    revocationEndpoint = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/revoke`;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(auths.map((auth) => auth.stop()));
    await new Promise((resolve) => relay?.close(resolve));
    await fleet?.close();
    await Promise.all([redis?.close(), p?.emu.close()]);
  });
  beforeEach(() => {
    down = false;
  });

  async function signedIn() {
    const auth = createAuth({
      region: p.emu.region,
      userPoolId: p.pool.userPoolId,
      userPoolClientId: p.pool.clientId,
      endpoint: p.emu.endpoint,
      revocationEndpoint,
      revocationOutbox: { retryBaseMs: 600_000 }, // no background drain: the test flushes
    });
    auths.push(auth);
    await auth.signIn({ username: p.pool.username, password: p.pool.password, authFlow: 'USER_PASSWORD_AUTH' });
    return { auth, accessToken: (await auth.getSession()).tokens!.accessToken };
  }
  const refusedEverywhere = (token: string, reasons: readonly string[]) => eventually(async () => (await fleet.atEach(token)).every((answer) => reasons.includes(answer)));

  test('a local sign-out: every process refuses that session’s token; the user’s other session is served everywhere', async () => {
    const { auth, accessToken } = await signedIn();
    const other = await p.signIn();
    expect(await fleet.atEach(accessToken)).toEqual(['served', 'served', 'served']);
    await expect(auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true, apiNotified: true });
    await refusedEverywhere(accessToken, ['session']);
    expect(await fleet.atEach(other.accessToken)).toEqual(['served', 'served', 'served']);
  });

  test('a global sign-out: every process refuses the user’s earlier tokens; a sign-in afterwards is served everywhere', async () => {
    const { auth, accessToken } = await signedIn();
    const other = await p.signIn();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second than the sign-ins: the user's entry decides, not Cognito
    await expect(auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true, apiNotified: true });
    await refusedEverywhere(accessToken, ['user']);
    await refusedEverywhere(other.accessToken, ['user']);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await p.signIn();
    expect(await fleet.atEach(later.accessToken)).toEqual(['served', 'served', 'served']);
  });

  test('an API unreachable at sign-out time is told later by the outbox, and then every process refuses the token', async () => {
    const { auth, accessToken } = await signedIn();
    down = true;
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox', apiNotified: false, announceError: { name: 'NetworkError' } });
    expect(await fleet.atEach(accessToken)).toEqual(['served', 'served', 'served']);
    down = false;
    await expect(auth.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
    await refusedEverywhere(accessToken, ['session']);
  });
});
