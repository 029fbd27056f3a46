// Token minting and the server-side registry that makes revocation work.
// Records are keyed by a SHA-256 of the token, so token values are never kept or logged.
import { createHash } from 'node:crypto';
import * as ids from './ids.js';
import { JwtSigner } from './jwt.js';
import { CognitoError, type Json, type JsonObject } from './protocol.js';
import { ADMIN_SCOPE, type AppClient, type User, type UserPool } from './state.js';

const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

interface Grant {
  readonly poolId: string;
  readonly clientId: string;
  readonly sub: string;
  /** Shared by a refresh token and every access/ID token minted from it; absent without revocation. */
  readonly originJti: string | undefined;
  /** Granted scopes: the admin scope for the JSON API, what was asked and allowed for the hosted UI. */
  readonly scopes: readonly string[];
  revoked: boolean;
}
export interface RefreshRecord extends Grant {
  readonly authTime: number;
  readonly expiresAt: number;
  /** OIDC nonce from /oauth2/authorize, echoed in ID tokens. */
  readonly nonce?: string;
  /** Issued by the OAuth endpoints (the ID token then carries at_hash). */
  readonly hostedUi?: boolean;
  /** Rotation: when this token stops working, set by its first rotation (then + the grace period). */
  retiresAt?: number;
  /** The device the sign-in was bound to (devices.ts): a refresh must name it in DEVICE_KEY. */
  readonly deviceKey?: string;
}

/** What a refresh returns: a new refresh token only when the client rotates them. */
export type RefreshedTokens = AuthenticationResult & { RefreshToken?: string };

/** How a sign-in was made, for tokens minted by the OAuth endpoints. */
export interface SignInOptions {
  scopes?: readonly string[];
  /** Epoch seconds of the authentication (the hosted-UI session's sign-in). */
  authTime?: number;
  nonce?: string;
  /** The tracked device (the access token's device_key claim). */
  deviceKey?: string;
}

/** What checkAccessToken proves about an access token. */
export interface AccessGrant {
  poolId: string;
  clientId: string;
  sub: string;
  scopes: readonly string[];
}
interface AccessRecord extends Grant {
  readonly exp: number;
}

export interface AuthenticationResult extends JsonObject {
  AccessToken: string;
  IdToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

/** Cognito's issuer for a pool: `https://cognito-idp.<region>.amazonaws.com/<poolId>`, the region being the id's prefix. */
export function cognitoIssuer(poolId: string): string {
  const region = poolId.slice(0, Math.max(0, poolId.indexOf('_')));
  return `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
}

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export class TokenService {
  readonly signer = new JwtSigner();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();

  constructor(
    private readonly issuer: (poolId: string) => string,
    private readonly now: () => number,
    private readonly defaultTtlSeconds: number,
  ) {}

  /** Tokens for a fresh authentication: a new refresh token and a new origin_jti. */
  signIn(pool: UserPool, client: AppClient, user: User, options?: SignInOptions): AuthenticationResult & { RefreshToken: string } {
    const refreshToken = ids.refreshToken();
    const record: RefreshRecord = {
      poolId: pool.id,
      clientId: client.clientId,
      sub: user.sub,
      // Rotation needs the family id too (Cognito adds origin_jti/jti claims when it is on).
      originJti: client.enableTokenRevocation || client.rotation.enabled ? ids.uuid() : undefined,
      scopes: options?.scopes ? [...options.scopes] : [ADMIN_SCOPE],
      revoked: false,
      authTime: options?.authTime ?? Math.floor(this.now() / 1000),
      expiresAt: this.now() + REFRESH_TTL_MS,
      ...(options?.nonce === undefined ? {} : { nonce: options.nonce }),
      ...(options?.scopes ? { hostedUi: true } : {}),
      ...(options?.deviceKey === undefined ? {} : { deviceKey: options.deviceKey }),
    };
    this.refreshTokens.set(digest(refreshToken), record);
    return { ...this.mint(pool, client, user, record), RefreshToken: refreshToken };
  }

  /** The issuer (`iss`) of the pool's tokens: '<endpoint>/<poolId>', or Cognito's with `issuer: 'aws'`. */
  issuerOf(poolId: string): string {
    return this.issuer(poolId);
  }

  /** New access and ID tokens from a refresh token record (no rotation). */
  refresh(pool: UserPool, client: AppClient, user: User, record: RefreshRecord): AuthenticationResult {
    return this.mint(pool, client, user, record);
  }

  /**
   * Rotation: new access, ID and refresh tokens of the same family (origin_jti, auth_time, scopes,
   * and the expiry of the token presented). The token presented retires `graceSeconds` after its
   * first rotation; a retry within the grace period gets another new refresh token.
   */
  rotate(pool: UserPool, client: AppClient, user: User, record: RefreshRecord, graceSeconds: number): AuthenticationResult & { RefreshToken: string } {
    record.retiresAt ??= this.now() + graceSeconds * 1000;
    const refreshToken = ids.refreshToken();
    const next: RefreshRecord = { ...record, revoked: false, retiresAt: undefined };
    this.refreshTokens.set(digest(refreshToken), next);
    return { ...this.mint(pool, client, user, next), RefreshToken: refreshToken };
  }

  findRefresh(token: string): RefreshRecord | undefined {
    return this.refreshTokens.get(digest(token));
  }

  /** Whether a refresh or access token issued here has been revoked; undefined for any other string. */
  isRevoked(token: string): boolean | undefined {
    const key = digest(token);
    return (this.refreshTokens.get(key) ?? this.accessTokens.get(key))?.revoked;
  }

  /** Revokes a refresh token and every refresh and access token sharing its origin_jti (rotation's family). */
  revokeFamily(record: RefreshRecord): void {
    record.revoked = true;
    if (record.originJti === undefined) return;
    for (const grants of [this.refreshTokens.values(), this.accessTokens.values()]) {
      for (const g of grants) if (g.originJti === record.originJti) g.revoked = true;
    }
  }

  /** GlobalSignOut: every token of the user in the pool, whatever the client. */
  revokeUser(poolId: string, sub: string): void {
    for (const grants of [this.refreshTokens.values(), this.accessTokens.values()]) {
      for (const g of grants) if (g.poolId === poolId && g.sub === sub) g.revoked = true;
    }
  }

  /** Validates an access token as Cognito's user APIs do, or throws NotAuthorizedException. */
  checkAccessToken(token: string): AccessGrant {
    const claims = this.signer.verify(token);
    const record = this.accessTokens.get(digest(token));
    if (!claims || claims.token_use !== 'access' || !record) {
      throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    }
    if (record.exp * 1000 <= this.now()) throw new CognitoError('NotAuthorizedException', 'Access Token has expired');
    if (record.revoked) throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
    return { poolId: record.poolId, clientId: record.clientId, sub: record.sub, scopes: record.scopes };
  }

  /** checkAccessToken, plus the scope Cognito's user APIs (GetUser, GlobalSignOut) require. */
  checkAdminAccessToken(token: string): AccessGrant {
    const grant = this.checkAccessToken(token);
    if (!grant.scopes.includes(ADMIN_SCOPE)) {
      throw new CognitoError('NotAuthorizedException', 'Access Token does not have required scopes');
    }
    return grant;
  }

  private mint(pool: UserPool, client: AppClient, user: User, grant: RefreshRecord): AuthenticationResult {
    const ttl = client.accessTokenTtlSeconds ?? this.defaultTtlSeconds;
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + ttl;
    const revocable = grant.originJti !== undefined;
    const common: JsonObject = {
      sub: user.sub,
      iss: this.issuer(pool.id),
      event_id: ids.uuid(),
      auth_time: grant.authTime,
      iat,
      exp,
      ...(revocable ? { origin_jti: grant.originJti ?? '' } : {}),
    };
    const access = this.signer.sign({
      ...common,
      client_id: client.clientId,
      token_use: 'access',
      scope: grant.scopes.join(' '),
      username: user.username,
      ...(grant.deviceKey === undefined ? {} : { device_key: grant.deviceKey }),
      ...(revocable ? { jti: ids.uuid() } : {}),
    });
    const atHash = createHash('sha256').update(access).digest().subarray(0, 16).toString('base64url');
    const id = this.signer.sign({
      ...idTokenAttributes(user),
      ...common,
      aud: client.clientId,
      'cognito:username': user.username,
      token_use: 'id',
      ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      ...(grant.hostedUi ? { at_hash: atHash } : {}),
      ...(revocable ? { jti: ids.uuid() } : {}),
    });
    const record: AccessRecord = { ...grantFields(grant), exp, revoked: false };
    this.accessTokens.set(digest(access), record);
    return { AccessToken: access, IdToken: id, ExpiresIn: ttl, TokenType: 'Bearer' };
  }
}

function grantFields(g: Grant): Grant {
  return { poolId: g.poolId, clientId: g.clientId, sub: g.sub, originJti: g.originJti, scopes: g.scopes, revoked: false };
}

function idTokenAttributes(user: User): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of user.attributes) {
    if (name === 'identities') {
      out[name] = parseIdentities(value); // stored as a JSON string, an array in the ID token
      continue;
    }
    out[name] = name.endsWith('_verified') && (value === 'true' || value === 'false') ? value === 'true' : value;
  }
  return out;
}

function parseIdentities(value: string): Json {
  try {
    return JSON.parse(value) as Json;
  } catch {
    return value;
  }
}
