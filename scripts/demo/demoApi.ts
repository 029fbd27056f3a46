// The demo's app API (the terminal scenario and the live page both mount it): `GET <base>/orders`
// answers only an access token that aws-jwt-verify's CognitoJwtVerifier accepts and the revocation
// list does not refuse; `POST <base>/revoke` is authchart/server's revocation endpoint, which
// createAuth({ revocationEndpoint }) tells at sign-out. The emulator must run with issuer 'aws'.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { createRevocationEndpoint, createRevocationList, memoryRevocationStore, toNodeListener, withRevocation } from '../../src/server/index';
import type { CognitoEmulator } from '../../src/testing/index';

/** A node:http handler for `<base>/orders` and `<base>/revoke`; returns false for any other path. */
export function demoApi(emu: CognitoEmulator, pool: { userPoolId: string; clientId: string }, base = ''): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { userPoolId, clientId } = pool;
  const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId });
  verifier.cacheJwks(emu.jwks(userPoolId));
  const list = createRevocationList({ store: memoryRevocationStore(), cognito: { userPoolId, clientId, region: emu.region, endpoint: emu.endpoint } });
  const api = withRevocation(verifier, list);
  const revoke = toNodeListener(createRevocationEndpoint({ list, verifier }));
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === `${base}/revoke`) return revoke(req, res), true;
    if (path !== `${base}/orders`) return false;
    const json = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    if (req.method !== 'GET') return json(405, { error: 'MethodNotAllowed' }), true;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    api.verify(token).then(
      (payload) => json(200, { orders: [{ id: 1, for: payload.username }] }),
      (error: Error & { reason?: string }) => json(401, { error: error.name, reason: error.reason }),
    );
    return true;
  };
}
