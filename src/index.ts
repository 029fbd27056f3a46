export { createAuth, type Auth, type AuthActor } from './createAuth.js';
export { DEFAULT_NETWORK_TIMEOUT_MS, type AuthConfig } from './config.js';
export type { SignInOptions, SignOutOptions } from './validate.js';
export type { SignInResult, SignInStep, SignOutError, SignOutResult } from './results.js';
export { AuthConfigError, AuthError, AuthStoppedError, AuthValidationError } from './errors.js';
export { createMemoryStorage, type StorageLike } from '../services/storage.js';
export { ErrorNames } from '../machines/types.js';
