// Run as a child process by refreshStorm.test.ts (through childFleet.ts): one server process of a
// fleet sharing sessions in Redis. Each POST /session is one request of a session: a new engine
// instance over redisSessionStore(...).storageFor(hash) (sessionEngine.ts), one getSession(), then
// stop(). It answers the tokens (this is a test process) or the error's name, always with 200.
// `die` kills this process (SIGKILL, nothing flushed) at a precise point of the request's refresh:
// before its request leaves, or after Cognito answered and before anything is written.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { redisSessionStore } from '../../src/server/index';
import { idleOutbox, sessionEngine, type EnginePool } from './sessionEngine';

/** What each process is given (as JSON on its command line). */
export interface SessionChildConfig {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly leaseMs: number;
}

/** One request's body. */
export interface SessionRequest {
  readonly hash: string;
  readonly pool: EnginePool;
  readonly rotation: boolean;
  readonly die?: 'beforeSend' | 'afterAnswer';
}

/** One request's answer. */
export interface SessionAnswer {
  readonly tokens?: { readonly accessToken: string; readonly refreshToken?: string };
  /** The rejection: its name, its AuthError class (`kind`), its message. */
  readonly error?: { readonly name: string; readonly kind?: string; readonly message: string };
}

/** Dies at once: SIGKILL to itself, and no more JavaScript runs meanwhile. */
const dieNow = () => {
  process.kill(process.pid, 'SIGKILL');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
};

async function main() {
  const config = JSON.parse(process.argv[2]!) as SessionChildConfig;
  const redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: () => 50 } });
  redis.on('error', () => {});
  const store = redisSessionStore({ client: redis, keyPrefix: config.keyPrefix, leaseMs: config.leaseMs, outbox: idleOutbox() });

  async function serve(request: SessionRequest): Promise<SessionAnswer> {
    const hooks = request.die === 'beforeSend' ? { before: dieNow } : request.die === 'afterAnswer' ? { after: dieNow } : undefined;
    const auth = sessionEngine(store.storageFor(request.hash), request.pool, { rotation: request.rotation, ...(hooks && { hooks }) });
    try {
      const session = await auth.getSession();
      return session.tokens ? { tokens: { accessToken: session.tokens.accessToken, ...(session.tokens.refreshToken && { refreshToken: session.tokens.refreshToken }) } } : {};
    } catch (error) {
      const kind = (error as { constructor?: { kind?: unknown } } | null)?.constructor?.kind;
      return { error: { name: error instanceof Error ? error.name : 'unknown', ...(typeof kind === 'string' && { kind }), message: error instanceof Error ? error.message : String(error) } };
    } finally {
      await auth.stop();
    }
  }

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      void serve(JSON.parse(body) as SessionRequest).then((answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)));
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
  process.on('SIGTERM', () => {
    server.close();
    void store.close().then(() => process.exit(0));
  });
}
main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
