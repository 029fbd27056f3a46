// What the test page (pageEntry.ts) puts on `window`, shared by the page and the Node side.
import type { Auth, FetchAuthConfig, HandledRedirect } from '../../../src/fetch/index.js';

/** Passed to the page in its query string (pages.ts, pageUrl). */
export interface PageConfig {
  /** The emulator's 'http://127.0.0.1:PORT'. */
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

/**
 * The hosted-UI page (pages.ts, HOSTED_UI_PATH) has no query string of its own: it is the app
 * client's callback URL, which must match exactly and comes back with ?code&state. Its config is
 * put on `window.authchartHostedUi` by an init script (pages.ts, openHostedUiPage) before every load.
 */
export interface HostedUiPageConfig extends PageConfig {
  /** The page's own URL: oauth.redirectSignIn (and one of the app client's callback URLs). */
  readonly redirectSignIn: string;
  readonly redirectSignOut: string;
  readonly scopes?: readonly string[];
}

/** A settled promise, made serializable for page.evaluate(). */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

export interface AuthchartPage {
  readonly config: PageConfig;
  /**
   * authchart/fetch's createAuth with the page's config and `storage: localStorage`; `extra`
   * overrides. With a `storage` key in `extra` (even `undefined`: the default, memory),
   * `localStorage` is not read at all.
   */
  createAuth(extra?: Partial<FetchAuthConfig>): Auth;
  /** A place for page code to leave results that a test reads back later. */
  readonly results: Record<string, unknown>;
  /** authchart/fetch's exports as bundled into the page: `StorageError` for instanceof, `webStorage`, … */
  readonly authchart: typeof import('../../../src/fetch/index.js');
  /** authchart/account's exports as bundled into the page: `createAccount`. */
  readonly account: typeof import('../../../src/account/index.js');
  /** Uncaught errors and unhandled rejections the page's own listeners saw, in order. */
  readonly problems: readonly string[];
  /**
   * On the hosted-UI page only: the page's auth (with `oauth`), created on load, and what its
   * handleRedirect() (called on every load, before anything else) settled with.
   */
  readonly hostedUi?: { readonly auth: Auth; readonly redirect: Settled<HandledRedirect> };
}

declare global {
  interface Window {
    authchartPage: AuthchartPage;
    authchartHostedUi?: HostedUiPageConfig;
  }
}
