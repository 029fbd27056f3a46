// The revocation endpoint: where a client announces a sign-out to the app's API (authchart/server).
// A Fetch-API handler, and an adapter for node:http. docs/server.md describes the protocol.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { isExpired, type RevocationClaims } from '../../machines/revocation/policy.js';
import { readJwtClaims } from '../../services/encoding/jwt.js';
import { readBounded } from '../../services/server/httpBody.js';
import { BffErrorNames } from '../../machines/errors/registry.js';
import { RevocationUnavailableError, TokenRevokedError } from './errors.js';
import type { RevocationList } from './revocationList.js';

/** The verifier the endpoint checks bearer tokens with: an aws-jwt-verify verifier of access tokens, without the list's own check. */
export interface AnnouncementVerifier {
  /** Verifies an access token; `graceSeconds` lets an expired one through (for scope 'session'). */
  verify(
    token: string,
    props?: {
      /** Seconds past `exp` still accepted: the endpoint sets it for scope 'session' only. */
      graceSeconds?: number;
    },
  ): Promise<object>;
}

/** createRevocationEndpoint()'s options. */
export interface RevocationEndpointOptions {
  /** The list announcements are recorded in. */
  readonly list: RevocationList;
  /**
   * An aws-jwt-verify verifier of this pool's access tokens (`CognitoJwtVerifier.create({ userPoolId,
   * tokenUse: 'access', clientId })`), without `revocationCheck`: the endpoint consults the list itself.
   */
  readonly verifier: AnnouncementVerifier;
  /** The largest body read, in bytes; a larger one is refused (413) without being read further. Default 1024. */
  readonly maxBodyBytes?: number;
  /** How far past its expiry a token may announce its session (seconds). Default 30 days, Cognito's default refresh-token lifetime. */
  readonly expiredSessionGraceSeconds?: number;
  /** Announcements handled at once; more are answered 503 at once, so a flood holds bounded memory. Default 64. */
  readonly maxConcurrent?: number;
  /** The clock, in ms. Default Date.now. */
  readonly now?: () => number;
}

/** The `error` codes of the endpoint's JSON answers: `{ error, message }`. */
export type RevocationEndpointErrorCode = 'invalid_request' | 'invalid_token' | 'method_not_allowed' | 'unsupported_media_type' | 'payload_too_large' | 'unavailable';

/** A Fetch-API handler: a Request in, a Response out. */
export type FetchHandler = (request: Request) => Promise<Response>;

const STATUS: { readonly [code in RevocationEndpointErrorCode]: number } = {
  invalid_request: 400,
  invalid_token: 401,
  method_not_allowed: 405,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unavailable: 503,
};

function refusal(code: RevocationEndpointErrorCode, message: string): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (code === 'invalid_token') headers['www-authenticate'] = 'Bearer error="invalid_token"';
  if (code === 'method_not_allowed') headers['allow'] = 'POST';
  return new Response(JSON.stringify({ error: code, message }), { status: STATUS[code], headers });
}

/** The scope a body asks for, or undefined when it is not `{ "scope": "session" | "user" }`. */
function scopeOf(text: string): 'session' | 'user' | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const { scope } = body as { scope?: unknown };
    return scope === 'session' || scope === 'user' ? scope : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The revocation endpoint: `POST` with `Authorization: Bearer <access token>` and the JSON body
 * `{ "scope": "session" | "user" }`; `204` once recorded, and when the token was already covered
 * (nothing changes: it is idempotent). Scope 'session' accepts a correctly signed token of this
 * pool that has expired (a newer token of the same session may still be live); scope 'user'
 * requires an unexpired one, as GlobalSignOut does. Every refusal is JSON `{ error, message }`
 * (RevocationEndpointErrorCode) and records nothing.
 */
export function createRevocationEndpoint(options: RevocationEndpointOptions): FetchHandler {
  const { list, verifier } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024;
  const grace = options.expiredSessionGraceSeconds ?? 30 * 24 * 3600;
  const maxConcurrent = options.maxConcurrent ?? 64;
  const now = options.now ?? Date.now;
  let inFlight = 0;

  async function handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') return refusal('method_not_allowed', 'Only POST is accepted');
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return refusal('unsupported_media_type', 'The body must be application/json');
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxBodyBytes) return refusal('payload_too_large', `The body may be at most ${maxBodyBytes} bytes`);
    const auth = request.headers.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_\-.]{1,8192})$/.exec(auth);
    if (!match) return refusal('invalid_token', 'An access token is required as Authorization: Bearer <token>');
    const token = match[1]!;
    const text = await readBounded(request.body, maxBodyBytes);
    if (text === undefined) return refusal('payload_too_large', `The body may be at most ${maxBodyBytes} bytes`);
    const scope = scopeOf(text);
    if (!scope) return refusal('invalid_request', 'The body must be {"scope":"session"} or {"scope":"user"}');

    // Whether to let an expired token through is read from its unverified exp; the verifier then checks everything, signature first.
    const unverified = readJwtClaims(token);
    if (!unverified) return refusal('invalid_token', 'The bearer is not a JWT');
    const allowExpired = scope === 'session' && isExpired(unverified, now());
    let payload: object;
    try {
      payload = await verifier.verify(token, allowExpired ? { graceSeconds: grace } : undefined);
    } catch (error) {
      // A verifier that checks the list too refuses a covered token: nothing to record, as below.
      if (error instanceof TokenRevokedError) return new Response(null, { status: 204 });
      return refusal('invalid_token', 'The access token is not a valid token of this user pool and app client');
    }
    try {
      const outcome = await list.announce(scope, token, payload as RevocationClaims);
      if (outcome === 'noSessionId') return refusal('invalid_request', 'The access token has no origin_jti (token revocation is off on its app client): use scope "user"');
      return new Response(null, { status: 204 });
    } catch (error) {
      const message = error instanceof RevocationUnavailableError ? error.message : 'The revocation list could not record it';
      return refusal('unavailable', message);
    }
  }

  return async (request) => {
    if (inFlight >= maxConcurrent) {
      void request.body?.cancel().catch(() => {});
      return refusal('unavailable', 'Too many announcements at once; try again');
    }
    inFlight++;
    try {
      return await handle(request);
    } finally {
      inFlight--;
    }
  };
}

/** A Host header this adapter builds a URL from: a name or address, and a port. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * An adapter for node:http: `http.createServer(toNodeListener(handler))`, or a route of an existing
 * server. The request's URL is built from its Host header (https when the socket is TLS), so a
 * handler can compare the request's own origin with its `Origin`; a request without a usable Host,
 * or whose target is not a path, is answered 400 without reaching the handler. The body is
 * streamed to the handler, which reads no more than its bound; what it leaves unread is discarded
 * and the connection closed. Each Set-Cookie of the response is sent as a header of its own.
 * Headers over node:http's `maxHeaderSize` never reach it: node:http answers 431 itself.
 */
export function toNodeListener(handler: FetchHandler): (request: IncomingMessage, response: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const host = req.headers.host ?? '';
      const target = req.url ?? '';
      if (!HOST.test(host) || !target.startsWith('/') || target.startsWith('//')) {
        res.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: 'invalid_request', message: 'The request needs a Host header and a path' }));
        req.resume();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers, ...(hasBody && { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' }) };
      const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
      let request: Request;
      try {
        request = new Request(`${scheme}://${host}${target}`, init);
      } catch {
        // A method the Fetch API forbids (TRACE, TRACK): no handler can be asked.
        res.writeHead(405, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: { name: BffErrorNames.methodNotAllowed, message: 'This method is not served' } }));
        req.resume();
        return;
      }
      const response = await handler(request);
      const cookies = response.headers.getSetCookie();
      const outHeaders: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') outHeaders[name] = value;
      });
      if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
      const unread = hasBody && !req.readableEnded;
      if (unread) outHeaders['connection'] = 'close';
      res.writeHead(response.status, outHeaders);
      res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
      // What the handler did not read is dropped, not buffered.
      if (!req.readableEnded) req.resume();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal', message: 'The handler failed' }));
    });
  };
}
