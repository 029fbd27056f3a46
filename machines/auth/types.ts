// The auth chart as a whole: its context, its input, every event it takes and what it announces.
// The per-region types are in signInTypes.ts, signOutTypes.ts and sessionTypes.ts; the calls in
// callTypes.ts. None of them can hold a secret: references only.
import type { ErrorInfo, SessionSummary, SignOutOutcome } from '../types.js';
import type { CallAnswer, CallEvent, SessionCall } from './callTypes.js';
import type { ChallengeSummary, RedirectSignInInput, SignInInput } from './signInTypes.js';
import type { SessionNews } from './sessionTypes.js';
import type { HostedUiSignOutTarget } from './signOutTypes.js';

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
  /** Why the last clear of an ended session was not confirmed, or null: confirmingClear reads the store back before it says so. */
  readonly clearError: ErrorInfo | null;
  /** Calls that wait for a named state; replayed, in order, when the machine settles in one. */
  readonly deferred: readonly SessionCall[];
  /** The call waiting for the running sign-in step. */
  readonly signInCaller: number | null;
  /**
   * The last sign-in asked, kept while the queued global sign-outs are finished first: signIn()'s
   * request (the password as a vault reference), read by signingIn, or signInWithRedirect()'s options
   * (`redirect`), read by openingHostedUi. One field for both: each property of the context costs
   * every idle instance (a second field measured +0.7 KB of heap per instance in `npm run bench`).
   */
  readonly signInRequest: SignInInput | {
    /** signInWithRedirect()'s options (provider, customState, prompt, loginHint). */
    readonly redirect: RedirectSignInInput;
  } | null;
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
  /**
   * The outbox is finishing a global sign-out of this session's user, sent while this session was
   * held: if it lands, the session is over. Until the outbox says how it ended, getSession() and
   * signOut() wait (KB6).
   */
  readonly heldForGlobalSignOut: boolean;
  /**
   * This refresh was refused with RefreshTokenReuseException: another tab or instance used the
   * rotating refresh token first. The store is read for its session; none refreshed elsewhere
   * means this session is over (never its expired tokens handed out). Reset when a refresh begins.
   */
  readonly refreshRaced: boolean;
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
  | SessionNews;

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
      /**
       * The device Cognito gave a sign-in could not be confirmed or its record stored (confirmingDevice):
       * the public `deviceError`. The user is signed in all the same; the device is not remembered.
       */
      type: 'deviceError';
      /** Why; the message names the step that failed (ConfirmDevice, or storing the device). */
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
      /**
       * A pending challenge was dropped (a new sign-in, a sign-out, its deadline, a failure for good):
       * its Cognito Session can be discarded, and its stored record removed (durableChallenges).
       */
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
