import type { ChallengeSummary } from '../machines/authMachine.js';
import type { ErrorInfo, FinishedBy, HostedUiSignOutError, SignOutOutcome } from '../machines/types.js';
import type { IntentTokens } from '../services/storage/signOutOutbox.js';

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
      /** GlobalSignOut failed. The refresh token comes along when RevokeToken was left to the global retry. */
      readonly globalSignOutError?: SignOutError & { readonly accessToken: string; readonly refreshToken?: string };
      readonly revokeTokenError?: SignOutError & { readonly refreshToken: string };
      /**
       * Layer 3: a hosted-UI session's `cognito` cookie may still live in the browser that signed
       * in (HostedUiSignOutCancelled, HostedUiSignOutNotOpened, HostedUiNotConfigured). Opening
       * `logoutUrl` there ends it. The other layers are as the rest of the result says.
       */
      readonly hostedUiError?: HostedUiSignOutError;
      /**
       * What will finish it: 'outbox' (queued; retried with backoff, at the next start, and on
       * flushRevocations()), 'retrySignOut' (retryable, but nothing queued it: call retrySignOut),
       * 'nothing' (no retry can help, e.g. revocation is off on the app client), or
       * 'openLogoutUrl' (only the hosted UI's cookie is left: open hostedUiError.logoutUrl).
       */
      readonly finishedBy: FinishedBy;
    }
  /**
   * A hosted-UI session: this device is cleared and the server calls are done; the page is on its
   * way to `logoutUrl` (the hosted UI's /logout). handleRedirect() on the return resolves with the
   * whole result, and `signedOut` is emitted then.
   */
  | { readonly type: 'redirecting'; readonly signedOutLocally: true; readonly logoutUrl: string }
  | { readonly type: 'failed'; readonly signedOutLocally: false; readonly error: SignOutError };

/** Where a sign-in stands, in Amplify's shape so that Amplify users can move over. */
export type SignInResult =
  | { readonly isSignedIn: true; readonly nextStep: { readonly signInStep: 'DONE' } }
  | { readonly isSignedIn: false; readonly nextStep: { readonly signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'; readonly missingAttributes?: readonly string[] } }
  | { readonly isSignedIn: false; readonly nextStep: { readonly signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } }
  | {
      readonly isSignedIn: false;
      readonly nextStep: { readonly signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE'; readonly codeDeliveryDetails: { readonly deliveryMedium: 'SMS'; readonly destination?: string } };
    };

export type SignInStep = SignInResult['nextStep']['signInStep'];

/** signInWithRedirect(): signed in (an auth-session opener came back), or the page is on its way to the hosted UI. */
export type RedirectSignInResult = SignInResult | { readonly isSignedIn: false; readonly nextStep: { readonly signInStep: 'REDIRECTING' } };

/**
 * handleRedirect(): a return from the hosted UI signed the user in; or a return from /logout ended
 * a sign-out (`result` is what every layer came to; after the navigation it carries no retry
 * tokens: what the outbox holds it still finishes); or the URL was none of authchart's.
 */
export type HandledRedirect =
  | { readonly type: 'signedIn'; readonly customState?: string }
  | { readonly type: 'signedOut'; readonly result: Exclude<SignOutResult, { type: 'redirecting' }> }
  | { readonly type: 'none' };

export const REDIRECTING: RedirectSignInResult = Object.freeze({ isSignedIn: false, nextStep: Object.freeze({ signInStep: 'REDIRECTING' }) });

export const SIGNED_IN: SignInResult = Object.freeze({ isSignedIn: true, nextStep: Object.freeze({ signInStep: 'DONE' }) });

/** The next step for a challenge Cognito asked for. */
export function challengeStep(challenge: ChallengeSummary): SignInResult {
  switch (challenge.name) {
    case 'NEW_PASSWORD_REQUIRED':
      return { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', ...(challenge.missingAttributes?.length && { missingAttributes: challenge.missingAttributes }) } };
    case 'SOFTWARE_TOKEN_MFA':
      return { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } };
    case 'SMS_MFA':
      return {
        isSignedIn: false,
        nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', ...(challenge.codeDeliveryDestination && { destination: challenge.codeDeliveryDestination }) } },
      };
  }
}

/** What getSession() resolves: the tokens while signed in, nothing otherwise. */
export interface AuthSession {
  readonly tokens?: { readonly accessToken: string; readonly idToken: string; readonly refreshToken?: string };
  readonly username?: string;
  /** When the access token expires, in epoch milliseconds. */
  readonly expiresAt?: number;
}

export const NO_SESSION: AuthSession = Object.freeze({});

export const COMPLETE: Extract<SignOutResult, { type: 'complete' }> = Object.freeze({ type: 'complete', signedOutLocally: true });

/** Attaches the flow's tokens to the failed calls of a machine outcome. */
export function toSignOutResult(outcome: SignOutOutcome, tokens: IntentTokens | undefined): Exclude<SignOutResult, { type: 'redirecting' }> {
  if (outcome.type === 'complete') return COMPLETE;
  if (outcome.type === 'failed') return { type: 'failed', signedOutLocally: false, error: { name: outcome.error.name, message: outcome.error.message } };
  const { globalSignOutError, revokeTokenError, hostedUiError, finishedBy } = outcome;
  const refreshToken = tokens?.refreshToken ?? '';
  return {
    type: 'partial',
    signedOutLocally: true,
    ...(globalSignOutError && {
      globalSignOutError: { ...globalSignOutError, accessToken: tokens?.accessToken ?? '', ...(!revokeTokenError && finishedBy === 'outbox' && tokens?.refreshToken && { refreshToken }) },
    }),
    ...(revokeTokenError && { revokeTokenError: { ...revokeTokenError, refreshToken } }),
    ...(hostedUiError && { hostedUiError }),
    finishedBy,
  };
}
