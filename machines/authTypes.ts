// The auth machine's types: its context, the events it takes, what it announces, and the
// sign-in steps its actors report. None of them can hold a secret: references only.
import type { DrainReport, ErrorInfo, SessionSummary, SignOutOutcome } from './types.js';

/** The challenges authchart answers, by Cognito's names: the one list the machine, the flow and the results read. */
export const CHALLENGE_NAMES = ['NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA', 'SMS_MFA'] as const;
/** A challenge authchart answers, by Cognito's name: NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA or SMS_MFA. */
export type ChallengeName = (typeof CHALLENGE_NAMES)[number];

/** A challenge Cognito asked for, as the machine holds it: no secret, only a vault reference to Cognito's Session. */
export interface ChallengeSummary {
  /** Which challenge. */
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

/** What the `signIn` and `answerChallenge` actors resolve: signed in (tokens stored), or the next challenge. */
export type SignInStepOutput =
  | {
      /** Signed in: the tokens are stored. */
      kind: 'signedIn';
      /** The new session, without tokens. */
      session: SessionSummary;
    }
  | {
      /** Cognito wants a challenge answered. */
      kind: 'challenge';
      /** The challenge. */
      challenge: ChallengeSummary;
    };

/** The `signIn` actor's input (and, with an id, the SIGN_IN event's fields). */
export interface SignInInput {
  /** The username, as given to signIn(). */
  readonly username: string;
  /** SRP or the password itself. */
  readonly authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /** Vault reference to the password. */
  readonly credential: string;
}

/** The `answerChallenge` actor's input. */
export interface AnswerInput {
  /** The challenge being answered. */
  readonly challenge: ChallengeSummary;
  /** Vault reference to the answer (new password or code). */
  readonly credential: string;
  /** Attributes sent with a new password (confirmSignIn's `options.userAttributes`); `{}` otherwise. */
  readonly userAttributes: Readonly<Record<string, string>>;
}

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
      /** Vault reference to the answer (new password or code). */
      credential: string;
      /** Attributes sent with a new password; `{}` otherwise. */
      userAttributes: Readonly<Record<string, string>>;
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

/** The /logout URL of a sign-out and the sign-out URL it returns to; no secret in either. */
export interface HostedUiSignOutTarget {
  /** The hosted UI's /logout URL, with client_id and logout_uri. */
  readonly logoutUrl: string;
  /** The sign-out URL /logout returns to: one of `oauth.redirectSignOut`. */
  readonly returnTo: string;
}

/** The `openHostedUi` actor's input: signInWithRedirect()'s options (see SignInWithRedirectOptions). */
export interface RedirectSignInInput {
  /** `identity_provider`, e.g. 'Google'; absent: the hosted UI's choice. */
  readonly provider?: string;
  /** App data handed back after the round trip (not a secret: it is stored). */
  readonly customState?: string;
  /** `prompt`, e.g. 'login' (managed login only). */
  readonly prompt?: string;
  /** `login_hint` (managed login only). */
  readonly loginHint?: string;
}

/** What opening the hosted UI led to. */
export type OpenedHostedUi =
  | {
      /** The page is going away; handleRedirect() finishes on the next load. */
      readonly kind: 'navigating';
    }
  | {
      /** The auth session came back. */
      readonly kind: 'returned';
      /** Vault reference to the URL it came back to. */
      readonly credential: string;
    }
  | {
      /** The user closed it. */
      readonly kind: 'cancelled';
    };

/** What opening /logout led to: the page is navigating, the auth session came back to the sign-out URL, or the user closed it. */
export type OpenedLogout =
  | {
      /** The page is going away to /logout; handleRedirect() on the return has the result. */
      readonly kind: 'navigating';
    }
  | {
      /** The auth session came back to the sign-out URL: the cookie is ended. */
      readonly kind: 'returned';
    }
  | {
      /** The user closed it: the cookie may live (HostedUiSignOutCancelled). */
      readonly kind: 'cancelled';
    };

/** What a return from the hosted UI led to: a sign-in finished, a sign-out at /logout finished (with what it did), or neither. */
export type RedirectOutcome =
  | {
      /** The code was exchanged and the tokens stored. */
      readonly kind: 'signedIn';
      /** The new session, without tokens. */
      readonly session: SessionSummary;
      /** The sign-in's customState, if it had one. */
      readonly customState?: string;
    }
  | {
      /** A return from /logout: the sign-out recorded before the page went there. */
      readonly kind: 'signedOut';
      /** What that sign-out did, every layer included. */
      readonly outcome: SignOutOutcome;
    }
  | {
      /** Neither: the URL is no return authchart waits for. */
      readonly kind: 'none';
    };

/** The calls the outbox machine answers. */
export type OutboxCall =
  /** `credential`: vault reference to the partial result's tokens (JSON). */
  | { type: 'RETRY_SIGN_OUT'; id: number; credential: string; global: boolean }
  | { type: 'FLUSH_REVOCATIONS'; id: number };

/** Every public call, as the event the auth machine takes (the outbox's are forwarded to it). */
export type CallEvent = SessionCall | OutboxCall;

/** The auth machine's context. It holds no token, password or secret: only summaries and vault references. */
export interface AuthContext {
  /** The session held (no tokens), or null when nobody is signed in. */
  readonly session: SessionSummary | null;
  /** The challenge waiting for confirmSignIn(), or null. */
  readonly challenge: ChallengeSummary | null;
  /** How the last sign-out ended, or null before any. */
  readonly lastSignOut: SignOutOutcome | null;
  /** Why the last sign-in failed, or null (cleared when a sign-in starts). */
  readonly lastSignInError: ErrorInfo | null;
  /** Why the last refresh failed, or null. */
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
  /** createAuth's networkTimeoutMs: the network budget of one flow, in ms: every Cognito request of one sign-in step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together), or of one outbox drain ends within it, retries included. */
  readonly networkTimeoutMs: number;
  /** createAuth's storageTimeoutMs: the bound of one storage call, in ms: a getItem, setItem or removeItem that has not settled by then fails with StorageError. */
  readonly storageTimeoutMs: number;
  /** getSession() refreshes when the access token expires within this many ms (createAuth's refreshSkewSeconds × 1000). */
  readonly refreshSkewMs: number;
  /** The outbox persists sign-out intents and finishes them later. */
  readonly queueing: boolean;
  /**
   * A global sign-out landed while tokens were being issued or adopted here: once signed in, the
   * session is checked with a refresh before it is trusted (a refused refresh ends it).
   */
  readonly sessionInDoubt: boolean;
}

/**
 * The auth machine's input. The machine's own deadlines derive from it: a sign-in step, a refresh
 * and a return from the hosted UI end by networkTimeoutMs + 3 × storageTimeoutMs, loading the
 * stored session by 3 × storageTimeoutMs, clearing it by 2 × storageTimeoutMs.
 */
export interface AuthInput {
  /** createAuth's networkTimeoutMs: the network budget of one flow, in ms: every Cognito request of one sign-in step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together), or of one outbox drain ends within it, retries included. */
  readonly networkTimeoutMs: number;
  /** createAuth's storageTimeoutMs: the bound of one storage call, in ms: a getItem, setItem or removeItem that has not settled by then fails with StorageError. */
  readonly storageTimeoutMs: number;
  /** getSession() refreshes when the access token expires within this many ms (createAuth's refreshSkewSeconds × 1000). */
  readonly refreshSkewMs: number;
  /** The outbox persists sign-out intents and finishes them later (createAuth's revocationOutbox is not false). */
  readonly queueing: boolean;
}

/** Every event the auth machine takes: the public calls, the outbox's answers, and news from the other tabs. */
export type AuthEvent =
  | CallEvent
  /** The outbox machine answered a call. */
  | {
      /** The outbox machine answered a retrySignOut() or flushRevocations(). */
      type: 'OUTBOX_ANSWERED';
      /** The call's id. */
      id: number;
      /** The answer, passed on as `answered`. */
      answer: CallAnswer;
    }
  /** Another tab over the same storage signed in (its session is in the store, and this tab can read it). */
  | {
      /** Another tab signed in. */
      type: 'SIGNED_IN_ELSEWHERE';
    }
  /** Another tab over the same storage signed out: the store is cleared, the tokens dead or queued. */
  | {
      /** Another tab signed out. */
      type: 'SIGNED_OUT_ELSEWHERE';
    }
  /**
   * The outbox finished a global sign-out (GlobalSignOut succeeded): every session its user had at
   * that moment is over at Cognito, and the session held here may be one of them (KB6).
   */
  | {
      /** A global sign-out the outbox ran landed. */
      type: 'GLOBAL_SIGN_OUT_LANDED';
    }
  /** This tab's turn to refresh began (the `takeRefreshTurn` actor): it holds the turn while it stays in `signedIn.refreshing`. */
  | {
      /** The turn is this tab's. */
      type: 'REFRESH_TURN_TAKEN';
      /** Other tabs share the store, so one of them may have refreshed already: look in the store first. */
      shared: boolean;
      /** Another tab held the turn first, and its write may not be readable yet: watch the store for it. */
      waited: boolean;
    }
  /** The tabs' refresh lock could not be had (it failed to load, or the storage lease failed). */
  | {
      /** No turn: this tab is on its own. */
      type: 'REFRESH_TURN_UNAVAILABLE';
    };

/** What the auth machine tells the other tabs (to its `watchTabs` actor). */
export interface TellTabs {
  /** The event's type. */
  readonly type: 'TELL_TABS';
  /** 'signedIn' after a sign-in here; 'signedOut' after every clear of the store here. */
  readonly signal: 'signedIn' | 'signedOut';
}

/** What the machine announces (actor.on(type, …)); the public API resolves its promises on `answered`. */
export type AuthEmitted =
  | {
      /** The answer to one call: the public API resolves or rejects that call's promise with it. */
      type: 'answered';
      /** The call's id. */
      id: number;
      /** The answer. */
      answer: CallAnswer;
    }
  | {
      /** A session began here (a sign-in, a restored session, or one another tab stored): the public `signedIn`. */
      type: 'signedIn';
      /** Whose session. */
      username: string;
    }
  | {
      /** A hosted-UI sign-in carried customState (emitted after its `signedIn`): the public `customOAuthState`. */
      type: 'customState';
      /** The customState. */
      state: string;
    }
  | {
      /** A sign-in with the hosted UI did not finish: the public `signInWithRedirect_failure`. */
      type: 'redirectSignInFailed';
      /** Why. */
      error: ErrorInfo;
    }
  | {
      /** A sign-in step failed. */
      type: 'signInFailed';
      /** Why. */
      error: ErrorInfo;
    }
  | {
      /** A sign-in step ended on a challenge. */
      type: 'challengeRequired';
      /** The challenge. */
      challenge: ChallengeSummary;
    }
  | {
      /** A pending challenge was dropped (a new sign-in, a sign-out): its Cognito Session can be discarded. */
      type: 'challengeCancelled';
      /** The dropped challenge. */
      challenge: ChallengeSummary;
    }
  | {
      /** Cognito refused a challenge answer. */
      type: 'challengeAnswerRejected';
      /** Why, e.g. CodeMismatchException (the challenge then stays open). */
      error: ErrorInfo;
    }
  | {
      /** A refresh stored new tokens: the public `tokenRefresh`. */
      type: 'tokenRefreshed';
      /** Whose session. */
      username: string;
    }
  | {
      /** A refresh failed: the public `tokenRefresh_failure`. */
      type: 'tokenRefreshFailed';
      /** Why. */
      error: ErrorInfo;
    }
  | {
      /** A session a refresh found over (refused for good, or no refresh token) is cleared: the public `signedOut` with reason 'sessionEnded'. */
      type: 'sessionEnded';
      /** Why the session is over: NotAuthorizedException (the refresh was refused) or RefreshTokenMissing (no refresh token stored). */
      error: ErrorInfo;
    }
  | {
      /** A sign-out cleared this device: the public `signedOut` with reason 'signOut'. */
      type: 'signedOut';
      /** How it ended. */
      outcome: SignOutOutcome;
    }
  /** Another tab signed out: this one dropped the session it held. */
  | {
      /** The public `signedOut` with reason 'otherTab'. */
      type: 'signedOutElsewhere';
    }
  | {
      /** A sign-out could not clear this device. */
      type: 'signOutFailed';
      /** The failed outcome. */
      outcome: SignOutOutcome;
    }
  | {
      /** A background storage problem: the public `storageError`. */
      type: 'storageError';
      /** CorruptSession or StorageError. */
      error: ErrorInfo;
    };
