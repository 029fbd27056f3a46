// Run as a child process by server.bffFleet.test.ts (through childFleet.ts): one process of a fleet
// of backend-for-frontend servers, createServerAuth over redisSessionStore on a shared Redis,
// mounted with toNodeListener in node:http on 127.0.0.1. Argument: a BffChildConfig as JSON.
// Beside the BFF's own routes, a few test-only routes under /__test/ (never under the BFF's base
// path): GET outbox (outboxState(), and how often onDeadLetter fired here), GET calls (the Cognito
// operations this process sent, with their status), POST die (SIGKILL itself at a named point of
// its next refresh: before its request leaves, or after Cognito answered and before anything is
// written). Stdout: `listening <port>`, then `dead <deliveries>` for each dead letter seen here.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { createServerAuth, redisFleetOutbox, redisSessionStore, toNodeListener, type ProxyEntry } from '../../src/server/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** What each process is given (as JSON on its command line). */
export interface BffChildConfig {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly leaseMs: number;
  readonly claimIdleMs: number;
  readonly maxDeliveries: number;
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly rotation: boolean;
  readonly networkTimeoutMs: number;
  readonly storageTimeoutMs: number;
  /** The hosted UI: the fleet's one public callback URL (a load balancer's), as registered on the app client. */
  readonly redirectSignIn?: string;
  readonly proxy?: readonly ProxyEntry[];
}

/** Where POST /__test/die makes the process kill itself, in its next refresh. */
export type DiePoint = 'beforeSend' | 'afterAnswer';

/** One Cognito call this process sent: its operation (X-Amz-Target without the prefix) and HTTP status ('error' when none came back). */
export interface CognitoCall {
  readonly operation: string;
  readonly status: number | 'error';
}

const REFRESHES = new Set(['GetTokensFromRefreshToken', 'InitiateAuth:REFRESH_TOKEN_AUTH']);

/** Dies at once: SIGKILL to itself, and no more JavaScript runs meanwhile. */
const dieNow = (): never => {
  process.kill(process.pid, 'SIGKILL');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  throw new Error('not killed');
};

async function main() {
  const config = JSON.parse(process.argv[2]!) as BffChildConfig;
  const redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: () => 50 } });
  redis.on('error', () => {});
  await redis.connect();
  const outbox = redisFleetOutbox({ client: redis, keyPrefix: config.keyPrefix, claimIdleMs: config.claimIdleMs, maxDeliveries: config.maxDeliveries, blockMs: 200 });
  let deadLetters = 0;
  outbox.onDeadLetter(({ deliveries }) => {
    deadLetters += 1;
    process.stdout.write(`dead ${deliveries}\n`);
  });
  const store = redisSessionStore({ client: redis, keyPrefix: config.keyPrefix, leaseMs: config.leaseMs, outbox });

  const calls: CognitoCall[] = [];
  let die: DiePoint | undefined;
  // Cognito's fetch, watched: which operation went out, what came back, and where to die.
  const fetchCognito = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(config.endpoint)) return fetch(input, init); // the proxy's upstream
    const target = new Headers(init?.headers).get('x-amz-target');
    const flow = typeof init?.body === 'string' ? (/"AuthFlow":"(\w+)"/.exec(init.body)?.[1] ?? '') : '';
    // A Cognito API call by its operation; the hosted UI's endpoints by their path.
    const operation = target === null ? new URL(url).pathname : target.slice(target.lastIndexOf('.') + 1);
    const refresh = REFRESHES.has(operation) || REFRESHES.has(`${operation}:${flow}`);
    if (refresh && die === 'beforeSend') dieNow();
    try {
      const response = await fetch(input, init);
      calls.push({ operation, status: response.status });
      if (refresh && die === 'afterAnswer') dieNow();
      return response;
    } catch (error) {
      calls.push({ operation, status: 'error' });
      throw error;
    }
  };

  const auth = createServerAuth({
    userPoolId: config.userPoolId,
    userPoolClientId: config.clientId,
    endpoint: config.endpoint,
    ...(config.clientSecret && { clientSecret: config.clientSecret }),
    refreshTokenRotation: config.rotation,
    sessionStore: store,
    fetch: fetchCognito,
    networkTimeoutMs: config.networkTimeoutMs,
    storageTimeoutMs: config.storageTimeoutMs,
    ...(config.redirectSignIn && { oauth: { domain: config.endpoint, redirectSignIn: config.redirectSignIn, redirectSignOut: config.redirectSignIn } }),
    ...(config.proxy && { proxy: config.proxy }),
  });
  const bff = toNodeListener(auth.handle);
  const answer = (res: ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server = createServer((req, res) => {
    if (!req.url?.startsWith('/__test/')) return void bff(req, res);
    if (req.url === '/__test/outbox') {
      // Redis may be down (a test restarts it): answered 503, for the test to ask again.
      auth.outboxState().then(
        (state) => answer(res, { state, deadLetters }),
        (error: unknown) => res.writeHead(503).end(String(error)),
      );
      return;
    }
    if (req.url === '/__test/calls') return answer(res, calls);
    if (req.url === '/__test/die' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        die = (JSON.parse(body) as { at: DiePoint }).at;
        answer(res, { die });
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    void auth
      .close()
      .then(() => redis.close())
      .finally(() => process.exit(0));
  });
}
main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
