// Three API processes (child processes, each with its own node-redis client) on one real Redis: a
// sign-out announced at one is refused at all three, the user's other session is served, and a
// global sign-out refuses every earlier token of the user while a later sign-in is served.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { redisAvailable, startRedis, type TestRedis } from './support/redisServer';
import { eventually, startPool, type Pool } from './support/revocation';

const describeRedis = redisAvailable() ? describe : describe.skip;

describeRedis('a fleet of 3 API processes', () => {
  let redis: TestRedis;
  let p: Pool;
  const children: ChildProcess[] = [];
  let ports: number[] = [];

  beforeAll(async () => {
    [redis, p] = await Promise.all([startRedis(), startPool()]);
    const script = join(__dirname, '..', '.cache', 'apiChild.cjs');
    buildSync({ entryPoints: [join(__dirname, 'support', 'apiChild.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: script, logLevel: 'silent' });
    const issuer = `${p.emu.endpoint}/${p.pool.userPoolId}`;
    const jwks = await (await fetch(`${issuer}/.well-known/jwks.json`)).json();
    const config = JSON.stringify({ redisUrl: redis.url, keyPrefix: 'fleet:', cognito: p.cognito, issuer, jwks });
    ports = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<number>((resolve, reject) => {
            const child = spawn(process.execPath, [script, config], { stdio: ['ignore', 'pipe', 'pipe'] });
            children.push(child);
            let out = '';
            child.stdout!.on('data', (chunk: Buffer) => {
              out += chunk.toString();
              const port = /listening (\d+)/.exec(out)?.[1];
              if (port) resolve(Number(port));
            });
            child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.once('exit', (code) => reject(new Error(`API process exited (${code}): ${out}`)));
          }),
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))));
    await Promise.all([redis?.close(), p?.emu.close()]);
  });

  /** What each of the 3 processes answers GET /api with this token: 'served', or the reason it refused. */
  const atEach = (token: string) =>
    Promise.all(
      ports.map(async (port) => {
        const body = (await (await fetch(`http://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } })).json()) as { served?: true; refused?: string };
        return body.served ? 'served' : body.refused!;
      }),
    );
  const announce = (port: number, token: string, scope: 'session' | 'user') =>
    fetch(`http://127.0.0.1:${port}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ scope }) });

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
