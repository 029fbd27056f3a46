// The one place where error names live, with what each means: its public class (CLASS_OF),
// retryable or final (RETRYABLE_FAILURES), the end of the session or not (SESSION_ENDING), and
// whether the request reached Cognito (SENT_OF); meaningOf(name) reads one name's row. Every other
// module refers to a name through ErrorNames, CognitoExceptions or PlatformErrorNames (the names
// only authchart/server meets are in serverNames.ts beside this file, re-exported here);
// __tests__/errorRegistry.test.ts fails on a name spelled out anywhere else. docs/errors.md is
// generated from here (npm run docs).
//
// The meanings are lists of names rather than a row per name: an app's bundle carries each name
// once per fact that holds for it, and leaves out SENT_OF, which only the docs read (the outbox chart
// reads sentIsUnknown, one list). The name
// objects are plain literals, so a bundle that imports only ErrorNames leaves the lists out
// (__tests__/package.test.ts measures it).

import { BffErrorNames, ServerErrorNames } from './serverNames.js';
import { AccountCognitoExceptions, AccountErrorNames, type AccountCognitoExceptionName, type AccountErrorName } from './accountNames.js';

export { BffErrorNames, ServerErrorNames } from './serverNames.js';
export { AccountCognitoExceptions, AccountErrorNames, type AccountCognitoExceptionName, type AccountErrorName } from './accountNames.js';

/** Our own error names, beside the exception names Cognito sends. */
export const ErrorNames = {
  /** The connection failed: refused, reset, DNS. */
  network: 'NetworkError',
  /** No answer within networkTimeoutMs, or a step's deadline (networkTimeoutMs + 3 × storageTimeoutMs for a sign-in step or a refresh: the step is abandoned, and nothing it returns is stored); the request was aborted, or not sent in time. */
  timeout: 'TimeoutError',
  /** The call was abandoned by whoever ran it (a stop, a sign-out that overtook a refresh), not by a deadline. */
  aborted: 'AbortError',
  /** The access token has no `origin_jti` claim: token revocation is off on the app client, so RevokeToken was skipped (nothing can revoke the refresh token; it lives until it expires). Turn on token revocation on the app client. */
  revocationNotEnabled: 'TokenRevocationNotEnabled',
  /** A global sign-out asked for with an access token lacking the `aws.cognito.signin.user.admin` scope (a hosted-UI sign-in without it): Cognito would refuse GlobalSignOut, so it was not sent, and RevokeToken signs out this device only. Add the scope to `oauth.scopes` (it is in the default list). */
  globalSignOutNotSupported: 'GlobalSignOutNotSupported',
  /** The body was not Cognito's JSON, or not the shape Cognito documents (an HTML 503 page, a cut-off body, tokens that are not Cognito JWTs). */
  unexpectedResponse: 'UnexpectedResponse',
  /** Cognito's endpoint answered with a 3xx redirect, which is never followed. Transient, like NetworkError. */
  redirect: 'UnexpectedRedirect',
  /** Cognito's tokens name another user pool or app client than the one configured: nothing was stored. */
  tokensFromAnotherPool: 'TokensFromAnotherPool',
  /** The SRP handshake could not go on with what Cognito sent (a parameter SRP forbids). */
  srp: 'SrpError',
  /** The app's storage threw, did not answer within storageTimeoutMs, or did not keep (or remove) the session as asked. */
  storage: 'StorageError',
  /** A refresh's tokens were not written: the stored session was cleared or replaced after the refresh began. */
  staleWrite: 'StaleWriteError',
  /** What was stored was not a usable session (bad JSON, half a session, another client's tokens); it was removed. */
  corruptSession: 'CorruptSession',
  /**
   * A refresh was needed, but the stored session has no refresh token (tokens stored by an app, or
   * a flow that issued none): the session is over, and the store is cleared.
   */
  refreshTokenMissing: 'RefreshTokenMissing',
  /**
   * A refresh Cognito refused because of the device: the session's tokens are bound to a device
   * (its access token's device_key), the refresh named it (DEVICE_KEY), and Cognito answered
   * NotAuthorizedException 'Invalid Refresh Token': the device was forgotten (forgetDevice(), or by
   * an admin), or is another user's. The session is over, and the store is cleared; sign in again
   * (the device record of a forgotten device is not sent again once forgetDevice() removed it).
   */
  deviceRefreshRefused: 'DeviceRefreshRefused',
  /** The tokens a call needed are no longer held (a sign-out intent's, or a retried result's, already taken): a later try cannot find them either. */
  tokensMissing: 'TokensMissing',
  /** A sign-out revoked the tokens on the server, but the device could not be cleared yet: the dead session is still stored, and calls that would use it are refused. Call signOut() again to clear it. */
  revokedSessionNotCleared: 'RevokedSessionNotCleared',
  /** A call not sent because the storage it needed did not answer in time. */
  notSent: 'NotSent',
  /** A sign-in while a user is signed in: one user at a time. */
  userAlreadyAuthenticated: 'UserAlreadyAuthenticatedException',
  /** A call a running sign-in step excludes. */
  signInInProgress: 'SignInInProgressException',
  /** A sign-in while a sign-out runs. */
  signOutInProgress: 'SignOutInProgressException',
  /** confirmSignIn() without a challenge waiting for an answer. */
  noPendingChallenge: 'NoPendingChallengeException',
  /**
   * A sign-in refused because a global sign-out queued on this storage is not finished yet: its
   * GlobalSignOut got no answer, or a retryable one (offline, throttled, too slow), so it may still
   * land and would end the new session. Nothing was sent to sign in. Call signIn() again once
   * Cognito answers, or flushRevocations() first.
   */
  globalSignOutPending: 'GlobalSignOutPendingException',
  /**
   * confirmSignIn() after the challenge's session expired: Cognito keeps a challenge's Session for
   * AuthSessionValidity (createAuth's authSessionValidityMinutes, 3 by default), and an answer sent
   * later would only be refused as "Invalid session". Nothing was sent, and the pending challenge is
   * dropped (its stored record removed, with durableChallenges). Call signIn() again.
   */
  signInSessionExpired: 'SignInSessionExpired',
  /** Cognito asked for a challenge authchart cannot answer yet. */
  unsupportedChallenge: 'UnsupportedChallengeException',
  /** The user left the hosted UI without signing in (closed it, went back). */
  redirectSignInCancelled: 'RedirectSignInCancelled',
  /** A return from the hosted UI whose `state` is not the one this app sent (or none was sent). */
  oauthStateMismatch: 'OAuthStateMismatch',
  /** The hosted UI or its identity provider answered with an OAuth error, or the code was refused. */
  oauthError: 'OAuthError',
  /** signOut({ redirectUrl }) named a URL that is not one of `oauth.redirectSignOut`: nothing was done. */
  signOutUrlNotAllowed: 'SignOutUrlNotAllowed',
  /** Cognito's: a rotated refresh token used again after its grace period (another tab or instance refreshed first). */
  refreshTokenReuse: 'RefreshTokenReuseException',
  /** The user closed the hosted UI's sign-out (an auth session) before it came back: the hosted UI's `cognito` cookie may still sign this browser in without a password (for up to an hour). Open the error's `logoutUrl` to end it. */
  hostedUiSignOutCancelled: 'HostedUiSignOutCancelled',
  /** /logout could not be opened: the opener failed, none is available, or its pending record could not be written. The `cognito` cookie may still sign this browser in (for up to an hour); open the error's `logoutUrl` to end it. */
  hostedUiSignOutNotOpened: 'HostedUiSignOutNotOpened',
  /** A hosted-UI session signed out by an instance with no `oauth` config: /logout cannot be built, and the `cognito` cookie may still sign this browser in (for up to an hour). Configure `oauth` on every instance that may sign such a session out. */
  hostedUiNotConfigured: 'HostedUiNotConfigured',
  /** createAuth() was given a config it cannot work with; the error's `field` names the culprit. */
  config: 'AuthConfigError',
  /** A method was called with an argument it cannot work with; the error's `field` names the culprit. */
  validation: 'AuthValidationError',
  /** The instance was stopped: no further call can run. */
  stopped: 'AuthStoppedError',
  /** A fault inside authchart (a bug), never a fact about Cognito or the storage. */
  internal: 'AuthInternalError',
  /** A bare machine ran an actor nobody provided (machine.provide({ actors })). */
  actorNotProvided: 'ActorNotProvided',
  /** The app's revocation endpoint (createAuth's `revocationEndpoint`) answered the sign-out's announcement with a status that no later try changes (a 4xx such as 401 for a token the API refuses, or anything but 204): the API was not told, and never will be by this sign-out. */
  apiRefused: 'RevocationEndpointRefused',
  /** The app's revocation endpoint answered 5xx, 408 or 429: the API was not told yet; the outbox tells it later. */
  apiUnavailable: 'RevocationEndpointUnavailable',
  /** A rejection without a name of its own (a plain Error, or no error object at all): code that threw. */
  unnamed: 'Error',
} as const;

/** Cognito's exception names that authchart decides on. Any other name Cognito sends is its final word on that request. */
export const CognitoExceptions = {
  /** The token or password was refused: a refresh that gets it means the session is over. */
  notAuthorized: 'NotAuthorizedException',
  /** A wrong challenge code: the challenge stays open for another try. */
  codeMismatch: 'CodeMismatchException',
  /** A wrong code for a TOTP secret being set up (VerifySoftwareToken): the setup stays open for another try. */
  enableSoftwareTokenMfa: 'EnableSoftwareTokenMFAException',
  /** The user has not confirmed the sign-up: signIn() answers the step CONFIRM_SIGN_UP. */
  userNotConfirmed: 'UserNotConfirmedException',
  /** The user must reset the password (AdminResetUserPassword): signIn() answers the step RESET_PASSWORD. */
  passwordResetRequired: 'PasswordResetRequiredException',
  /** A rotated refresh token used again after its grace period. */
  refreshTokenReuse: 'RefreshTokenReuseException',
  /** A parameter Cognito would not take (e.g. REFRESH_TOKEN_AUTH on a rotating app client). */
  invalidParameter: 'InvalidParameterException',
  /** Throttled (after the transport's own retries). */
  tooManyRequests: 'TooManyRequestsException',
  /** Cognito failed on its side. */
  internalError: 'InternalErrorException',
  /** Cognito (or AWS in front of it) is unavailable for now. */
  serviceUnavailable: 'ServiceUnavailableException',
} as const;

/** Names the platform gives errors that services read (the JS engine, fetch, Web Storage), and never report as their own. */
export const PlatformErrorNames = {
  /** fetch's (and undici's) failure to reach a server. */
  typeError: 'TypeError',
  /** JSON.parse's; the SDK's failed deserialization. */
  syntaxError: 'SyntaxError',
  /** Web Storage blocked on this page. */
  securityError: 'SecurityError',
  /** Web Storage full. */
  quotaExceeded: 'QuotaExceededError',
} as const;

/**
 * The throttling error names Cognito sends: the fetch transport backs off from a longer base on
 * these (and on any HTTP 429). The AWS SDK's retry strategy lists a dozen more for other services
 * (ThrottlingException, SlowDown, …); Cognito sends none of them, so the browser bundle leaves them out.
 */
export const THROTTLING_NAMES: ReadonlySet<string> = /* @__PURE__ */ new Set(['TooManyRequestsException', 'LimitExceededException']);

/** A name of ours. */
export type OurErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];
/** A Cognito exception name authchart decides on. */
export type CognitoExceptionName = (typeof CognitoExceptions)[keyof typeof CognitoExceptions];
/** A name only authchart/server meets. */
export type ServerErrorName = (typeof ServerErrorNames)[keyof typeof ServerErrorNames] | (typeof BffErrorNames)[keyof typeof BffErrorNames];
/** Every name the registry holds. */
export type RegisteredErrorName = OurErrorName | CognitoExceptionName | ServerErrorName | AccountErrorName | AccountCognitoExceptionName;

/** The public AuthError subclasses (src/errors.ts), by class name. */
export type AuthErrorClassName =
  | 'AuthConfigError'
  | 'AuthValidationError'
  | 'AuthStoppedError'
  | 'AuthStateError'
  | 'AuthInternalError'
  | 'CognitoServiceError'
  | 'CognitoUnreachableError'
  | 'UnexpectedResponseError'
  | 'StorageError'
  | 'HostedUiError';

/** authchart/server's AuthError subclasses (src/server/errors.ts), by class name. */
export type ServerErrorClassName = 'TokenRevokedError' | 'RevocationUnavailableError' | 'ServerRequestError';

/** The class each of authchart/server's own names is reported as (read by meaningOf, never by toAuthError: no statechart meets them). */
// Built in a pure call: an object of arrays that read properties is kept by a bundler (a read may
// have effects), so the browser bundles carried it (and ServerErrorNames) though nothing reads them.
export const SERVER_CLASS_OF: { readonly [errorClass in ServerErrorClassName]: readonly ServerErrorName[] } = /* @__PURE__ */ (() => ({
  TokenRevokedError: [ServerErrorNames.tokenRevoked],
  RevocationUnavailableError: [ServerErrorNames.revocationListUnavailable],
  // Every refusal of the backend-for-frontend, none of which reaches Cognito (SENT_OF.notSent).
  ServerRequestError: Object.values(BffErrorNames),
}))();

/**
 * Whether the request reached Cognito: 'sent' (Cognito, or something at its address, answered),
 * 'notSent' (nothing left this device), 'unknown' (it may have: a reset, a deadline, an abort).
 */
export type Sent = 'sent' | 'notSent' | 'unknown';

/** What one error name means. */
export interface ErrorMeaning {
  /** The AuthError subclass an app sees it as. */
  readonly class: AuthErrorClassName | ServerErrorClassName;
  /** A later try can fix it (the outbox and retrySignOut() keep it); else it is final. */
  readonly retryable: boolean;
  /** A refresh that fails with it means the session is over: the store is cleared. */
  readonly endsSession: boolean;
  /** Whether the request reached Cognito. */
  readonly sent: Sent;
}

/**
 * The AuthError subclass each name is reported as. Every name not listed here is a
 * CognitoServiceError: Cognito's own exceptions (CognitoExceptions, and the many it has beyond
 * them), and of ours UnsupportedChallengeException, TokenRevocationNotEnabled,
 * GlobalSignOutNotSupported and RefreshTokenMissing (what Cognito would refuse, or has ended), and
 * RevocationEndpointRefused and RevocationEndpointUnavailable (a server's answer as sent: the app's
 * API's, which a sign-out result carries and never throws).
 */
export const CLASS_OF: { readonly [errorClass in Exclude<AuthErrorClassName, 'CognitoServiceError'>]: readonly RegisteredErrorName[] } = {
  /** The request did not reach Cognito, or its answer did not come back. */
  CognitoUnreachableError: [ErrorNames.network, ErrorNames.timeout, ErrorNames.aborted, ErrorNames.notSent],
  /** Something answered, but not as Cognito documents. */
  UnexpectedResponseError: [ErrorNames.unexpectedResponse, ErrorNames.redirect, ErrorNames.tokensFromAnotherPool, ErrorNames.srp],
  /** The app's storage, and what it holds. */
  StorageError: [ErrorNames.storage, ErrorNames.staleWrite, ErrorNames.corruptSession, ErrorNames.tokensMissing],
  /** The state the instance is in refuses the call (docs/calls.md). */
  AuthStateError: [ErrorNames.userAlreadyAuthenticated, ErrorNames.signInInProgress, ErrorNames.signOutInProgress, ErrorNames.noPendingChallenge, ErrorNames.signInSessionExpired, ErrorNames.revokedSessionNotCleared, ErrorNames.globalSignOutPending],
  /** The hosted UI. */
  HostedUiError: [
    ErrorNames.redirectSignInCancelled,
    ErrorNames.oauthStateMismatch,
    ErrorNames.oauthError,
    ErrorNames.signOutUrlNotAllowed,
    ErrorNames.hostedUiSignOutCancelled,
    ErrorNames.hostedUiSignOutNotOpened,
    ErrorNames.hostedUiNotConfigured,
  ],
  AuthConfigError: [ErrorNames.config],
  AuthValidationError: [ErrorNames.validation],
  AuthStoppedError: [ErrorNames.stopped],
  /** authchart itself, or code an app provided: never a fact about Cognito or the storage. */
  AuthInternalError: [ErrorNames.internal, ErrorNames.actorNotProvided, ErrorNames.unnamed],
};

/**
 * Failures a later try can fix: the network, a deadline, a server that answered badly or was
 * busy. Every other name is final.
 */
export const RETRYABLE_FAILURES: ReadonlySet<string> = /* @__PURE__ */ new Set<RegisteredErrorName>([
  ErrorNames.network,
  ErrorNames.timeout,
  ErrorNames.aborted,
  ErrorNames.notSent,
  ErrorNames.unexpectedResponse,
  ErrorNames.redirect,
  ErrorNames.apiUnavailable,
  ErrorNames.globalSignOutPending,
  CognitoExceptions.tooManyRequests,
  CognitoExceptions.internalError,
  CognitoExceptions.serviceUnavailable,
]);

/** Refresh failures that mean the session is over (revoked, expired, signed out elsewhere): not offline. */
export const SESSION_ENDING: ReadonlySet<string> = /* @__PURE__ */ new Set<RegisteredErrorName>([CognitoExceptions.notAuthorized, ErrorNames.refreshTokenMissing, ErrorNames.deviceRefreshRefused]);

/** The names whose request may have reached Cognito, or not: SENT_OF.unknown. */
const SENT_UNKNOWN: readonly RegisteredErrorName[] = /* @__PURE__ */ (() => [
  ErrorNames.network,
  ErrorNames.timeout,
  ErrorNames.aborted,
  ErrorNames.srp,
  ErrorNames.oauthError,
  ErrorNames.hostedUiSignOutCancelled,
  ErrorNames.stopped,
  ErrorNames.internal,
  ErrorNames.unnamed,
  ServerErrorNames.revocationListUnavailable,
])();

/** Whether the request reached Cognito, for the names where it did not, or may not have; every other name's was sent. */
export const SENT_OF: { readonly notSent: readonly RegisteredErrorName[]; readonly unknown: readonly RegisteredErrorName[] } = /* @__PURE__ */ (() => ({
  notSent: [
    ErrorNames.notSent,
    ErrorNames.revocationNotEnabled,
    ErrorNames.globalSignOutNotSupported,
    ErrorNames.refreshTokenMissing,
    ErrorNames.storage,
    ErrorNames.corruptSession,
    ErrorNames.tokensMissing,
    ErrorNames.userAlreadyAuthenticated,
    ErrorNames.signInInProgress,
    ErrorNames.signOutInProgress,
    ErrorNames.noPendingChallenge,
    ErrorNames.signInSessionExpired,
    ErrorNames.revokedSessionNotCleared,
    ErrorNames.globalSignOutPending,
    ErrorNames.redirectSignInCancelled,
    ErrorNames.oauthStateMismatch,
    ErrorNames.signOutUrlNotAllowed,
    ErrorNames.hostedUiSignOutNotOpened,
    ErrorNames.hostedUiNotConfigured,
    ErrorNames.config,
    ErrorNames.validation,
    ErrorNames.actorNotProvided,
    ServerErrorNames.tokenRevoked,
    ...Object.values(BffErrorNames),
    ...Object.values(AccountErrorNames),
  ],
  unknown: SENT_UNKNOWN,
}))();

/**
 * Whether a request that failed with `name` may have reached Cognito, or not (a reset, a deadline,
 * an abort): SENT_OF.unknown, read alone. The outbox chart reads it, and a bundle that reads only
 * this leaves SENT_OF's other list, the classes and the server's names out.
 */
export const sentIsUnknown = (name: string): boolean => (SENT_UNKNOWN as readonly string[]).includes(name);

/** Every registered name. */
export const registeredNames = (): RegisteredErrorName[] => [
  ...new Set<RegisteredErrorName>([...Object.values(ErrorNames), ...Object.values(CognitoExceptions), ...Object.values(ServerErrorNames), ...Object.values(BffErrorNames), ...Object.values(AccountErrorNames), ...Object.values(AccountCognitoExceptions)]),
];

/** Whether `name` is one of the account flows' own (authchart/account): each an AuthStateError, which toAuthError (read by createAuth's bundles) does not list. */
export const isAccountErrorName = (name: string): name is AccountErrorName => (Object.values(AccountErrorNames) as string[]).includes(name);

/** The class a name is reported as: Cognito's own (CognitoServiceError) for a name not listed. */
export function classOf(name: string): AuthErrorClassName {
  for (const errorClass in CLASS_OF) if ((CLASS_OF[errorClass as keyof typeof CLASS_OF] as readonly string[]).includes(name)) return errorClass as AuthErrorClassName;
  return 'CognitoServiceError';
}

export const isRetryable = (errorName: string): boolean => RETRYABLE_FAILURES.has(errorName);
export const endsSession = (errorName: string): boolean => SESSION_ENDING.has(errorName);

/** One name's meaning. A name not listed (Cognito has many more exceptions) is Cognito's final word on a request it received. */
export function meaningOf(name: string): ErrorMeaning {
  const sent: Sent = (SENT_OF.notSent as readonly string[]).includes(name) ? 'notSent' : (SENT_OF.unknown as readonly string[]).includes(name) ? 'unknown' : 'sent';
  const serverClass = (Object.keys(SERVER_CLASS_OF) as ServerErrorClassName[]).find((errorClass) => (SERVER_CLASS_OF[errorClass] as readonly string[]).includes(name));
  return { class: serverClass ?? (isAccountErrorName(name) ? 'AuthStateError' : classOf(name)), retryable: isRetryable(name), endsSession: endsSession(name), sent };
}
