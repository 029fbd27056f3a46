import type { InspectionEvent, Observer } from 'xstate';
import type { CognitoService } from '../services/cognito/types.js';
import { createMemoryStorage, isSharedByTabs, isStorageLike, type StorageLike } from '../services/storage/storage.js';
import type { FetchLike } from '../services/cognito/fetchTransport.js';
import type { WebAuthnClient } from '../services/webauthn/types.js';
import { OUTBOX_DEFAULTS } from '../services/storage/signOutOutbox.js';
import { AuthConfigError } from './errors.js';
import { resolveOAuth, webUrl, type OAuthConfig, type ResolvedOAuth } from './oauthConfig.js';

/**
 * What createAuth() takes. Only userPoolId and userPoolClientId are required. A value createAuth()
 * cannot use throws AuthConfigError, whose `field` names it; the README's configuration table lists every field.
 */
export interface AuthConfig {
  /** The user pool's region. Defaults to the region prefix of userPoolId. */
  readonly region?: string;
  /** The user pool's id, `<region>_<id>`, e.g. `eu-west-1_AbC123`. Tokens of another pool are refused. */
  readonly userPoolId: string;
  /** The app client's id. Tokens issued to another app client are refused. */
  readonly userPoolClientId: string;
  /** Only for app clients created with a secret (server-side apps). */
  readonly clientSecret?: string;
  /** Another Cognito endpoint, e.g. the local emulator's `http://127.0.0.1:PORT`. */
  readonly endpoint?: string;
  /**
   * A ready `CognitoIdentityProviderClient` from `@aws-sdk/client-cognito-identity-provider`
   * (`authchart` only; `authchart/fetch` refuses it); when given, region and endpoint are not used
   * to build one.
   */
  readonly client?: CognitoClientLike;
  /**
   * A ready transport (e.g. createFetchCognito from 'authchart/transport/fetch'); when given, no
   * SDK client is built and client/endpoint are not used. It carries its own clientSecret and
   * call timeout.
   */
  readonly transport?: CognitoService;
  /**
   * Where tokens are kept: localStorage, sessionStorage, webStorage('localStorage'), AsyncStorage,
   * anything Web-Storage-shaped. Default: memory, in browsers and in Node alike (nothing is read
   * from the environment); pass a storage to keep a session across reloads. See docs/browser-storage.md.
   */
  readonly storage?: StorageLike;
  /**
   * The network budget of one flow, in ms (default 3000): every Cognito request of one sign-in
   * step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together),
   * or of one outbox drain ends within it, retries included. A method's whole bound adds its
   * storage steps (docs/sign-out.md, Bounds per method). A whole number from 1 to 120000.
   */
  readonly networkTimeoutMs?: number;
  /** getSession() refreshes when the access token expires within this many seconds. Default 60; a whole number from 0 to 3600. */
  readonly refreshSkewSeconds?: number;
  /**
   * The bound of one storage call, in ms (default 5000): a getItem, setItem or removeItem that has
   * not settled by then fails with StorageError. A flow's storage steps are bounded by multiples of
   * it (docs/sign-out.md, Bounds per method). A whole number from 1 to 120000.
   */
  readonly storageTimeoutMs?: number;
  /**
   * Refresh tokens whose revocation failed for a retryable reason are kept (in `storage`, under
   * their own key) and revoked later: with backoff, at the next createAuth, and on
   * flushRevocations(). `false` turns this off. See docs/reliability.md for the trade-off.
   */
  readonly revocationOutbox?: false | RevocationOutboxOptions;
  /** An XState inspection observer, e.g. from @statelyai/inspect. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** The hosted UI (managed login): signInWithRedirect() and handleRedirect(). See docs/hosted-ui.md. */
  readonly oauth?: OAuthConfig;
  /**
   * Keep the tabs of one origin in agreement: a sign-out in one signs the others out, a sign-in
   * signs them in (BroadcastChannel, or `storage` events where it is missing). Default: true when
   * `storage` is the browser's `localStorage`, which the tabs share; false otherwise. See docs/tabs.md.
   */
  readonly syncTabs?: boolean;
  /**
   * The app client has refresh-token rotation on (Cognito's RefreshTokenRotation): refresh with
   * GetTokensFromRefreshToken, which such a client requires, and store the new refresh token with
   * the rest of the session. Default false (REFRESH_TOKEN_AUTH). See docs/session.md.
   */
  readonly refreshTokenRotation?: boolean;
  /**
   * A URL of the app's own API (authchart/server's createRevocationEndpoint) that each sign-out
   * tells what ended at Cognito, so the API refuses those tokens at once: POST `{ scope }` with the
   * access token as the bearer, after Cognito's calls. https (http only on 127.0.0.1, localhost
   * or [::1]). The result then says `apiNotified`. See docs/server.md.
   */
  readonly revocationEndpoint?: string;
  /**
   * Keep a sign-in's pending challenge (TOTP, SMS, new password) in `storage`, under its own key,
   * so that another instance over the same storage answers it: the BFF runs one instance per
   * request (docs/server.md). The record holds the challenge, Cognito's challenge Session (in
   * storage only, never in the chart), how the sign-in was made and its deadline; never the
   * password. It goes when the challenge ends (signed in, a new sign-in, a sign-out, its deadline,
   * a failure for good), and stays after a wrong code. Default false: the Session stays in this
   * instance's memory, so a reload loses the challenge. See docs/session.md, Challenges across instances.
   */
  readonly durableChallenges?: boolean;
  /**
   * The authenticator a passkey sign-in (USER_AUTH's WEB_AUTHN challenge) runs, in WebAuthn's JSON
   * forms: `get` answers CREDENTIAL_REQUEST_OPTIONS with an assertion. Default: the browser's
   * navigator.credentials through WebAuthn Level 3's JSON methods, loaded only when a passkey
   * ceremony begins. React Native (a passkey module's JSON calls) and tests bring their own.
   * See docs/passkeys.md.
   */
  readonly webAuthn?: WebAuthnClient;
  /**
   * How long Cognito keeps a challenge's Session, in minutes: the app client's AuthSessionValidity
   * (default 3, Cognito's default; a whole number from 3 to 15). A confirmSignIn() from the step's
   * start plus this on is refused with SignInSessionExpired (an AuthStateError), without a request.
   */
  readonly authSessionValidityMinutes?: number;
  /**
   * The library's clock, in epoch ms. Default Date.now. For tests: moving it past a challenge's
   * deadline (authSessionValidityMinutes) or a token's expiry is what a user who waits does.
   */
  readonly now?: () => number;
  /**
   * The name ConfirmDevice gives this device when the pool tracks devices (docs/devices.md): what
   * fetchDevices() lists it as. A non-empty string (Cognito keeps its first 256 characters). Default: the browser's
   * user agent, or the platform (e.g. 'Node.js v20.11.0 (linux)'); never empty.
   */
  readonly deviceName?: string;
}

/** The sign-out outbox's settings: AuthConfig's `revocationOutbox`, when not `false`. */
export interface RevocationOutboxOptions {
  /** First retry delay, in ms, doubling per attempt up to 5 minutes. Default 1000. A positive whole number. */
  readonly retryBaseMs?: number;
}

/**
 * An AWS SDK v3 `CognitoIdentityProviderClient`, by its shape: this module's types name no SDK
 * type, so an app on `authchart/fetch` type-checks without the SDK installed.
 */
export interface CognitoClientLike {
  /** The SDK client's `send(command, options)`. */
  send(command: never, options?: never): Promise<unknown>;
}

export interface ResolvedConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly endpoint?: string;
  readonly client?: CognitoClientLike;
  readonly transport?: CognitoService;
  readonly storage: StorageLike;
  readonly networkTimeoutMs: number;
  readonly refreshSkewSeconds: number;
  readonly storageTimeoutMs: number;
  readonly revocationOutbox: false | Required<RevocationOutboxOptions>;
  readonly inspect?: AuthConfig['inspect'];
  readonly oauth?: ResolvedOAuth;
  readonly syncTabs: boolean;
  readonly refreshTokenRotation: boolean;
  /** authchart/fetch's `fetch`: the hosted UI's token endpoint uses it too. Default: globalThis.fetch. */
  readonly fetch?: FetchLike;
  readonly revocationEndpoint?: string;
  readonly durableChallenges: boolean;
  readonly deviceName?: string;
  /** AuthConfig's webAuthn, as given (checked where a ceremony first needs it). */
  readonly webAuthn?: WebAuthnClient;
  readonly authSessionValidityMinutes: number;
  readonly now: () => number;
}

/** `networkTimeoutMs`'s default, in ms: 3000. */
export const DEFAULT_NETWORK_TIMEOUT_MS = 3000;
/** `refreshSkewSeconds`'s default, in seconds: 60. */
export const DEFAULT_REFRESH_SKEW_SECONDS = 60;
export const DEFAULT_STORAGE_TIMEOUT_MS = 5000;
/** `authSessionValidityMinutes`'s default: 3, Cognito's AuthSessionValidity default. */
export const DEFAULT_AUTH_SESSION_VALIDITY_MINUTES = 3;
const MAX_NETWORK_TIMEOUT_MS = 120_000;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;

/** Checks a createAuth() config, throwing AuthConfigError naming the first bad field. */
export function resolveConfig(config: unknown): ResolvedConfig {
  if (typeof config !== 'object' || config === null) throw new AuthConfigError('config', 'must be an object');
  const c = config as Record<string, unknown>;
  const userPoolId = c.userPoolId;
  if (typeof userPoolId !== 'string' || !USER_POOL_ID.test(userPoolId)) {
    throw new AuthConfigError('userPoolId', `must look like 'us-east-1_AbC123', got ${describe(userPoolId)}`);
  }
  const clientId = c.userPoolClientId;
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
    throw new AuthConfigError('userPoolClientId', `must be an app client id (letters, digits, '_' or '+'), got ${describe(clientId)}`);
  }
  const region = c.region ?? userPoolId.split('_')[0];
  if (typeof region !== 'string' || !REGION.test(region)) {
    throw new AuthConfigError('region', `must be an AWS region such as 'eu-west-1', got ${describe(region)}`);
  }
  if (c.clientSecret !== undefined && (typeof c.clientSecret !== 'string' || c.clientSecret.length === 0)) {
    throw new AuthConfigError('clientSecret', 'must be a non-empty string when given'); // never echo a secret
  }
  if (c.endpoint !== undefined && !isHttpUrl(c.endpoint)) {
    throw new AuthConfigError('endpoint', `must be an http(s) URL, got ${describe(c.endpoint)}`);
  }
  if (c.client !== undefined && typeof (c.client as { send?: unknown } | null)?.send !== 'function') {
    throw new AuthConfigError('client', 'must be a CognitoIdentityProviderClient');
  }
  const transportMethods = ['revokeToken', 'globalSignOut', 'initiateAuth', 'respondToAuthChallenge', 'refreshTokens'];
  if (c.transport !== undefined && !transportMethods.every((m) => typeof (c.transport as Record<string, unknown> | null)?.[m] === 'function')) {
    throw new AuthConfigError('transport', `must be a CognitoService (${transportMethods.join(', ')})`);
  }
  if (c.storage !== undefined && !isStorageLike(c.storage)) {
    // null: `storage: window.localStorage` where the browser has Web Storage disabled.
    throw new AuthConfigError('storage', c.storage === null ? 'is null: Web Storage is disabled. Leave storage out to keep the session in memory' : 'must have getItem, setItem and removeItem methods');
  }
  const timeout = wholeNumber('networkTimeoutMs', c.networkTimeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS, 1, MAX_NETWORK_TIMEOUT_MS, 'milliseconds');
  const skew = wholeNumber('refreshSkewSeconds', c.refreshSkewSeconds ?? DEFAULT_REFRESH_SKEW_SECONDS, 0, 3600, 'seconds');
  const storageTimeout = wholeNumber('storageTimeoutMs', c.storageTimeoutMs ?? DEFAULT_STORAGE_TIMEOUT_MS, 1, MAX_NETWORK_TIMEOUT_MS, 'milliseconds');
  const revocationOutbox = resolveOutbox(c.revocationOutbox);
  const inspect = c.inspect;
  if (inspect !== undefined && typeof inspect !== 'function' && typeof (inspect as { next?: unknown } | null)?.next !== 'function') {
    throw new AuthConfigError('inspect', 'must be a function or an object with next()');
  }
  const now = (c.now ?? (() => Date.now())) as () => number; // Date.now read at each call: fake timers and spies move it too
  if (typeof now != 'function') throw new AuthConfigError('now', 'must be a function');
  const oauth = resolveOAuth(c.oauth);
  const revocationEndpoint = c.revocationEndpoint === undefined ? undefined : webUrl(c.revocationEndpoint, 'revocationEndpoint');
  for (const field of ['syncTabs', 'refreshTokenRotation', 'durableChallenges']) if (c[field] !== undefined && typeof c[field] !== 'boolean') throw new AuthConfigError(field, 'must be a boolean');
  if (c.deviceName !== undefined && (typeof c.deviceName !== 'string' || !c.deviceName.trim())) {
    throw new AuthConfigError('deviceName', 'must be a non-empty string when given');
  }
  const authSessionValidityMinutes = wholeNumber('authSessionValidityMinutes', c.authSessionValidityMinutes ?? DEFAULT_AUTH_SESSION_VALIDITY_MINUTES, 3, 15, 'minutes');
  const storage = (c.storage as StorageLike | undefined) ?? createMemoryStorage();
  const shared = c.storage !== undefined && isSharedByTabs(storage); // the memory default is shared by nobody: nothing to read
  return {
    region,
    userPoolId,
    clientId,
    storage,
    syncTabs: (c.syncTabs as boolean | undefined) ?? shared,
    refreshTokenRotation: c.refreshTokenRotation === true,
    durableChallenges: c.durableChallenges === true,
    webAuthn: c.webAuthn as WebAuthnClient,
    authSessionValidityMinutes,
    now,
    networkTimeoutMs: timeout,
    refreshSkewSeconds: skew,
    storageTimeoutMs: storageTimeout,
    revocationOutbox,
    ...(c.clientSecret !== undefined && { clientSecret: c.clientSecret as string }),
    ...(c.endpoint !== undefined && { endpoint: c.endpoint as string }),
    ...(c.client !== undefined && { client: c.client as CognitoClientLike }),
    ...(c.transport !== undefined && { transport: c.transport as CognitoService }),
    ...(inspect !== undefined && { inspect: inspect as AuthConfig['inspect'] }),
    ...(oauth && { oauth }),
    ...(revocationEndpoint !== undefined && { revocationEndpoint }),
    ...(c.deviceName !== undefined && { deviceName: c.deviceName as string }),
  };
}

/** `value` when it is a whole number from `min` to `max`, else the AuthConfigError naming `field` (one message for every numeric setting). */
function wholeNumber(field: string, value: unknown, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AuthConfigError(field, `must be a whole number of ${unit} from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

function resolveOutbox(value: unknown): false | Required<RevocationOutboxOptions> {
  if (value === false) return false;
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw new AuthConfigError('revocationOutbox', 'must be false or an object { retryBaseMs? }');
  // No age limit any more (maxAgeMs): an entry leaves only on Cognito's answer (docs/reliability.md).
  const { retryBaseMs = OUTBOX_DEFAULTS.retryBaseMs } = (value ?? {}) as Record<string, unknown>;
  if (typeof retryBaseMs !== 'number' || !Number.isInteger(retryBaseMs) || retryBaseMs <= 0) throw new AuthConfigError('revocationOutbox.retryBaseMs', `must be a positive whole number of milliseconds, got ${describe(retryBaseMs)}`);
  return { retryBaseMs };
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** A short, safe description of a bad (non-secret) value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
