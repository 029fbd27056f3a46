import type { ErrorInfo, SignOutOutcome } from '../machines/types.js';
import type { SessionTokens } from '../services/tokenStore.js';

/** A failed call: Cognito's exception name (kept as sent) or NetworkError, TimeoutError, …. */
export type SignOutError = ErrorInfo;

/**
 * What a sign-out did. `signedOutLocally` is true whenever this device no longer holds the tokens.
 * A partial result carries the token each failed call needs, so the app can retry it
 * (auth.retrySignOut(result)). These tokens exist only in this object: keep it out of logs.
 */
export type SignOutResult =
  | { readonly type: 'complete'; readonly signedOutLocally: true }
  | {
      readonly type: 'partial';
      readonly signedOutLocally: true;
      readonly globalSignOutError?: SignOutError & { readonly accessToken: string };
      readonly revokeTokenError?: SignOutError & { readonly refreshToken: string };
    }
  | { readonly type: 'failed'; readonly signedOutLocally: false; readonly error: SignOutError };

export type SignInStep = 'DONE';

export interface SignInResult {
  readonly isSignedIn: boolean;
  readonly nextStep: { readonly signInStep: SignInStep };
}

export const COMPLETE: SignOutResult = Object.freeze({ type: 'complete', signedOutLocally: true });

/** Attaches the session's tokens to the failed calls of a machine outcome. */
export function toSignOutResult(outcome: SignOutOutcome, tokens: SessionTokens | null): SignOutResult {
  if (outcome.type === 'complete') return COMPLETE;
  if (outcome.type === 'failed') return { type: 'failed', signedOutLocally: false, error: outcome.error };
  const { globalSignOutError, revokeTokenError } = outcome;
  return {
    type: 'partial',
    signedOutLocally: true,
    ...(globalSignOutError && { globalSignOutError: { ...globalSignOutError, accessToken: tokens?.accessToken ?? '' } }),
    ...(revokeTokenError && { revokeTokenError: { ...revokeTokenError, refreshToken: tokens?.refreshToken ?? '' } }),
  };
}
