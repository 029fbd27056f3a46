/**
 * The account deletion: deleteUser() deletes the signed-in user at Cognito (DeleteUser), then ends
 * the session on this device as the auth chart ends a session Cognito ended, then drops the sign-out
 * outbox's queued entries of that user. A sign-out of its own kind: nothing is revoked, since
 * nobody is left to revoke.
 *
 *   idle ──DELETE_USER──▶ deletingUser ──deleted, or the user was gone already──▶ endingSession ──▶ readingOutbox ─┬─ entries of that user ─▶ droppingIntents ─▶ idle
 *                              └── refused, unreachable, or nobody signed in ──▶ idle                              └─ none ─▶ idle
 *
 * Why it is a chart:
 * - Order. DeleteUser goes first, alone: until Cognito says the user is deleted, nothing here
 *   changes, so a refusal or no answer leaves the user as they were, still signed in (`failed`,
 *   `userDeleted: false`). A DeleteUser answered UserNotFoundException (an earlier call whose
 *   answer was lost landed, or an admin deleted the user) means the same as a deletion: the user
 *   is gone, and the session ends as after one (isUserGone).
 * - The session ends without a request. The deleted user's tokens are dead, so RevokeToken and
 *   GlobalSignOut would only send them again (the emulator revokes a deleted user's refresh token
 *   as if it lived; a sign-out that went offline would keep retrying it from the outbox). Instead
 *   the outbox marks them revoked (`keepRevoked`, the chart's settlement for dead tokens still
 *   stored), and the auth chart reads the store again: it finds its session's tokens revoked, and
 *   ends the session as it ends any session Cognito ended (endingSession: the store cleared, the
 *   other tabs told, `signedOut` announced). A store that cannot be cleared leaves the auth chart
 *   in revokedButStored: the dead tokens are never handed out, a reload never restores them, and
 *   auth.signOut() retries the clear without a request. The result is then `failed` with
 *   `userDeleted: true`, and says why.
 * - The outbox's entries of that user go. A sign-out of that user that is still queued (offline,
 *   throttled) would otherwise be retried with dead tokens, and a queued global one would make the
 *   next signIn() on this storage wait for it (docs/sign-out.md). Which entries are that user's is
 *   decided here (intentsOfUser): the entries whose access token names the deleted user's `sub`.
 *   An entry with no access token (a local sign-out keeps only the refresh token, which names
 *   nobody) cannot be told apart, and is left to the outbox, which settles it at its next try.
 * - One step at a time: a second deleteUser() while one runs is refused (AccountStepInProgress).
 *
 * Each actor reports facts (what Cognito answered, what the store holds, what the outbox holds);
 * what they mean, and the result, are decided here (deletionOutcome). No token reaches the chart.
 */
import { assign, emit, fromPromise, setup } from 'xstate';
import { AccountCognitoExceptions } from '../errors/accountNames.js';
import { errorOfEvent } from '../errorInfo.js';
import { notProvided } from '../notProvided.js';
import type { Settlement } from '../signOutTypes.js';
import { ErrorNames, type ErrorInfo } from '../types.js';
import { refused, toErrorInfo, type AccountRefusal, type Answered, type Asked, type Failed } from './shared.js';

/** deleteUser(). */
export type DeleteUserEvent = Asked & {
  /** deleteUser(): delete the signed-in user. */
  readonly type: 'DELETE_USER';
};

/**
 * What deleteUser() resolves: the sign-out result's form (`type`, `signedOutLocally`, `error`),
 * plus whether the user is gone at Cognito. Every failure after the deletion is said here; none is
 * thrown.
 */
export type DeleteUserOutcome =
  | {
      /** The user is deleted, this device no longer holds the session, and the outbox holds no queued sign-out of that user that could be told apart. */
      readonly type: 'complete';
      /** The user no longer exists at Cognito. */
      readonly userDeleted: true;
      /** This device no longer holds the session; the other tabs over its storage were told. */
      readonly signedOutLocally: true;
    }
  | {
      /** The user is deleted and this device cleared, but queued sign-outs of that user could not be removed from the outbox: it will try them, and Cognito will refuse them (dead tokens). */
      readonly type: 'partial';
      /** The user no longer exists at Cognito. */
      readonly userDeleted: true;
      /** This device no longer holds the session; the other tabs over its storage were told. */
      readonly signedOutLocally: true;
      /** Why the outbox's entries of that user are still there: StorageError. */
      readonly outboxError: ErrorInfo;
    }
  | {
      /**
       * Either DeleteUser did not succeed (`userDeleted: false`: refused, or no answer; the user
       * still exists and is still signed in here), or the user is deleted but this device could
       * not be cleared (`userDeleted: true`: the dead session stays in storage, never handed out
       * nor restored; auth.signOut() retries the clear, sending nothing).
       */
      readonly type: 'failed';
      /**
       * false: Cognito did not confirm the deletion. After a TimeoutError or NetworkError it may
       * still have landed; call deleteUser() again (a user gone already is taken as deleted).
       */
      readonly userDeleted: boolean;
      /** This device still holds the session. */
      readonly signedOutLocally: false;
      /** DeleteUser's error (Cognito's name as sent, NetworkError, TimeoutError), or, with `userDeleted`, why the store was not cleared (StorageError). */
      readonly error: ErrorInfo;
      /** With `userDeleted`: the outbox's entries of that user could not be removed either. */
      readonly outboxError?: ErrorInfo;
    };

/** What the flow answers deleteUser() with, besides a refusal. */
export interface DeleteUserAnswer {
  /** The call ran: its outcome says what happened. */
  readonly kind: 'deleteUser';
  /** What deleteUser() resolves. */
  readonly outcome: DeleteUserOutcome;
}

/** DeleteUser, sent: whose access token it went with (its `sub` claim, no secret) and Cognito's refusal, if any (a fact). */
export interface DeleteUserCall {
  /** The `sub` claim of the access token DeleteUser was sent with: whose queued sign-outs go. */
  readonly sub?: string;
  /** Cognito's refusal, or the network's; absent when the user was deleted. */
  readonly error?: ErrorInfo;
}

/** What the store holds once the auth chart ended the session (`gone`: nothing; `unknown`: the read failed), and the auth chart's clear error, if the session is not gone. */
export interface SessionAfterDeletion {
  /** 'gone': the store holds no session; 'stored': it still does; 'unknown': it could not be read. */
  readonly store: 'gone' | 'stored' | 'unknown';
  /** Why the auth chart's clear failed (its context's clearError), when the session is not gone. */
  readonly clearError?: ErrorInfo;
}

/** One entry of the sign-out outbox, as facts: its id, the `sub` its access token names (none without one), and whether it marks a stored session's dead tokens. */
export interface QueuedIntentFacts {
  /** The entry's id (no secret). */
  readonly id: string;
  /** The `sub` claim of the entry's access token; absent when it keeps none (a local sign-out keeps only the refresh token). */
  readonly sub?: string;
  /** The entry marks a stored session's dead tokens (settled `keepRevoked`): it goes with that session's clear. */
  readonly revoked: boolean;
}

interface DeleteUserContext {
  /** The call the running step answers. */
  readonly caller: number;
  /** The deleted user's `sub`. */
  readonly sub: string | null;
  /** What the store held after the session ended. */
  readonly session: SessionAfterDeletion | null;
  /** The outbox entries of that user, by id. */
  readonly drop: readonly string[];
  /** Why they could not all be dropped. */
  readonly outboxError: ErrorInfo | null;
}

/** The deleted user's queued sign-outs: entries whose access token names `sub`. A revoked mark belongs to the stored session and goes with its clear. */
export function intentsOfUser(sub: string | null, entries: readonly QueuedIntentFacts[]): string[] {
  return sub === null ? [] : entries.filter((entry) => !entry.revoked && entry.sub === sub).map((entry) => entry.id);
}

/** The outcome once the user is deleted: what the store holds decides `complete`/`partial` against `failed`; the outbox, `complete` against `partial`. */
export function deletionOutcome(context: Pick<DeleteUserContext, 'session' | 'outboxError'>): DeleteUserOutcome {
  const outboxError = context.outboxError ? { outboxError: context.outboxError } : {};
  if (context.session?.store !== 'gone') {
    const why = context.session?.store === 'unknown' ? 'the storage could not be read back' : 'the storage still holds it';
    const error = context.session?.clearError ?? { name: ErrorNames.storage, message: `The deleted user's session could not be removed from this device: ${why}` };
    return { type: 'failed', userDeleted: true, signedOutLocally: false, error, ...outboxError };
  }
  return context.outboxError ? { type: 'partial', userDeleted: true, signedOutLocally: true, outboxError: context.outboxError } : { type: 'complete', userDeleted: true, signedOutLocally: true };
}

/** Entries still stored after the drop: the error that says so. */
const notDropped = (left: readonly string[]): ErrorInfo | null =>
  left.length === 0 ? null : { name: ErrorNames.storage, message: `${left.length} queued sign-out(s) of the deleted user could not be removed from the outbox` };

const stepInProgress = { DELETE_USER: { actions: { type: 'refuse' as const, params: { refusal: 'stepInProgress' as AccountRefusal } } } };

/**
 * The account deletion chart (drawn above; docs/diagrams/deleteUser.md): DELETE_USER events carry
 * the caller's id, and each is answered once with an `answered` event (DeleteUserAnswer, or a
 * refusal). Its promise actors (deleteUser, endSession, readOutbox, dropIntents) are declared, not
 * implemented: supply them with `.provide({ actors })`; one left out rejects with ActorNotProvided.
 */
export const deleteUserMachine = setup({
  types: {
    context: {} as DeleteUserContext,
    events: {} as DeleteUserEvent,
    emitted: {} as Answered<DeleteUserAnswer>,
  },
  actors: {
    /** DeleteUser with the signed-in user's access token; resolves Cognito's answer as a fact, rejects only when no token could be had (nobody signed in: nothing sent). */
    deleteUser: fromPromise<DeleteUserCall>(notProvided('deleteUser')),
    /** Marks the stored session's tokens in the outbox as `settlement` says, has the auth chart read the store again, and reports what the store holds then. */
    endSession: fromPromise<SessionAfterDeletion, { readonly settlement: Settlement }>(notProvided('endSession')),
    /** The sign-out outbox's stored entries, as facts (no token). */
    readOutbox: fromPromise<readonly QueuedIntentFacts[]>(notProvided('readOutbox')),
    /** Removes these outbox entries through the outbox; resolves the ids still stored after that. */
    dropIntents: fromPromise<{ readonly left: readonly string[] }, { readonly ids: readonly string[] }>(notProvided('dropIntents')),
  },
  actions: {
    /** A new call: its caller, and nothing from the last one. */
    takeCaller: assign(({ event }) => ({ caller: event.id, sub: null, session: null, drop: [], outboxError: null })),
    /** Answers the running step's caller. */
    answer: emit(({ context }, answer: DeleteUserAnswer | Failed) => ({ type: 'answered' as const, id: context.caller, answer })),
    /** Answers the running step's caller with the outcome the context now says (deletionOutcome). */
    answerOutcome: emit(({ context }) => ({ type: 'answered' as const, id: context.caller, answer: { kind: 'deleteUser' as const, outcome: deletionOutcome(context) } })),
    /** Refuses this event's call with one of ACCOUNT_REFUSALS. */
    refuse: emit(({ event }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: event.id, answer: refused(params.refusal) })),
    rememberUser: assign((_, call: DeleteUserCall) => ({ sub: call.sub ?? null })),
    recordSession: assign((_, session: SessionAfterDeletion) => ({ session })),
    rememberDrop: assign(({ context }, entries: readonly QueuedIntentFacts[]) => ({ drop: intentsOfUser(context.sub, entries) })),
    recordLeft: assign((_, left: readonly string[]) => ({ outboxError: notDropped(left) })),
    recordOutboxError: assign((_, error: unknown) => ({ outboxError: toErrorInfo(error) })),
  },
  guards: {
    /** Cognito deleted the user, or answered that the user no longer exists: either way the user is gone. */
    isUserGone: (_, call: DeleteUserCall) => call.error === undefined || call.error.name === AccountCognitoExceptions.userNotFound,
    /** The outbox holds queued sign-outs of the deleted user (intentsOfUser). */
    hasIntentsOfUser: ({ context }, entries: readonly QueuedIntentFacts[]) => intentsOfUser(context.sub, entries).length > 0,
  },
}).createMachine({
  id: 'deleteUser',
  context: { caller: 0, sub: null, session: null, drop: [], outboxError: null },
  initial: 'idle',
  states: {
    idle: {
      on: { DELETE_USER: { target: 'deletingUser', actions: 'takeCaller' } },
    },
    deletingUser: {
      on: stepInProgress,
      invoke: {
        src: 'deleteUser',
        onDone: [
          { guard: { type: 'isUserGone', params: ({ event }) => event.output }, target: 'endingSession', actions: { type: 'rememberUser', params: ({ event }) => event.output } },
          // Refused or unanswered: nothing else happens; the user is still there, and still signed in.
          {
            target: 'idle',
            actions: { type: 'answer', params: ({ event }) => ({ kind: 'deleteUser' as const, outcome: { type: 'failed' as const, userDeleted: false, signedOutLocally: false as const, error: event.output.error ?? toErrorInfo(undefined) } }) },
          },
        ],
        // No token (nobody signed in, or the session could not be read): nothing was sent.
        onError: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'failed' as const, error: toErrorInfo(event.error) }) } },
      },
    },
    endingSession: {
      on: stepInProgress,
      invoke: {
        src: 'endSession',
        // The deleted user's tokens are dead but still stored: marked so, they are never sent, handed out or restored.
        input: { settlement: 'keepRevoked' },
        onDone: { target: 'readingOutbox', actions: { type: 'recordSession', params: ({ event }) => event.output } },
        onError: { target: 'readingOutbox', actions: { type: 'recordSession', params: ({ event }) => ({ store: 'unknown' as const, clearError: toErrorInfo(event.error) }) } },
      },
    },
    readingOutbox: {
      on: stepInProgress,
      invoke: {
        src: 'readOutbox',
        onDone: [
          { guard: { type: 'hasIntentsOfUser', params: ({ event }) => event.output }, target: 'droppingIntents', actions: { type: 'rememberDrop', params: ({ event }) => event.output } },
          { target: 'idle', actions: 'answerOutcome' },
        ],
        onError: { target: 'idle', actions: [{ type: 'recordOutboxError', params: errorOfEvent }, 'answerOutcome'] },
      },
    },
    droppingIntents: {
      on: stepInProgress,
      invoke: {
        src: 'dropIntents',
        input: ({ context }) => ({ ids: context.drop }),
        onDone: { target: 'idle', actions: [{ type: 'recordLeft', params: ({ event }) => event.output.left }, 'answerOutcome'] },
        onError: { target: 'idle', actions: [{ type: 'recordOutboxError', params: errorOfEvent }, 'answerOutcome'] },
      },
    },
  },
});
