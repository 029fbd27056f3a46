// The session region's types: the news from the other tabs over the same storage and from the
// tabs' refresh turn, and what this tab tells them. No token travels: signals only.
import type { SessionSummary } from '../types.js';
import type { ChallengeSummary } from './signInTypes.js';

/** A session loadSession read from the store (facts; the chart's guards decide): the session, and how the sign-out outbox holds its tokens. */
export interface StoredSessionRecord {
  /** The stored session (no token). */
  readonly session: SessionSummary;
  /** 'queued': a sign-out of these tokens began and did not end; 'revoked': a sign-out revoked them but could not clear them; null: the outbox does not hold them. */
  readonly heldByOutbox: 'queued' | 'revoked' | null;
}

/**
 * What loadSession reads when no session is stored but a sign-in's challenge is (createAuth's
 * durableChallenges: another instance asked, this one may answer). A fact: the chart rests in
 * awaitingChallengeAnswer with it (isChallengeStored), and checks its deadline when the answer comes.
 */
export interface StoredChallenge {
  /** The challenge, its Cognito Session deposited in this instance's vault (a reference only). */
  readonly challenge: ChallengeSummary;
}

/**
 * What loadSession reads (facts; the chart's guards decide): a session and how the outbox holds its
 * tokens (StoredSessionRecord), or, with none stored, a challenge another instance stored
 * (StoredChallenge, durableChallenges). The actor resolves null when there is neither.
 */
export type StoredSession = StoredSessionRecord | StoredChallenge;

/** The session region's own events: news from the other tabs, from the outbox's global sign-outs, and from the refresh turn. */
export type SessionNews =
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
  /** The outbox began to finish a queued global sign-out: if it lands, a session of that user held now is over (KB6). */
  | {
      /** A global intent's flow began. */
      type: 'GLOBAL_SIGN_OUT_SENT';
      /** Whose intent it is (its access token's username claim); absent when unknown. */
      username?: string;
    }
  /** That flow ended without GlobalSignOut's success. */
  | {
      /** The global sign-out did not land (or the outbox cannot tell). */
      type: 'GLOBAL_SIGN_OUT_NOT_LANDED';
      /** GlobalSignOut got no answer (mayStillLand): it may land later. */
      mayLandLater: boolean;
    }
  /**
   * The outbox's drain that a sign-in asked for (FINISH_GLOBAL_SIGN_OUTS) is over: a fact, how many
   * global intents are still queued on this storage. The sign-in region decides.
   */
  | {
      /** The drain before a sign-in ended. */
      type: 'GLOBAL_SIGN_OUTS_FINISHED';
      /** Global intents still queued (this instance's or another's over the same storage); null: unknown (the outbox could not be read in time). */
      pending: number | null;
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
