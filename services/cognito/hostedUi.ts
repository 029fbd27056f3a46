// The client side of Cognito's OAuth 2.0 authorization code flow with PKCE (managed login, formerly
// the hosted UI): the authorize URL, the redirect back, and the code exchanged at /oauth2/token.
// No SDK: global fetch, Web Crypto's getRandomValues, and SHA-256 from Web Crypto (or @noble/hashes
// where there is none: services/crypto/hashes.ts).
import type { Hash } from '../crypto/hashes.js';
import { bytesToBase64 } from '../encoding/bytes.js';
import type { FetchLike } from './fetchTransport.js';
import type { SessionTokens } from '../storage/tokenStore.js';
import type { LazyKit } from '../actors/lazyKit.js';

const OPERATION = 'oauth2/token';

const base64url = (bytes: Uint8Array): string => bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function randomBase64url(length: number): string {
  return base64url(globalThis.crypto.getRandomValues(new Uint8Array(length)));
}

/** A PKCE pair (RFC 7636, S256): a verifier of 64 random bytes (86 base64url characters) and its challenge, SHA-256 by `hash`. */
export async function createPkce(hash: Hash): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomBase64url(64);
  return { verifier, challenge: base64url(await hash([new TextEncoder().encode(verifier)])) };
}

/** An OAuth `state`: 32 random bytes, base64url (43 characters). */
export function randomState(): string {
  return randomBase64url(32);
}

export interface AuthorizeUrlOptions {
  /** The user pool's domain, e.g. `https://example.auth.us-east-1.amazoncognito.com` (a trailing slash is dropped). */
  readonly domain: string;
  readonly clientId: string;
  /** One of the app client's callback URLs, exactly. */
  readonly redirectUri: string;
  /** e.g. ['openid', 'email']; without 'openid' Cognito issues no ID token. */
  readonly scopes: readonly string[];
  readonly state: string;
  /** The PKCE challenge (S256). */
  readonly challenge: string;
  /** `identity_provider`: COGNITO, Google, SignInWithApple, or an IdP name, to skip the provider choice. */
  readonly provider?: string;
  /** `prompt` (managed login only), e.g. 'login'. */
  readonly prompt?: string;
  /** `login_hint` (managed login only). */
  readonly loginHint?: string;
  /** What this chunk takes from the up-front load, handed in (services/actors/lazyKit.ts says why). */
  readonly kit: LazyKit;
}

/** The URL of Cognito's `/oauth2/authorize` for a code flow with PKCE (S256). */
export function authorizeUrl(o: AuthorizeUrlOptions): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    scope: o.scopes.join(' '),
    state: o.state,
    code_challenge: o.challenge,
    code_challenge_method: 'S256',
  });
  if (o.provider !== undefined) query.set('identity_provider', o.provider);
  if (o.prompt !== undefined) query.set('prompt', o.prompt);
  if (o.loginHint !== undefined) query.set('login_hint', o.loginHint);
  return `${o.kit.trimDomain(o.domain)}/oauth2/authorize?${query.toString()}`;
}

export interface ExchangeCodeOptions {
  readonly domain: string;
  readonly clientId: string;
  /** Only for app clients with a secret: sent with HTTP Basic (client_secret_basic). */
  readonly clientSecret?: string;
  /** The redirect_uri the authorize request used. */
  readonly redirectUri: string;
  readonly code: string;
  readonly verifier: string;
  readonly signal?: AbortSignal;
  /** The call ends with TimeoutError after this. Default 10000. */
  readonly timeoutMs?: number;
  /** The fetch to use. Default: globalThis.fetch. */
  readonly fetch?: FetchLike;
  /** What this chunk takes from the up-front load, handed in (services/actors/lazyKit.ts says why). */
  readonly kit: LazyKit;
}

/**
 * Exchanges an authorization code at `/oauth2/token`. Fails with a CognitoCallError free of the
 * code, the verifier and the secret: `OAuthError` (the endpoint refused, e.g. invalid_grant for a
 * used, expired or unknown code or a wrong verifier), `UnexpectedRedirect` (a 3xx, never followed),
 * `UnexpectedResponse`, `NetworkError`, `TimeoutError` or `AbortError`.
 */
export async function exchangeCode(o: ExchangeCodeOptions): Promise<SessionTokens> {
  const { abortedCallError, CognitoCallError, ErrorNames, parseJsonObject, redact, redirectRefusedError, trimDomain, withDeadline } = o.kit;
  const unexpected = (status: number, what = 'a body that is not OAuth JSON') =>
    new CognitoCallError(ErrorNames.unexpectedResponse, `${OPERATION}: Cognito answered HTTP ${status} with ${what}`);
  const secrets = [o.code, o.verifier, o.clientSecret];
  const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: o.clientId, code: o.code, code_verifier: o.verifier, redirect_uri: o.redirectUri });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (o.clientSecret) headers.authorization = `Basic ${btoa(`${formEncode(o.clientId)}:${formEncode(o.clientSecret)}`)}`;
  const deadline = withDeadline(o.signal, o.timeoutMs ?? 10_000);
  try {
    let response: Response;
    try {
      response = await (o.fetch ?? globalThis.fetch)(`${trimDomain(o.domain)}/oauth2/token`, {
        method: 'POST',
        headers,
        body: body.toString(),
        signal: deadline.signal,
        cache: 'no-store',
        // Never follow a redirect: fetch would send the code and verifier again to wherever it points.
        redirect: 'manual',
      });
    } catch (error) {
      if (deadline.signal.aborted) throw abortedCallError(OPERATION, deadline.signal);
      throw new CognitoCallError(ErrorNames.network, `${OPERATION} could not reach Cognito (${redact(causeText(error), secrets)})`);
    }
    const status = response.status;
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400) || response.redirected) {
      void response.body?.cancel().catch(() => {});
      throw redirectRefusedError(OPERATION, response.redirected ? undefined : status);
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      if (deadline.signal.aborted) throw abortedCallError(OPERATION, deadline.signal);
      throw unexpected(status, 'a body that was cut off');
    }
    const json = parseJsonObject(text);
    if (!json) throw unexpected(status);
    if (!response.ok) {
      if (typeof json.error !== 'string' || json.error === '') throw unexpected(status);
      const description = typeof json.error_description === 'string' && json.error_description !== '' ? ` (${redact(json.error_description, secrets)})` : '';
      throw new CognitoCallError(ErrorNames.oauthError, `The token endpoint refused the code: ${redact(json.error, secrets)}${description}`);
    }
    const { access_token: accessToken, id_token: idToken, refresh_token: refreshToken } = json;
    if (typeof accessToken !== 'string' || accessToken === '' || typeof refreshToken !== 'string' || refreshToken === '') throw unexpected(status, 'no access or refresh token');
    if (typeof idToken !== 'string' || idToken === '') throw unexpected(status, "no ID token (the authorize request needs the 'openid' scope)");
    return { accessToken, idToken, refreshToken };
  } catch (error) {
    if (error instanceof CognitoCallError) throw error;
    if (deadline.signal.aborted) throw abortedCallError(OPERATION, deadline.signal);
    throw new CognitoCallError(ErrorNames.unexpectedResponse, `${OPERATION} failed: ${redact(causeText(error), secrets)}`);
  } finally {
    deadline.done();
  }
}

export type RedirectResult =
  | { readonly kind: 'code'; readonly code: string; readonly state: string }
  | { readonly kind: 'error'; readonly error: string; readonly description?: string; readonly state?: string }
  | { readonly kind: 'none' };

/** `url` is at `expected`: scheme, host, port and path compared, the query and fragment ignored. */
export function isAt(url: string, expected: string): boolean {
  try {
    const at = new URL(url);
    const want = new URL(expected);
    // Not `origin`: it is 'null' for every custom scheme (myapp://callback), whatever the host.
    return `${at.protocol}//${at.host}${at.pathname}` === `${want.protocol}//${want.host}${want.pathname}`;
  } catch {
    return false;
  }
}

/**
 * What the redirect back from `/oauth2/authorize` carries. 'none' when `url` is not at
 * `redirectUri` (scheme, host, port and path compared; the query ignored) or carries neither
 * `code` nor `error`. An `error` wins over a `code`. A code without `state` has state '': the
 * caller must compare `state` with the one it sent before exchanging the code.
 */
export function parseRedirect(url: string, redirectUri: string): RedirectResult {
  if (!isAt(url, redirectUri)) return { kind: 'none' };
  const params = new URL(url).searchParams;
  const state = params.get('state');
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    return { kind: 'error', error, ...(description !== null && { description }), ...(state !== null && { state }) };
  }
  const code = params.get('code');
  if (code !== null && code !== '') return { kind: 'code', code, state: state ?? '' };
  return { kind: 'none' };
}


/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 wants for Basic credentials. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/** The message of a failed fetch and of its cause (undici puts the socket error there). */
function causeText(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; typeof current === 'object' && current !== null && depth < 3; depth++) {
    const { message, code, cause } = current as { message?: unknown; code?: unknown; cause?: unknown };
    if (typeof code === 'string') parts.push(code);
    else if (typeof message === 'string') parts.push(message);
    current = cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}
