// The app developer's testing kit: a real createAuth() wired to a fresh Cognito emulator, with
// users, faults, inspectable storage, and helpers that drive the engine into a named state.
import { waitFor } from 'xstate';
import { randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth } from '../createAuth.js';
import type { AuthConfig } from '../config.js';
import type { AuthSession, RedirectSignInResult, SignInResult, SignOutResult } from '../results.js';
import type { AuthOpener, OpenerResult } from '../oauthConfig.js';
import { AuthStoppedError } from '../errors.js';
import { startCognitoEmulator } from './emulator/start.js';
import type { CognitoEmulator, CognitoEmulatorOptions, EmulatorFaults, EmulatorMfaType, EmulatorPoolSettings, EmulatorRefreshTokenRotation, Fault, FaultTarget, HostedUiClientOptions } from './emulator/types.js';
import { isRetryable } from '../../machines/errorInfo.js';
import type { ChallengeName } from '../../machines/authTypes.js';
import { installGate } from './kit/gate.js';
import { KIT_CALLBACK_URL, KIT_SIGN_OUT_URL, signInAtHostedUi, signOutAtHostedUi } from './kit/hostedUi.js';
import { createTestStorage, type StorageHold, type StorageMethod, type TestStorage } from './kit/storage.js';
import { storageKeys } from '../../services/storage/keys.js';
import { createStorageLock } from '../../services/tabs/storageLock.js';
import { sleep } from '../../services/cognito/fetchWire.js';

export type { StorageHold, StorageMethod, TestStorage } from './kit/storage.js';

/** A user to create in the pool. */
export interface TestUserSpec {
  /** The username. */
  readonly username: string;
  /** Default: a generated one (read it back from `kit.users`). */
  readonly password?: string;
  /** Every sign-in of this user then needs the MFA code (`kit.mfaCode(username)`). */
  readonly mfa?: EmulatorMfaType;
  /** false: FORCE_CHANGE_PASSWORD, so a sign-in asks for a new password. Default true. */
  readonly permanent?: boolean;
  /** User attributes, e.g. `{ email: 'a@example.com' }`. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** E.164; SMS_MFA users default to '+15555550100'. */
  readonly phoneNumber?: string;
}

/** A user that exists in the pool, with the password to sign in with. */
export interface TestUser {
  /** The username. */
  readonly username: string;
  /** The password to sign in with (the temporary one when `permanent` is false). */
  readonly password: string;
  /** The MFA every sign-in of this user needs, if any; its code is `kit.mfaCode(username)`. */
  readonly mfa?: EmulatorMfaType;
  /** false: FORCE_CHANGE_PASSWORD, so a sign-in asks for a new password. */
  readonly permanent: boolean;
}

/** Faults the emulator applies from the start, per operation ('*' for any). */
export type TestFaults = Partial<Record<FaultTarget, Fault | { readonly fault: Fault; readonly times?: number }>>;

/** createTestAuth()'s options, all optional. */
export interface TestAuthOptions {
  /** Users to create. Default: one CONFIRMED user, `test-user`, without MFA. */
  readonly users?: ReadonlyArray<TestUserSpec>;
  /** Faults set on the emulator before createAuth() runs. Sign-in goes over HTTP too, so mind '*'. */
  readonly faults?: TestFaults;
  /**
   * The user pool's settings, with CreateUserPool's names (MfaConfiguration, AutoVerifiedAttributes,
   * Policies, …). Default: `{ AutoVerifiedAttributes: ['email'] }`, so that a sign-up's code is sent by
   * email, and MFA optional with authenticator apps allowed (SetUserPoolMfaConfig), so that a user can
   * set up TOTP. Given, it is the pool's whole setting.
   */
  readonly userPool?: EmulatorPoolSettings;
  /** The app client. Default: no secret, token revocation on. */
  readonly client?: HostedUiClientOptions & {
    /** Give the client a secret (createAuth() then gets it as clientSecret). Default false. */
    readonly generateSecret?: boolean;
    /** Token revocation on the client (false: tokens lack `origin_jti`, RevokeToken is skipped). Default true. */
    readonly enableTokenRevocation?: boolean;
    /** Access and ID token lifetime for this client, in seconds. Default: the emulator's (3600). */
    readonly accessTokenTtlSeconds?: number;
    /** Refresh-token rotation on the client. Default: off. */
    readonly refreshTokenRotation?: EmulatorRefreshTokenRotation;
  };
  /**
   * The rest of createAuth()'s config. Pool, client, endpoint, SDK client and storage are the
   * kit's. networkTimeoutMs and storageTimeoutMs default to 10000 here (3000 and 5000 in the
   * library), so that a held state stays held while a UI test looks at it.
   */
  readonly config?: Omit<Partial<AuthConfig>, 'userPoolId' | 'userPoolClientId' | 'region' | 'endpoint' | 'client' | 'clientSecret' | 'storage'>;
  /** Options of the emulator (its clock, token lifetime). */
  readonly emulator?: CognitoEmulatorOptions;
  /** How the kit's helpers sign in. Default 'USER_SRP_AUTH', as an app does. */
  readonly authFlow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /**
   * Sign-in through the emulator's hosted UI. true (or `{ scopes }`): the app client gets the
   * callback URL `http://localhost/authchart-testing/callback` and the sign-out URL
   * `http://localhost/authchart-testing/signed-out` (added to `client.callbackUrls`/`logoutUrls`),
   * and createAuth() gets `oauth: { domain: emulator.endpoint, redirectSignIn, redirectSignOut,
   * scopes, opener }`. The kit's opener is an auth session: it signs `kit.hostedUiUser` (default:
   * the first user without MFA or temporary password, `test-user` created on demand) in at the
   * login form over HTTP and returns `{ type: 'returned', url }`, so auth.signInWithRedirect()
   * resolves signed in. It overrides `config.oauth`. Default false.
   */
  readonly hostedUi?:
    | boolean
    | {
        /** The scopes createAuth()'s `oauth` asks for. Default: OAuthConfig's default. */
        readonly scopes?: string[];
      };
}

/** A sign-out held open in a network state. */
export interface HeldSignOut {
  /** The pending auth.signOut() promise: it settles after release() (or at the deadline, or close()). */
  readonly result: Promise<SignOutResult>;
  /**
   * Lets the held call go: it is sent again and answered normally, or by `answer` when given
   * (e.g. `{ type: 'error', name: 'InternalErrorException' }`). Resolves with the sign-out's result.
   */
  release(answer?: Fault): Promise<SignOutResult>;
}

/**
 * A sign-in step or refresh held open on its request: the request is on the wire, blackholed.
 * `release()` works as HeldSignOut's does; it resolves, or rejects, as `result` does.
 */
export interface HeldRequest<R> {
  /** The pending call's promise: it settles after release() (or at the deadline, or close()). */
  readonly result: Promise<R>;
  /** Lets the held request go: sent again and answered normally, or by `answer`. Settles as `result`. */
  release(answer?: Fault): Promise<R>;
}

/** A signIn() or confirmSignIn() held in `signingIn` or `answeringChallenge`. */
export interface HeldSignIn extends HeldRequest<SignInResult> {
  /** The user signing in, or answering the challenge. */
  readonly user: TestUser;
}

/** A getSession({ forceRefresh: true }) held in `signedIn.refreshing`. */
export interface HeldRefresh extends HeldRequest<AuthSession> {
  /** The user signed in. */
  readonly user: TestUser;
}

/**
 * A call held open on one storage call of the auth (the kit's storage, `storage.hold()`): the
 * auth waits for it as for a slow AsyncStorage, within its storageTimeoutMs (10 s in the kit).
 */
export interface HeldStorageCall<R> {
  /** The pending call's promise: it settles after release() (or at the storage deadline, or close()). */
  readonly result: Promise<R>;
  /**
   * Lets the held storage call run. Call `kit.storage.fail(method)` first to make it fail instead.
   * Settles as `result`; calling it again returns the same promise.
   */
  release(): Promise<R>;
}

/**
 * A getSession({ forceRefresh: true }) whose refresh was refused for good, held in `endingSession`
 * on the removeItem of the session. `result` waits (deferred) for the clear, then answers `{}` in
 * signedOut; it rejects with RevokedSessionNotCleared if the clear failed (→ revokedButStored).
 */
export type HeldSessionEnd = HeldStorageCall<AuthSession>;

/**
 * A signOut() with nobody signed in, held in `checkingStore` on the read of the stored session
 * (another instance over the same storage may have signed in). `result` is `complete` if the store
 * is still empty at release(); had a session been stored meanwhile, it is signed out first.
 */
export type HeldStoreCheck = HeldStorageCall<SignOutResult>;

/** A fresh createAuth() (an app restart) held in `loadingSession` on the read of the stored session. */
export interface HeldLoad extends HeldStorageCall<string> {
  /** The new instance, also `kit.auth` now. The old one is stopped. */
  readonly auth: Auth;
  /** Where the engine lands once the session is read: 'signedIn.active' (a session stored) or 'signedOut'. */
  readonly result: Promise<string>;
}

/**
 * A signInWithRedirect() held in `openingHostedUi`: the kit's opener has been called with the
 * authorize URL and waits. release() lets it sign `user` in at the hosted UI; the sign-in then
 * goes on through `completingRedirect` to signed in.
 */
export interface HeldHostedUi {
  /** The pending auth.signInWithRedirect() promise: it settles after release() (or close()). */
  readonly result: Promise<RedirectSignInResult>;
  /** The user the opener signs in at the hosted UI. */
  readonly user: TestUser;
  /** The /oauth2/authorize URL the opener was given. */
  readonly url: string;
  /** Lets the opener go on. Settles as `result`; calling it again returns the same promise. */
  release(): Promise<RedirectSignInResult>;
}

/**
 * A signInWithRedirect() held in `completingRedirect`: the hosted UI came back with a code, and
 * the engine's read of the pending sign-in (getItem of `authchart.<clientId>.pendingSignIn`) is
 * held. release() lets it read, exchange the code at /oauth2/token and store the session.
 */
export interface HeldRedirect extends HeldStorageCall<RedirectSignInResult> {
  /** The user signed in at the hosted UI. */
  readonly user: TestUser;
}

/** A signOut() of a hosted-UI session held in `openingLogout`: the kit's opener has the /logout URL and waits. */
export interface HeldLogout {
  readonly result: Promise<SignOutResult>;
  /** The /logout URL the opener was given. */
  readonly url: string;
  /** Lets the opener visit /logout and come back. Settles as `result`. */
  release(): Promise<SignOutResult>;
}

/** A SignOutResult of type 'partial'. */
export type PartialSignOutResult = Extract<SignOutResult, { type: 'partial' }>;
/** A SignOutResult of type 'failed'. */
export type FailedSignOutResult = Extract<SignOutResult, { type: 'failed' }>;

/** What driveTo() resolves with, per named state. */
export interface TestAuthStates {
  /**
   * An app restart held on the read of the stored session: `kit.auth` is replaced by a new
   * createAuth() over the same storage, SDK client and emulator, whose getItem of the session key
   * is held. Calls made now wait (deferred); release() lets the read go.
   */
  loadingSession: HeldLoad;
  /**
   * An app restart over a session whose sign-out began and did not end: signed in, a signOut()
   * whose RevokeToken hangs is stopped with the instance once its intent is queued, and a new
   * createAuth() (as for loadingSession) finds the session queued and clears it; that removeItem is
   * held. release() lets it go: `signedOut`, the store empty, the intent still in the outbox.
   */
  clearingQueuedSession: HeldLoad;
  /** Nobody is signed in. */
  signedOut: void;
  /**
   * A signOut() with nobody signed in, whose read of the stored session (getItem) is held: the engine
   * checks that no other instance over the same storage signed in before it answers `complete`.
   */
  checkingStore: HeldStoreCheck;
  /** A signIn() (of the first user without MFA, or `options.username`) whose InitiateAuth is held. */
  signingIn: HeldSignIn;
  /**
   * Needs a pool that tracks devices (`userPool: { DeviceConfiguration: { … } }`). A signIn() (of
   * the first user without MFA, or `options.username`) that got a new device, whose ConfirmDevice
   * is held (confirmingDevice). release() lets it answer: signed in, `deviceConfirmed: true`.
   */
  confirmingDevice: HeldSignIn;
  /**
   * A signIn() (as for `signingIn`) after a global sign-out that Cognito throttled, so its intent is
   * queued: the sign-in has the outbox send it first, and that GlobalSignOut is held. release() lets
   * it land, and the sign-in goes on.
   */
  finishingGlobalSignOut: HeldSignIn;
  /**
   * A signIn() (as for `signingIn`) whose tokens cannot be stored (setItem fails): the engine revokes
   * them, and the write of that intent to the outbox is held. release() lets it land: RevokeToken
   * follows, and the signIn() rejects with StorageError, signed out.
   */
  revokingUnstored: HeldStorageCall<SignInResult>;
  /**
   * Needs `hostedUi`. A signInWithRedirect() whose opener (the kit's, an auth session) is held:
   * the user is "at the hosted UI". release() signs `kit.hostedUiUser` (or `options.username`) in there.
   */
  openingHostedUi: HeldHostedUi;
  /**
   * Needs `hostedUi`. A signInWithRedirect() back from the hosted UI with a code, whose read of the
   * pending sign-in record (storage getItem of `authchart.<clientId>.pendingSignIn`) is held.
   * release() lets the code be exchanged: signed in.
   */
  completingRedirect: HeldRedirect;
  /** `auth.actor` in signedIn.active; resolves with the user signed in. */
  signedIn: TestUser;
  /**
   * A sign-in waits for the answer to its challenge (`options.challenge`, default the given user's,
   * else SOFTWARE_TOKEN_MFA): a TOTP or SMS code (`kit.mfaCode(username)`), or a FORCE_CHANGE_PASSWORD
   * user's new password (confirmSignIn({ challengeResponse: newPassword })).
   */
  awaitingChallengeAnswer: TestUser;
  /**
   * A confirmSignIn() whose RespondToAuthChallenge is held: a TOTP user's code by default
   * (`totp-user`, created on demand); with `options.username`, an SMS_MFA user's code or a
   * FORCE_CHANGE_PASSWORD user's new password.
   */
  answeringChallenge: HeldSignIn;
  /** Signed in, then a getSession({ forceRefresh: true }) whose refresh (InitiateAuth REFRESH_TOKEN_AUTH) is held. */
  'signedIn.refreshing': HeldRefresh;
  /**
   * Needs `config: { syncTabs: true }`. Signed in, then a getSession({ forceRefresh: true }) that
   * waits for its turn to refresh: the kit writes "another tab's" lease of the refresh lock into
   * the storage (in Node, without Web Locks, the lease is the lock). release() removes that lease:
   * the refresh goes on.
   */
  'signedIn.refreshing.waitingForTurn': HeldStorageCall<AuthSession>;
  /**
   * Needs `config: { syncTabs: true }`. Signed in, then a getSession({ forceRefresh: true }) whose
   * turn began and whose read of the stored session (getItem of `authchart.<clientId>.session`),
   * which looks for another tab's refresh, is held. release() lets it read: nothing newer, so it
   * refreshes.
   */
  'signedIn.refreshing.lookingForTabsRefresh': HeldStorageCall<AuthSession>;
  /**
   * Needs a rotating client (`client: { refreshTokenRotation }`, `config: { refreshTokenRotation: true }`).
   * Signed in, then a forced refresh whose rotated tokens cannot be stored (setItem fails): the
   * engine queues the new refresh token, and that write of the outbox is held. release() lets it
   * land: the getSession() rejects with StorageError, still signed in, the token in the outbox.
   */
  'signedIn.refreshing.queueingRotatedToken': HeldStorageCall<AuthSession>;
  /**
   * Signed in, then a forced refresh refused with NotAuthorizedException (the session ended), and
   * the clear of the stored session held on the storage's removeItem. The fault is cleared once there.
   */
  endingSession: HeldSessionEnd;
  /**
   * The same, with the removeItem failing: the clear is not confirmed, so the engine reads the store
   * back, and that read (getItem of the session) is held. release() lets it read: the session is
   * still there, so `revokedButStored` (the forced getSession() rejects with RevokedSessionNotCleared).
   */
  confirmingClear: HeldStorageCall<AuthSession>;
  /**
   * Needs `hostedUi`. A user signed in through the hosted UI signs out: the device is cleared, and
   * the write of the pending sign-out record (storage setItem of `authchart.<clientId>.pendingSignOut`)
   * is held. release() lets it go on to /logout (the kit's opener follows it): `complete`.
   */
  recordingHostedUiSignOut: HeldStorageCall<SignOutResult>;
  /**
   * Needs `hostedUi`. The same sign-out with the kit's opener held on the /logout URL. release()
   * lets the opener visit /logout and come back: `complete`.
   */
  openingLogout: HeldLogout;
  /**
   * Signed in, then "another tab signed in" (SIGNED_IN_ELSEWHERE, as the tab signals deliver it):
   * the engine re-reads the store, and that read (getItem of the session) is held. release()
   * lets it read: back in signedIn.active with the stored session.
   */
  adoptingSession: HeldStorageCall<string> & {
    /** The user signed in. */
    readonly user: TestUser;
  };
  /** A local sign-out with RevokeToken blackholed: `signingOut`, child `signOut` in `callingCognito.revoking`. */
  revoking: HeldSignOut;
  /** A global sign-out with GlobalSignOut blackholed: child in `callingCognito.signingOutGlobally.invalidatingSessions`. */
  'signingOutGlobally.invalidatingSessions': HeldSignOut;
  /**
   * A global sign-out whose GlobalSignOut failed for good (default NotAuthorizedException, a
   * non-retryable failure: only those are followed by RevokeToken), RevokeToken blackholed:
   * child in `callingCognito.signingOutGlobally.revoking`.
   */
  'signingOutGlobally.revoking': HeldSignOut;
  /**
   * A finished global sign-out: GlobalSignOut failed, `auth.actor` is in signedOut. With the default
   * fault (NotAuthorizedException, non-retryable) RevokeToken follows and succeeds: `finishedBy: 'nothing'`.
   * With a retryable `globalSignOutFault` (InternalErrorException, 5xx, throttling, …) and the outbox on,
   * no RevokeToken is sent: the intent stays queued, `finishedBy: 'outbox'`, and `globalSignOutError`
   * carries the refresh token too.
   */
  partial: PartialSignOutResult;
  /**
   * A finished local sign-out whose storage could not be cleared (removeItem throws). RevokeToken
   * succeeded, so the tokens are dead: `auth.actor` is in `revokedButStored`, not signed in.
   * getSession() rejects with RevokedSessionNotCleared; the session is still stored; the next
   * signOut() retries the clear. (Had the server calls failed too, it would be back in `signedIn.active`.)
   */
  failed: FailedSignOutResult;
  /** The same as `failed`, by the engine's state name: `auth.actor` is in `revokedButStored`. */
  revokedButStored: FailedSignOutResult;
}

/** A state driveTo() can reach: a key of TestAuthStates. */
export type TestAuthState = keyof TestAuthStates;

/** Every TestAuthState, for a test that visits them all. */
export const TEST_AUTH_STATES: readonly TestAuthState[] = [
  'signedOut',
  'signedIn',
  'awaitingChallengeAnswer',
  'revoking',
  'signingOutGlobally.invalidatingSessions',
  'signingOutGlobally.revoking',
  'partial',
  'failed',
  'revokedButStored',
  'loadingSession',
  'clearingQueuedSession',
  'checkingStore',
  'finishingGlobalSignOut',
  'signingIn',
  'confirmingDevice',
  'revokingUnstored',
  'openingHostedUi',
  'completingRedirect',
  'recordingHostedUiSignOut',
  'openingLogout',
  'adoptingSession',
  'answeringChallenge',
  'signedIn.refreshing',
  'signedIn.refreshing.waitingForTurn',
  'signedIn.refreshing.lookingForTabsRefresh',
  'signedIn.refreshing.queueingRotatedToken',
  'endingSession',
  'confirmingClear',
];

/** driveTo()'s options. */
export interface DriveOptions {
  /** The user to sign in. Default: the first fitting user, created on demand for the challenge states. */
  readonly username?: string;
  /**
   * partial: how GlobalSignOut fails. Default NotAuthorizedException ('Access Token has expired'),
   * non-retryable, so RevokeToken follows. A retryable fault leaves the intent to the outbox instead.
   * signingOutGlobally.revoking: the same default; the fault must be non-retryable, or RevokeToken
   * is never sent and the state is never reached.
   */
  readonly globalSignOutFault?: Fault;
  /** How long to wait for the state. Default 5000 ms. */
  readonly timeoutMs?: number;
  /**
   * awaitingChallengeAnswer: which challenge the sign-in ends on. Default: the challenge of
   * `username`'s user if given, else SOFTWARE_TOKEN_MFA. Its user is created on demand. The kit
   * drives the challenges its users can meet: a temporary password, TOTP and SMS.
   */
  readonly challenge?: DrivableChallenge;
}

/** What createTestAuth() resolves: a real Auth on a fresh emulator, and the handles to steer it. */
export interface TestAuth {
  /** A real createAuth() instance, wired to the emulator. */
  readonly auth: Auth;
  /** The emulator the auth talks to. */
  readonly emulator: CognitoEmulator;
  /** The emulator's faults, for faults set mid-test. */
  readonly faults: EmulatorFaults;
  /** The auth's storage: inspectable, and able to fail or hold a call on purpose. */
  readonly storage: TestStorage;
  /** Every user in the pool, the ones created on demand included. The first is the default. */
  readonly users: ReadonlyArray<TestUser>;
  /** The emulator pool's id, as given to createAuth(). */
  readonly userPoolId: string;
  /** The app client's id, as given to createAuth(). */
  readonly clientId: string;
  /** The app client's secret, with `client.generateSecret`. */
  readonly clientSecret?: string;
  /** With `hostedUi`: the app client's callback and sign-out URLs, as given to createAuth()'s `oauth`. */
  readonly oauth?: {
    /** `http://localhost/authchart-testing/callback`. */
    readonly redirectSignIn: string;
    /** `http://localhost/authchart-testing/signed-out`. */
    readonly redirectSignOut: string;
  };
  /**
   * With `hostedUi`: the username the kit's opener signs in at the hosted UI. Set it before
   * signInWithRedirect(); undefined (the default) means the first user without MFA or temporary
   * password (`test-user`, created on demand). The user must have neither: the kit's opener fills
   * the login form only.
   */
  hostedUiUser: string | undefined;
  /**
   * Drives the engine into `state` and resolves once `auth.actor` (or its signOut child) is there.
   * `loadingSession` replaces `auth` (an app restart).
   */
  driveTo<S extends TestAuthState>(state: S, options?: DriveOptions): Promise<TestAuthStates[S]>;
  /** Whether the engine is now in `state`. */
  is(state: TestAuthState): boolean;
  /** Where the engine is, as a dotted path: 'signedIn.active', 'signingOut.callingCognito.revoking', 'revokedButStored', …. */
  currentState(): string;
  /** The user `username` (default: the first). Throws for an unknown user. */
  user(username?: string): TestUser;
  /** The MFA code `username` would type now (TOTP, or the last SMS). */
  mfaCode(username: string): string;
  /**
   * An app restart: stops `auth` and replaces it with a new createAuth() over the same storage,
   * SDK client and emulator. Resolves once the new instance has read the stored session.
   */
  restart(): Promise<void>;
  /** Stops the auth (pending calls reject with AuthStoppedError), its SDK client and the emulator. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_USERS: readonly TestUserSpec[] = [{ username: 'test-user' }];
const KIT_NETWORK_TIMEOUT_MS = 10_000;
const KIT_STORAGE_TIMEOUT_MS = 10_000;
type HeldOperation = 'RevokeToken' | 'GlobalSignOut' | 'InitiateAuth' | 'RespondToAuthChallenge' | 'ConfirmDevice';
const HELD: Partial<Record<TestAuthState, { operation: 'RevokeToken' | 'GlobalSignOut'; global: boolean; child: string }>> = {
  revoking: { operation: 'RevokeToken', global: false, child: 'callingCognito.revoking' },
  'signingOutGlobally.invalidatingSessions': { operation: 'GlobalSignOut', global: true, child: 'callingCognito.signingOutGlobally.invalidatingSessions' },
  'signingOutGlobally.revoking': { operation: 'RevokeToken', global: true, child: 'callingCognito.signingOutGlobally.revoking' },
};
/** The challenges the kit drives a sign-in to (its users' kinds: a temporary password, TOTP, SMS). */
export type DrivableChallenge = Extract<ChallengeName, 'NEW_PASSWORD_REQUIRED' | 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA'>;
/** For each challenge the kit drives: the sign-in step it shows, and the user the kit creates for it on demand. */
const CHALLENGES: Record<DrivableChallenge, { step: string; spec: TestUserSpec }> = {
  NEW_PASSWORD_REQUIRED: { step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', spec: { username: 'new-password-user', permanent: false } },
  SOFTWARE_TOKEN_MFA: { step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', spec: { username: 'totp-user', mfa: 'SOFTWARE_TOKEN_MFA' } },
  SMS_MFA: { step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', spec: { username: 'sms-user', mfa: 'SMS_MFA' } },
};
/** Non-retryable: the sign-out chart follows it with RevokeToken (a retryable one is left to the outbox). */
const DEFAULT_GLOBAL_FAULT: Fault = { type: 'error', name: 'NotAuthorizedException', message: 'Access Token has expired (injected by authchart/testing)' };
/** A throttled GlobalSignOut: retryable, so the global intent stays queued for the outbox. */
const QUEUED_GLOBAL_FAULT: Fault = { type: 'error', name: 'TooManyRequestsException', message: 'Rate exceeded (injected by authchart/testing)', status: 400 };
/** A refresh refused for good: the session is over, so the engine clears it (endingSession). */
const REFRESH_REFUSED: Fault = { type: 'error', name: 'NotAuthorizedException', message: 'Refresh Token has been revoked (injected by authchart/testing)' };
const newPassword = () => `Pw-${randomBytes(9).toString('base64url')}2!`;

/**
 * A fresh emulator, pool, app client and users, and a real createAuth() (the `authchart` entry,
 * over the AWS SDK) wired to them. Node only. Rejects, with the emulator closed again, when the
 * options cannot be set up. Call close() when done.
 */
export async function createTestAuth(options: TestAuthOptions = {}): Promise<TestAuth> {
  const emulator = await startCognitoEmulator(options.emulator);
  try {
    return await assemble(emulator, options);
  } catch (error) {
    await emulator.close();
    throw error;
  }
}

async function assemble(emulator: CognitoEmulator, options: TestAuthOptions): Promise<TestAuth> {
  const { userPoolId } = emulator.createUserPool('authchart-testing', options.userPool ?? { AutoVerifiedAttributes: ['email'] });
  const { generateSecret = false, enableTokenRevocation = true, ...givenClientOptions } = options.client ?? {};
  const hostedUi = options.hostedUi ? (options.hostedUi === true ? {} : options.hostedUi) : undefined;
  const clientOptions: HostedUiClientOptions = hostedUi
    ? {
        ...givenClientOptions,
        callbackUrls: [...new Set([...(givenClientOptions.callbackUrls ?? []), KIT_CALLBACK_URL])],
        logoutUrls: [...new Set([...(givenClientOptions.logoutUrls ?? []), KIT_SIGN_OUT_URL])],
      }
    : givenClientOptions;
  // The hosted-UI settings (callback and sign-out URLs, scopes, providers) pass through as given.
  // USER_AUTH too: a sign-up's auto sign-in (authchart/account) signs in with it.
  const explicitAuthFlows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'];
  const { clientId, clientSecret } = emulator.createUserPoolClient({ userPoolId, clientName: 'authchart-testing', generateSecret, enableTokenRevocation, explicitAuthFlows, ...clientOptions });
  // The default pool lets users set up an authenticator app (authchart/account's setUpTotp()), as a pool whose MFA is optional does.
  // An admin call, signed with the emulator's stand-in credentials (it checks none; the SDK signs every admin call).
  if (!options.userPool) {
    const admin = new CognitoIdentityProviderClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: { accessKeyId: 'authchart-testing', secretAccessKey: 'authchart-testing' } });
    try {
      await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    } finally {
      admin.destroy();
    }
    emulator.resetRequests(); // the kit's own set-up is not the test's traffic
  }
  const users: TestUser[] = [];
  const addUser = (spec: TestUserSpec): TestUser => {
    const password = spec.password ?? `Pw-${randomBytes(9).toString('base64url')}1!`;
    emulator.createUser({
      userPoolId,
      username: spec.username,
      password,
      permanent: spec.permanent ?? true,
      ...(spec.mfa && { mfa: spec.mfa }),
      ...(spec.attributes && { attributes: { ...spec.attributes } }),
      ...(spec.phoneNumber && { phoneNumber: spec.phoneNumber }),
    });
    const user: TestUser = { username: spec.username, password, permanent: spec.permanent ?? true, ...(spec.mfa && { mfa: spec.mfa }) };
    users.push(user);
    return user;
  };
  for (const spec of options.users ?? DEFAULT_USERS) addUser(spec);

  for (const [target, entry] of Object.entries(options.faults ?? {}) as Array<[FaultTarget, NonNullable<TestFaults[FaultTarget]>]>) {
    const { fault, times } = 'fault' in entry ? entry : { fault: entry, times: undefined };
    emulator.faults.set(target, fault, times === undefined ? undefined : { times });
  }

  const client = new CognitoIdentityProviderClient({ region: emulator.region, endpoint: emulator.endpoint });
  const gate = installGate(client);
  const { storage, forAuth } = createTestStorage(clientId);
  const pendingSignInKey = `authchart.${clientId}.pendingSignIn`;
  const pendingSignOutKey = `authchart.${clientId}.pendingSignOut`;
  let hostedUiUser: string | undefined;
  /** A hold of the kit's opener (openingHostedUi): armed for its next call. */
  let openerHold: { readonly released: Promise<void>; reached(url: string): void; release(): void } | undefined;
  const openerHolds = new Set<{ release(): void }>();
  const opener: AuthOpener = async (url): Promise<OpenerResult> => {
    const hold = openerHold;
    openerHold = undefined; // one call per hold
    if (hold) {
      hold.reached(url);
      await hold.released;
    }
    if (closed) return { type: 'cancelled' };
    if (new URL(url).pathname === '/logout') return { type: 'returned', url: await signOutAtHostedUi(url) };
    const who = hostedUiUser === undefined ? pick(undefined, plain, { username: 'test-user' }) : user(hostedUiUser);
    return { type: 'returned', url: await signInAtHostedUi(url, who) };
  };
  const authConfig: AuthConfig = {
    networkTimeoutMs: KIT_NETWORK_TIMEOUT_MS,
    storageTimeoutMs: KIT_STORAGE_TIMEOUT_MS,
    ...options.config,
    region: emulator.region,
    userPoolId,
    userPoolClientId: clientId,
    endpoint: emulator.endpoint,
    client,
    storage: forAuth, // the kit's storage, where storage.hold() applies
    ...(clientSecret && { clientSecret }),
    ...(hostedUi && {
      oauth: { domain: emulator.endpoint, redirectSignIn: KIT_CALLBACK_URL, redirectSignOut: KIT_SIGN_OUT_URL, ...(hostedUi.scopes && { scopes: hostedUi.scopes }), opener },
    }),
  };
  let auth = createAuth(authConfig);
  const authFlow = options.authFlow ?? 'USER_SRP_AUTH';
  /** The pending calls of held states: driveTo() will not leave one that was not released. */
  const held = new Set<Promise<unknown>>();
  /** Storage holds of held states: close() lets them go, so that no storage deadline outlives the kit. */
  const storageHolds = new Set<StorageHold>();
  const holdStorage = (method: StorageMethod, key: string = storage.sessionKey): StorageHold => {
    const hold = storage.hold(method, key);
    storageHolds.add(hold);
    return hold;
  };
  let closed = false;
  const track = <R>(result: Promise<R>): Promise<R> => {
    held.add(result);
    result.catch(() => {}).finally(() => held.delete(result)); // close() rejects it; the test may never await it
    return result;
  };
  /** Runs `settle` once, however often it is asked for; its rejection is the caller's to see, never unhandled. */
  const once = <R>(settle: () => Promise<R>): (() => Promise<R>) => {
    let settled: Promise<R> | undefined;
    return () => {
      if (!settled) {
        settled = settle();
        settled.catch(() => {});
      }
      return settled;
    };
  };

  const snapshot = () => auth.actor.getSnapshot();
  const childPath = (): string | undefined => {
    const child = (snapshot().children as Record<string, { getSnapshot(): { value: unknown } } | undefined>).signOut;
    return child ? dotted(child.getSnapshot().value) : undefined;
  };
  const currentState = () => {
    const path = dotted(snapshot().value);
    const child = path === 'signingOut' ? childPath() : undefined;
    return child ? `${path}.${child}` : path;
  };
  const is = (state: TestAuthState): boolean => {
    const path = currentState();
    switch (state) {
      case 'signedIn':
        return path.startsWith('signedIn');
      case 'partial':
        return path === 'signedOut' && snapshot().context.lastSignOut?.type === 'partial';
      case 'failed':
        return (path === 'revokedButStored' || path.startsWith('signedIn')) && snapshot().context.lastSignOut?.type === 'failed';
      default: {
        const child = HELD[state]?.child;
        return child ? path === `signingOut.${child}` : path === state || path.startsWith(`${state}.`);
      }
    }
  };

  const user = (username?: string): TestUser => {
    const found = username === undefined ? users[0] : users.find((candidate) => candidate.username === username);
    if (!found) throw new Error(`authchart/testing: no user ${username === undefined ? 'at all' : JSON.stringify(username)} in the pool`);
    return found;
  };
  /** The named user, or the first that fits, created when none does. */
  const pick = (username: string | undefined, fits: (user: TestUser) => boolean, fallback: TestUserSpec): TestUser => {
    if (username !== undefined) return user(username);
    return users.find(fits) ?? users.find((candidate) => candidate.username === fallback.username) ?? addUser(fallback);
  };
  const plain = (candidate: TestUser) => !candidate.mfa && candidate.permanent;

  function assertOpen() {
    if (closed) throw new Error('authchart/testing: this kit is closed');
  }

  function assertNothingHeld() {
    if (held.size > 0) throw new Error('authchart/testing: a held call is pending: release() it first');
  }

  /** Back to signedOut from wherever the engine rests. */
  async function toSignedOut(): Promise<void> {
    assertNothingHeld();
    if (currentState() !== 'signedOut') await auth.signOut();
    if (currentState() !== 'signedOut') throw new Error(`authchart/testing: could not sign out (engine in ${currentState()})`);
  }

  /** Signs `who` in, through any challenge, with the codes the emulator knows. */
  async function signIn(who: TestUser): Promise<TestUser> {
    let current = who;
    let step: SignInResult = await auth.signIn({ username: who.username, password: who.password, authFlow });
    while (!step.isSignedIn) {
      switch (step.nextStep.signInStep) {
        case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED': {
          const password = newPassword();
          step = await auth.confirmSignIn({ challengeResponse: password });
          current = passwordChanged(current, password);
          break;
        }
        default:
          step = await auth.confirmSignIn({ challengeResponse: emulator.mfaCode(userPoolId, who.username) });
      }
    }
    return current;
  }

  /** The user is CONFIRMED now, with the new password. */
  function passwordChanged(who: TestUser, password: string): TestUser {
    const index = users.findIndex((candidate) => candidate.username === who.username);
    const current: TestUser = { ...who, password, permanent: true };
    if (index >= 0) users[index] = current;
    return current;
  }

  async function until(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (closed) throw new Error(`authchart/testing: closed while waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`authchart/testing: ${what} not reached within ${timeoutMs} ms (engine in ${currentState()})`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /**
   * Blackholes `operation`, holds its next request on the SDK client, makes `call`, and resolves
   * once the engine is in `state` with that request on the wire. `alsoClear`: faults set for the
   * way there, cleared on release.
   */
  async function holdRequest<R>(state: TestAuthState, operation: HeldOperation, call: () => Promise<R>, timeoutMs: number, alsoClear: readonly FaultTarget[] = []): Promise<HeldRequest<R>> {
    const before = emulator.requests.length;
    emulator.faults.set(operation, { type: 'blackhole' });
    const hold = gate.hold(operation);
    const result = track(call());
    const release = (answer?: Fault) =>
      once(async () => {
        emulator.faults.clear(operation);
        for (const target of alsoClear) emulator.faults.clear(target);
        if (answer) emulator.faults.set(operation, answer);
        hold.release();
        try {
          return await result;
        } finally {
          if (answer) emulator.faults.clear(operation);
        }
      });
    let released: (() => Promise<R>) | undefined;
    const handle: HeldRequest<R> = {
      result,
      release: (answer) => (released ??= release(answer))(),
    };
    try {
      await until(
        `${state} (${operation} blackholed)`,
        () => is(state) && emulator.requests.slice(before).some((record) => record.operation === operation && record.status === 'blackholed'),
        timeoutMs,
      );
      await hold.sent;
    } catch (error) {
      void handle.release();
      throw error;
    }
    return handle;
  }

  async function holdSignOut(state: TestAuthState, driveOptions: DriveOptions): Promise<HeldSignOut> {
    const { operation, global } = HELD[state]!;
    await drive('signedIn', driveOptions);
    const alsoClear: FaultTarget[] = [];
    if (state === 'signingOutGlobally.revoking') {
      const fault = driveOptions.globalSignOutFault ?? DEFAULT_GLOBAL_FAULT;
      // Only a GlobalSignOut that failed for good is followed by RevokeToken (a retryable failure is left to the outbox).
      if (fault.type !== 'error' || isRetryable(fault.name)) {
        throw new Error(`authchart/testing: signingOutGlobally.revoking needs a non-retryable globalSignOutFault (e.g. NotAuthorizedException); ${fault.type === 'error' ? fault.name : fault.type} is left to the outbox, without RevokeToken`);
      }
      emulator.faults.set('GlobalSignOut', fault);
      alsoClear.push('GlobalSignOut');
    }
    return holdRequest(state, operation, () => auth.signOut({ global }), driveOptions.timeoutMs ?? 5000, alsoClear);
  }

  /** The challenge a sign-in of `who` waits on for an answer. */
  function challengeOf(who: TestUser): DrivableChallenge | undefined {
    if (!who.permanent) return 'NEW_PASSWORD_REQUIRED';
    if (who.mfa === 'SOFTWARE_TOKEN_MFA') return 'SOFTWARE_TOKEN_MFA';
    if (who.mfa === 'SMS_MFA') return 'SMS_MFA';
    return undefined;
  }

  async function holdAnswer(driveOptions: DriveOptions): Promise<HeldSignIn> {
    const totp = CHALLENGES.SOFTWARE_TOKEN_MFA.spec;
    const who = pick(driveOptions.username, (candidate) => candidate.mfa === 'SOFTWARE_TOKEN_MFA' && candidate.permanent, totp);
    const challenge = challengeOf(who);
    if (!challenge) throw new Error(`authchart/testing: answeringChallenge needs a user with a challenge (MFA, or a temporary password); ${who.username} has none`);
    await drive('awaitingChallengeAnswer', { ...driveOptions, username: who.username, challenge });
    const password = challenge === 'NEW_PASSWORD_REQUIRED' ? newPassword() : undefined;
    const challengeResponse = password ?? emulator.mfaCode(userPoolId, who.username);
    const confirm = async () => {
      const step = await auth.confirmSignIn({ challengeResponse });
      if (password && step.isSignedIn) passwordChanged(who, password);
      return step;
    };
    return { user: who, ...(await holdRequest('answeringChallenge', 'RespondToAuthChallenge', confirm, driveOptions.timeoutMs ?? 5000)) };
  }

  /**
   * Holds the auth's next `method` call on the session key, makes `call`, and resolves once the
   * engine is in `state` with that storage call made. `setUp` runs after the hold is armed; its
   * return value runs once the state is reached (or not).
   */
  async function holdStorageCall<R>(state: TestAuthState, method: StorageMethod, call: () => Promise<R>, timeoutMs: number, setUp: () => () => void = () => () => {}, key?: string): Promise<HeldStorageCall<R>> {
    const hold = holdStorage(method, key);
    let reached = false;
    void hold.reached.then(() => (reached = true));
    const tearDown = setUp();
    const result = track(call());
    try {
      await until(`${state} (storage ${method} held)`, () => is(state) && reached, timeoutMs);
    } catch (error) {
      hold.release();
      throw error;
    } finally {
      tearDown();
    }
    const release = once(async () => {
      hold.release();
      return result;
    });
    return { result, release };
  }

  /** The refresh lock's storage lease over the kit's storage, taken as another tab would and held until release(). */
  function heldLease(key: string): { taken: Promise<void>; release(): void } {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const taken = new Promise<void>((resolve) => {
      void createStorageLock(storage, key, { leaseMs: 3_600_000, sleep }).run(new AbortController().signal, async () => {
        resolve();
        await held;
      });
    });
    return { taken, release };
  }

  /** The refresh's turn-taking states exist only where tabs share the storage. */
  function tabsNeeded(state: TestAuthState): void {
    if (authConfig.syncTabs !== true) throw new Error(`authchart/testing: ${state} needs createTestAuth({ config: { syncTabs: true } })`);
  }

  /** The user the opener will sign in (`options.username` sets kit.hostedUiUser); throws without hostedUi. */
  function hostedUiSignIn(driveOptions: DriveOptions): TestUser {
    if (!hostedUi) throw new Error('authchart/testing: the hosted-UI states need createTestAuth({ hostedUi: true })');
    if (driveOptions.username !== undefined) hostedUiUser = driveOptions.username;
    return hostedUiUser === undefined ? pick(undefined, plain, { username: 'test-user' }) : user(hostedUiUser);
  }

  async function holdOpener(driveOptions: DriveOptions): Promise<HeldHostedUi> {
    const who = hostedUiSignIn(driveOptions);
    await toSignedOut();
    const held = await holdTheOpener('openingHostedUi', () => auth.signInWithRedirect(), driveOptions.timeoutMs ?? 5000);
    return { ...held, user: who };
  }

  /** Signed in through the hosted UI (the kit's opener), so that a sign-out has /logout to visit. */
  async function toHostedUiSession(driveOptions: DriveOptions): Promise<void> {
    hostedUiSignIn(driveOptions);
    await toSignedOut();
    const signedIn = await auth.signInWithRedirect();
    if (!signedIn.isSignedIn) throw new Error(`authchart/testing: the hosted-UI sign-in went to ${signedIn.nextStep.signInStep}`);
  }

  /** Arms the opener's hold, runs `call`, and waits for `state` with the opener holding its URL. */
  async function holdTheOpener<R>(state: TestAuthState, call: () => Promise<R>, timeoutMs: number): Promise<{ result: Promise<R>; url: string; release(): Promise<R> }> {
    let release!: () => void;
    let reached!: (url: string) => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const opened = new Promise<string>((resolve) => (reached = resolve));
    let url: string | undefined;
    void opened.then((value) => (url = value));
    const hold = { released, reached, release };
    openerHold = hold;
    openerHolds.add(hold);
    const result = track(call());
    const letGo = once(async () => {
      if (openerHold === hold) openerHold = undefined;
      hold.release();
      return result;
    });
    try {
      await until(`${state} (the opener held)`, () => is(state) && url !== undefined, timeoutMs);
    } catch (error) {
      void letGo();
      throw error;
    }
    return { result, url: url!, release: letGo };
  }

  async function holdSessionEnd(driveOptions: DriveOptions): Promise<HeldSessionEnd> {
    await drive('signedIn', driveOptions);
    const refuseRefresh = () => {
      emulator.faults.set('InitiateAuth', REFRESH_REFUSED);
      return () => emulator.faults.clear('InitiateAuth');
    };
    return holdStorageCall('endingSession', 'removeItem', () => auth.getSession({ forceRefresh: true }), driveOptions.timeoutMs ?? 5000, refuseRefresh);
  }

  /** Stops `auth` and starts a new one over the same storage; holds its read of the session when `holdLoad`. */
  async function restart(holdLoad: boolean, timeoutMs: number, held: { state: TestAuthState; method: StorageMethod } = { state: 'loadingSession', method: 'getItem' }): Promise<HeldLoad | undefined> {
    assertOpen();
    assertNothingHeld();
    await auth.stop();
    if (!holdLoad) {
      auth = createAuth(authConfig);
      await until('the end of loadingSession', () => currentState() !== 'loadingSession', timeoutMs);
      return undefined;
    }
    const start = () => {
      auth = createAuth(authConfig); // with the hold armed: its first read of the session waits
      return () => {};
    };
    const instance = () => auth;
    /** Where the new instance lands once it has read the session. */
    const landed = () =>
      new Promise<string>((resolve, reject) => {
        const subscription = instance().actor.subscribe({
          next(next) {
            if (next.value === 'loadingSession' || next.value === held.state) return;
            resolve(dotted(next.value));
            subscription.unsubscribe();
          },
          error: reject,
          complete: () => reject(new AuthStoppedError('loadingSession')),
        });
      });
    const call = await holdStorageCall(held.state, held.method, landed, timeoutMs, start);
    return { auth: instance(), ...call };
  }

  async function drive(state: TestAuthState, driveOptions: DriveOptions = {}): Promise<unknown> {
    assertOpen();
    if (!TEST_AUTH_STATES.includes(state)) throw new Error(`authchart/testing: unknown state ${JSON.stringify(state)}; one of ${TEST_AUTH_STATES.join(', ')}`);
    switch (state) {
      case 'signedOut':
        return toSignedOut();
      case 'signedIn': {
        const who = pick(driveOptions.username, plain, { username: 'test-user' });
        const session = snapshot().context.session;
        if (is('signedIn') && held.size === 0 && session?.username === who.username) return who;
        await toSignedOut();
        return signIn(who);
      }
      case 'awaitingChallengeAnswer': {
        const given = driveOptions.username !== undefined ? challengeOf(user(driveOptions.username)) : undefined;
        const { step, spec } = CHALLENGES[driveOptions.challenge ?? given ?? 'SOFTWARE_TOKEN_MFA'];
        const fits = (candidate: TestUser) => (spec.mfa ? candidate.mfa === spec.mfa && candidate.permanent : !candidate.permanent && !candidate.mfa);
        const who = pick(driveOptions.username, fits, spec);
        await toSignedOut();
        const result = await auth.signIn({ username: who.username, password: who.password, authFlow });
        if (result.nextStep.signInStep !== step) throw new Error(`authchart/testing: ${who.username}'s sign-in went to ${result.nextStep.signInStep}, not ${step}`);
        return who;
      }
      case 'revoking':
      case 'signingOutGlobally.invalidatingSessions':
      case 'signingOutGlobally.revoking':
        return holdSignOut(state, driveOptions);
      case 'loadingSession':
        return restart(true, driveOptions.timeoutMs ?? 5000);
      case 'clearingQueuedSession': {
        await drive('signedIn', driveOptions);
        emulator.faults.set('RevokeToken', { type: 'blackhole' });
        const signingOut = auth.signOut().catch(() => undefined); // rejects with AuthStoppedError below
        try {
          await until('the sign-out intent in the outbox', () => storage.outboxSize() > 0, driveOptions.timeoutMs ?? 5000);
          await auth.stop(); // the process stops mid-sign-out: the session stored, its tokens queued
          await signingOut;
        } finally {
          emulator.faults.clear('RevokeToken');
        }
        return restart(true, driveOptions.timeoutMs ?? 5000, { state, method: 'removeItem' });
      }
      case 'signingIn': {
        const who = pick(driveOptions.username, plain, { username: 'test-user' });
        await toSignedOut();
        const signIn = () => auth.signIn({ username: who.username, password: who.password, authFlow });
        return { user: who, ...(await holdRequest(state, 'InitiateAuth', signIn, driveOptions.timeoutMs ?? 5000)) } satisfies HeldSignIn;
      }
      case 'confirmingDevice': {
        const who = pick(driveOptions.username, plain, { username: 'test-user' });
        await toSignedOut();
        const signIn = () => auth.signIn({ username: who.username, password: who.password, authFlow });
        return { user: who, ...(await holdRequest(state, 'ConfirmDevice', signIn, driveOptions.timeoutMs ?? 5000)) } satisfies HeldSignIn;
      }
      case 'finishingGlobalSignOut': {
        const who = pick(driveOptions.username, plain, { username: 'test-user' });
        await drive('partial', { ...driveOptions, username: who.username, globalSignOutFault: QUEUED_GLOBAL_FAULT });
        const signIn = () => auth.signIn({ username: who.username, password: who.password, authFlow });
        return { user: who, ...(await holdRequest(state, 'GlobalSignOut', signIn, driveOptions.timeoutMs ?? 5000)) } satisfies HeldSignIn;
      }
      case 'revokingUnstored': {
        const who = pick(driveOptions.username, plain, { username: 'test-user' });
        await toSignedOut();
        const full = () => {
          storage.fail('setItem'); // the session cannot be stored; the outbox's write is held first
          return () => storage.heal('setItem');
        };
        return holdStorageCall(state, 'setItem', () => auth.signIn({ username: who.username, password: who.password, authFlow }), driveOptions.timeoutMs ?? 5000, full, storage.outboxKey);
      }
      case 'openingHostedUi':
        return holdOpener(driveOptions);
      case 'completingRedirect': {
        const who = hostedUiSignIn(driveOptions);
        await toSignedOut();
        const held = await holdStorageCall(state, 'getItem', () => auth.signInWithRedirect(), driveOptions.timeoutMs ?? 5000, undefined, pendingSignInKey);
        return { user: who, ...held } satisfies HeldRedirect;
      }
      case 'recordingHostedUiSignOut':
        await toHostedUiSession(driveOptions);
        return holdStorageCall(state, 'setItem', () => auth.signOut(), driveOptions.timeoutMs ?? 5000, undefined, pendingSignOutKey);
      case 'openingLogout':
        await toHostedUiSession(driveOptions);
        return (await holdTheOpener(state, () => auth.signOut(), driveOptions.timeoutMs ?? 5000)) satisfies HeldLogout;
      case 'adoptingSession': {
        const who = (await drive('signedIn', driveOptions)) as TestUser;
        const otherTabSignedIn = async () => {
          auth.actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
          return dotted((await waitFor(auth.actor, (next) => !next.matches('adoptingSession'))).value);
        };
        return { user: who, ...(await holdStorageCall(state, 'getItem', otherTabSignedIn, driveOptions.timeoutMs ?? 5000)) };
      }
      case 'answeringChallenge':
        return holdAnswer(driveOptions);
      case 'signedIn.refreshing': {
        const who = (await drive('signedIn', driveOptions)) as TestUser;
        const refresh = () => auth.getSession({ forceRefresh: true });
        return { user: who, ...(await holdRequest(state, 'InitiateAuth', refresh, driveOptions.timeoutMs ?? 5000)) } satisfies HeldRefresh;
      }
      case 'signedIn.refreshing.waitingForTurn': {
        tabsNeeded(state);
        await drive('signedIn', driveOptions);
        // "Another tab" takes the refresh lock first: in Node, without Web Locks, the storage lease.
        const otherTab = heldLease(storageKeys(clientId).refreshLock);
        await otherTab.taken;
        const result = track(auth.getSession({ forceRefresh: true }));
        await until(state, () => is(state), driveOptions.timeoutMs ?? 5000);
        return {
          result,
          release: once(async () => {
            otherTab.release();
            return result;
          }),
        };
      }
      case 'signedIn.refreshing.lookingForTabsRefresh':
        tabsNeeded(state);
        await drive('signedIn', driveOptions);
        return holdStorageCall(state, 'getItem', () => auth.getSession({ forceRefresh: true }), driveOptions.timeoutMs ?? 5000, undefined, storageKeys(clientId).session);
      case 'signedIn.refreshing.queueingRotatedToken': {
        if (authConfig.refreshTokenRotation !== true) throw new Error(`authchart/testing: ${state} needs a rotating client and config: { refreshTokenRotation: true }`);
        await drive('signedIn', driveOptions);
        const full = () => {
          storage.fail('setItem'); // the rotated session cannot be stored; the outbox's write is held first
          return () => storage.heal('setItem');
        };
        return holdStorageCall(state, 'setItem', () => auth.getSession({ forceRefresh: true }), driveOptions.timeoutMs ?? 5000, full, storage.outboxKey);
      }
      case 'endingSession':
        return holdSessionEnd(driveOptions);
      case 'confirmingClear': {
        await drive('signedIn', driveOptions);
        emulator.faults.set('InitiateAuth', REFRESH_REFUSED);
        storage.fail('removeItem');
        // The clear reads the store too: the hold is armed once the engine is in confirmingClear, before its read.
        let hold: StorageHold | undefined;
        let reached = false;
        const subscription = auth.actor.subscribe((next) => {
          if (hold || !next.matches('confirmingClear')) return;
          hold = holdStorage('getItem');
          void hold.reached.then(() => (reached = true));
        });
        const result = track(auth.getSession({ forceRefresh: true }));
        try {
          await until(`${state} (storage getItem held)`, () => is(state) && reached, driveOptions.timeoutMs ?? 5000);
        } finally {
          subscription.unsubscribe();
          emulator.faults.clear('InitiateAuth');
          storage.heal('removeItem');
        }
        return {
          result,
          release: once(async () => {
            hold?.release();
            return result;
          }),
        };
      }
      case 'checkingStore':
        await toSignedOut();
        return holdStorageCall(state, 'getItem', () => auth.signOut(), driveOptions.timeoutMs ?? 5000);
      case 'partial': {
        await drive('signedIn', driveOptions);
        emulator.faults.set('GlobalSignOut', driveOptions.globalSignOutFault ?? DEFAULT_GLOBAL_FAULT);
        try {
          const result = await auth.signOut({ global: true });
          if (result.type !== 'partial' || !result.globalSignOutError) throw new Error(`authchart/testing: expected a partial sign-out with globalSignOutError, got ${result.type}`);
          return result;
        } finally {
          emulator.faults.clear('GlobalSignOut');
        }
      }
      case 'failed':
      case 'revokedButStored': {
        await drive('signedIn', driveOptions);
        storage.fail('removeItem');
        try {
          const result = await auth.signOut();
          if (result.type !== 'failed') throw new Error(`authchart/testing: expected a failed sign-out, got ${result.type}`);
          if (currentState() !== 'revokedButStored') throw new Error(`authchart/testing: expected revokedButStored after the failed clear, engine in ${currentState()}`);
          return result;
        } finally {
          storage.heal('removeItem');
        }
      }
    }
  }

  // Resolve once the (empty) store has been read: the engine rests in signedOut.
  await until('the end of loadingSession', () => currentState() !== 'loadingSession', 5000);

  return {
    get auth() {
      return auth;
    },
    emulator,
    faults: emulator.faults,
    storage,
    users,
    userPoolId,
    clientId,
    ...(clientSecret && { clientSecret }),
    ...(hostedUi && { oauth: { redirectSignIn: KIT_CALLBACK_URL, redirectSignOut: KIT_SIGN_OUT_URL } }),
    get hostedUiUser() {
      return hostedUiUser;
    },
    set hostedUiUser(username: string | undefined) {
      hostedUiUser = username;
    },
    driveTo: (state, driveOptions) => drive(state, driveOptions) as Promise<never>,
    is,
    currentState,
    user,
    mfaCode: (username) => emulator.mfaCode(userPoolId, username),
    async restart() {
      await restart(false, 5000);
    },
    async close() {
      if (closed) return;
      closed = true;
      await auth.stop();
      storageHolds.forEach((hold) => hold.release()); // the stopped instance's storage call runs, unheard
      openerHolds.forEach((hold) => hold.release()); // the held opener answers 'cancelled', unheard
      client.destroy(); // rejects a held request: its socket is destroyed
      await emulator.close();
    },
  };
}

/** 'a' or { a: 'b' } or { a: { b: 'c' } } → 'a', 'a.b', 'a.b.c'. */
function dotted(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value)[0] ?? [];
    if (key === undefined) return '';
    const rest = dotted(inner);
    return rest ? `${key}.${rest}` : key;
  }
  return '';
}

