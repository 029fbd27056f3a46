// What the test page (pageEntry.ts) puts on `window`, shared by the page and the Node side.
import type { Auth, FetchAuthConfig } from '../../../src/fetch/index.js';

/** Passed to the page in its query string (pages.ts, pageUrl). */
export interface PageConfig {
  /** The emulator's 'http://127.0.0.1:PORT'. */
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

export interface AuthchartPage {
  readonly config: PageConfig;
  /** authchart/fetch's createAuth with the page's config and `storage: localStorage`; `extra` overrides. */
  createAuth(extra?: Partial<FetchAuthConfig>): Auth;
  /** A place for page code to leave results that a test reads back later. */
  readonly results: Record<string, unknown>;
}

declare global {
  interface Window {
    authchartPage: AuthchartPage;
  }
}
