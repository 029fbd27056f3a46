// The backend-for-frontend's proxy (RFC 10017: MUST allow-list): a request to `<path>/<rest>` of a
// configured entry goes to `<upstream>/<rest>` with the session's access token as the bearer,
// refreshed first through the chart when due. The session cookie and the CSRF header never go
// upstream, and the upstream's cookies never come back.
import { proxyTarget } from '../../machines/server/bffPolicy.js';
import { BffErrorNames } from '../../machines/errors/registry.js';
import type { FetchLike } from '../../services/cognito/fetchTransport.js';
import { declaredOver, readBoundedBytes } from '../../services/server/httpBody.js';
import { clearedSessionCookie, sessionHashOf, sessionIdOf } from '../../services/server/sessionCookie.js';
import { refusal, type Answer, type BffRequest } from './bffHttp.js';
import { withSessionEngine, type BffParts } from './bffRoutes.js';
import { ServerRequestError } from './errors.js';

/** What the proxy needs beyond the routes' parts. */
export interface ProxyParts extends BffParts {
  readonly maxProxyBodyBytes: number;
  readonly proxyTimeoutMs: number;
  readonly fetch: FetchLike;
}

/** Request headers never passed upstream: the browser's credentials, ours, and the hop-by-hop ones. */
const NOT_FORWARDED = new Set(['cookie', 'authorization', 'x-authchart-csrf', 'host', 'connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'content-length', 'expect']);
/** Response headers never passed back: the upstream's cookies, the hop-by-hop ones, and what fetch already decoded. */
const NOT_RETURNED = new Set(['set-cookie', 'connection', 'keep-alive', 'proxy-authenticate', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'content-encoding', 'content-length']);

function copied(headers: BffRequest['headers'], dropped: ReadonlySet<string>): Headers {
  const named = new Set((headers.get('connection') ?? '').split(',').map((name) => name.trim().toLowerCase()));
  const out = new Headers();
  headers.forEach((value, name) => {
    if (!dropped.has(name) && !named.has(name)) out.set(name, value);
  });
  return out;
}

/** Proxies `request` (whose path named `upstream` and `rest`) with the session's access token. */
export async function proxyRoute(parts: ProxyParts, request: BffRequest, upstream: string, rest: string): Promise<Answer> {
  const id = sessionIdOf(request.headers.get('cookie'));
  if (id === null) throw new ServerRequestError(BffErrorNames.notSignedIn, 'Nobody is signed in with this session');
  const target = proxyTarget(upstream, rest, new URL(request.url).search);
  if (target === null) throw new ServerRequestError(BffErrorNames.proxyPathRefused, 'The proxied path may not leave the upstream path');
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const tooLarge = () => new ServerRequestError(BffErrorNames.bodyTooLarge, `A proxied body may be at most ${parts.maxProxyBodyBytes} bytes`);
  if (hasBody && declaredOver(request.headers.get('content-length'), parts.maxProxyBodyBytes)) throw tooLarge();
  const body = hasBody ? await readBoundedBytes(request.body, parts.maxProxyBodyBytes) : undefined;
  if (hasBody && body === undefined) throw tooLarge();

  const session = await withSessionEngine(parts, sessionHashOf(id), (auth) => auth.getSession());
  if (!session.tokens) return refusal(new ServerRequestError(BffErrorNames.notSignedIn, 'Nobody is signed in with this session'), [clearedSessionCookie()]);
  const headers = copied(request.headers, NOT_FORWARDED);
  headers.set('authorization', `Bearer ${session.tokens.accessToken}`);
  let answer: Response;
  try {
    answer = await parts.fetch(target, { method: request.method, headers, ...(body && body.byteLength > 0 && { body }), redirect: 'manual', signal: AbortSignal.timeout(parts.proxyTimeoutMs) });
  } catch {
    throw new ServerRequestError(BffErrorNames.upstreamUnreachable, 'The upstream API could not be reached');
  }
  const returned = copied(answer.headers, NOT_RETURNED);
  returned.set('cache-control', answer.headers.get('cache-control') ?? 'no-store');
  return new Response(request.method === 'HEAD' || answer.status === 204 || answer.status === 304 ? null : answer.body, { status: answer.status, headers: returned });
}
