// The revocation endpoint: where a client announces a sign-out to the app's API (authchart/server).
// A Fetch-API handler (mounted in node:http with toNodeListener, nodeHttp.ts). docs/server.md describes the protocol.
import type { FetchHandler } from './nodeHttp.js';
import { isExpired, type RevocationClaims } from '../../machines/revocation/policy.js';
import { readJwtClaims } from '../../services/encoding/jwt.js';
import { readBounded } from '../../services/server/httpBody.js';
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

