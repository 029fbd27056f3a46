// `npm run demo -- --web`: the live statechart page. Starts the embedded Cognito emulator (a pool
// that allows passkeys, with 'localhost' as its relying party; an app client whose callback and
// sign-out URLs are this page; a user), bundles the page with esbuild (authchart/fetch and
// authchart/account from src, plus page.ts), and serves it on 127.0.0.1 with node:http, at
// http://localhost:PORT/: WebAuthn needs a relying party that is a domain (browsers refuse an IP
// address), and localhost is a secure context over http. Nothing is loaded from anywhere else.
// The Chromium test starts it in-process the same way.
import { CognitoIdentityProviderClient, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { startCognitoEmulator } from '../../../src/testing/index';
import { demoApi } from '../demoApi';
import type { LivePageConfig } from './config';

export interface WebDemo {
  /** The page: 'http://localhost:PORT/' (the server listens on 127.0.0.1). */
  readonly url: string;
  /** The demo user (also shown on the page, for the hosted UI's login form). */
  readonly user: { readonly username: string; readonly password: string };
  close(): Promise<void>;
}

/** Paths the page is served at: `/` is the app client's callback URL, `/signed-out` its sign-out URL. */
const PAGE_PATHS = new Set(['/', '/signed-out']);

/** The passkeys' relying party: the page's host. The page must be opened at this name, not at 127.0.0.1. */
const RELYING_PARTY = 'localhost';

/** The repository root: the nearest folder up with package.json (this file runs from src, or bundled into .cache/). */
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Bundles page.ts (and its page.css) for the browser; returns the script and the style sheet. */
async function bundle(): Promise<{ script: string; css: string }> {
  const result = await build({
    entryPoints: [join(repositoryRoot(__dirname), 'scripts/demo/web/page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outdir: 'live-page', // names the outputs only: nothing is written
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
  });
  const text = (ext: string) => result.outputFiles.find((file) => file.path.endsWith(ext))?.text ?? '';
  return { script: text('.js'), css: text('.css') };
}

const html = (config: LivePageConfig) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>authchart: live statecharts</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<link rel="stylesheet" href="/page.css">
<script id="config" type="application/json">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>
</head><body><script type="module" src="/page.js"></script></body></html>
`;

/** Starts the emulator and the page server; `port` 0 (default) picks a free one. */
export async function startWebDemo(options: { port?: number } = {}): Promise<WebDemo> {
  const [{ script, css }, emu] = await Promise.all([bundle(), startCognitoEmulator({ issuer: 'aws' })]); // Cognito's issuer: the API's CognitoJwtVerifier runs unchanged
  let page = '';
  let origin = '';
  let api: ReturnType<typeof demoApi> = () => false; // mounted once the pool exists
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (api(req, res)) return; // the demo app's API: /api/orders, /api/revoke (../demoApi.ts)
    // The page opened at another name (http://127.0.0.1:PORT/): to localhost, where passkeys work and the callback URLs match.
    const host = new URL(`http://${req.headers.host ?? '127.0.0.1'}`).hostname;
    if (req.method === 'GET' && PAGE_PATHS.has(path) && host !== RELYING_PARTY) {
      res.writeHead(302, { location: `${origin}${req.url ?? '/'}`, 'cache-control': 'no-store' });
      res.end();
    } else if (req.method !== 'GET') send(405, 'text/plain', 'GET only');
    else if (PAGE_PATHS.has(path)) send(200, 'text/html; charset=utf-8', page);
    else if (path === '/page.js') send(200, 'text/javascript; charset=utf-8', script);
    else if (path === '/page.css') send(200, 'text/css; charset=utf-8', css);
    else send(404, 'text/plain', 'not found');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
  } catch (error) {
    await emu.close();
    throw error;
  }
  origin = `http://${RELYING_PARTY}:${(server.address() as AddressInfo).port}`;
  // The client needs the page's origin (callback and sign-out URLs match exactly), so it comes second.
  // Passkeys: the pool allows WEB_AUTHN first, the client USER_AUTH (besides SRP and refresh), and the relying party is localhost.
  const pool = emu.setup({
    username: 'demo-user',
    callbackUrls: [`${origin}/`],
    logoutUrls: [`${origin}/signed-out`],
    explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    userPool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } },
  });
  try {
    const admin = new CognitoIdentityProviderClient({ region: emu.region, endpoint: emu.endpoint, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }, maxAttempts: 1 });
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.userPoolId, WebAuthnConfiguration: { RelyingPartyId: RELYING_PARTY } }));
    admin.destroy();
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    await emu.close();
    throw error;
  }
  api = demoApi(emu, pool, '/api');
  page = html({
    endpoint: emu.endpoint,
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    redirectSignIn: `${origin}/`,
    redirectSignOut: `${origin}/signed-out`,
    api: `${origin}/api`,
    username: pool.username,
    password: pool.password,
  });
  return {
    url: `${origin}/`,
    user: { username: pool.username, password: pool.password },
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await emu.close();
    },
  };
}
