import { classOf, ErrorNames, type AuthErrorClassName } from '../machines/errors/registry.js';
import type { ErrorInfo } from '../machines/types.js';

/** The kinds (class names) of an authchart error, under a global symbol: the same in every copy of authchart. */
const KINDS = Symbol.for('authchart.error.kinds');

/**
 * Every error authchart throws or rejects with is an AuthError, and one of the subclasses below.
 * `name` is Cognito's exception name when Cognito refused (NotAuthorizedException, …), or one of
 * ours (ErrorNames). Messages never contain a token, a password or a client secret, and
 * server-supplied text is capped in length.
 */
export class AuthError extends Error {
  /**
   * The class's stable name. `instanceof` compares it (through a global symbol), so an error is an
   * instance of authchart's class whether the app loaded authchart with `import` or `require`, or
   * both: one class identity per error, even with two copies of the code loaded.
   */
  static readonly kind: string = 'AuthError';

  /** `x instanceof SomeAuthError`: true when `x` was made by that class or a subclass, in whichever copy of authchart. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass an app declares without its own `kind` is checked the usual way.
    if (!Object.prototype.hasOwnProperty.call(this, 'kind')) return Function.prototype[Symbol.hasInstance].call(this, value);
    const kinds = typeof value === 'object' && value !== null ? (value as { [KINDS]?: unknown })[KINDS] : undefined;
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

  constructor(name: string, message: string) {
    super(message);
    this.name = name;
    const kinds: string[] = [];
    for (let at: unknown = new.target; typeof at === 'function' && at !== Error; at = Object.getPrototypeOf(at)) {
      if (Object.prototype.hasOwnProperty.call(at, 'kind')) kinds.push((at as typeof AuthError).kind);
    }
    Object.defineProperty(this, KINDS, { value: Object.freeze(kinds) });
  }
}

/** createAuth() was given a config it cannot work with; `field` names the culprit. */
export class AuthConfigError extends AuthError {
  static override readonly kind: string = 'AuthConfigError';
  /** @param field The config field that cannot be used, e.g. 'userPoolId' or 'oauth.redirectSignOut'. */
  constructor(readonly field: string, message: string) {
    super(ErrorNames.config, `Invalid authchart config: ${field} ${message}`);
  }
}

/** A method was called with an argument it cannot work with; `field` names the culprit. */
export class AuthValidationError extends AuthError {
  static override readonly kind: string = 'AuthValidationError';
  /** @param field The argument or field that cannot be used, e.g. 'username' or 'options.userAttributes.email'. */
  constructor(readonly field: string, message: string) {
    super(ErrorNames.validation, `${field} ${message}`);
  }
}

/** The Auth instance was stopped: no further call can run, and pending ones are rejected. */
export class AuthStoppedError extends AuthError {
  static override readonly kind: string = 'AuthStoppedError';
  /** @param message What stopped; by default, that `method` cannot run because the instance was stopped. */
  constructor(method: string, message = `${method}() cannot run: this authchart instance has been stopped`) {
    super(ErrorNames.stopped, message);
  }
}

/** Cognito refused the request; `name` is its exception name, as sent. */
export class CognitoServiceError extends AuthError {
  static override readonly kind: string = 'CognitoServiceError';
}

/** The request did not reach Cognito, or no answer came back in time (NetworkError, TimeoutError, AbortError, NotSent). */
export class CognitoUnreachableError extends AuthError {
  static override readonly kind: string = 'CognitoUnreachableError';
}

/**
 * Something answered that is not Cognito's documented wire (UnexpectedResponse, UnexpectedRedirect),
 * or tokens this configuration cannot use: another user pool or app client (TokensFromAnotherPool), or
 * SRP parameters SRP forbids (SrpError).
 */
export class UnexpectedResponseError extends AuthError {
  static override readonly kind: string = 'UnexpectedResponseError';
}

/**
 * The app's storage failed, did not answer within storageTimeoutMs, or holds something unusable
 * (StorageError, CorruptSession), or no longer holds the tokens a call needed (TokensMissing), or
 * refused a write: a refresh answered after the stored session changed (StaleWriteError). A
 * browser's storage that is full (QuotaExceededError) or blocked on the page (SecurityError, or
 * webStorage() finding none) says so in the message, with what to do (docs/browser-storage.md); a
 * sign-in whose session could not be stored leaves nobody signed in.
 */
export class StorageError extends AuthError {
  static override readonly kind: string = 'StorageError';
}

/**
 * The hosted UI: a sign-in with it did not finish (RedirectSignInCancelled, OAuthStateMismatch,
 * OAuthError: the provider or the code exchange refused), or signOut() was given a redirectUrl
 * that is not one of oauth.redirectSignOut (SignOutUrlNotAllowed). The layer-3 names of a partial
 * sign-out (HostedUiSignOutCancelled, HostedUiSignOutNotOpened, HostedUiNotConfigured) map here too.
 */
export class HostedUiError extends AuthError {
  static override readonly kind: string = 'HostedUiError';
}

/**
 * A fault inside authchart (a bug), or in an actor an app provided that broke its contract: never
 * a fact about Cognito or the storage. Made from `cause`, the statechart stopped on it and this
 * instance cannot continue; made from a recorded failure (`recorded`), that one call failed.
 */
export class AuthInternalError extends AuthError {
  static override readonly kind: string = 'AuthInternalError';
  constructor(cause: unknown, recorded?: ErrorInfo) {
    super(
      recorded?.name ?? ErrorNames.internal,
      recorded?.message ?? `The authchart statechart stopped on an internal error (${cause instanceof Error ? cause.name : typeof cause}); this instance cannot continue`,
    );
  }
}

/**
 * The call cannot run in the state the instance is in: UserAlreadyAuthenticatedException,
 * SignInInProgressException, SignOutInProgressException, NoPendingChallengeException,
 * SignInSessionExpired, RevokedSessionNotCleared, GlobalSignOutPendingException. The statechart decides these (docs/calls.md).
 */
export class AuthStateError extends AuthError {
  static override readonly kind: string = 'AuthStateError';
}

/** The classes made from a recorded failure's name and message as they are. */
const BY_NAME = { AuthStateError, CognitoServiceError, CognitoUnreachableError, UnexpectedResponseError, StorageError, HostedUiError };
/** The classes that carry more than a name: a field, or a cause. */
const MAKE: { readonly [name in Exclude<AuthErrorClassName, keyof typeof BY_NAME>]: (error: ErrorInfo) => AuthError } = {
  AuthConfigError: ({ field, message }) => new AuthConfigError(field ?? 'config', message),
  AuthValidationError: ({ field, message }) => new AuthValidationError(field ?? 'options', message),
  AuthStoppedError: ({ message }) => new AuthStoppedError('', message),
  AuthInternalError: (error) => new AuthInternalError(undefined, error),
};

/** The AuthError subclass for a failure the statechart recorded as { name, message }: the one the error registry names. */
export function toAuthError(error: ErrorInfo): AuthError {
  const errorClass = classOf(error.name);
  return errorClass in BY_NAME ? new BY_NAME[errorClass as keyof typeof BY_NAME](error.name, error.message) : MAKE[errorClass as keyof typeof MAKE](error);
}
