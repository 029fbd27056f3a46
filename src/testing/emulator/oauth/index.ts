// Cognito's OAuth 2.0 / OIDC endpoints on the emulator's server: routing only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.js';
import { send, sendJson } from '../http.js';
import { ApiEndpoints } from './api.js';
import { BrowserEndpoints } from './browser.js';
import { OAuthStore } from './store.js';
import { parseForm } from './web.js';

export { answerPreflight, applyCors, isCorsPath } from './web.js';

/** Names of the OAuth endpoints, as the request log records them and faults target them. */
export type OAuthEndpointName =
  | 'oauth2/authorize'
  | 'oauth2/token'
  | 'oauth2/revoke'
  | 'oauth2/userInfo'
  | 'logout'
  | 'login'
  | 'mfa'
  | 'google/authorize'
  | 'openid-configuration'
  | 'jwks';

const WELL_KNOWN = /^\/([^/]+)\/\.well-known\/(openid-configuration|jwks\.json)$/;

export interface OAuthRoute {
  readonly name: OAuthEndpointName;
  readonly run: (req: IncomingMessage, res: ServerResponse, body: string) => void;
}

export class OAuthEndpoints {
  readonly store: OAuthStore;
  private readonly browser: BrowserEndpoints;
  private readonly api: ApiEndpoints;

  constructor(
    private readonly ctx: EmulatorContext,
    endpoint: () => string,
  ) {
    this.store = new OAuthStore(ctx);
    this.browser = new BrowserEndpoints(ctx, this.store);
    this.api = new ApiEndpoints(ctx, this.store, endpoint);
  }

  /** The endpoint for this method and URL, or undefined (the JSON API, or 404). */
  match(method: string, url: URL): OAuthRoute | undefined {
    const q = url.searchParams;
    const path = url.pathname;
    const get = method === 'GET' || method === 'HEAD';
    const post = method === 'POST';
    const wk = get ? WELL_KNOWN.exec(path) : null;
    if (wk) {
      const poolId = decodeURIComponent(wk[1] ?? '');
      const isJwks = wk[2] === 'jwks.json';
      return {
        name: isJwks ? 'jwks' : 'openid-configuration',
        run: (_req, res) => {
          if (!this.ctx.store.pools.has(poolId)) return send(res, 404, 'Not Found', 'text/plain');
          if (isJwks) sendJson(res, this.ctx.tokens.signer.jwks());
          else this.api.discovery(res, poolId);
        },
      };
    }
    if (get && path === '/oauth2/authorize') return { name: 'oauth2/authorize', run: (req, res) => this.browser.authorize(req, res, q) };
    if (get && path === '/logout') return { name: 'logout', run: (req, res) => this.browser.logout(req, res, q) };
    if (get && path === '/google/authorize') return { name: 'google/authorize', run: (_req, res) => this.browser.googlePage(res, q) };
    if (post && path === '/google/authorize') return { name: 'google/authorize', run: (_req, res, body) => this.browser.google(res, parseForm(body)) };
    if (get && path === '/google/cancel') return { name: 'google/authorize', run: (_req, res) => this.browser.googleCancel(res, q) };
    if (post && path === '/login') return { name: 'login', run: (_req, res, body) => this.browser.login(res, parseForm(body)) };
    if (post && path === '/mfa') return { name: 'mfa', run: (_req, res, body) => this.browser.mfa(res, parseForm(body)) };
    if (post && path === '/oauth2/token') return { name: 'oauth2/token', run: (req, res, body) => this.api.token(req, res, body) };
    if (post && path === '/oauth2/revoke') return { name: 'oauth2/revoke', run: (req, res, body) => this.api.revoke(req, res, body) };
    if ((get || post) && path === '/oauth2/userInfo') return { name: 'oauth2/userInfo', run: (req, res) => this.api.userInfo(req, res) };
    return undefined;
  }
}
