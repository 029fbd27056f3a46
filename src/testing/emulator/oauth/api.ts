// The endpoints an app calls directly: /oauth2/token, /oauth2/revoke, /oauth2/userInfo and the
// OpenID discovery documents.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context.js';
import { CognitoError } from '../protocol.js';
import { refreshTokens, usableRefreshToken, type RefreshGrant } from '../operations/refresh.js';
import type { AppClient } from '../state.js';
import type { OAuthStore } from './store.js';
import * as web from './web.js';

const TOKEN_PATTERN = /^[A-Za-z0-9\-_=.]+$/;

type ClientAuth = { client: AppClient } | { status: 400 | 401; error: string; description: string; basic: boolean };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** client_secret_basic (Authorization: Basic) or client_id (+ client_secret_post) in the form. */
function authenticateClient(ctx: EmulatorContext, req: IncomingMessage, form: URLSearchParams): ClientAuth {
  const header = req.headers.authorization ?? '';
  if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = safeDecode(colon < 0 ? decoded : decoded.slice(0, colon));
    const secret = colon < 0 ? '' : safeDecode(decoded.slice(colon + 1));
    const client = ctx.store.clients.get(id);
    const formId = form.get('client_id');
    const ok = client !== undefined && (formId === null || formId === id) && same(secret, client.clientSecret ?? '');
    if (!ok || !client) return { status: 401, error: 'invalid_client', description: 'Client authentication failed', basic: true };
    return { client };
  }
  const id = form.get('client_id');
  if (!id) return { status: 400, error: 'invalid_request', description: 'client_id is required', basic: false };
  const client = ctx.store.clients.get(id);
  if (!client) return { status: 400, error: 'invalid_client', description: 'Unknown client', basic: false };
  if (client.clientSecret !== undefined && !same(form.get('client_secret') ?? '', client.clientSecret)) {
    return { status: 400, error: 'invalid_client', description: 'Client secret missing or wrong', basic: false };
  }
  return { client };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function sendAuthFailure(res: ServerResponse, auth: Exclude<ClientAuth, { client: AppClient }>): void {
  web.sendOAuthError(res, auth.status, auth.error, auth.description, auth.basic ? { 'www-authenticate': 'Basic realm="cognito-emulator"' } : undefined);
}

const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export class ApiEndpoints {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly store: OAuthStore,
    private readonly endpoint: () => string,
  ) {}

  /** POST /oauth2/token */
  token(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (!web.isFormRequest(req)) return web.sendOAuthError(res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    const form = web.parseForm(body);
    const auth = authenticateClient(this.ctx, req, form);
    if (!('client' in auth)) return sendAuthFailure(res, auth);
    const { client } = auth;
    const grant = form.get('grant_type');
    if (!grant) return web.sendOAuthError(res, 400, 'invalid_request', 'grant_type is required');
    if (grant !== 'authorization_code' && grant !== 'refresh_token' && grant !== 'client_credentials') {
      return web.sendOAuthError(res, 400, 'unsupported_grant_type');
    }
    if (!client.oauth.enabled || grant === 'client_credentials' || (grant === 'authorization_code' && !client.oauth.flows.includes('code'))) {
      return web.sendOAuthError(res, 400, 'unauthorized_client', `The ${grant} grant is not allowed for this app client`);
    }
    if (grant === 'authorization_code') this.codeGrant(res, client, form);
    else this.refreshGrant(res, client, form);
  }

  private codeGrant(res: ServerResponse, client: AppClient, form: URLSearchParams): void {
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code) return web.sendOAuthError(res, 400, 'invalid_request', 'code is required');
    if (!redirectUri) return web.sendOAuthError(res, 400, 'invalid_request', 'redirect_uri is required');
    const record = this.store.codes.get(code);
    if (!record || record.request.clientId !== client.clientId) return web.sendOAuthError(res, 400, 'invalid_grant');
    if (record.used) {
      // A replayed code: refused, and what it was exchanged for is revoked (RFC 6749 §4.1.2).
      if (record.issued) this.ctx.tokens.revokeFamily(record.issued);
      return web.sendOAuthError(res, 400, 'invalid_grant');
    }
    record.used = true; // any presentation uses it up, right or wrong
    if (record.expiresAt <= this.ctx.now()) return web.sendOAuthError(res, 400, 'invalid_grant');
    if (redirectUri !== record.request.redirectUri) return web.sendOAuthError(res, 400, 'invalid_grant');
    const verifier = form.get('code_verifier');
    const challenge = record.request.codeChallenge;
    if (challenge === undefined) {
      // Issued without PKCE: a verifier now is a downgrade attempt (RFC 9700 §2.1.1); Cognito does not document this case.
      if (verifier !== null) return web.sendOAuthError(res, 400, 'invalid_grant');
    } else {
      if (!verifier) return web.sendOAuthError(res, 400, 'invalid_request', 'code_verifier is required');
      if (s256(verifier) !== challenge) return web.sendOAuthError(res, 400, 'invalid_grant');
    }
    const user = this.ctx.store.findUser(record.request.poolId, record.sub);
    if (!user?.enabled) return web.sendOAuthError(res, 400, 'invalid_grant');
    const tokens = this.ctx.tokens.signIn(this.ctx.store.pool(user.poolId), client, user, {
      scopes: record.request.scopes,
      authTime: record.authTime,
      ...(record.request.nonce === undefined ? {} : { nonce: record.request.nonce }),
    });
    record.issued = this.ctx.tokens.findRefresh(tokens.RefreshToken);
    web.sendOAuthJson(res, 200, {
      access_token: tokens.AccessToken,
      ...(record.request.scopes.includes('openid') ? { id_token: tokens.IdToken } : {}),
      refresh_token: tokens.RefreshToken,
      token_type: 'Bearer',
      expires_in: tokens.ExpiresIn,
    });
  }

  /** The refresh_token grant: the JSON API's refresh rules; a rotating client also gets a new refresh_token. */
  private refreshGrant(res: ServerResponse, client: AppClient, form: URLSearchParams): void {
    const token = form.get('refresh_token');
    if (!token) return web.sendOAuthError(res, 400, 'invalid_request', 'refresh_token is required');
    let grant: RefreshGrant;
    try {
      grant = usableRefreshToken(this.ctx, client, token);
    } catch {
      return web.sendOAuthError(res, 400, 'invalid_grant'); // unknown, other client's, revoked, retired, expired, disabled user
    }
    const tokens = refreshTokens(this.ctx, client, grant);
    web.sendOAuthJson(res, 200, {
      access_token: tokens.AccessToken,
      ...(grant.record.scopes.includes('openid') ? { id_token: tokens.IdToken } : {}),
      ...(tokens.RefreshToken === undefined ? {} : { refresh_token: tokens.RefreshToken }),
      token_type: 'Bearer',
      expires_in: tokens.ExpiresIn,
    });
  }

  /** POST /oauth2/revoke: the same revocation state as the JSON API's RevokeToken. */
  revoke(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (!web.isFormRequest(req)) return web.sendOAuthError(res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    const form = web.parseForm(body);
    const token = form.get('token');
    if (!token) return web.sendOAuthError(res, 400, 'invalid_request', 'token is required');
    const auth = authenticateClient(this.ctx, req, form);
    if (!('client' in auth)) {
      const status = auth.error === 'invalid_request' ? 400 : 401;
      return web.sendOAuthError(res, status, auth.error, auth.description, status === 401 ? { 'www-authenticate': 'Basic realm="cognito-emulator"' } : undefined);
    }
    const { client } = auth;
    if (!client.enableTokenRevocation) return web.sendOAuthError(res, 400, 'invalid_request', 'Token revocation is not enabled for this app client');
    if (!TOKEN_PATTERN.test(token) || token.split('.').length === 3) return web.sendOAuthError(res, 400, 'unsupported_token_type');
    const record = this.ctx.tokens.findRefresh(token);
    if (record && record.clientId !== client.clientId) return web.sendOAuthError(res, 400, 'invalid_request', 'The token was not issued to this app client');
    if (record) this.ctx.tokens.revokeFamily(record);
    web.send200Empty(res);
  }

  /** GET or POST /oauth2/userInfo */
  userInfo(req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      return web.sendOAuthError(res, 400, 'invalid_request', 'Access token is missing', { 'www-authenticate': 'Bearer error="invalid_request", error_description="Access token is missing"' });
    }
    const invalid = (description: string): void =>
      web.sendOAuthError(res, 401, 'invalid_token', description, { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` });
    let grant;
    try {
      grant = this.ctx.tokens.checkAccessToken(match[1]);
    } catch (error) {
      return invalid(error instanceof CognitoError ? error.message : 'Invalid Access Token');
    }
    if (!grant.scopes.includes('openid')) return invalid('Access token does not have the openid scope');
    const user = this.ctx.store.findUser(grant.poolId, grant.sub);
    if (!user) return invalid('User does not exist.');
    web.sendOAuthJson(res, 200, { ...userInfoClaims(user.attributes, grant.scopes), sub: user.sub, username: user.username });
  }

  /** GET /<poolId>/.well-known/openid-configuration */
  discovery(res: ServerResponse, poolId: string): void {
    const base = this.endpoint();
    const issuer = this.ctx.tokens.issuerOf(poolId);
    // Exactly the fields Cognito publishes for a pool with a domain, in its (alphabetical) order and
    // with its values; docs/emulator.md says where the emulator's behaviour differs from them.
    web.sendOAuthJson(res, 200, {
      authorization_endpoint: `${base}/oauth2/authorize`,
      end_session_endpoint: `${base}/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      // Cognito's is `<issuer>/.well-known/jwks.json`; here the keys are always the emulator's own.
      jwks_uri: `${base}/${poolId}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${base}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${base}/oauth2/userInfo`,
    });
  }
}

const EMAIL = new Set(['email', 'email_verified']);
const PHONE = new Set(['phone_number', 'phone_number_verified']);

/** The attributes the scopes allow: `openid` alone → all; otherwise email / phone / profile groups. */
function userInfoClaims(attributes: ReadonlyMap<string, string>, scopes: readonly string[]): Record<string, string> {
  const narrowed = scopes.some((s) => s === 'email' || s === 'phone' || s === 'profile');
  const out: Record<string, string> = {};
  for (const [name, value] of attributes) {
    const group = EMAIL.has(name) ? 'email' : PHONE.has(name) ? 'phone' : 'profile';
    if (!narrowed || scopes.includes(group)) out[name] = value;
  }
  return out;
}
