// `npm run demo -- --web`: the live statechart page. Starts the embedded Cognito emulator (a pool,
// an app client whose callback and sign-out URLs are this page, a user), bundles the page with
// esbuild (authchart/fetch from src, plus page.ts), and serves it on 127.0.0.1 with node:http.
// Nothing is loaded from anywhere else. The Chromium test starts it in-process the same way.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { startCognitoEmulator } from '../../../src/testing/index';
import { demoApi } from '../demoApi';
import type { LivePageConfig } from './config';

export interface WebDemo {
  /** The page: 'http://127.0.0.1:PORT/'. */
  readonly url: string;
  /** The demo user (also shown on the page, for the hosted UI's login form). */
  readonly user: { readonly username: string; readonly password: string };
  close(): Promise<void>;
}

/** Paths the page is served at: `/` is the app client's callback URL, `/signed-out` its sign-out URL. */
const PAGE_PATHS = new Set(['/', '/signed-out']);

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
  let api: ReturnType<typeof demoApi> = () => false; // mounted once the pool exists
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (api(req, res)) return; // the demo app's API: /api/orders, /api/revoke (../demoApi.ts)
    if (req.method !== 'GET') send(405, 'text/plain', 'GET only');
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
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The client needs the page's origin (callback and sign-out URLs match exactly), so it comes second.
  const pool = emu.setup({ username: 'demo-user', callbackUrls: [`${origin}/`], logoutUrls: [`${origin}/signed-out`] });
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
