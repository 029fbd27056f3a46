// The auth machine's types: its context, the events it takes, what it announces, and the
// sign-in steps its actors report. None of them can hold a secret: references only.
import type { DrainReport, ErrorInfo, SessionSummary, SignOutOutcome } from './types.js';

/** The challenges authchart answers, by Cognito's names: the one list the machine, the flow and the results read. */
export const CHALLENGE_NAMES = ['NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA', 'SMS_MFA'] as const;
export type ChallengeName = (typeof CHALLENGE_NAMES)[number];

export interface ChallengeSummary {
  readonly name: ChallengeName;
  /** The USERNAME to answer with (Cognito's, which may differ from what the user typed). */
  readonly username: string;
  /** Vault reference to Cognito's challenge Session. */
  readonly sessionRef: string;
  /** Masked, e.g. '+*******1234' (SMS_MFA). */
  readonly codeDeliveryDestination?: string;
  /** Attributes Cognito requires with the new password (NEW_PASSWORD_REQUIRED). */
  readonly missingAttributes?: readonly string[];
}

export type SignInStepOutput = { kind: 'signedIn'; session: SessionSummary } | { kind: 'challenge'; challenge: ChallengeSummary };

export interface SignInInput {
  readonly username: string;
  readonly authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /** Vault reference to the password. */
  readonly credential: string;
}

export interface AnswerInput {
  readonly challenge: ChallengeSummary;
  /** Vault reference to the answer (new password or code). */
  readonly credential: string;
  readonly userAttributes: Readonly<Record<string, string>>;
}

/**
 * What the statechart answers a public call with, by the call's id. Every call gets exactly one.
 * None carries a token: the public API reads tokens from the store after a `session` answer.
 */
export type CallAnswer =
  | { readonly kind: 'signedIn'; readonly customState?: string }
  /** signInWithRedirect(): the page is navigating to the hosted UI; handleRedirect() finishes on its return. */
  | { readonly kind: 'redirecting' }
  /** handleRedirect(): the URL is no return from the hosted UI (nothing to do). */
  | { readonly kind: 'noRedirect' }
  | { readonly kind: 'challenge'; readonly challenge: ChallengeSummary }
  | { readonly kind: 'session'; readonly username: string; readonly expiresAt: number }
  | { readonly kind: 'noSession' }
  | { readonly kind: 'signOut'; readonly outcome: SignOutOutcome }
  /** signOut() of a hosted-UI session: the device is cleared and the page is navigating to /logout; handleRedirect() on its return has the result. */
  | { readonly kind: 'signOutRedirecting'; readonly logoutUrl: string; readonly intentId?: string }
  | { readonly kind: 'flush'; readonly report: DrainReport }
  | { readonly kind: 'refused'; readonly error: ErrorInfo };

/** The public calls, as events. `id` pairs the call with its answer. */
export type SessionCall =
  | ({ type: 'SIGN_IN'; id: number } & SignInInput)
  | { type: 'CONFIRM_SIGN_IN'; id: number; credential: string; userAttributes: Readonly<Record<string, string>> }
  /** `at` is the caller's clock (epoch ms), so "expiring" is decided by a pure guard. */
  | { type: 'GET_SESSION'; id: number; forceRefresh: boolean; at: number }
  /** `hostedUi`: where a hosted-UI session's /logout goes and returns (absent: no `oauth` configured). */
  | { type: 'SIGN_OUT'; id: number; global: boolean; hostedUi?: HostedUiSignOutTarget }
  /** A sign-in through the hosted UI. `customState` is app data returned after the round trip (not a secret). */
  | ({ type: 'SIGN_IN_WITH_REDIRECT'; id: number } & RedirectSignInInput)
  /** `credential`: vault reference to the URL the hosted UI returned to (it carries a one-time code). */
  | { type: 'HANDLE_REDIRECT'; id: number; credential: string };

/** The /logout URL of a sign-out and the sign-out URL it returns to; no secret in either. */
export interface HostedUiSignOutTarget {
  readonly logoutUrl: string;
  readonly returnTo: string;
}

export interface RedirectSignInInput {
  readonly provider?: string;
  readonly customState?: string;
  readonly prompt?: string;
  readonly loginHint?: string;
}

/** What opening the hosted UI led to. */
export type OpenedHostedUi = { readonly kind: 'navigating' } | { readonly kind: 'returned'; readonly credential: string } | { readonly kind: 'cancelled' };

/** What opening /logout led to: the page is navigating, the auth session came back to the sign-out URL, or the user closed it. */
export type OpenedLogout = { readonly kind: 'navigating' } | { readonly kind: 'returned' } | { readonly kind: 'cancelled' };

/** What a return from the hosted UI led to: a sign-in finished, a sign-out at /logout finished (with what it did), or neither. */
export type RedirectOutcome =
  | { readonly kind: 'signedIn'; readonly session: SessionSummary; readonly customState?: string }
  | { readonly kind: 'signedOut'; readonly outcome: SignOutOutcome }
  | { readonly kind: 'none' };

/** The calls the outbox machine answers. */
export type OutboxCall =
  /** `credential`: vault reference to the partial result's tokens (JSON). */
  | { type: 'RETRY_SIGN_OUT'; id: number; credential: string; global: boolean }
  | { type: 'FLUSH_REVOCATIONS'; id: number };

export type CallEvent = SessionCall | OutboxCall;

export interface AuthContext {
  readonly session: SessionSummary | null;
  readonly challenge: ChallengeSummary | null;
  readonly lastSignOut: SignOutOutcome | null;
  readonly lastSignInError: ErrorInfo | null;
  readonly lastRefreshError: ErrorInfo | null;
  /** Calls that wait for a named state; replayed, in order, when the machine settles in one. */
  readonly deferred: readonly SessionCall[];
  /** The call waiting for the running sign-in step. */
  readonly signInCaller: number | null;
  /** Vault reference to the URL the hosted UI returned to, while it is being completed. */
  readonly redirectUrlRef: string | null;
  /** getSession() calls sharing the running refresh. */
  readonly sessionWaiters: readonly number[];
  /** signOut() calls sharing the running sign-out (or the clear of an ended session). */
  readonly signOutWaiters: readonly number[];
  /** What the first of them asked for: the sign-out they share is global. */
  readonly signOutGlobal: boolean;
  /** And where a hosted-UI session's /logout goes (the first caller's). */
  readonly hostedUiSignOut: HostedUiSignOutTarget | null;
  readonly networkTimeoutMs: number;
  readonly storageTimeoutMs: number;
  readonly refreshSkewMs: number;
  /** The outbox persists sign-out intents and finishes them later. */
  readonly queueing: boolean;
}

export interface AuthInput {
  readonly networkTimeoutMs: number;
  readonly storageTimeoutMs: number;
  readonly refreshSkewMs: number;
  readonly queueing: boolean;
}

export type AuthEvent =
  | CallEvent
  /** The outbox machine answered a call. */
  | { type: 'OUTBOX_ANSWERED'; id: number; answer: CallAnswer }
  /** Another tab over the same storage signed in (its session is in the store, and this tab can read it). */
  | { type: 'SIGNED_IN_ELSEWHERE' }
  /** Another tab over the same storage signed out: the store is cleared, the tokens dead or queued. */
  | { type: 'SIGNED_OUT_ELSEWHERE' };

/** What the auth machine tells the other tabs (to its `tabs` actor). */
export interface TellTabs {
  readonly type: 'TELL_TABS';
  readonly signal: 'signedIn' | 'signedOut';
}

/** What the machine announces (actor.on(type, …)); the public API resolves its promises on `answered`. */
export type AuthEmitted =
  | { type: 'answered'; id: number; answer: CallAnswer }
  | { type: 'signedIn'; username: string }
  | { type: 'customState'; state: string }
  | { type: 'redirectSignInFailed'; error: ErrorInfo }
  | { type: 'signInFailed'; error: ErrorInfo }
  | { type: 'challengeRequired'; challenge: ChallengeSummary }
  | { type: 'challengeCancelled'; challenge: ChallengeSummary }
  | { type: 'challengeAnswerRejected'; error: ErrorInfo }
  | { type: 'tokenRefreshed'; username: string }
  | { type: 'tokenRefreshFailed'; error: ErrorInfo }
  | { type: 'sessionEnded'; error: ErrorInfo }
  | { type: 'signedOut'; outcome: SignOutOutcome }
  /** Another tab signed out: this one dropped the session it held. */
  | { type: 'signedOutElsewhere' }
  | { type: 'signOutFailed'; outcome: SignOutOutcome }
  | { type: 'storageError'; error: ErrorInfo };
