// Run as a child process by apiFleet.ts (revocationFleet.test.ts, npm run bench): one API process of
// a fleet. It serves GET /api (200 when the bearer access token passes withRevocation, 401 with the
// reason when not) and POST /revoke (the revocation endpoint), with its own node-redis client and
// aws-jwt-verify's CognitoJwtVerifier, built as docs/server.md says. Argument: an ApiChildConfig as JSON.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { createRevocationEndpoint, createRevocationList, redisRevocationStore, toNodeListener, TokenRevokedError, withRevocation } from '../../src/server/index';
import type { ApiChildConfig } from './apiFleet';
import { cognitoVerifier } from './cognitoVerifier';

async function main() {
  const config = JSON.parse(process.argv[2]!) as ApiChildConfig;
  const redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: () => 50 } });
  redis.on('error', () => {});
  const list = createRevocationList({ cognito: config.cognito, revalidateAfterMs: config.revalidateAfterMs, store: redisRevocationStore({ client: redis, keyPrefix: config.keyPrefix }) });
  await list.ready();
  const jwt = cognitoVerifier(config.cognito, config.jwks);
  const verifier = withRevocation(jwt, list);
  const revoke = toNodeListener(createRevocationEndpoint({ list, verifier: jwt }));
  const server = createServer((req, res) => {
    if (req.url === '/revoke') return revoke(req, res);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    verifier.verify(token).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"served":true}'),
      (error: unknown) => res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ refused: error instanceof TokenRevokedError ? error.reason : 'invalid' })),
    );
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
  process.on('SIGTERM', () => {
    server.close();
    void list.close().then(() => process.exit(0));
  });
}
main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
