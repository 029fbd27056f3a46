// Token minting and the server-side registry that makes revocation work.
// Records are keyed by a SHA-256 of the token, so token values are never kept or logged.
import { createHash } from 'node:crypto';
import * as ids from './ids.js';
import { JwtSigner } from './jwt.js';
import { CognitoError, type JsonObject } from './protocol.js';
import type { AppClient, User, UserPool } from './state.js';

const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

interface Grant {
  readonly poolId: string;
  readonly clientId: string;
  readonly sub: string;
  /** Shared by a refresh token and every access/ID token minted from it; absent without revocation. */
  readonly originJti: string | undefined;
  revoked: boolean;
}
export interface RefreshRecord extends Grant {
  readonly authTime: number;
  readonly expiresAt: number;
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
  signIn(pool: UserPool, client: AppClient, user: User): AuthenticationResult & { RefreshToken: string } {
    const refreshToken = ids.refreshToken();
    const record: RefreshRecord = {
      poolId: pool.id,
      clientId: client.clientId,
      sub: user.sub,
      originJti: client.enableTokenRevocation ? ids.uuid() : undefined,
      revoked: false,
      authTime: Math.floor(this.now() / 1000),
      expiresAt: this.now() + REFRESH_TTL_MS,
    };
    this.refreshTokens.set(digest(refreshToken), record);
    return { ...this.mint(pool, client, user, record), RefreshToken: refreshToken };
  }

  /** New access and ID tokens from a refresh token record (no rotation). */
  refresh(pool: UserPool, client: AppClient, user: User, record: RefreshRecord): AuthenticationResult {
    return this.mint(pool, client, user, record);
  }

  findRefresh(token: string): RefreshRecord | undefined {
    return this.refreshTokens.get(digest(token));
  }

  /** Whether a refresh or access token issued here has been revoked; undefined for any other string. */
  isRevoked(token: string): boolean | undefined {
    const key = digest(token);
    return (this.refreshTokens.get(key) ?? this.accessTokens.get(key))?.revoked;
  }

  /** Revokes a refresh token and every access token sharing its origin_jti. */
  revokeFamily(record: RefreshRecord): void {
    record.revoked = true;
    if (record.originJti === undefined) return;
    for (const access of this.accessTokens.values()) if (access.originJti === record.originJti) access.revoked = true;
  }

  /** GlobalSignOut: every token of the user in the pool, whatever the client. */
  revokeUser(poolId: string, sub: string): void {
    for (const grants of [this.refreshTokens.values(), this.accessTokens.values()]) {
      for (const g of grants) if (g.poolId === poolId && g.sub === sub) g.revoked = true;
    }
  }

  /** Validates an access token as Cognito's user APIs do, or throws NotAuthorizedException. */
  checkAccessToken(token: string): { poolId: string; clientId: string; sub: string } {
    const claims = this.signer.verify(token);
    const record = this.accessTokens.get(digest(token));
    if (!claims || claims.token_use !== 'access' || !record) {
      throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    }
    if (record.exp * 1000 <= this.now()) throw new CognitoError('NotAuthorizedException', 'Access Token has expired');
    if (record.revoked) throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
    return { poolId: record.poolId, clientId: record.clientId, sub: record.sub };
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
      scope: 'aws.cognito.signin.user.admin',
      username: user.username,
      ...(revocable ? { jti: ids.uuid() } : {}),
    });
    const id = this.signer.sign({
      ...idTokenAttributes(user),
      ...common,
      aud: client.clientId,
      'cognito:username': user.username,
      token_use: 'id',
      ...(revocable ? { jti: ids.uuid() } : {}),
    });
    const record: AccessRecord = { ...grantFields(grant), exp, revoked: false };
    this.accessTokens.set(digest(access), record);
    return { AccessToken: access, IdToken: id, ExpiresIn: ttl, TokenType: 'Bearer' };
  }
}

function grantFields(g: Grant): Grant {
  return { poolId: g.poolId, clientId: g.clientId, sub: g.sub, originJti: g.originJti, revoked: false };
}

function idTokenAttributes(user: User): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of user.attributes) {
    out[name] = name.endsWith('_verified') && (value === 'true' || value === 'false') ? value === 'true' : value;
  }
  return out;
}
