import type { ErrorInfo, FinishedBy, HostedUiSignOutError, SignOutOutcome } from '../machines/types.js';
import type { IntentTokens } from '../services/storage/signOutOutbox.js';
import type { AuthFactorType } from './validate.js';

/** A failed call: Cognito's exception name (kept as sent) or NetworkError, TimeoutError, …. */
export type SignOutError = ErrorInfo;

/**
 * What a sign-out did. `signedOutLocally` is true whenever this device no longer holds the tokens.
 * A partial result carries the token each failed call needs, so the app can retry it
 * (auth.retrySignOut(result)). These tokens exist only in this object: keep it out of logs.
 */
export type SignOutResult =
  | {
      /** This device is cleared, and every server call the sign-out needed succeeded (none, when nobody was signed in). */
      readonly type: 'complete';
      /** This device no longer holds the tokens. */
      readonly signedOutLocally: true;
      /** Only with createAuth's `revocationEndpoint`: the app's API was told what ended (it answered 204). Always true here. */
      readonly apiNotified?: true;
    }
  | {
      /** This device is cleared, but a server call (or the hosted UI's /logout) did not succeed or was not made. */
      readonly type: 'partial';
      /** This device no longer holds the tokens. */
      readonly signedOutLocally: true;
      /**
       * What the sign-out asked for: true for signOut({ global: true }) (every device of the user),
       * false for this device only. retrySignOut(result) asks for the same. Absent when only the
       * hosted UI's /logout is left (`finishedBy: 'openLogoutUrl'`).
       */
      readonly global?: boolean;
      /**
       * GlobalSignOut failed; `accessToken` is the token to retry it with. The refresh token comes
       * along when RevokeToken was left to the global retry.
       */
      readonly globalSignOutError?: SignOutError & {
        /** The access token to retry GlobalSignOut with (a secret: keep it out of logs); '' in a result handleRedirect() resolves. */
        readonly accessToken: string;
        /** The refresh token, when RevokeToken was not sent but left to the global retry (a secret). */
        readonly refreshToken?: string;
      };
      /** RevokeToken failed, was skipped (TokenRevocationNotEnabled), or was not sent in time. */
      readonly revokeTokenError?: SignOutError & {
        /** The refresh token to revoke (a secret: keep it out of logs); '' in a result handleRedirect() resolves. */
        readonly refreshToken: string;
      };
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
      /**
       * Only with createAuth's `revocationEndpoint`: the app's API was told what ended at Cognito
       * (it answered 204). false when nothing ended, or the announcement failed: then
       * `announceError` says why, and `finishedBy` who finishes it ('outbox': queued, told later).
       */
      readonly apiNotified?: boolean;
      /** Why the announcement to the app's API failed: RevocationEndpointRefused (final), RevocationEndpointUnavailable, NetworkError or TimeoutError (the outbox tells it later). */
      readonly announceError?: SignOutError;
    }
  /**
   * A hosted-UI session: this device is cleared and the server calls are done; the page is on its
   * way to `logoutUrl` (the hosted UI's /logout). handleRedirect() on the return resolves with the
   * whole result, and `signedOut` is emitted then.
   */
  | {
      /** The page is navigating to the hosted UI's /logout. */
      readonly type: 'redirecting';
      /** This device no longer holds the tokens. */
      readonly signedOutLocally: true;
      /** The /logout URL the page is navigating to. */
      readonly logoutUrl: string;
    }
  | {
      /** The session could not be cleared from storage: this device is still signed in (or, if the server calls killed the tokens, in revokedButStored). */
      readonly type: 'failed';
      /** This device still holds the tokens. */
      readonly signedOutLocally: false;
      /** Why the store could not be cleared: StorageError. */
      readonly error: SignOutError;
    };

/** Where a sign-in stands, in Amplify's shape so that Amplify users can move over. */
export type SignInResult =
  | {
      /** Signed in: the session is stored. */
      readonly isSignedIn: true;
      /** Nothing left to do. */
      readonly nextStep: {
        /** Signed in. */
        readonly signInStep: 'DONE';
      };
      /**
       * Only when Cognito gave this sign-in a new device (the pool tracks devices, docs/devices.md):
       * true when ConfirmDevice confirmed it and its record was stored; false when that failed (the
       * `deviceError` event says why). Signed in either way.
       */
      readonly deviceConfirmed?: boolean;
    }
  | {
      /** Not yet: a challenge waits for confirmSignIn(). */
      readonly isSignedIn: false;
      /** The challenge to answer with confirmSignIn(). */
      readonly nextStep: {
        /** A first sign-in with a temporary password: confirmSignIn({ challengeResponse: newPassword }). */
        readonly signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED';
        /** Attributes Cognito requires with the new password; pass them as `options.userAttributes`. */
        readonly missingAttributes?: readonly string[];
      };
    }
  | {
      /** Not yet: a challenge waits for confirmSignIn(). */
      readonly isSignedIn: false;
      /** The challenge to answer with confirmSignIn(). */
      readonly nextStep: {
        /** The user's authenticator app code (SOFTWARE_TOKEN_MFA): confirmSignIn({ challengeResponse: code }). */
        readonly signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE';
      };
    }
  | {
      /** Not yet: a challenge waits for confirmSignIn(). */
      readonly isSignedIn: false;
      /** The challenge to answer with confirmSignIn(). */
      readonly nextStep: {
        /** The code Cognito sent by SMS (SMS_MFA; or SMS_OTP, USER_AUTH's texted sign-in code): confirmSignIn({ challengeResponse: code }). */
        readonly signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE';
        /** Where the code went. */
        readonly codeDeliveryDetails: {
          /** Always 'SMS'. */
          readonly deliveryMedium: 'SMS';
          /** The phone number, masked by Cognito, e.g. '+*******1234'; absent when Cognito sent none. */
          readonly destination?: string;
        };
      };
    }
  | {
      /** Not yet: a challenge waits for confirmSignIn(). */
      readonly isSignedIn: false;
      /** The challenge to answer with confirmSignIn(). */
      readonly nextStep: {
        /** The code Cognito emailed (EMAIL_OTP: email MFA, or USER_AUTH's emailed sign-in code): confirmSignIn({ challengeResponse: code }). */
        readonly signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE';
        /** Where the code went. */
        readonly codeDeliveryDetails: {
          /** Always 'EMAIL'. */
          readonly deliveryMedium: 'EMAIL';
          /** The address, masked by Cognito, e.g. 'j***@e***'; absent when Cognito sent none. */
          readonly destination?: string;
        };
      };
    }
  | {
      /** Not yet: a choice waits for confirmSignIn(). */
      readonly isSignedIn: false;
      /** The choice to make with confirmSignIn(). */
      readonly nextStep: {
        /**
         * The user has several MFA factors and none preferred (SELECT_MFA_TYPE): confirmSignIn({ mfaType }),
         * one of `allowedMFATypes`; the chosen factor's step follows. Or the pool requires MFA and the
         * user has none (MFA_SETUP) with TOTP and email both possible: confirmSignIn({ mfaType: 'TOTP' | 'EMAIL' });
         * CONTINUE_SIGN_IN_WITH_TOTP_SETUP or CONTINUE_SIGN_IN_WITH_EMAIL_SETUP follows.
         */
        readonly signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' | 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION';
        /** The factors to choose from, in Cognito's order. */
        readonly allowedMFATypes: readonly ('TOTP' | 'SMS' | 'EMAIL')[];
      };
    }
  | {
      /** Not yet: a choice of first factor waits for confirmSignIn(). */
      readonly isSignedIn: false;
      /** The choice to make with confirmSignIn(). */
      readonly nextStep: {
        /**
         * USER_AUTH without a preferred factor (or one the user cannot use): Cognito's SELECT_CHALLENGE.
         * confirmSignIn({ challengeResponse: factor }), one of `availableChallenges`: EMAIL_OTP and
         * SMS_OTP send their code (CONFIRM_SIGN_IN_WITH_EMAIL_CODE, CONFIRM_SIGN_IN_WITH_SMS_CODE
         * follow); PASSWORD and PASSWORD_SRP send nothing yet (CONFIRM_SIGN_IN_WITH_PASSWORD follows).
         */
        readonly signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION';
        /** The first factors this user can use now, in Cognito's order. */
        readonly availableChallenges: readonly AuthFactorType[];
      };
    }
  | {
      /** Not yet: the password of a chosen first factor waits for confirmSignIn(). */
      readonly isSignedIn: false;
      /** The answer to give with confirmSignIn(). */
      readonly nextStep: {
        /**
         * PASSWORD or PASSWORD_SRP chosen at CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION:
         * confirmSignIn({ challengeResponse: password }). authchart answers SELECT_CHALLENGE with the
         * factor and the password (PASSWORD), or with SRP (PASSWORD_SRP: the password never leaves
         * the device). A wrong password ends the sign-in (NotAuthorizedException): Cognito's
         * Session is used up by the choice.
         */
        readonly signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD';
      };
    }
  | {
      /** Not yet: a TOTP setup waits for its first code. */
      readonly isSignedIn: false;
      /** The setup to finish with confirmSignIn(). */
      readonly nextStep: {
        /**
         * MFA_SETUP with TOTP: show `totpSetupDetails` (a QR code of getSetupUri(appName)), then
         * confirmSignIn({ challengeResponse: code }) with the authenticator app's code. authchart sends
         * VerifySoftwareToken, then answers MFA_SETUP; a wrong code (EnableSoftwareTokenMFAException)
         * keeps the setup open for another try.
         */
        readonly signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP';
        /** The new secret. It is in this result only: never in the statechart, its events or storage. */
        readonly totpSetupDetails: {
          /** The shared secret, base32 (a secret: keep it out of logs). */
          readonly sharedSecret: string;
          /** The `otpauth://totp/…` URI an authenticator app scans; `accountName` defaults to the username. */
          getSetupUri(appName: string, accountName?: string): URL;
        };
      };
    }
  | {
      /** Not yet: an email MFA setup waits for its address. */
      readonly isSignedIn: false;
      /** The setup to go on with confirmSignIn(). */
      readonly nextStep: {
        /** MFA_SETUP with email: confirmSignIn({ email }); CONFIRM_SIGN_IN_WITH_EMAIL_CODE follows, its code sent there. */
        readonly signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP';
      };
    }
  | {
      /** Not signed in, and no challenge waits: the account needs something first. */
      readonly isSignedIn: false;
      /** What the app does next, outside the sign-in. */
      readonly nextStep: {
        /**
         * CONFIRM_SIGN_UP: the user has not confirmed the sign-up (Cognito's UserNotConfirmedException):
         * confirm it, then sign in. RESET_PASSWORD: the user must reset the password
         * (PasswordResetRequiredException, e.g. after AdminResetUserPassword): reset it, then sign in.
         */
        readonly signInStep: 'CONFIRM_SIGN_UP' | 'RESET_PASSWORD';
      };
    };

/** The name of a sign-in step: `result.nextStep.signInStep` of a SignInResult. */
export type SignInStep = SignInResult['nextStep']['signInStep'];

/** signInWithRedirect(): signed in (an auth-session opener came back), or the page is on its way to the hosted UI. */
export type RedirectSignInResult =
  | SignInResult
  | {
      /** Not yet: the page is navigating to the hosted UI. */
      readonly isSignedIn: false;
      /** handleRedirect() finishes the sign-in when the hosted UI returns to `oauth.redirectSignIn`. */
      readonly nextStep: {
        /** The page is navigating to the hosted UI. */
        readonly signInStep: 'REDIRECTING';
      };
    };

/**
 * handleRedirect(): a return from the hosted UI signed the user in; or a return from /logout ended
 * a sign-out (`result` is what every layer came to; after the navigation it carries no retry
 * tokens: what the outbox holds it still finishes); or the URL was none of authchart's.
 */
export type HandledRedirect =
  | {
      /** A return from the hosted UI: the code was exchanged and the session stored. */
      readonly type: 'signedIn';
      /** What signInWithRedirect({ customState }) was given, if anything. */
      readonly customState?: string;
    }
  | {
      /** A return from /logout: the sign-out that went there is finished. */
      readonly type: 'signedOut';
      /** What the sign-out came to, every layer included; it carries no retry tokens. */
      readonly result: Exclude<SignOutResult, { type: 'redirecting' }>;
    }
  | {
      /** The URL is no return authchart is waiting for: nothing was done. */
      readonly type: 'none';
    };

export const REDIRECTING: RedirectSignInResult = Object.freeze({ isSignedIn: false, nextStep: Object.freeze({ signInStep: 'REDIRECTING' }) });

export const SIGNED_IN: SignInResult = Object.freeze({ isSignedIn: true, nextStep: Object.freeze({ signInStep: 'DONE' }) });

/** What getSession() resolves: the tokens while signed in, nothing otherwise. */
export interface AuthSession {
  /** The session's tokens (secrets: keep them out of logs); absent when nobody is signed in. */
  readonly tokens?: {
    /** The access token (a JWT). */
    readonly accessToken: string;
    /** The ID token (a JWT). */
    readonly idToken: string;
    /** The refresh token; absent when the stored session has none. */
    readonly refreshToken?: string;
  };
  /** The signed-in user's Cognito username, read from the tokens (it may differ from what the user typed, e.g. an email alias). */
  readonly username?: string;
  /** When the access token expires, in epoch milliseconds. */
  readonly expiresAt?: number;
}

export const NO_SESSION: AuthSession = Object.freeze({});

export const COMPLETE: Extract<SignOutResult, { type: 'complete' }> = Object.freeze({ type: 'complete', signedOutLocally: true });

/** Attaches the flow's tokens to the failed calls of a machine outcome. */
export function toSignOutResult(outcome: SignOutOutcome, tokens: IntentTokens | undefined): Exclude<SignOutResult, { type: 'redirecting' }> {
  if (outcome.type === 'complete') return outcome.apiNotified ? { ...COMPLETE, apiNotified: true } : COMPLETE;
  if (outcome.type === 'failed') return { type: 'failed', signedOutLocally: false, error: { name: outcome.error.name, message: outcome.error.message } };
  const { global, globalSignOutError, revokeTokenError, hostedUiError, finishedBy, apiNotified, announceError } = outcome;
  const refreshToken = tokens?.refreshToken ?? '';
  return {
    type: 'partial',
    signedOutLocally: true,
    ...(global !== undefined && { global }),
    ...(globalSignOutError && {
      globalSignOutError: { ...globalSignOutError, accessToken: tokens?.accessToken ?? '', ...(!revokeTokenError && finishedBy === 'outbox' && tokens?.refreshToken && { refreshToken }) },
    }),
    ...(revokeTokenError && { revokeTokenError: { ...revokeTokenError, refreshToken } }),
    ...(hostedUiError && { hostedUiError }),
    finishedBy,
    ...(apiNotified !== undefined && { apiNotified }),
    ...(announceError && { announceError }),
  };
}

/**
 * signInWithPasskeyAutofill()'s result: signed in (or the step Cognito offered instead, as
 * signIn()'s), or why the autofill ended without a sign-in.
 */
export type PasskeyAutofillResult =
  | SignInResult
  | {
      /** Nobody was signed in by the autofill. */
      readonly isSignedIn: false;
      /**
       * 'cancelled': a signIn(), signOut() or another autofill took over (the ceremony aborted, nothing
       * more sent); 'unavailable': the authenticator cannot wait for autofill here; 'expired': the
       * challenge's deadline passed with no passkey picked.
       */
      readonly autofill: 'cancelled' | 'unavailable' | 'expired';
    };
