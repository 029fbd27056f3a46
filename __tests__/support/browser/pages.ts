// Test pages for the browser tests: an HTML page and its script, served on 127.0.0.1 (an ephemeral
// port) by node:http. The script is pageEntry.ts, bundled in-process by esbuild for the browser
// (bundle, esm, platform browser) with authchart's browser entry, src/fetch/index. The page reads
// its configuration from the query string (pageUrl) and exposes `window.authchartPage`
// (pageTypes.ts), which tests drive with page.evaluate() and read results back from.
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { HostedUiPageConfig, PageConfig } from './pageTypes.js';

export type { AuthchartPage, HostedUiPageConfig, PageConfig, Settled } from './pageTypes.js';

/** The hosted-UI test page: no query string of its own (it is the app client's callback URL). */
export const HOSTED_UI_PATH = '/index.html';
/** Where the hosted UI's /logout would return (the app client's sign-out URL): the same page. */
export const SIGNED_OUT_PATH = '/signed-out.html';

export interface PageServer {
  /** 'http://127.0.0.1:PORT' */
  readonly origin: string;
  /** The test page's address with `config` in its query string. */
  pageUrl(config: PageConfig): string;
  close(): Promise<void>;
}

/** Bundles pageEntry.ts (and authchart/fetch from src) for the browser. */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, 'pageEntry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
  });
  return result.outputFiles[0]!.text;
}

const HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>authchart test page</title><link rel="icon" href="data:,"></head>
<body><script type="module" src="/page.js"></script></body></html>
`;

/** Builds the page's script once, then serves it until close(). */
export async function servePages(): Promise<PageServer> {
  const script = await bundlePage();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') send(405, 'text/plain', 'GET only');
    else if (path === '/' || path === HOSTED_UI_PATH || path === SIGNED_OUT_PATH) send(200, 'text/html; charset=utf-8', HTML);
    // A module script is fetched with CORS: a sandboxed iframe (an opaque origin) needs this header to load it.
    else if (path === '/page.js') {
      res.setHeader('access-control-allow-origin', '*');
      send(200, 'text/javascript; charset=utf-8', script);
    }
    else send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: (config) => `${origin}/?${new URLSearchParams({ ...config }).toString()}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface OpenedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors and console.error messages of the page, in order. */
  readonly errors: string[];
  /** Every URL the page requested (to check that nothing left 127.0.0.1). */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Opens the test page in a new context (its own, empty localStorage) and waits until its script
 * has set `window.authchartPage`. Every page call defaults to `timeoutMs`.
 */
export async function openPage(browser: Browser, server: PageServer, config: PageConfig, timeoutMs = 10_000): Promise<OpenedPage> {
  return open(browser, server.pageUrl(config), timeoutMs);
}

/**
 * Opens the hosted-UI test page (HOSTED_UI_PATH, no query string) in a new context. An init script
 * gives the page its config (with `oauth`) before every load, so the page, back from the hosted UI
 * at HOSTED_UI_PATH?code&state, creates the same auth and calls handleRedirect() first.
 */
export async function openHostedUiPage(
  browser: Browser,
  server: PageServer,
  config: PageConfig & { readonly scopes?: readonly string[] },
  timeoutMs = 10_000,
): Promise<OpenedPage> {
  const full: HostedUiPageConfig = { ...config, redirectSignIn: `${server.origin}${HOSTED_UI_PATH}`, redirectSignOut: `${server.origin}${SIGNED_OUT_PATH}` };
  return open(browser, full.redirectSignIn, timeoutMs, async (context) => {
    await context.addInitScript((value: HostedUiPageConfig) => {
      if (location.origin === new URL(value.redirectSignIn).origin) window.authchartHostedUi = value;
    }, full);
  });
}

async function open(browser: Browser, url: string, timeoutMs: number, prepare?: (context: BrowserContext) => Promise<void>): Promise<OpenedPage> {
  const context = await browser.newContext();
  context.setDefaultTimeout(timeoutMs);
  await prepare?.(context);
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Chromium's own favicon fetch is not the page's error: the emulator's hosted-UI pages have no
    // icon, so the first visit logs a 404 for /favicon.ico (test pages declare a data: icon).
    if (message.type() === 'error' && !new URL(message.location().url || 'about:blank').pathname.endsWith('/favicon.ico')) {
      errors.push(`console.error: ${message.text()}`);
    }
  });
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
  } catch (error) {
    await context.close();
    throw new Error(`the test page did not start: ${(error as Error).message}\n${errors.join('\n')}`);
  }
  return { context, page, errors, requests, close: () => context.close() };
}

/** Is this URL on the loopback interface (or a data: URL)? */
export const isLoopbackUrl = (url: string): boolean => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
};
