import { AuthValidationError } from './errors.js';

export interface SignInOptions {
  readonly username: string;
  readonly password: string;
  /** Only USER_PASSWORD_AUTH for now (the default until SRP lands). */
  readonly authFlow?: 'USER_PASSWORD_AUTH';
}

export interface SignOutOptions {
  /** Also sign out of every device with GlobalSignOut. Default false. */
  readonly global?: boolean;
}

/** Checks signIn()'s argument, throwing AuthValidationError; the password is never echoed. */
export function validateSignIn(options: unknown): Required<SignInOptions> {
  if (typeof options !== 'object' || options === null) throw new AuthValidationError('signIn options', 'must be an object with username and password');
  const { username, password, authFlow = 'USER_PASSWORD_AUTH' } = options as Record<string, unknown>;
  if (typeof username !== 'string' || username.trim() === '') throw new AuthValidationError('username', 'must be a non-empty string');
  if (username.length > 128) throw new AuthValidationError('username', 'must be at most 128 characters');
  if (typeof password !== 'string' || password === '') throw new AuthValidationError('password', 'must be a non-empty string');
  if (password.length > 256) throw new AuthValidationError('password', 'must be at most 256 characters');
  if (authFlow !== 'USER_PASSWORD_AUTH') throw new AuthValidationError('authFlow', "must be 'USER_PASSWORD_AUTH' (the only flow this version supports)");
  return { username, password, authFlow };
}

/** Checks signOut()'s argument, throwing AuthValidationError. */
export function validateSignOut(options: unknown): { global: boolean } {
  if (options === undefined) return { global: false };
  if (typeof options !== 'object' || options === null) throw new AuthValidationError('signOut options', 'must be an object such as { global: true }');
  const { global = false } = options as Record<string, unknown>;
  if (typeof global !== 'boolean') throw new AuthValidationError('global', 'must be a boolean');
  return { global };
}
