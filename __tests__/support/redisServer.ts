// A real Redis for tests: Debian's redis-server on 127.0.0.1, on a free port, in a temporary
// folder with AOF on, stopped and removed at the end. Without /usr/bin/redis-server the Redis
// tests are skipped with a loud warning, except under CI=true, where they fail (docs/testing.md).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = '/usr/bin/redis-server';

/** Whether the Redis tests can run here; throws under CI=true when they cannot (CI must not skip them). */
export function redisAvailable(): boolean {
  if (existsSync(REDIS_SERVER)) return true;
  if (process.env['CI'] === 'true') throw new Error(`${REDIS_SERVER} is missing: CI must run the Redis tests (.ci/run installs redis-server with apt-get)`);
  console.warn(`\n!!! ${REDIS_SERVER} is missing: the Redis tests are SKIPPED. Install it: apt-get install -y redis-server (docs/testing.md) !!!\n`);
  return false;
}

/** A free TCP port on 127.0.0.1 (the OS picks one; redis-server cannot: --port 0 turns TCP off). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers PING with PONG, within `timeoutMs`. */
async function waitForPong(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pong = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk) => {
        data += chunk.toString();
        if (data.includes('\r\n')) {
          socket.destroy();
          resolve(data.startsWith('+PONG'));
        }
      });
      socket.on('error', () => resolve(false));
    });
    if (pong) return;
    if (Date.now() > until) throw new Error(`redis-server on port ${port} did not answer PING in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A redis-server this test started. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM; AOF is flushed on the way out unless `kill` is true), keeping its folder. */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Starts it again on the same port and folder (the AOF is replayed). */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1 on a free port, in a temporary folder, AOF on, no RDB snapshots. */
export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'authchart-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  async function start(): Promise<void> {
    const started = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--appendfsync', 'always'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    started.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const exited = new Promise<never>((_, reject) => started.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before answering PING:\n${output}`))));
    await Promise.race([waitForPong(port), exited]);
    exited.catch(() => {});
  }

  async function stop({ kill = false } = {}): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(kill ? 'SIGKILL' : 'SIGTERM');
    await gone;
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
