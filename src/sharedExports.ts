// What both entries, `authchart` (AWS SDK) and `authchart/fetch` (no SDK), export besides createAuth.
export type { Auth, AuthActor } from './authCore.js';
export { DEFAULT_NETWORK_TIMEOUT_MS, DEFAULT_REFRESH_SKEW_SECONDS, type AuthConfig, type RevocationOutboxOptions } from './config.js';
export type { AuthFactorType, ConfirmSignInOptions, GetSessionOptions, SignInOptions, SignInWithRedirectOptions, SignOutOptions } from './validate.js';
export type { AuthOpener, OAuthConfig, OpenerResult } from './oauthConfig.js';
export type { AuthSession, HandledRedirect, RedirectSignInResult, SignInResult, SignInStep, SignOutError, SignOutResult } from './results.js';
export type { AuthHubEvent, AuthHubEventType } from './events.js';
export { AuthConfigError, AuthError, AuthInternalError, AuthStateError, AuthStoppedError, AuthValidationError, CognitoServiceError, CognitoUnreachableError, HostedUiError, StorageError, UnexpectedResponseError } from './errors.js';
export { createMemoryStorage, webStorage, type StorageLike, type WebStorageName } from '../services/storage/storage.js';
export { ErrorNames, type ErrorInfo, type SignOutOutcome } from '../machines/types.js';
export type { DrainReport, FinishedBy, HostedUiSignOutError, SignInMethod } from '../machines/types.js';
