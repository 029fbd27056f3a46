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
import type { PageConfig } from './pageTypes.js';

export type { AuthchartPage, PageConfig } from './pageTypes.js';

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
    else if (path === '/') send(200, 'text/html; charset=utf-8', HTML);
    else if (path === '/page.js') send(200, 'text/javascript; charset=utf-8', script);
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
  const context = await browser.newContext();
  context.setDefaultTimeout(timeoutMs);
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.goto(server.pageUrl(config));
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
