import { assertEvent, assign, enqueueActions, fromCallback, fromPromise, sendParent, setup } from 'xstate';
import type { CallAnswer, OutboxCall } from './auth/callTypes.js';
import { notProvided } from './notProvided.js';
import { signOutMachine, type IntentFacts, type IntentSource, type SignOutInput } from './signOutMachine.js';
import { ErrorNames, sentIsUnknown } from './errors/registry.js';
import type { DrainReport, SignOutOutcome } from './types.js';

/**
 * The sign-out outbox: intents a sign-out could not finish, finished later by the same sign-out
 * chart. It runs beside the auth machine for the instance's whole life (invoked at its root).
 *
 *   waitingForSession ─SESSION_LOADED─► draining ─► idle ◄──────────────────────┐
 *                                         ▲  pickingIntent ⇄ finishingIntent   │
 *                       FLUSH_REVOCATIONS │  (signOut chart, one intent a run) │
 *   idle ─┬─ INTENTS_DUE (backoff) ───────┘                                    │
 *         └─ RETRY_SIGN_OUT ─► retrying (signOut chart over the result's tokens) ┘
 *
 * It waits for the session to load first: a stored session whose tokens are queued here is a
 * sign-out that a crash interrupted, and loadSession must see that before a drain removes them.
 * A sign-in asks first (FINISH_GLOBAL_SIGN_OUTS): a drain of the global intents (any backoff),
 * whose end tells it how many are left (GLOBAL_SIGN_OUTS_FINISHED, null when unknown).
 * A drain and a retry never overlap; a call that finds the other running waits for idle. One
 * deadline bounds a drain, whatever the outbox holds: no intent starts after networkTimeoutMs, and
 * the drain ends by networkTimeoutMs + 2 × storageTimeoutMs. What is left stays queued.
 */
export interface OutboxInput {
  /** createAuth's networkTimeoutMs: the network budget of one flow, in ms: every Cognito request of one sign-in step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together), or of one outbox drain ends within it, retries included. Here: no intent of a drain starts after it. */
  readonly networkTimeoutMs: number;
  /** createAuth's storageTimeoutMs: the bound of one storage call, in ms: a getItem, setItem or removeItem that has not settled by then fails with StorageError. Here: a drain ends by networkTimeoutMs + 2 × storageTimeoutMs. */
  readonly storageTimeoutMs: number;
  /** Intents are persisted and retried; false: kept in memory for one flow only. */
  readonly queueing: boolean;
}

/** The next intent to finish, and how many entries are queued. No entry is ever dropped unsent. */
export interface PickedIntent {
  /** The intent, or null when none is due (or the drain's budget is spent). */
  readonly intent: (IntentFacts & {
    /** Its outbox entry. */
    readonly intentId: string;
    /** A global sign-out intent. */
    readonly global: boolean;
  }) | null;
  /** Entries still queued, the picked one included, and those another instance's flow holds (leased). */
  readonly pending: number;
  /** Of those, the global intents: each a GlobalSignOut not known to have landed (absent: none). */
  readonly pendingGlobal?: number;
}

/** A call, or a sign-in's request, that waits for idle. */
type Deferred = OutboxCall | { type: 'FINISH_GLOBAL_SIGN_OUTS' };

/** The outbox machine's context: its input, the calls it holds, and the running drain's progress. No token. */
export interface OutboxContext extends OutboxInput {
  /** Calls that arrived while a drain or a retry ran; replayed, in order, back in idle. */
  readonly deferred: readonly Deferred[];
  /** flushRevocations() calls waiting for the running drain. */
  readonly flushWaiters: readonly number[];
  /** Ignore the backoff: an explicit flush, or the first drain of a process. */
  readonly everyEntry: boolean;
  /** Intents this drain has tried already: each is tried once per drain. */
  readonly tried: readonly string[];
  /** What the running drain has done so far: what flushRevocations() resolves. */
  readonly report: DrainReport;
  /** The retrySignOut() call the running retry answers, or null. */
  readonly retryCaller: number | null;
  /** The retry running is a global sign-out. */
  readonly retryGlobal: boolean;
  /** The intent the drain is finishing. */
  readonly current: PickedIntent['intent'];
  /** networkTimeoutMs has passed since the drain began: it starts no further intent. */
  readonly budgetSpent: boolean;
  /** The auth machine was told that a global intent's flow began (GLOBAL_SIGN_OUT_SENT), and not yet how it ended. */
  readonly globalInFlight: boolean;
  /** A sign-in waits for this drain to finish the global intents (FINISH_GLOBAL_SIGN_OUTS): idle tells it how many are left. */
  readonly signInWaiting: boolean;
  /** Global intents still queued at the running drain's last pick; null before its first pick answered (unknown). */
  readonly pendingGlobal: number | null;
}

/** Every event the outbox machine takes: its calls, and the auth machine's and the backoff's news. */
export type OutboxEvent =
  | OutboxCall
  | {
      /** A sign-in is about to begin: send the queued global intents first, then say how many are left (GLOBAL_SIGN_OUTS_FINISHED). */
      type: 'FINISH_GLOBAL_SIGN_OUTS';
    }
  | {
      /** The auth machine has read the stored session: the first drain may start. */
      type: 'SESSION_LOADED';
    }
  | {
      /** A sign-out left an intent queued: watch its backoff. */
      type: 'INTENTS_QUEUED';
    }
  | {
      /** The earliest entry's backoff has passed (from watchBackoff): drain the due ones. */
      type: 'INTENTS_DUE';
    };

const EMPTY_REPORT: DrainReport = { revoked: 0, dropped: 0, pending: 0 };

/**
 * The outbox statechart (the chart drawn above OutboxInput; docs/diagrams/outbox.md), invoked by
 * the auth machine at its root. Its pickIntent actor is declared, not implemented: supply it (and
 * watchBackoff, which does nothing by default, and a provided `signOut`) with `.provide({ actors })`;
 * pickIntent left out rejects with ActorNotProvided.
 */
export const outboxMachine = setup({
  types: {
    input: {} as OutboxInput,
    context: {} as OutboxContext,
    events: {} as OutboxEvent,
  },
  actors: {
    /**
     * Takes the next due intent (every one with everyEntry), skipping `tried`. With `take` false
     * (the drain's budget is spent) it only counts what is left. It never drops an entry.
     */
    pickIntent: fromPromise<PickedIntent, { everyEntry: boolean; tried: readonly string[]; take: boolean; globalOnly?: boolean }>(notProvided('pickIntent')),
    /** Sends INTENTS_DUE when the earliest entry's backoff has passed. */
    watchBackoff: fromCallback(() => undefined),
    signOut: signOutMachine,
  },
  guards: {
    picked: ({ context }, picked: PickedIntent) => picked.intent !== null && !context.budgetSpent,
    /**
     * GlobalSignOut succeeded: a global flow that ended without a globalSignOutError (one whose
     * GlobalSignOut failed or was not sent reports why). It may still be partial: its announcement
     * to the app's API is queued, and the session must not wait for the API to be told.
     */
    endedEverySession: (_, params: { global: boolean; outcome: SignOutOutcome }) => params.global && (params.outcome.type === 'complete' || (params.outcome.type === 'partial' && !params.outcome.globalSignOutError)),
  },
  actions: {
    defer: assign(({ context, event }) => ({ deferred: [...context.deferred, event as Deferred] })),
    replayDeferred: enqueueActions(({ context, enqueue }) => {
      for (const call of context.deferred) enqueue.raise(call);
      enqueue.assign({ deferred: [] });
    }),
    /** Flushes asked for before the drain began (waitingForSession) stay in flushWaiters: idle answers them after it. */
    startDrain: assign((_, everyEntry: boolean) => ({ everyEntry, tried: [], report: EMPTY_REPORT, budgetSpent: false, pendingGlobal: null })),
    /** A sign-in waits for the drain: every global intent is tried (whatever its backoff), and idle answers it. */
    joinForSignIn: assign({ everyEntry: true, signInWaiting: true }),
    spendBudget: assign({ budgetSpent: true }),
    joinDrain: assign(({ context, event }) => ({ everyEntry: true, flushWaiters: [...context.flushWaiters, (event as OutboxCall).id] })),
    recordPick: assign(({ context }, picked: PickedIntent) => ({
      current: picked.intent,
      tried: picked.intent && !context.budgetSpent ? [...context.tried, picked.intent.intentId] : context.tried,
      report: { ...context.report, pending: picked.pending },
      pendingGlobal: picked.pendingGlobal ?? 0,
    })),
    /** A finished intent is either still queued, or gone: revoked, or dropped because no retry can help. */
    countFinished: assign(({ context }, outcome: SignOutOutcome) => {
      if (outcome.type === 'partial' && outcome.finishedBy === 'outbox') return {};
      const { revoked, dropped, pending } = context.report;
      const gone = Math.max(0, pending - 1);
      return { report: outcome.type === 'partial' ? { revoked, dropped: dropped + 1, pending: gone } : { revoked: revoked + 1, dropped, pending: gone } };
    }),
    answerFlush: enqueueActions(({ context, enqueue }) => {
      for (const id of context.flushWaiters) enqueue(sendParent({ type: 'OUTBOX_ANSWERED', id, answer: { kind: 'flush', report: context.report } satisfies CallAnswer }));
      // A fact for the sign-in that waits: how many global intents the drain left queued (the auth chart decides).
      if (context.signInWaiting) enqueue(sendParent({ type: 'GLOBAL_SIGN_OUTS_FINISHED', pending: context.pendingGlobal }));
      enqueue.assign({ flushWaiters: [], signInWaiting: false });
    }),
    startRetry: assign(({ event }) => {
      assertEvent(event, 'RETRY_SIGN_OUT');
      return { retryCaller: event.id, retryGlobal: event.global };
    }),
    /** Every session of that user at Cognito is over, maybe the one the auth machine holds (KB6). */
    tellGlobalSignOutLanded: enqueueActions(({ enqueue }) => {
      enqueue.assign({ globalInFlight: false });
      enqueue(sendParent({ type: 'GLOBAL_SIGN_OUT_LANDED' }));
    }),
    /** A global intent's flow begins: a session of its user the auth machine holds now is over if it lands (KB6). */
    tellGlobalSignOutSent: enqueueActions(({ context, enqueue }) => {
      if (!context.current?.global) return;
      enqueue.assign({ globalInFlight: true });
      enqueue(sendParent({ type: 'GLOBAL_SIGN_OUT_SENT', ...(context.current.username !== undefined && { username: context.current.username }) }));
    }),
    /** That flow ended without GlobalSignOut's success; whether it may still land is the chart's guess from the outcome (mayStillLand). */
    tellGlobalSignOutNotLanded: enqueueActions(({ context, enqueue }, outcome: SignOutOutcome | null) => {
      if (!context.globalInFlight) return;
      enqueue.assign({ globalInFlight: false });
      enqueue(sendParent({ type: 'GLOBAL_SIGN_OUT_NOT_LANDED', mayLandLater: mayStillLand(outcome) }));
    }),
    answerRetry: enqueueActions(({ context, enqueue }, outcome: SignOutOutcome) => {
      if (context.retryCaller !== null) enqueue(sendParent({ type: 'OUTBOX_ANSWERED', id: context.retryCaller, answer: { kind: 'signOut', outcome } satisfies CallAnswer }));
      enqueue.assign({ retryCaller: null });
    }),
  },
  delays: {
    /** The drain's network budget: no intent is started after it. */
    networkBudget: ({ context }) => context.networkTimeoutMs,
    /** One deadline for a whole drain, whatever the outbox holds: the budget plus one flow's storage steps. */
    drainDeadline: ({ context }) => context.networkTimeoutMs + 2 * context.storageTimeoutMs,
  },
}).createMachine({
  id: 'outbox',
  context: ({ input }) => ({
    ...input,
    deferred: [],
    flushWaiters: [],
    everyEntry: false,
    tried: [],
    report: EMPTY_REPORT,
    retryCaller: null,
    retryGlobal: false,
    current: null,
    budgetSpent: false,
    globalInFlight: false,
    signInWaiting: false,
    pendingGlobal: null,
  }),
  initial: 'waitingForSession',
  states: {
    waitingForSession: {
      on: {
        SESSION_LOADED: { target: 'draining', actions: { type: 'startDrain', params: true } },
        RETRY_SIGN_OUT: { actions: 'defer' },
        // The first drain of a process tries every entry anyway: a flush asked for now is answered by it.
        FLUSH_REVOCATIONS: { actions: 'joinDrain' },
        FINISH_GLOBAL_SIGN_OUTS: { actions: 'joinForSignIn' },
      },
    },
    idle: {
      // Flushes are answered here, not on leaving draining: a state's exit runs before the
      // transition's own actions, so the count of the drain's last pick would not be in the report.
      entry: ['answerFlush', 'replayDeferred'],
      invoke: { src: 'watchBackoff' },
      on: {
        INTENTS_DUE: { target: 'draining', actions: { type: 'startDrain', params: false } },
        // A sign-out left an intent queued: watch its backoff.
        INTENTS_QUEUED: { target: 'idle', reenter: true },
        FLUSH_REVOCATIONS: { target: 'draining', actions: [{ type: 'startDrain', params: true }, 'joinDrain'] },
        FINISH_GLOBAL_SIGN_OUTS: { target: 'draining', actions: [{ type: 'startDrain', params: true }, 'joinForSignIn'] },
        RETRY_SIGN_OUT: { target: 'retrying', actions: 'startRetry' },
      },
    },
    draining: {
      initial: 'pickingIntent',
      after: { networkBudget: { actions: 'spendBudget' }, drainDeadline: { target: 'idle', actions: { type: 'tellGlobalSignOutNotLanded', params: null } } },
      on: {
        FLUSH_REVOCATIONS: { actions: 'joinDrain' },
        FINISH_GLOBAL_SIGN_OUTS: { actions: 'joinForSignIn' },
        RETRY_SIGN_OUT: { actions: 'defer' },
        INTENTS_QUEUED: {},
        INTENTS_DUE: {},
      },
      states: {
        pickingIntent: {
          invoke: {
            src: 'pickIntent',
            input: ({ context }) => ({ everyEntry: context.everyEntry, tried: context.tried, take: !context.budgetSpent, globalOnly: context.signInWaiting && context.flushWaiters.length === 0 }),
            onDone: [
              { guard: { type: 'picked', params: ({ event }) => event.output }, target: 'finishingIntent', actions: { type: 'recordPick', params: ({ event }) => event.output } },
              { target: '#outbox.idle', actions: { type: 'recordPick', params: ({ event }) => event.output } },
            ],
            // The outbox cannot be read: nothing to do until the next attempt.
            onError: '#outbox.idle',
          },
        },
        finishingIntent: {
          entry: 'tellGlobalSignOutSent',
          invoke: {
            src: 'signOut',
            input: ({ context }) => flowInput(context, context.current!, { kind: 'queued', intentId: context.current!.intentId }),
            onDone: [
              {
                guard: { type: 'endedEverySession', params: ({ context, event }) => ({ global: context.current!.global, outcome: event.output }) },
                target: 'pickingIntent',
                actions: [{ type: 'countFinished', params: ({ event }) => event.output }, 'tellGlobalSignOutLanded'],
              },
              { target: 'pickingIntent', actions: [{ type: 'countFinished', params: ({ event }) => event.output }, { type: 'tellGlobalSignOutNotLanded', params: ({ event }) => event.output }] },
            ],
            onError: { target: 'pickingIntent', actions: { type: 'tellGlobalSignOutNotLanded', params: null } },
          },
        },
      },
    },
    retrying: {
      on: {
        RETRY_SIGN_OUT: { actions: 'defer' },
        FLUSH_REVOCATIONS: { actions: 'defer' },
        FINISH_GLOBAL_SIGN_OUTS: { actions: 'defer' },
        INTENTS_QUEUED: {},
        INTENTS_DUE: {},
      },
      invoke: {
        src: 'signOut',
        input: ({ context, event }) => {
          assertEvent(event, 'RETRY_SIGN_OUT');
          // What the tokens allow (revocation, GlobalSignOut) is read from them when the intent is recorded.
          return flowInput(context, { global: event.global, revocable: true }, { kind: 'retry', credential: event.credential });
        },
        onDone: [
          {
            guard: { type: 'endedEverySession', params: ({ context, event }) => ({ global: context.retryGlobal, outcome: event.output }) },
            target: 'idle',
            actions: [{ type: 'answerRetry', params: ({ event }) => event.output }, 'tellGlobalSignOutLanded'],
          },
          { target: 'idle', actions: { type: 'answerRetry', params: ({ event }) => event.output } },
        ],
        onError: {
          target: 'idle',
          actions: { type: 'answerRetry', params: () => ({ type: 'failed', error: { name: ErrorNames.internal, message: 'The retry failed unexpectedly' }, tokensRevoked: false }) as SignOutOutcome },
        },
      },
    },
  },
});

/**
 * Whether a global flow that did not end complete may still have ended every session of its user:
 * its GlobalSignOut got no answer (a reset, a deadline, an abort), or the flow itself did not end
 * (null). A GlobalSignOut Cognito answered with an error did nothing.
 */
export function mayStillLand(outcome: SignOutOutcome | null): boolean {
  const error = outcome && 'globalSignOutError' in outcome ? outcome.globalSignOutError : undefined;
  return outcome === null || (error !== undefined && sentIsUnknown(error.name));
}

/** The input of one sign-out flow the outbox runs. */
function flowInput(context: OutboxContext, intent: { global: boolean; revocable: boolean } & Partial<IntentFacts>, source: IntentSource): SignOutInput {
  const { queueing, networkTimeoutMs, storageTimeoutMs } = context;
  return { ...intent, source, queueing, networkTimeoutMs, storageTimeoutMs };
}
