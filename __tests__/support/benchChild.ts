// Run as a child process by npm run bench (bench/bff.ts, through childFleet.ts): one server process
// over a loopback redis-server, its own node-redis client, on its own 127.0.0.1 port.
// - 'bff': the backend-for-frontend as an app mounts it, createServerAuth over redisSessionStore
//   (its default outbox included) through toNodeListener.
// - 'floor': the least any server of sessions in Redis does per request: a bare node:http handler
//   that reads one key (node-redis GET) and answers a small JSON.
// Argument: a BffChildConfig as JSON.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { createServerAuth, redisSessionStore, toNodeListener } from '../../src/server/index';

/** What each process is given (as JSON on its command line). */
export type BffChildConfig =
  | {
      readonly serve: 'bff';
      readonly redisUrl: string;
      readonly keyPrefix: string;
      readonly userPoolId: string;
      readonly clientId: string;
      readonly endpoint: string;
      readonly refreshTokenRotation: boolean;
    }
  | {
      readonly serve: 'floor';
      readonly redisUrl: string;
      /** The key each request reads. */
      readonly key: string;
    };

async function main() {
  const config = JSON.parse(process.argv[2]!) as BffChildConfig;
  const redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: () => 50 } });
  redis.on('error', () => {});
  await redis.connect();
  let listener: RequestListener;
  let close: () => Promise<void>;
  if (config.serve === 'bff') {
    const server = createServerAuth({
      userPoolId: config.userPoolId,
      userPoolClientId: config.clientId,
      endpoint: config.endpoint,
      refreshTokenRotation: config.refreshTokenRotation,
      sessionStore: redisSessionStore({ client: redis, keyPrefix: config.keyPrefix }),
    });
    listener = toNodeListener(server.handle);
    close = () => server.close();
  } else {
    const { key } = config;
    listener = (_req, res) => {
      redis.get(key).then(
        (value) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ found: value !== null })),
        () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"found":false}'),
      );
    };
    close = async () => {};
  }
  const http = createServer(listener);
  http.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(http.address() as AddressInfo).port}\n`));
  process.on('SIGTERM', () => {
    http.close();
    http.closeAllConnections();
    void close()
      .then(() => redis.close())
      .finally(() => process.exit(0));
  });
}
main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
