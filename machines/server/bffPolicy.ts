// The backend-for-frontend's decisions (createServerAuth, authchart/server), pure: which route a
// request names, whether a state-changing request may go on (CSRF), where a proxied path may go,
// and which HTTP status an error name is answered with. src/server/ gathers the facts (the method,
// the path, the headers) and acts on what these say. docs/server.md, "The backend-for-frontend".
import { BffErrorNames, classOf, CognitoExceptions, ErrorNames, ServerErrorNames } from '../errors/registry.js';

/** What a request names: one of the routes under `basePath`, a proxy entry, or nothing. */
export type BffRoute =
  | { readonly kind: AuthRouteKind }
  | { readonly kind: 'proxy'; readonly entry: number; readonly rest: string }
  | { readonly kind: 'refused'; readonly name: typeof BffErrorNames.routeNotFound | typeof BffErrorNames.proxyPathRefused }
  | { readonly kind: 'methodNotAllowed'; readonly allow: string };

/** The auth routes: the native flows, and the hosted UI's two (served only when `oauth` is configured). */
export type AuthRouteKind = 'signIn' | 'confirmSignIn' | 'signOut' | 'session' | 'signInRedirect' | 'callback';

const ROUTES: ReadonlyArray<readonly [path: string, method: string, kind: AuthRouteKind]> = [
  ['/sign-in', 'POST', 'signIn'],
  ['/confirm-sign-in', 'POST', 'confirmSignIn'],
  ['/sign-out', 'POST', 'signOut'],
  ['/session', 'GET', 'session'],
  ['/sign-in/redirect', 'GET', 'signInRedirect'],
  ['/callback', 'GET', 'callback'],
];

/** The methods a proxy entry passes on; anything else (CONNECT, TRACE, …) is refused. */
export const PROXY_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The route `method` and `pathname` (as the URL parser left it: dot segments resolved) name, with
 * the auth routes under `basePath` and the proxy entries' paths (`proxyPaths[i]`, e.g. '/api/orders').
 * A proxied path is `<path>/<rest>`; its rest must be safe (proxyRestIsSafe), else ProxyPathRefused.
 */
export function routeOf(method: string, pathname: string, basePath: string, proxyPaths: readonly string[]): BffRoute {
  for (const [path, allowed, kind] of ROUTES) {
    if (pathname !== `${basePath}${path}`) continue;
    return method === allowed || (allowed === 'GET' && method === 'HEAD') ? { kind } : { kind: 'methodNotAllowed', allow: allowed === 'GET' ? 'GET, HEAD' : allowed };
  }
  for (const [entry, path] of proxyPaths.entries()) {
    if (!pathname.startsWith(`${path}/`)) continue;
    if (!PROXY_METHODS.includes(method)) return { kind: 'methodNotAllowed', allow: PROXY_METHODS.join(', ') };
    const rest = pathname.slice(path.length + 1);
    return proxyRestIsSafe(rest) ? { kind: 'proxy', entry, rest } : { kind: 'refused', name: BffErrorNames.proxyPathRefused };
  }
  return { kind: 'refused', name: BffErrorNames.routeNotFound };
}

/**
 * Whether the rest of a proxied path stays under the upstream's path whatever the upstream decodes:
 * no empty, `.` or `..` segment (raw or percent-encoded), no encoded slash or backslash, no control
 * character, and valid percent-encoding. An empty rest is refused too: the upstream's root is not an entry.
 */
export function proxyRestIsSafe(rest: string): boolean {
  if (rest === '' || rest.includes('\\')) return false;
  for (const segment of rest.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    if (decoded === '' || decoded === '.' || decoded === '..' || /[/\\\u0000-\u001f\u007f]/.test(decoded)) return false;
  }
  return true;
}

/**
 * Where a proxied request goes: `<upstream>/<rest><search>`, or null when the result would not be
 * under the upstream's own origin and path (a defence in depth beside proxyRestIsSafe).
 */
export function proxyTarget(upstream: string, rest: string, search: string): string | null {
  if (!proxyRestIsSafe(rest)) return null;
  let base: URL;
  let target: URL;
  try {
    base = new URL(upstream);
    target = new URL(`${upstream.replace(/\/+$/, '')}/${rest}${search}`);
  } catch {
    return null;
  }
  const under = `${base.pathname.replace(/\/+$/, '')}/`;
  return target.origin === base.origin && target.pathname.startsWith(under) ? target.href : null;
}

/** What the CSRF check says of a request: it may go on, or the name it is refused with (403). */
export type CsrfVerdict = 'allowed' | typeof BffErrorNames.csrfHeaderMissing | typeof BffErrorNames.originNotAllowed;

/** The facts the CSRF check reads. */
export interface CsrfFacts {
  /** The request's method: GET and HEAD change nothing and are let through. */
  readonly method: string;
  /** The `X-Authchart-CSRF` header, or null. */
  readonly csrfHeader: string | null;
  /** The `Origin` header, or null. */
  readonly origin: string | null;
  /** The request's own origin (scheme, Host header, port). */
  readonly ownOrigin: string;
  /** createServerAuth's `allowedOrigins`; undefined: the request's own origin only. */
  readonly allowedOrigins?: readonly string[];
}

/**
 * RFC 10017's CSRF defence: a state-changing request (any method but GET and HEAD) needs the
 * static header `X-Authchart-CSRF: 1` (a cross-site form cannot send it, and a cross-site fetch
 * must pass a CORS preflight to) and an `Origin` that is allowed. A missing `Origin` is refused.
 */
export function csrfVerdict(facts: CsrfFacts): CsrfVerdict {
  if (facts.method === 'GET' || facts.method === 'HEAD') return 'allowed';
  if (facts.csrfHeader !== '1') return BffErrorNames.csrfHeaderMissing;
  const { origin } = facts;
  if (origin === null || origin === 'null') return BffErrorNames.originNotAllowed;
  const allowed = facts.allowedOrigins ?? [facts.ownOrigin];
  return allowed.includes(origin) ? 'allowed' : BffErrorNames.originNotAllowed;
}

const STATUS_OF_NAME: { readonly [name: string]: number } = {
  [BffErrorNames.notSignedIn]: 401,
  [BffErrorNames.csrfHeaderMissing]: 403,
  [BffErrorNames.originNotAllowed]: 403,
  [BffErrorNames.routeNotFound]: 404,
  [BffErrorNames.methodNotAllowed]: 405,
  [BffErrorNames.bodyTooLarge]: 413,
  [BffErrorNames.badRequestBody]: 400,
  [BffErrorNames.proxyPathRefused]: 400,
  [BffErrorNames.upstreamUnreachable]: 502,
  // Cognito refused the credentials: the caller is not who it says.
  [CognitoExceptions.notAuthorized]: 401,
  [ServerErrorNames.userNotFound]: 401,
  [CognitoExceptions.tooManyRequests]: 429,
  [CognitoExceptions.internalError]: 502,
  [CognitoExceptions.serviceUnavailable]: 503,
  [ErrorNames.stopped]: 503,
};

const STATUS_OF_CLASS: { readonly [errorClass: string]: number } = {
  AuthValidationError: 400,
  AuthStateError: 409,
  HostedUiError: 400,
  CognitoServiceError: 400,
  CognitoUnreachableError: 503,
  UnexpectedResponseError: 502,
  StorageError: 503,
  AuthConfigError: 500,
  AuthInternalError: 500,
};

/**
 * The HTTP status a refusal named `name` is answered with: the backend-for-frontend's own names
 * by their meaning; Cognito's refusal of the credentials 401, its throttling 429; the rest by the
 * error's class (a bad argument 400, a call the session's state refuses 409, Cognito unreachable
 * 503, an answer not Cognito's 502, the store failing 503, a fault of ours 500).
 */
export function statusOf(name: string): number {
  return STATUS_OF_NAME[name] ?? STATUS_OF_CLASS[classOf(name)] ?? 500;
}

/**
 * What a request does with the engine this process keeps for its session (createServerAuth's
 * keptEngines), from the record's stamp (a value the store changes with every write of the
 * record): 'reuse' the kept engine when nothing was written since it loaded; 'replace' it with a
 * new engine, which loads the record and is kept; or run a new engine for this one call and keep
 * none ('oneOff'), when nothing is stored (nobody to keep) or the stamp could not be read.
 * Reusing is sound because a kept engine reads the session from the record at every call, as a
 * tab does; the stamp tells it of what else another process wrote (a sign-out's outbox intent).
 */
export function engineVerdict(keptStamp: string | undefined, storedStamp: string | null | undefined): 'reuse' | 'replace' | 'oneOff' {
  if (storedStamp === null || storedStamp === undefined) return 'oneOff';
  return keptStamp === storedStamp ? 'reuse' : 'replace';
}

/** Whether an engine is kept after a call, from its auth chart's state: only while it holds a session (`signedIn`); a signed-out one, or one met with a challenge, has nothing to serve. */
export const keepsEngine = (chart: { matches(state: 'signedIn'): boolean }): boolean => chart.matches('signedIn');
