import { ErrorNames } from '../machines/types.js';
import { AuthValidationError, HostedUiError } from './errors.js';

/** A first factor of a choice-based sign-in (USER_AUTH), by Cognito's and Amplify's name. */
export type AuthFactorType = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/** signIn()'s argument. A value outside the bounds below rejects with AuthValidationError naming the field. */
export interface SignInOptions {
  /** The username, or a sign-in alias of the pool such as an email: 1 to 128 characters, not blank. */
  readonly username: string;
  /**
   * The password: 1 to 256 characters. Never stored, never in the statechart, never in an error
   * message. Required, except in a choice-based sign-in (`options.authFlowType: 'USER_AUTH'`), which
   * takes it only with `preferredChallenge` 'PASSWORD' or 'PASSWORD_SRP' (and then requires it).
   */
  readonly password?: string;
  /** Default 'USER_SRP_AUTH' (the password never leaves the device), as in Amplify. `options.authFlowType`, Amplify's name, wins over it. */
  readonly authFlow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /** Amplify's options. */
  readonly options?: {
    /** The flow, as `authFlow`; or 'USER_AUTH': a choice-based sign-in (a first factor: a password, an emailed or texted code, a passkey). */
    readonly authFlowType?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'USER_AUTH';
    /**
     * USER_AUTH only: the first factor to start with (PREFERRED_CHALLENGE). 'PASSWORD' and
     * 'PASSWORD_SRP' with `password` sign in in one step; the others lead to their step. Absent, or
     * one the user cannot use: Cognito offers a choice (CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION).
     */
    readonly preferredChallenge?: AuthFactorType;
  };
}

/** A sign-in as checked: the flow, and the password ('' for USER_AUTH without one). */
export interface CheckedSignIn {
  readonly username: string;
  readonly password: string;
  readonly authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'USER_AUTH';
  readonly preferredChallenge?: AuthFactorType;
}

/**
 * confirmSignIn()'s argument: exactly one answer, in the field the pending step takes (each step's
 * docs name it: src/results.ts, SignInResult). An answer in another field than the step takes, a
 * factor the step does not offer, or a field not listed here is refused with AuthValidationError
 * naming the field, and nothing is sent; the challenge stays open. A bad value rejects the same way.
 */
export interface ConfirmSignInOptions {
  /**
   * A code (TOTP, SMS, email; a TOTP setup's first code; a sign-in code of USER_AUTH), the new
   * password (NEW_PASSWORD_REQUIRED), the password (CONFIRM_SIGN_IN_WITH_PASSWORD), or the first
   * factor chosen (CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION: one of the step's `availableChallenges`):
   * 1 to 256 characters, not blank.
   */
  readonly challengeResponse?: string;
  /** The factor chosen (CONTINUE_SIGN_IN_WITH_MFA_SELECTION, CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION): one of the step's `allowedMFATypes`. */
  readonly mfaType?: 'TOTP' | 'SMS' | 'EMAIL';
  /** The address to set email MFA up with (CONTINUE_SIGN_IN_WITH_EMAIL_SETUP). */
  readonly email?: string;
  /** Extra answers for the challenge. */
  readonly options?: {
    /** With a new password: the attributes Cognito asked for (`missingAttributes`), as strings, e.g. `{ email }`. */
    readonly userAttributes?: Readonly<Record<string, string>>;
  };
}

/** signOut()'s argument, all optional. A bad value rejects with AuthValidationError naming the field. */
export interface SignOutOptions {
  /** Also sign out of every device with GlobalSignOut. Default false. */
  readonly global?: boolean;
  /**
   * For a hosted-UI session: where /logout returns. One of `oauth.redirectSignOut` exactly
   * (default its first); any other URL rejects with SignOutUrlNotAllowed before anything is done.
   */
  readonly redirectUrl?: string;
}

/** signInWithRedirect()'s argument, all optional. A bad value (an empty string, an unknown prompt) rejects with AuthValidationError. */
export interface SignInWithRedirectOptions {
  /** `identity_provider`: e.g. 'Google', 'SignInWithApple', a SAML or OIDC provider's name; default the hosted UI's choice. */
  readonly provider?: string;
  /** App data handed back by handleRedirect() and the `customOAuthState` event. Not a secret: it travels in storage. */
  readonly customState?: string;
  /** 'login' asks for credentials even with a live hosted-UI session (managed login only). */
  readonly prompt?: 'login' | 'none';
  /** `login_hint` (managed login only): a username or email to pre-fill the login form with. */
  readonly loginHint?: string;
}

/** getSession()'s argument, optional. A bad value rejects with AuthValidationError naming the field. */
export interface GetSessionOptions {
  /** Refresh even when the access token is not about to expire. Default false. */
  readonly forceRefresh?: boolean;
}

export const objectOrUndefined = (value: unknown, field: string, example: string): Record<string, unknown> => {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw new AuthValidationError(field, `must be an object such as ${example}`);
  return value as Record<string, unknown>;
};

/** Asserts a non-empty string (with `rejectBlank`, not only spaces either) of at most `max` characters; the value is never echoed. */
export function text(field: string, value: unknown, max: number, rejectBlank: boolean): asserts value is string {
  if (typeof value !== 'string' || (rejectBlank ? value.trim() : value) === '') throw new AuthValidationError(field, 'must be a non-empty string');
  if (value.length > max) throw new AuthValidationError(field, `must be at most ${max} characters`);
}

/** Checks signIn()'s argument, throwing AuthValidationError; the password is never echoed. */
export function validateSignIn(input: unknown): CheckedSignIn {
  if (typeof input !== 'object' || input === null) throw new AuthValidationError('signIn options', 'must be an object with username and password');
  const { username, password, authFlow: flow = 'USER_SRP_AUTH', options } = input as Record<string, unknown>;
  text('username', username, 128, true);
  const { authFlowType: authFlow = flow, preferredChallenge } = objectOrUndefined(options, 'options', "{ authFlowType: 'USER_AUTH' }");
  const choice = authFlow === 'USER_AUTH';
  if (!choice && authFlow !== 'USER_SRP_AUTH' && authFlow !== 'USER_PASSWORD_AUTH') throw new AuthValidationError('authFlow', "must be 'USER_SRP_AUTH', 'USER_PASSWORD_AUTH' or 'USER_AUTH'");
  if (preferredChallenge !== undefined && !(choice && ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'].includes(preferredChallenge as string))) {
    throw new AuthValidationError('options.preferredChallenge', "must be a first factor, with authFlowType 'USER_AUTH'");
  }
  // USER_AUTH takes a password only for the factor it answers, and then requires it.
  if (!choice || /^PASSWORD/.test(preferredChallenge as string)) text('password', password, 256, false);
  else if (password !== undefined) throw new AuthValidationError('password', 'goes only with a password factor');
  return { username, password: password ?? '', authFlow, ...(preferredChallenge !== undefined && { preferredChallenge: preferredChallenge as AuthFactorType }) };
}

/**
 * Checks confirmSignIn()'s argument: its first field besides `options` holds the answer, a
 * non-blank string. `field` names every field given, comma-separated: whether the pending step
 * takes that one field is the sign-in flow's check (misfitOf), which refuses a second. The answer
 * is never echoed.
 */
export function validateConfirmSignIn(input: unknown): { field: string; answer: string; userAttributes: Record<string, string> } {
  if (typeof input !== 'object' || input === null) throw new AuthValidationError('confirmSignIn options', 'must be an object with challengeResponse');
  const { options, ...answers } = input as Record<string, unknown>;
  const fields = Object.keys(answers);
  const [field = 'challengeResponse'] = fields;
  const answer = answers[field];
  text(field, answer, 256, true);
  const { userAttributes = {} } = objectOrUndefined(options, 'options', '{ userAttributes: { email } }');
  const attributes = objectOrUndefined(userAttributes, 'options.userAttributes', "{ email: 'a@example.com' }");
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') throw new AuthValidationError(`options.userAttributes.${key}`, 'must be a string');
  }
  return { field: fields.join(), answer, userAttributes: attributes as Record<string, string> };
}

/** Checks signOut()'s argument, throwing AuthValidationError. */
/**
 * Checks signOut()'s argument, throwing AuthValidationError; a `redirectUrl` that is not one of
 * `allowed` (oauth.redirectSignOut) is a HostedUiError named SignOutUrlNotAllowed, thrown before
 * anything is sent or cleared. `returnTo` is the sign-out URL /logout will return to, if any.
 */
export function validateSignOut(options: unknown, allowed: readonly string[] = []): { global: boolean; returnTo?: string } {
  const { global = false, redirectUrl } = objectOrUndefined(options, 'signOut options', '{ global: true }');
  if (typeof global !== 'boolean') throw new AuthValidationError('global', 'must be a boolean');
  if (redirectUrl === undefined) return { global, ...(allowed[0] !== undefined && { returnTo: allowed[0] }) };
  if (typeof redirectUrl !== 'string') throw new AuthValidationError('redirectUrl', 'must be a string: one of oauth.redirectSignOut');
  if (!allowed.includes(redirectUrl)) {
    const why = allowed.length === 0 ? 'no oauth.redirectSignOut is configured' : `it is not one of oauth.redirectSignOut (${allowed.length} configured)`;
    throw new HostedUiError(ErrorNames.signOutUrlNotAllowed, `signOut() was given a redirectUrl that ${why}: nothing was done, and the user is still signed in`);
  }
  return { global, returnTo: redirectUrl };
}

/** Checks getSession()'s argument, throwing AuthValidationError. */
export function validateGetSession(options: unknown): { forceRefresh: boolean } {
  const { forceRefresh = false } = objectOrUndefined(options, 'getSession options', '{ forceRefresh: true }');
  if (typeof forceRefresh !== 'boolean') throw new AuthValidationError('forceRefresh', 'must be a boolean');
  return { forceRefresh };
}

export function validateSignInWithRedirect(options: unknown): SignInWithRedirectOptions {
  const o = objectOrUndefined(options, 'options', "{ provider: 'Google' }");
  for (const field of ['provider', 'customState', 'loginHint'] as const) {
    if (o[field] !== undefined && (typeof o[field] !== 'string' || o[field] === '')) throw new AuthValidationError(field, 'must be a non-empty string');
  }
  if (o.prompt !== undefined && o.prompt !== 'login' && o.prompt !== 'none') throw new AuthValidationError('prompt', "must be 'login' or 'none'");
  return o as SignInWithRedirectOptions;
}

export function validateRedirectUrl(url: unknown): string {
  const href = url ?? (globalThis as { location?: { href?: unknown } }).location?.href;
  if (typeof href !== 'string' || href === '') throw new AuthValidationError('url', 'must be the URL the hosted UI returned to');
  return href;
}
