// The public calls as the auth chart takes them (each with an id), and the one answer each gets.
// None carries a token or a password: vault references only.
import type { DrainReport, ErrorInfo, SignOutOutcome } from '../types.js';
import type { ChallengeSummary, RedirectSignInInput, SignInInput } from './signInTypes.js';
import type { HostedUiSignOutTarget } from './signOutTypes.js';

/**
 * What the statechart answers a public call with, by the call's id. Every call gets exactly one.
 * None carries a token: the public API reads tokens from the store after a `session` answer.
 */
export type CallAnswer =
  | {
      /** A sign-in step, or a return from the hosted UI, signed the user in. */
      readonly kind: 'signedIn';
      /** The hosted UI sign-in's customState, if it had one. */
      readonly customState?: string;
      /**
       * Cognito gave this sign-in a new device (NewDeviceMetadata): whether ConfirmDevice confirmed
       * it and its record was stored (confirmingDevice). Absent when no device was given.
       */
      readonly deviceConfirmed?: boolean;
    }
  /** signInWithRedirect(): the page is navigating to the hosted UI; handleRedirect() finishes on its return. */
  | {
      /** The page is navigating to the hosted UI. */
      readonly kind: 'redirecting';
    }
  /** handleRedirect(): the URL is no return from the hosted UI (nothing to do). */
  | {
      /** Nothing to finish. */
      readonly kind: 'noRedirect';
    }
  | {
      /** A sign-in step ended on a challenge. */
      readonly kind: 'challenge';
      /** The challenge to answer next. */
      readonly challenge: ChallengeSummary;
    }
  | {
      /**
       * signIn() (or a step after it) met a user Cognito will not sign in yet: unconfirmed
       * (UserNotConfirmedException: the step CONFIRM_SIGN_UP) or one who must reset the password
       * (PasswordResetRequiredException: RESET_PASSWORD; accountStepOf names it). Nobody is signed
       * in, and no challenge waits.
       */
      readonly kind: 'accountStep';
      /** Cognito's refusal, as sent. */
      readonly error: ErrorInfo;
    }
  | {
      /** getSession(): a session is held (refreshed if it had to be); the API reads its tokens from the store. */
      readonly kind: 'session';
      /** Whose session. */
      readonly username: string;
      /** When its access token expires, in epoch milliseconds. */
      readonly expiresAt: number;
    }
  | {
      /** getSession(): nobody is signed in. */
      readonly kind: 'noSession';
    }
  | {
      /** A sign-out (or a retry of one) ended. */
      readonly kind: 'signOut';
      /** How it ended. */
      readonly outcome: SignOutOutcome;
    }
  /** signOut() of a hosted-UI session: the device is cleared and the page is navigating to /logout; handleRedirect() on its return has the result. */
  | {
      /** The page is navigating to /logout. */
      readonly kind: 'signOutRedirecting';
      /** The /logout URL. */
      readonly logoutUrl: string;
      /** The outbox entry of the sign-out, if one was recorded. */
      readonly intentId?: string;
    }
  | {
      /** flushRevocations(): the drain ended. */
      readonly kind: 'flush';
      /** What it did. */
      readonly report: DrainReport;
    }
  | {
      /** The call cannot run in this state, or its flow failed. */
      readonly kind: 'refused';
      /** Why: one of REFUSALS, or the flow's error. */
      readonly error: ErrorInfo;
    };

/** The public calls, as events. `id` pairs the call with its answer. */
export type SessionCall =
  | ({
      /** signIn(). */
      type: 'SIGN_IN';
      /** Pairs the call with its `answered` event. */
      id: number;
    } & SignInInput)
  | {
      /** confirmSignIn(). */
      type: 'CONFIRM_SIGN_IN';
      /** Pairs the call with its `answered` event. */
      id: number;
      /** Vault reference to the answer (new password, code, factor or address). */
      credential: string;
      /** Which of confirmSignIn()'s fields held the answer (challengeResponse, mfaType, email, …): a challenge that takes another refuses it. Absent: challengeResponse. */
      field?: string;
      /** Attributes sent with a new password; `{}` otherwise. */
      userAttributes: Readonly<Record<string, string>>;
      /** The caller's clock when it called, in epoch milliseconds: a challenge past its deadline is refused (SignInSessionExpired). Absent: the deadline is not checked. */
      at?: number;
    }
  /** `at` is the caller's clock (epoch ms), so "expiring" is decided by a pure guard. */
  | {
      /** getSession(). */
      type: 'GET_SESSION';
      /** Pairs the call with its `answered` event. */
      id: number;
      /** Refresh even when the access token is not about to expire. */
      forceRefresh: boolean;
      /** The caller's clock when it called, in epoch milliseconds. */
      at: number;
    }
  /** `hostedUi`: where a hosted-UI session's /logout goes and returns (absent: no `oauth` configured). */
  | {
      /** signOut(). */
      type: 'SIGN_OUT';
      /** Pairs the call with its `answered` event. */
      id: number;
      /** GlobalSignOut first (every device). */
      global: boolean;
      /** Where a hosted-UI session's /logout goes and returns; absent without an `oauth` config. */
      hostedUi?: HostedUiSignOutTarget;
    }
  /** A sign-in through the hosted UI. `customState` is app data returned after the round trip (not a secret). */
  | ({
      /** signInWithRedirect(). */
      type: 'SIGN_IN_WITH_REDIRECT';
      /** Pairs the call with its `answered` event. */
      id: number;
    } & RedirectSignInInput)
  /** `credential`: vault reference to the URL the hosted UI returned to (it carries a one-time code). */
  | {
      /** handleRedirect(). */
      type: 'HANDLE_REDIRECT';
      /** Pairs the call with its `answered` event. */
      id: number;
      /** Vault reference to the URL the hosted UI returned to. */
      credential: string;
    };

/** The calls the outbox machine answers. */
export type OutboxCall =
  /** `credential`: vault reference to the partial result's tokens (JSON). */
  | { type: 'RETRY_SIGN_OUT'; id: number; credential: string; global: boolean }
  | { type: 'FLUSH_REVOCATIONS'; id: number };

/** Every public call, as the event the auth machine takes (the outbox's are forwarded to it). */
export type CallEvent = SessionCall | OutboxCall;

