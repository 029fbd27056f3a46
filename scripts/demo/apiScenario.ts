// The API half of the demo: an app's own API (demoApi.ts over node:http, in this process) that checks
// access tokens with aws-jwt-verify's CognitoJwtVerifier behind authchart/server's revocation list,
// and mounts the revocation endpoint that createAuth({ revocationEndpoint }) tells. Its own emulator,
// started with Cognito's issuer (issuer: 'aws') so the verifier runs unchanged; the other scenarios
// keep the default issuer (the hosted UI's OIDC client checks it against the discovery URL).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuth, type Auth, type StorageLike } from '../../src/index';
import { startCognitoEmulator } from '../../src/testing/index';
import { demoApi } from './demoApi';
import { printable, printTransitions } from './print';

export const apiTitle = "Sign-out reaches the app's API (authchart/server: the revocation endpoint and list)";

function memoryStorage(): StorageLike {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

/** Runs the scenario; returns what did not behave as specified. */
export async function runApiScenario(): Promise<string[]> {
  const emu = await startCognitoEmulator({ issuer: 'aws' });
  const { userPoolId, clientId, username, password } = emu.setup({ username: 'api-user' });
  const api = demoApi(emu, { userPoolId, clientId });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => void (api(req, res) || res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(`  (the API listens at ${base}: GET /orders, POST /revoke; its own emulator with issuer 'aws' at ${emu.endpoint})`);

  const problems: string[] = [];
  const auths: Auth[] = [];
  const device = (name: string) => {
    const transitions = printTransitions();
    const auth = createAuth({ userPoolId, userPoolClientId: clientId, endpoint: emu.endpoint, storage: memoryStorage(), revocationEndpoint: `${base}/revoke`, inspect: transitions.inspect });
    auths.push(auth);
    return { name, auth, transitions };
  };
  const accessTokenOf = async (auth: Auth) => (await auth.getSession()).tokens?.accessToken ?? '';
  /** GET /orders with a token; prints and returns 'served' or why it was refused. */
  const call = async (who: string, token: string, expected: string) => {
    const response = await fetch(`${base}/orders`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { error?: string; reason?: string };
    const answer = response.status === 200 ? 'served' : `${body.error ?? 'refused'} (reason ${body.reason ?? '?'})`;
    console.log(`  -- ${who}: GET /orders → ${response.status} ${answer}`);
    const got = response.status === 200 ? 'served' : (body.reason ?? String(response.status));
    if (got !== expected) problems.push(`${who}: ${got}, expected ${expected}`);
  };

  try {
    const a = device('device A');
    console.log('  -- device A: signIn({ username, password })');
    await a.auth.signIn({ username, password });
    const first = await accessTokenOf(a.auth);
    await call('device A', first, 'served');
    await call('device A, again', first, 'served');

    console.log('  -- device A: signOut()');
    a.transitions.restart();
    const local = await a.auth.signOut();
    console.log(`  result:\n${printable(local).replace(/^/gm, '    ')}`);
    if (!(local.type === 'complete' && local.apiNotified === true)) problems.push(`local sign-out: ${printable(local)}`);
    await call('device A, the old token', first, 'session');

    const b = device('device B');
    console.log('  -- device A and device B (its own storage): signIn the same user');
    await a.auth.signIn({ username, password });
    await b.auth.signIn({ username, password });
    const onB = await accessTokenOf(b.auth);
    await call('device B', onB, 'served');

    // The user's entry refuses tokens issued before the sign-out's second; one of that very second is
    // Cognito's to decide. So the sign-out waits for the next second (the demo's only wait) to show the entry.
    const issuedAt = (JSON.parse(Buffer.from(onB.split('.')[1] ?? '', 'base64url').toString()) as { iat: number }).iat;
    while (Math.floor(Date.now() / 1000) <= issuedAt) await new Promise((resolve) => setTimeout(resolve, 50));
    console.log('  -- device A: signOut({ global: true })');
    a.transitions.restart();
    const global = await a.auth.signOut({ global: true });
    console.log(`  result:\n${printable(global).replace(/^/gm, '    ')}`);
    if (!(global.type === 'complete' && global.apiNotified === true)) problems.push(`global sign-out: ${printable(global)}`);
    await call('device B, its old token', onB, 'user');

    console.log('  -- device B: signOut(), then signIn again');
    await b.auth.signOut(); // B learns of the global sign-out when it next talks to Cognito; a fresh start here
    await b.auth.signIn({ username, password });
    await call('device B, a fresh sign-in', await accessTokenOf(b.auth), 'served');
    return problems;
  } finally {
    await Promise.all(auths.map((auth) => auth.stop()));
    await new Promise((resolve) => server.close(resolve));
    await emu.close();
  }
}
