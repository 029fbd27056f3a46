// Run as a child process by revocationFleet.test.ts: one API process of a fleet. It serves
// GET /api (200 when the bearer access token passes withRevocation, 401 with the reason when not)
// and POST /revoke (the revocation endpoint), with its own node-redis client. Argument: a JSON config.
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { createRevocationEndpoint, createRevocationList, redisRevocationStore, toNodeListener, TokenRevokedError, withRevocation } from '../../src/server/index';

interface Config {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly cognito: { userPoolId: string; clientId: string; region: string; endpoint: string };
  readonly issuer: string;
  readonly jwks: Jwks;
}

async function main() {
  const config = JSON.parse(process.argv[2]!) as Config;
  const redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: () => 50 } });
  redis.on('error', () => {});
  const list = createRevocationList({ cognito: config.cognito, store: redisRevocationStore({ client: redis, keyPrefix: config.keyPrefix }) });
  await list.ready();
  const jwt = JwtRsaVerifier.create({ issuer: config.issuer, audience: null, jwksUri: `${config.issuer}/.well-known/jwks.json` });
  jwt.cacheJwks(config.jwks);
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
