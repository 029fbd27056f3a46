// In-memory user pools, app clients and users.
import { createHash } from 'node:crypto';
import * as ids from './ids.js';
import { CognitoError } from './protocol.js';
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from './poolSettings.js';
import { srpVerifier, type SrpVerifier } from './srp.js';
import { newUserMfa, type MfaFactor, type UserMfa } from './userMfa.js';
import type { UserWebAuthn } from './webauthn.js';

export type UserStatus = 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'UNCONFIRMED' | 'EXTERNAL_PROVIDER' | 'RESET_REQUIRED';

export interface User {
  readonly poolId: string;
  readonly username: string;
  readonly sub: string;
  passwordHash: string;
  /** SRP salt and verifier v = g^x mod N, recomputed whenever the password is set. */
  srp: SrpVerifier;
  /** The factors enabled and preferred, and the TOTP secrets (userMfa.ts). */
  readonly mfa: UserMfa;
  /** The code of the last SMS_MFA message "sent" (kept in memory only, never logged). */
  lastSmsCode: string | undefined;
  status: UserStatus;
  enabled: boolean;
  readonly attributes: Map<string, string>;
  /** UpdateUserAttributes under AttributesRequireVerificationBeforeUpdate: new email / phone_number values waiting for VerifyUserAttribute (operations/attributes.ts). */
  pendingAttributes?: Map<string, string>;
  /** Devices Cognito gave this user's sign-ins (NewDeviceMetadata), by DeviceKey (devices.ts). */
  devices?: Map<string, Device>;
  /** Passkeys and a pending registration (webauthn.ts, operations/webauthn.ts); absent until the first StartWebAuthnRegistration. */
  webAuthn?: UserWebAuthn;
  readonly createdAt: number;
  updatedAt: number;
}

/** A tracked device: issued at a sign-in, confirmed (with its SRP verifier) by ConfirmDevice. */
export interface Device {
  readonly key: string;
  readonly groupKey: string;
  /** ConfirmDevice's DeviceSecretVerifierConfig, as integers; undefined until confirmed. */
  verifier: SrpVerifier | undefined;
  name: string | undefined;
  remembered: boolean;
  readonly createdAt: number;
  modifiedAt: number;
  lastAuthenticatedAt: number;
}

export interface AppClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly userPoolId: string;
  readonly clientSecret: string | undefined;
  readonly enableTokenRevocation: boolean;
  readonly explicitAuthFlows: string[];
  readonly accessTokenTtlSeconds: number | undefined;
  readonly preventUserExistenceErrors: boolean;
  /** AuthSessionValidity, in minutes (3-15): how long a challenge's (or ConfirmSignUp's) Session lasts. Default 3. */
  readonly authSessionValidityMinutes: number;
  /** OAuth 2.0 (hosted UI) settings; see OAuthClientSettings. */
  readonly oauth: OAuthClientSettings;
  /** RefreshTokenRotation; see RotationSettings. */
  readonly rotation: RotationSettings;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** An app client's RefreshTokenRotation, as CreateUserPoolClient takes it. */
export interface RotationSettings {
  /** Feature 'ENABLED': every refresh issues a new refresh token and retires the one presented. */
  readonly enabled: boolean;
  /** RetryGracePeriodSeconds (0-60): how long a retired refresh token still works, for retries. */
  readonly graceSeconds: number;
}

/** An app client's hosted-UI configuration, as CreateUserPoolClient takes it. */
export interface OAuthClientSettings {
  /** CallbackURLs: the only redirect_uri values /oauth2/authorize and /logout accept (exact match). */
  readonly callbackUrls: string[];
  /** LogoutURLs: the only logout_uri values /logout accepts (exact match). */
  readonly logoutUrls: string[];
  /** AllowedOAuthScopes. */
  readonly scopes: string[];
  /** AllowedOAuthFlows: 'code' is the one the emulator implements. */
  readonly flows: string[];
  /** AllowedOAuthFlowsUserPoolClient: the OAuth endpoints refuse the client when false. */
  readonly enabled: boolean;
  /** SupportedIdentityProviders: 'COGNITO' (the login form) and/or 'Google' (the stand-in). */
  readonly identityProviders: string[];
}

/** Every scope Cognito knows without resource servers. */
export const ALL_OAUTH_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/** What CreateUserPoolClient / UpdateUserPoolClient set: everything but the ids, the secret and the dates. */
export type ClientSettings = Omit<AppClient, 'clientId' | 'clientSecret' | 'createdAt' | 'updatedAt'>;

export interface UserPool {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
  readonly users: Map<string, User>;
  /** CreateUserPool / UpdateUserPool / SetUserPoolMfaConfig (poolSettings.ts). */
  settings: PoolSettings;
  updatedAt: number;
}

export const DEFAULT_AUTH_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

export function hashPassword(password: string): string {
  return createHash('sha256').update(`authchart-emulator:${password}`).digest('hex');
}

export class Store {
  readonly pools = new Map<string, UserPool>();
  readonly clients = new Map<string, AppClient>();

  constructor(
    readonly region: string,
    private readonly now: () => number,
  ) {}

  createPool(name: string, settings: PoolSettings = DEFAULT_POOL_SETTINGS): UserPool {
    const id = ids.userPoolId(this.region);
    const arn = `arn:aws:cognito-idp:${this.region}:000000000000:userpool/${id}`;
    const pool: UserPool = { id, name, arn, createdAt: this.now(), users: new Map(), settings, updatedAt: this.now() };
    this.pools.set(id, pool);
    return pool;
  }

  pool(id: string): UserPool {
    const pool = this.pools.get(id);
    if (!pool) throw new CognitoError('ResourceNotFoundException', `User pool ${id} does not exist.`);
    return pool;
  }

  createClient(init: ClientSettings & { generateSecret: boolean }): AppClient {
    this.pool(init.userPoolId);
    const { generateSecret, ...rest } = init;
    const now = this.now();
    const client: AppClient = {
      ...rest,
      clientId: ids.clientId(),
      clientSecret: generateSecret ? ids.clientSecret() : undefined,
      createdAt: now,
      updatedAt: now,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  /** UpdateUserPoolClient: new settings for an existing client; its id, secret and pool stay. */
  updateClient(clientId: string, settings: Omit<ClientSettings, 'userPoolId'>): AppClient {
    const old = this.client(clientId);
    const client: AppClient = { ...settings, userPoolId: old.userPoolId, clientId, clientSecret: old.clientSecret, createdAt: old.createdAt, updatedAt: this.now() };
    this.clients.set(clientId, client);
    return client;
  }

  client(id: string): AppClient {
    const client = this.clients.get(id);
    if (!client) throw new CognitoError('ResourceNotFoundException', `User pool client ${id} does not exist.`);
    return client;
  }

  createUser(poolId: string, username: string, password: string, status: UserStatus, attributes: Record<string, string>, mfa?: MfaFactor): User {
    const pool = this.pool(poolId);
    if (pool.users.has(username)) throw new CognitoError('UsernameExistsException', 'User account already exists');
    const sub = ids.uuid();
    const user: User = {
      poolId: pool.id,
      username,
      sub,
      passwordHash: hashPassword(password),
      srp: srpVerifier(pool.id, username, password),
      mfa: newUserMfa(mfa),
      lastSmsCode: undefined,
      status,
      enabled: true,
      attributes: new Map([['sub', sub], ...Object.entries(attributes).filter(([k]) => k !== 'sub')]),
      createdAt: this.now(),
      updatedAt: this.now(),
    };
    pool.users.set(username, user);
    return user;
  }

  /** The user, or undefined. Looks up by username, then by sub. */
  findUser(poolId: string, username: string): User | undefined {
    const pool = this.pool(poolId);
    const direct = pool.users.get(username);
    if (direct) return direct;
    for (const user of pool.users.values()) if (user.sub === username) return user;
    return undefined;
  }

  user(poolId: string, username: string): User {
    const user = this.findUser(poolId, username);
    if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  setPassword(user: User, password: string, permanent: boolean): void {
    user.passwordHash = hashPassword(password);
    user.srp = srpVerifier(user.poolId, user.username, password);
    user.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    user.updatedAt = this.now();
  }
}
