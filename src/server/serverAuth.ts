// createServerAuth (authchart/server): the backend-for-frontend of RFC 10017. The browser holds an
// HttpOnly cookie naming a session; the tokens stay in the session store, and every request runs
// the library's own engine over the session's record. docs/server.md, "The backend-for-frontend".
import { createAuthCore, type Auth } from '../authCore.js';
import { resolveConfig, describe, type AuthConfig, type ResolvedConfig } from '../config.js';
import { csrfVerdict, routeOf } from '../../machines/server/bffPolicy.js';
import { BffErrorNames } from '../../machines/errors/registry.js';
import { createFetchCognito, type FetchLike } from '../../services/cognito/fetchTransport.js';
import type { CognitoService } from '../../services/cognito/types.js';
import { memorySessionStore } from '../../services/server/memorySessionStore.js';
import { storageKeys } from '../../services/storage/keys.js';
import type { FleetOutboxState, SessionStorage, SessionStore } from '../../services/server/sessionStore.js';
import { AuthConfigError } from '../errors.js';
import type { AuthOpener, OAuthConfig } from '../oauthConfig.js';
import { callbackRoute, signInRedirectRoute, type HostedUiParts } from './bffHostedUi.js';
import { refusal, toResponse, type Answer, type BffRequest } from './bffHttp.js';
import { nodeListener } from './bffNode.js';
import { withNodeListener } from './nodeHttp.js';
import { proxyRoute, type ProxyParts } from './bffProxy.js';
import { confirmSignInRoute, finisher, sessionRoute, signInRoute, signOutRoute } from './bffRoutes.js';
import { ServerRequestError } from './errors.js';
import { keptEngines, watchLoad } from './bffEngines.js';

/** One proxy entry: requests to `<path>/<rest>` go to `<upstream>/<rest>` with the session's access token. */
export interface ProxyEntry {
  /** The path prefix on this server, e.g. '/api/orders' (a leading slash, no trailing one). */
  readonly path: string;
  /** Where its requests go, e.g. 'https://orders.example.com/v1' (http or https, no query). */
  readonly upstream: string;
}

/** What createServerAuth() takes: createAuth's pool settings, and the backend-for-frontend's own. */
export interface ServerAuthConfig
  extends Pick<AuthConfig, 'userPoolId' | 'userPoolClientId' | 'clientSecret' | 'region' | 'endpoint' | 'client' | 'transport' | 'refreshTokenRotation' | 'networkTimeoutMs' | 'storageTimeoutMs' | 'refreshSkewSeconds' | 'authSessionValidityMinutes'> {
  /** Where sessions live: memorySessionStore() (the default; one process) or a Redis store for a fleet. */
  readonly sessionStore?: SessionStore;
  /** The auth routes' prefix. Default '/auth': POST /auth/sign-in, POST /auth/confirm-sign-in, GET /auth/session, POST /auth/sign-out. */
  readonly basePath?: string;
  /** The origins whose state-changing requests are taken (exact, e.g. 'https://app.example.com'). Default: the request's own origin only. */
  readonly allowedOrigins?: readonly string[];
  /** The proxy's allow-list; any other path is answered 404. Default: none. */
  readonly proxy?: readonly ProxyEntry[];
  /** The largest auth-route body read, in bytes; a larger one is answered 413 without being read further. Default 8192. */
  readonly maxBodyBytes?: number;
  /** The largest body the proxy passes on, in bytes (413 beyond). Default 1048576. */
  readonly maxProxyBodyBytes?: number;
  /** How long a proxied request may take, in ms (502 beyond). Default 30000. */
  readonly proxyTimeoutMs?: number;
  /**
   * A session's lifetime, in seconds: the app client's refresh-token validity (Cognito's default,
   * 30 days). The cookie's Max-Age and the store's expiry are set to it at sign-in. Default 2592000.
   */
  readonly sessionLifetimeSeconds?: number;
  /** The fetch for Cognito (without `client` or `transport`), the hosted UI's token endpoint, and the proxy's upstreams. Default: globalThis.fetch. */
  readonly fetch?: FetchLike;
  /**
   * The hosted UI (managed login), with the server as a confidential client (its `clientSecret`,
   * and PKCE): createAuth's `oauth` without `opener`. `redirectSignIn` must be this server's
   * `<basePath>/callback` URL, registered on the app client. Enables GET sign-in/redirect and GET callback.
   */
  readonly oauth?: Omit<OAuthConfig, 'opener'>;
  /** Where GET callback sends the browser once signed in (303). Default '/'. */
  readonly afterSignInUrl?: string;
  /**
   * How many signed-in sessions keep their engine in this process between requests (about 20 KB
   * each); beyond it the least recently used is stopped. A kept engine answers a request with one
   * read of the record's stamp and one of the session; one whose record another process changed is
   * replaced. 0: a new engine for every request. Default 1000. docs/server.md, "One engine per session".
   */
  readonly keptEngines?: number;
  /** A kept engine unused for this long (ms) is stopped. Default 60000. */
  readonly keptEngineIdleMs?: number;
}

/** A running backend-for-frontend: a Fetch-API handler; `toNodeListener(server.handle)` mounts it in node:http (answering GET and HEAD without Fetch objects). */
export interface ServerAuth {
  /** Answers one request: an auth route, a proxied path, or a refusal `{ error: { name, message } }`. Never rejects. */
  handle(request: Request): Promise<Response>;
  /** The sign-out outbox's state across the store's processes: pending, claimed and dead sessions. */
  outboxState(): Promise<FleetOutboxState>;
  /** Stops this process's share of the outbox and the store's own work; an app's Redis client is left as it is. */
  close(): Promise<void>;
}

/** What route() reads of a request's URL: its path (dot segments resolved, as URL does) and its origin. */
interface ParsedUrl {
  readonly pathname: string;
  readonly origin: string;
}
/**
 * The URLs parsed lately, by their text before any query or fragment (neither changes the path or
 * the origin, and a query may hold a secret: the hosted UI's `code` comes back in one): a host's
 * requests use few URLs, and parsing one cost about as much as the route. At most 256; beyond,
 * forgotten all at once.
 */
const parsedUrls = new Map<string, ParsedUrl>();
function parsedUrl(href: string): ParsedUrl {
  const end = href.search(/[?#]/);
  const key = end < 0 ? href : href.slice(0, end);
  let parsed = parsedUrls.get(key);
  if (parsed === undefined) {
    const { pathname, origin } = new URL(key);
    parsed = { pathname, origin };
    if (parsedUrls.size >= 256) parsedUrls.clear();
    parsedUrls.set(key, parsed);
  }
  return parsed;
}

const PATH = /^(?:\/[A-Za-z0-9._~!$&'()*+,;=:@-]+)+$/;
const SECONDS_MAX = 10 * 365 * 24 * 3600;

function whole(field: string, value: unknown, fallback: number, min: number, max: number): number {
  const chosen = value ?? fallback;
  if (typeof chosen !== 'number' || !Number.isInteger(chosen) || chosen < min || chosen > max) throw new AuthConfigError(field, `must be a whole number from ${min} to ${max}, got ${describe(chosen)}`);
  return chosen;
}

function checkedPath(field: string, value: unknown): string {
  if (typeof value !== 'string' || !PATH.test(value) || value.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new AuthConfigError(field, `must be a path such as '/auth' (a leading slash, no trailing one), got ${describe(value)}`);
  }
  return value;
}

function checkedUpstream(field: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new AuthConfigError(field, `must be an http(s) URL without query, fragment or credentials, got ${describe(value)}`);
  }
  return value as string;
}

function checkedOrigins(value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const valid = (origin: unknown) => {
    try {
      return typeof origin === 'string' && new URL(origin).origin === origin;
    } catch {
      return false;
    }
  };
  if (!Array.isArray(value) || !value.every(valid)) throw new AuthConfigError('allowedOrigins', "must be a list of origins such as 'https://app.example.com' (scheme, host, port; no path)");
  return [...(value as string[])];
}

function checkedProxy(value: unknown, basePath: string): ProxyEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new AuthConfigError('proxy', "must be a list of { path, upstream }, e.g. [{ path: '/api/orders', upstream: 'https://orders.example.com/v1' }]");
  const entries = value.map((entry: unknown, i) => {
    const { path, upstream } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    return { path: checkedPath(`proxy[${i}].path`, path), upstream: checkedUpstream(`proxy[${i}].upstream`, upstream) };
  });
  for (const [i, { path }] of entries.entries()) {
    const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
    if (overlaps(path, basePath) || entries.some((other, j) => j !== i && overlaps(path, other.path))) throw new AuthConfigError(`proxy[${i}].path`, 'overlaps the base path or another proxy entry');
  }
  return entries;
}

/** The one Cognito transport of the process: the app's, the SDK over the app's `client` (loaded on first use), or fetch. */
function transportOf(settings: ResolvedConfig, fetch: FetchLike | undefined): CognitoService {
  if (settings.transport) return settings.transport;
  const { clientId, clientSecret, networkTimeoutMs: callTimeoutMs, client } = settings;
  if (!client) return createFetchCognito({ region: settings.region, clientId, callTimeoutMs, ...(settings.endpoint && { endpoint: settings.endpoint }), ...(clientSecret && { clientSecret }), ...(fetch && { fetch }) });
  let loaded: Promise<CognitoService> | undefined;
  // Loaded here only: an app on fetch never needs the SDK installed.
  const sdk = () =>
    (loaded ??= import('../../services/cognito/sdkTransport.js').then(({ createSdkCognito }) =>
      createSdkCognito({ client: client as Parameters<typeof createSdkCognito>[0]['client'], clientId, callTimeoutMs, ...(clientSecret && { clientSecret }) }),
    ));
  return {
    revokeToken: async (token, signal) => (await sdk()).revokeToken(token, signal),
    globalSignOut: async (token, signal) => (await sdk()).globalSignOut(token, signal),
    initiateAuth: async (flow, parameters, signal) => (await sdk()).initiateAuth(flow, parameters, signal),
    respondToAuthChallenge: async (name, session, responses, signal) => (await sdk()).respondToAuthChallenge(name, session, responses, signal),
    refreshTokens: async (token, username, signal) => (await sdk()).refreshTokens(token, username, signal),
    getTokensFromRefreshToken: async (token, signal) => (await sdk()).getTokensFromRefreshToken!(token, signal),
  };
}

/**
 * Starts a backend-for-frontend (RFC 10017) over Cognito: sessions in `sessionStore`, named by an
 * HttpOnly `__Host-Http-authchart-session` cookie; routes under `basePath`; a proxy to the
 * allow-listed upstreams. Throws AuthConfigError for a config it cannot use. docs/server.md.
 */
export function createServerAuth(config: ServerAuthConfig): ServerAuth {
  if (typeof config !== 'object' || config === null) throw new AuthConfigError('config', 'must be an object');
  const basePath = config.basePath === undefined ? '/auth' : checkedPath('basePath', config.basePath);
  const allowedOrigins = checkedOrigins(config.allowedOrigins);
  const proxy = checkedProxy(config.proxy, basePath);
  if (config.fetch !== undefined && typeof config.fetch !== 'function') throw new AuthConfigError('fetch', 'must be a fetch function');
  const store = config.sessionStore ?? memorySessionStore();
  if (typeof store?.storageFor !== 'function' || typeof store.outbox?.start !== 'function') throw new AuthConfigError('sessionStore', 'must be a SessionStore: memorySessionStore() or a Redis store');
  // resolveConfig once: every engine shares the settings and the transport, each over its own session's record.
  // A challenge met by one request's engine is answered by another's (any process): its pending state
  // lives in the session's record (durableChallenges), never in the browser.
  const resolved = resolveConfig({ ...config, syncTabs: false, durableChallenges: true });
  const cognito = transportOf(resolved, config.fetch);
  // config.fetch serves the hosted UI's token endpoint too (resolveConfig keeps no fetch: createAuth's entries add their own).
  const settings: ResolvedConfig = { ...resolved, transport: cognito, ...(config.fetch && { fetch: config.fetch }) };
  const { oauth } = settings;
  const engineOver = (storage: SessionStorage, opener?: AuthOpener): Auth => {
    const own = { ...settings, storage, ...(oauth && opener && { oauth: { ...oauth, opener } }) };
    return watchLoad(createAuthCore(own, cognito, undefined, { tabs: { signals: async () => null, lock: async () => storage.refreshLock } }));
  };
  const engine = (hash: string, opener?: AuthOpener): Auth => engineOver(store.storageFor(hash), opener);
  const afterSignInUrl = config.afterSignInUrl ?? '/';
  if (typeof afterSignInUrl !== 'string' || !(afterSignInUrl.startsWith('/') && !afterSignInUrl.startsWith('//')) && !/^https?:\/\//.test(afterSignInUrl)) {
    throw new AuthConfigError('afterSignInUrl', 'must be a path on this server or an http(s) URL');
  }
  const kept = keptEngines({
    create(hash) {
      const storage = store.storageFor(hash);
      return { auth: engineOver(storage), ...(storage.stamp && { stamp: storage.stamp.bind(storage) }) };
    },
    ...(store.stamp && { stampOf: store.stamp.bind(store) }),
    max: whole('keptEngines', config.keptEngines, 1000, 0, 1_000_000),
    idleMs: whole('keptEngineIdleMs', config.keptEngineIdleMs, 60_000, 1000, 24 * 3600_000),
  });
  const parts: ProxyParts & HostedUiParts = {
    redirectSignIn: oauth?.redirectSignIn ?? '',
    afterSignInUrl,
    store,
    engine,
    kept,
    sessionAnswers: new Map(),
    outboxKey: storageKeys(settings.clientId).outbox,
    sessionLifetimeSeconds: whole('sessionLifetimeSeconds', config.sessionLifetimeSeconds, 30 * 24 * 3600, 60, SECONDS_MAX),
    maxBodyBytes: whole('maxBodyBytes', config.maxBodyBytes, 8192, 256, 1 << 20),
    maxProxyBodyBytes: whole('maxProxyBodyBytes', config.maxProxyBodyBytes, 1 << 20, 0, 1 << 30),
    proxyTimeoutMs: whole('proxyTimeoutMs', config.proxyTimeoutMs, 30_000, 1, 600_000),
    fetch: config.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
  const proxyPaths = proxy.map((entry) => entry.path);
  store.outbox.start(finisher(parts));

  /** The route's answer; throws (or rejects) what is refused. Not async: each level of async functions cost the request a promise and turns of the microtask queue. */
  function route(request: BffRequest): Answer | Promise<Answer> {
    const url = parsedUrl(request.url);
    const { method } = request;
    const found = routeOf(method, url.pathname, basePath, proxyPaths);
    if (found.kind === 'refused') {
      const message = found.name === BffErrorNames.routeNotFound ? 'Nothing is served at this path' : 'The proxied path may not leave the upstream path';
      throw new ServerRequestError(found.name, message);
    }
    if (found.kind === 'methodNotAllowed') return refusal(new ServerRequestError(BffErrorNames.methodNotAllowed, `This path takes ${found.allow}`), [], { allow: found.allow });
    const csrf = csrfVerdict({ method, csrfHeader: request.headers.get('x-authchart-csrf'), origin: request.headers.get('origin'), ownOrigin: url.origin, ...(allowedOrigins && { allowedOrigins }) });
    if (csrf === BffErrorNames.csrfHeaderMissing) throw new ServerRequestError(csrf, 'A state-changing request needs the header X-Authchart-CSRF: 1');
    if (csrf === BffErrorNames.originNotAllowed) throw new ServerRequestError(csrf, 'A state-changing request needs an Origin this server allows');
    switch (found.kind) {
      case 'signIn':
        return signInRoute(parts, request);
      case 'confirmSignIn':
        return confirmSignInRoute(parts, request);
      case 'session':
        return sessionRoute(parts, request);
      case 'signOut':
        return signOutRoute(parts, request);
      case 'proxy':
        return proxyRoute(parts, request, proxy[found.entry]!.upstream, found.rest);
      case 'signInRedirect':
      case 'callback':
        if (!oauth) throw new ServerRequestError(BffErrorNames.routeNotFound, 'Nothing is served at this path');
        return found.kind === 'callback' ? callbackRoute(parts, request) : signInRedirectRoute(parts);
    }
  }

  const refused = (error: unknown): Answer => refusal(error);
  const answer = (request: BffRequest): Promise<Answer> => {
    try {
      return Promise.resolve(route(request)).catch(refused);
    } catch (error) {
      return Promise.resolve(refused(error));
    }
  };
  const handle = withNodeListener((request) => answer(request).then(toResponse), nodeListener(answer));
  return {
    handle,
    outboxState: () => store.outbox.state(),
    async close() {
      await store.outbox.stop();
      await kept.close();
      parts.sessionAnswers.clear();
      await store.close();
    },
  };
}
