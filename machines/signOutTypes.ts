import type { ErrorInfo } from './types.js';
import type { AnnounceScope } from './signOutAnnouncement.js';

/**
 * What an access token's `scope` claim says about GlobalSignOut, as a service reads it (a fact;
 * the sign-out chart's guards decide what it means):
 * - `'admin'`: the claim lists `aws.cognito.signin.user.admin`, the scope GlobalSignOut needs;
 * - `'other'`: the claim lists other scopes only (a hosted-UI sign-in that did not ask for it), or
 *   there is no access token at all (a refresh token alone: nothing to send GlobalSignOut with);
 * - `'absent'`: an access token without a `scope` claim (or one that is not a string).
 */
export type AccessScope = 'admin' | 'other' | 'absent';

/** What the services read from an intent's tokens, without a network call: facts only. */
export interface IntentFacts {
  /** The access token carries `origin_jti`: the app client allows RevokeToken. */
  readonly revocable: boolean;
  /** What its `scope` claim says (see AccessScope). */
  readonly scope: AccessScope;
  /**
   * How long the access token had left when these facts were read, in ms: its `exp` claim less the
   * services' clock (0 or less: expired). Absent when there is no access token or no `exp`.
   */
  readonly accessTokenExpiresInMs?: number;
  /** The intent tells the app's API what ended (createAuth's `revocationEndpoint` is set); it keeps the access token for that. Absent: nothing to announce. */
  readonly announces?: boolean;
  /** Cognito's calls of this intent are done; only telling the API that this ended is left (an outbox entry). */
  readonly pendingAnnouncement?: AnnounceScope;
  /** Whose tokens they are: the access token's `username` claim (not a secret). Absent without one. */
  readonly username?: string;
}

/** Where the flow's tokens come from: the stored session, a partial result (vault reference), or the outbox. */
export type IntentSource =
  | {
      /** A new sign-out of the session in the store (the only source whose flow clears it). */
      readonly kind: 'session';
    }
  | {
      /** retrySignOut(result). */
      readonly kind: 'retry';
      /** Vault reference to the result's tokens (JSON). */
      readonly credential: string;
    }
  | {
      /** An intent the outbox already holds. */
      readonly kind: 'queued';
      /** Its outbox entry. */
      readonly intentId: string;
    };

/** The sign-out machine's input: one intent, and the bounds of its flow. */
export interface SignOutInput {
  /** GlobalSignOut first, for every session of the user. */
  readonly global: boolean;
  /** The access token has `origin_jti`, so the app client allows RevokeToken (checked again when the intent is recorded). */
  readonly revocable: boolean;
  /** What the access token's `scope` claim says (read again when the intent is recorded). Default `'absent'`: not read yet. */
  readonly scope?: AccessScope;
  /** How long the access token had left when its facts were read, in ms (read again when the intent is recorded). Default: not known. */
  readonly accessTokenExpiresInMs?: number;
  /** Where the flow's tokens come from. */
  readonly source: IntentSource;
  /** The flow tells the app's API what ended (set from the recorded intent). Default false. */
  readonly announces?: boolean;
  /** Only the announcement of this is left: Cognito's calls were done by an earlier flow (an outbox intent). */
  readonly pendingAnnouncement?: AnnounceScope;
  /** The outbox persists intents and retries them: a retryable failure can wait for it. */
  readonly queueing: boolean;
  /** createAuth's networkTimeoutMs: the network budget of one flow, in ms: every Cognito request of one sign-in step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together), or of one outbox drain ends within it, retries included. Here: one deadline for `callingCognito` as a whole. */
  readonly networkTimeoutMs: number;
  /** createAuth's storageTimeoutMs: the bound of one storage call, in ms: a getItem, setItem or removeItem that has not settled by then fails with StorageError. Here: the deadline of recordingIntent and settlingIntent, and twice it for clearingCache. */
  readonly storageTimeoutMs: number;
}

/** The sign-out machine's context: its input, and what the flow has found out so far. No token. */
export interface SignOutContext extends SignOutInput {
  /** What the access token's `scope` claim says, as last read. */
  readonly scope: AccessScope;
  /** The outbox entry holding the flow's tokens, once recorded (from the start for a queued intent). */
  readonly intentId?: string;
  /** GlobalSignOut succeeded: every token of the user is dead. */
  readonly globalSignedOut: boolean;
  /** RevokeToken succeeded: this device's refresh token and its access tokens are dead. */
  readonly revoked: boolean;
  /** Why GlobalSignOut failed, or was not sent. */
  readonly globalSignOutError?: ErrorInfo;
  /** Why RevokeToken failed, or was not sent. */
  readonly revokeTokenError?: ErrorInfo;
  /** Why the session could not be cleared from the store: the flow ends `failed` (unless verifyingClear finds it cleared after all). */
  readonly clearError?: ErrorInfo;
  /** The intent is still in the outbox after settlingIntent: the outcome's finishedBy is 'outbox'. */
  readonly queued: boolean;
  /** The app's API answered the announcement with 204: it was told what ended. */
  readonly apiNotified: boolean;
  /** Why the announcement failed (RevocationEndpointRefused, RevocationEndpointUnavailable, NetworkError, TimeoutError). */
  readonly announceError?: ErrorInfo;
}

/** What recordIntent resolves with: the outbox entry now holding the flow's tokens, and what they allow. */
export interface RecordedIntent extends IntentFacts {
  /** The outbox entry now holding the flow's tokens. */
  readonly intentId: string;
}

/**
 * What becomes of an outbox entry: removed, kept (as a global or a local intent) for a later try,
 * or kept as revoked: the tokens are dead but the store could not be cleared of them, so the entry
 * marks them until it is (no call is ever sent with it). 'keepAnnouncement': Cognito's calls are
 * done and only telling the app's API is left; the entry keeps the access token for it alone.
 */
export type Settlement = 'remove' | 'keepGlobal' | 'keepLocal' | 'keepRevoked' | 'keepAnnouncement';

/**
 * What the store holds after a clear it did not confirm (the `confirmClear` actor's fact): 'gone',
 * nothing; 'stored', a session; or, when the read did not answer, 'removed' (its removeItem
 * resolved) or 'unknown'.
 */
export type StoreAfterClear = 'gone' | 'stored' | 'removed' | 'unknown';

/** What settleIntent is told to do with the flow's entry: decided here, carried out by the outbox. */
export interface SettleInput {
  /** Absent when no intent could be recorded: there is nothing to settle. */
  readonly intentId?: string;
  /** What to do with it: decided by settlementOf(). */
  readonly settlement: Settlement;
  /** With 'keepAnnouncement': what the API is still to be told (announcementOf()). */
  readonly announce?: AnnounceScope;
}

/** What the server calls proved, as settlementOf reads it. */
export type SettleFacts = Pick<SignOutContext, 'queueing' | 'global' | 'globalSignedOut' | 'revoked' | 'globalSignOutError' | 'revokeTokenError' | 'clearError'> &
  Partial<Pick<SignOutContext, 'pendingAnnouncement' | 'announceError'>>;
