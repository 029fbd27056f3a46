import { ErrorNames, type ErrorInfo } from '../machines/types.js';

/**
 * Every error authchart throws or rejects with is an AuthError, and one of the subclasses below.
 * `name` is Cognito's exception name when Cognito refused (NotAuthorizedException, …), or one of
 * ours (ErrorNames). Messages never contain a token, a password or a client secret, and
 * server-supplied text is capped in length.
 */
export class AuthError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** createAuth() was given a config it cannot work with; `field` names the culprit. */
export class AuthConfigError extends AuthError {
  constructor(readonly field: string, message: string) {
    super('AuthConfigError', `Invalid authchart config: ${field} ${message}`);
  }
}

/** A method was called with an argument it cannot work with; `field` names the culprit. */
export class AuthValidationError extends AuthError {
  constructor(readonly field: string, message: string) {
    super('AuthValidationError', `${field} ${message}`);
  }
}

/** The Auth instance was stopped: no further call can run, and pending ones are rejected. */
export class AuthStoppedError extends AuthError {
  constructor(method: string) {
    super('AuthStoppedError', `${method}() cannot run: this authchart instance has been stopped`);
  }
}

/** Cognito refused the request; `name` is its exception name, as sent. */
export class CognitoServiceError extends AuthError {}

/** The request did not reach Cognito, or no answer came back in time (NetworkError, TimeoutError, NotSent). */
export class CognitoUnreachableError extends AuthError {}

/**
 * Something answered that is not Cognito's documented wire (UnexpectedResponse, UnexpectedRedirect),
 * or tokens this configuration cannot use: another user pool or app client (TokensFromAnotherPool).
 */
export class UnexpectedResponseError extends AuthError {}

/**
 * The app's storage failed, did not answer within storageTimeoutMs, or holds something unusable
 * (StorageError, CorruptSession), or refused a write: a refresh answered after the stored session
 * changed (StaleWriteError). A browser's storage that is full (QuotaExceededError) or blocked on
 * the page (SecurityError, or webStorage() finding none) says so in the message, with what to do
 * (docs/browser-storage.md); a sign-in whose session could not be stored leaves nobody signed in.
 */
export class StorageError extends AuthError {}

/**
 * The hosted UI: a sign-in with it did not finish (RedirectSignInCancelled, OAuthStateMismatch,
 * OAuthError: the provider or the code exchange refused), or signOut() was given a redirectUrl
 * that is not one of oauth.redirectSignOut (SignOutUrlNotAllowed). The layer-3 names of a partial
 * sign-out (HostedUiSignOutCancelled, HostedUiSignOutNotOpened, HostedUiNotConfigured) map here too.
 */
export class HostedUiError extends AuthError {}

/** The statechart itself failed (a bug in authchart, or an actor an app provided that broke its contract). */
export class AuthInternalError extends AuthError {
  constructor(cause: unknown) {
    super('AuthInternalError', `The authchart statechart stopped on an internal error (${cause instanceof Error ? cause.name : typeof cause}); this instance cannot continue`);
  }
}

/**
 * The call cannot run in the state the instance is in: UserAlreadyAuthenticatedException,
 * SignInInProgressException, SignOutInProgressException, NoPendingChallengeException,
 * RevokedSessionNotCleared. The statechart decides these (docs/calls.md).
 */
export class AuthStateError extends AuthError {}

const STATE_ERRORS = new Set<string>([
  ErrorNames.userAlreadyAuthenticated,
  ErrorNames.signInInProgress,
  ErrorNames.signOutInProgress,
  ErrorNames.noPendingChallenge,
  ErrorNames.revokedSessionNotCleared,
]);
const UNREACHABLE = new Set<string>([ErrorNames.network, ErrorNames.timeout, ErrorNames.notSent, 'AbortError']);
const UNEXPECTED = new Set<string>([ErrorNames.unexpectedResponse, ErrorNames.redirect, 'TokensFromAnotherPool', 'Unknown', 'Error', 'ActorNotProvided']);
const HOSTED_UI = new Set<string>([
  ErrorNames.redirectSignInCancelled,
  ErrorNames.oauthStateMismatch,
  ErrorNames.oauthError,
  ErrorNames.signOutUrlNotAllowed,
  ErrorNames.hostedUiSignOutCancelled,
  ErrorNames.hostedUiSignOutNotOpened,
  ErrorNames.hostedUiNotConfigured,
]);
const STORAGE = new Set<string>([ErrorNames.storage, ErrorNames.corruptSession, 'StaleWriteError']);

/** The AuthError subclass for a failure the statechart recorded as { name, message }. */
export function toAuthError(error: ErrorInfo): AuthError {
  const { name, message } = error;
  if (STATE_ERRORS.has(name)) return new AuthStateError(name, message);
  if (HOSTED_UI.has(name)) return new HostedUiError(name, message);
  if (name === 'AuthConfigError') return new AuthConfigError('oauth', message);
  if (UNREACHABLE.has(name)) return new CognitoUnreachableError(name, message);
  if (STORAGE.has(name)) return new StorageError(name, message);
  if (UNEXPECTED.has(name)) return new UnexpectedResponseError(name, message);
  return new CognitoServiceError(name, message);
}
