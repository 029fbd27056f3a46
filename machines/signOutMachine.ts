import { assign, fromPromise, setup } from 'xstate';
import { ErrorNames, type ErrorInfo, type FinishedBy, type SignOutOutcome } from './types.js';
import { notProvided } from './notProvided.js';
import { errorOfEvent, isRetryable, toErrorInfo } from './errorInfo.js';

/**
 * One sign-out intent, from "the user asked" to "the outbox knows what is left". The same chart
 * runs a new sign-out, retrySignOut(result), and every intent the outbox drains later.
 *
 *   requested ─► recordingIntent ─► choosingCalls ─┬─ local (or global without the admin scope) ─► callingCognito.revoking ┐
 *                                     ├─ global ─► callingCognito.signingOutGlobally ──ok───────────┤
 *                                     │             └─failed for good─► …signingOutGlobally.revoking ┤
 *                                     └─ no origin_jti ─────────────────────────────────────────────┴─► serverCallsDone
 *   serverCallsDone ─┬─ a session sign-out ─► clearingCache ─┐
 *                    └─ an outbox intent ─────────────────────┴─► settlingIntent ─► done | failed
 *
 * recordingIntent writes the tokens to the outbox *before* any request, so a crash loses nothing.
 * GlobalSignOut goes first and RevokeToken follows only when GlobalSignOut can never succeed:
 * RevokeToken also revokes the access token, so after it the global half is impossible. A global
 * intent that failed for a retryable reason (offline, 5xx, throttled) stays queued as a global
 * intent and is finished later by this same chart. Without an outbox nothing would finish it, so
 * then RevokeToken follows at once. callingCognito has one deadline for every request in it.
 * settlingIntent tells the outbox what the server calls proved: the entry goes only when the
 * tokens are dead or no retry can ever help.
 *
 * The machine only orchestrates: it never sees a token. The services read them from the outbox
 * entry named by intentId; errors arrive here as { name, message } only.
 */

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
  /** The access token has the admin scope GlobalSignOut needs (hosted-UI tokens often lack it); checked again when recorded. */
  readonly globalCapable: boolean;
  /** Where the flow's tokens come from. */
  readonly source: IntentSource;
  /** The outbox persists intents and retries them: a retryable failure can wait for it. */
  readonly queueing: boolean;
  /** createAuth's networkTimeoutMs: the network budget of one flow, in ms: every Cognito request of one sign-in step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together), or of one outbox drain ends within it, retries included. Here: one deadline for `callingCognito` as a whole. */
  readonly networkTimeoutMs: number;
  /** createAuth's storageTimeoutMs: the bound of one storage call, in ms: a getItem, setItem or removeItem that has not settled by then fails with StorageError. Here: the deadline of recordingIntent and settlingIntent, and twice it for clearingCache. */
  readonly storageTimeoutMs: number;
}

/** The sign-out machine's context: its input, and what the flow has found out so far. No token. */
export interface SignOutContext extends SignOutInput {
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
  /** Why the session could not be cleared from the store: the flow ends `failed`. */
  readonly clearError?: ErrorInfo;
  /** The intent is still in the outbox after settlingIntent: the outcome's finishedBy is 'outbox'. */
  readonly queued: boolean;
}

/** What recordIntent resolves with. */
export interface RecordedIntent {
  /** The outbox entry now holding the flow's tokens. */
  readonly intentId: string;
  /** The recorded access token carries `origin_jti`: RevokeToken can work. */
  readonly revocable: boolean;
  /** The recorded access token has the admin scope GlobalSignOut needs. */
  readonly globalCapable: boolean;
}

/** What settleIntent is told: what the server calls proved. */
/** What becomes of an outbox entry: removed, or kept (as a global or a local intent) for a later try. */
export type Settlement = 'remove' | 'keepGlobal' | 'keepLocal';

/** What settleIntent is told to do with the flow's entry: decided here, carried out by the outbox. */
export interface SettleInput {
  /** Absent when no intent could be recorded: there is nothing to settle. */
  readonly intentId?: string;
  /** What to do with it: decided by settlementOf(). */
  readonly settlement: Settlement;
}

/** What the server calls proved, as settlementOf reads it. */
export type SettleFacts = Pick<SignOutContext, 'queueing' | 'global' | 'globalSignedOut' | 'revoked' | 'globalSignOutError' | 'revokeTokenError'>;

/**
 * The entry goes when the tokens are dead (a call succeeded), or when Cognito's answer is final for
 * that request (no retry can help); it stays, with backoff, when a later try can succeed. A global
 * intent stays global while GlobalSignOut itself may still succeed. Without queueing, nothing would
 * make that later try: the entry lived for this flow only and goes. Pure.
 */
export function settlementOf(facts: SettleFacts): Settlement {
  if (!facts.queueing || facts.globalSignedOut || facts.revoked) return 'remove';
  if (facts.global && facts.globalSignOutError && isRetryable(facts.globalSignOutError.name)) return 'keepGlobal';
  if (facts.revokeTokenError && isRetryable(facts.revokeTokenError.name)) return 'keepLocal';
  return 'remove';
}

const timedOut = (call: string, ms: number): ErrorInfo => ({
  name: ErrorNames.timeout,
  message: `${call} had not answered within networkTimeoutMs (${ms} ms); the request was aborted`,
});

const notAttempted = (ms: number): ErrorInfo => ({
  name: ErrorNames.timeout,
  message: `RevokeToken was not sent: networkTimeoutMs (${ms} ms) passed while GlobalSignOut was pending`,
});

const notSent = (call: string, why: ErrorInfo): ErrorInfo => ({
  name: why.name === ErrorNames.storage ? ErrorNames.notSent : why.name,
  message: `${call} was not sent: ${why.message}`,
});

const storageSilent = (what: string, ms: number): ErrorInfo => ({
  name: ErrorNames.storage,
  message: `The storage did not ${what} within storageTimeoutMs (${ms} ms)`,
});

const globalSignOutNotSupported: ErrorInfo = {
  name: ErrorNames.globalSignOutNotSupported,
  message:
    'The access token lacks the aws.cognito.signin.user.admin scope (a hosted-UI sign-in without it), so Cognito would refuse GlobalSignOut: it was not sent, and RevokeToken signs out this device',
};

const revocationNotEnabled: ErrorInfo = {
  name: ErrorNames.revocationNotEnabled,
  message: 'The access token has no origin_jti claim: token revocation is not enabled on this app client, so RevokeToken was skipped',
};

/**
 * The sign-out statechart (the chart drawn at the top of this file; docs/diagrams/signOut.md): one
 * intent, input SignOutInput, output SignOutOutcome. Its promise actors (recordIntent, revokeToken,
 * globalSignOut, clearTokens, settleIntent) are declared, not implemented: supply them with
 * `.provide({ actors })`; one left out rejects with ActorNotProvided.
 */
export const signOutMachine = setup({
  types: {
    input: {} as SignOutInput,
    context: {} as SignOutContext,
    output: {} as SignOutOutcome,
  },
  actors: {
    /** Copies the flow's tokens into an outbox entry (memory at once, storage within the deadline). */
    recordIntent: fromPromise<RecordedIntent, { source: IntentSource; global: boolean }>(notProvided('recordIntent')),
    /** RevokeToken with the intent's refresh token. Rejects with an ErrorInfo-shaped error. */
    revokeToken: fromPromise<void, { intentId: string }>(notProvided('revokeToken')),
    /** GlobalSignOut with the intent's access token (refreshed first if it has expired). */
    globalSignOut: fromPromise<void, { intentId: string }>(notProvided('globalSignOut')),
    /** Removes every token of the session from the store, all or nothing. */
    clearTokens: fromPromise<void>(notProvided('clearTokens')),
    /** Removes the outbox entry, or keeps it for a retry; resolves whether it is still queued. */
    settleIntent: fromPromise<{ queued: boolean }, SettleInput>(notProvided('settleIntent')),
  },
  guards: {
    /** An outbox intent being finished: its tokens are already recorded. */
    hasIntent: ({ context }) => context.intentId !== undefined,
    canSignOutGlobally: ({ context }) => context.global && context.globalCapable,
    /** Global asked for, but the token cannot do it: do not make a call that is sure to fail. */
    isGlobalSignOutNotSupported: ({ context }) => context.global && !context.globalCapable,
    isGlobalSignOutNotSupportedNorRevocable: ({ context }) => context.global && !context.globalCapable && !context.revocable,
    isRevocationDisabled: ({ context }) => !context.revocable,
    /** GlobalSignOut failed for a reason a later try can fix, and the outbox will make that try. */
    canFinishGlobalLater: ({ context }, error: unknown) => context.queueing && isRetryable(toErrorInfo(error).name),
    clearsSession: ({ context }) => context.source.kind === 'session',
    clearFailed: ({ context }) => context.clearError !== undefined,
  },
  actions: {
    recordIntentId: assign((_, intent: RecordedIntent) => ({ intentId: intent.intentId, revocable: intent.revocable, globalCapable: intent.globalCapable })),
    recordGlobalSignOutNotSupported: assign({ globalSignOutError: globalSignOutNotSupported }),
    recordNotSent: assign(({ context }, why: ErrorInfo) => ({
      ...(context.global && { globalSignOutError: notSent('GlobalSignOut', why) }),
      revokeTokenError: notSent('RevokeToken', why),
    })),
    recordRevocationNotEnabled: assign({ revokeTokenError: revocationNotEnabled }),
    recordRevoked: assign({ revoked: true }),
    recordGlobalSignOut: assign({ globalSignedOut: true }),
    recordRevokeFailure: assign((_, error: unknown) => ({ revokeTokenError: toErrorInfo(error) })),
    /** The deadline passed: whichever call was pending timed out. */
    recordDeadline: assign(({ context }) => {
      const ms = context.networkTimeoutMs;
      if (!context.global) return { revokeTokenError: timedOut('RevokeToken', ms) };
      if (context.globalSignOutError) return { revokeTokenError: timedOut('RevokeToken', ms) };
      return { globalSignOutError: timedOut('GlobalSignOut', ms), revokeTokenError: context.revocable ? notAttempted(ms) : revocationNotEnabled };
    }),
    recordGlobalSignOutFailure: assign((_, error: unknown) => ({ globalSignOutError: toErrorInfo(error) })),
    recordClearFailure: assign((_, error: unknown) => ({ clearError: toErrorInfo(error) })),
    recordClearTimeout: assign(({ context }) => ({ clearError: storageSilent('confirm that the session was removed', context.storageTimeoutMs * 2) })),
    recordQueued: assign((_, queued: boolean) => ({ queued })),
  },
  delays: {
    networkDeadline: ({ context }) => context.networkTimeoutMs,
    storageDeadline: ({ context }) => context.storageTimeoutMs,
    /** clear() removes, then reads back: two storage calls. */
    clearDeadline: ({ context }) => context.storageTimeoutMs * 2,
  },
}).createMachine({
  id: 'signOut',
  context: ({ input }) => ({ ...input, globalSignedOut: false, revoked: false, queued: false, ...(input.source.kind === 'queued' && { intentId: input.source.intentId }) }),
  initial: 'requested',
  states: {
    requested: {
      always: [{ guard: 'hasIntent', target: 'choosingCalls' }, { target: 'recordingIntent' }],
    },
    recordingIntent: {
      invoke: {
        src: 'recordIntent',
        input: ({ context }) => ({ source: context.source, global: context.global }),
        onDone: { target: 'choosingCalls', actions: { type: 'recordIntentId', params: ({ event }) => event.output } },
        // No tokens to send (the session could not be read): nothing reaches the server.
        onError: { target: 'serverCallsDone', actions: { type: 'recordNotSent', params: ({ event }) => toErrorInfo(event.error) } },
      },
      after: { storageDeadline: { target: 'serverCallsDone', actions: { type: 'recordNotSent', params: ({ context }) => storageSilent('return the session', context.storageTimeoutMs) } } },
    },
    choosingCalls: {
      always: [
        { guard: 'canSignOutGlobally', target: 'callingCognito.signingOutGlobally' },
        { guard: 'isGlobalSignOutNotSupportedNorRevocable', target: 'serverCallsDone', actions: ['recordGlobalSignOutNotSupported', 'recordRevocationNotEnabled'] },
        { guard: 'isGlobalSignOutNotSupported', target: 'callingCognito.revoking', actions: 'recordGlobalSignOutNotSupported' },
        { guard: 'isRevocationDisabled', target: 'serverCallsDone', actions: 'recordRevocationNotEnabled' },
        { target: 'callingCognito.revoking' },
      ],
    },
    callingCognito: {
      initial: 'revoking',
      // One deadline for GlobalSignOut and, if it fails for good, RevokeToken after it.
      after: { networkDeadline: { target: 'serverCallsDone', actions: 'recordDeadline' } },
      states: {
        revoking: { invoke: revokeRefreshToken() },
        signingOutGlobally: {
          initial: 'invalidatingSessions',
          states: {
            invalidatingSessions: {
              invoke: {
                src: 'globalSignOut',
                input: ({ context }) => ({ intentId: context.intentId! }),
                // Every refresh token of the user is now invalid: RevokeToken is not needed.
                onDone: { target: '#signOut.serverCallsDone', actions: 'recordGlobalSignOut' },
                onError: [
                  {
                    guard: 'isRevocationDisabled',
                    target: '#signOut.serverCallsDone',
                    actions: [{ type: 'recordGlobalSignOutFailure', params: errorOfEvent }, 'recordRevocationNotEnabled'],
                  },
                  // Offline or throttled: the outbox finishes it as a global sign-out later.
                  { guard: { type: 'canFinishGlobalLater', params: errorOfEvent }, target: '#signOut.serverCallsDone', actions: { type: 'recordGlobalSignOutFailure', params: errorOfEvent } },
                  // It can never succeed: this device's refresh token must still die on the server.
                  { target: 'revoking', actions: { type: 'recordGlobalSignOutFailure', params: errorOfEvent } },
                ],
              },
            },
            revoking: { invoke: revokeRefreshToken() },
          },
        },
      },
    },
    serverCallsDone: {
      always: [{ guard: 'clearsSession', target: 'clearingCache' }, { target: 'settlingIntent' }],
    },
    clearingCache: {
      invoke: {
        src: 'clearTokens',
        onDone: 'settlingIntent',
        onError: { target: 'settlingIntent', actions: { type: 'recordClearFailure', params: errorOfEvent } },
      },
      after: { clearDeadline: { target: 'settlingIntent', actions: 'recordClearTimeout' } },
    },
    settlingIntent: {
      invoke: {
        src: 'settleIntent',
        input: ({ context }) => ({ ...(context.intentId !== undefined && { intentId: context.intentId }), settlement: settlementOf(context) }),
        onDone: { target: 'settled', actions: { type: 'recordQueued', params: ({ event }) => event.output.queued } },
        // The outbox could not be updated: its entry stays as it was, so it is still queued.
        onError: { target: 'settled', actions: { type: 'recordQueued', params: ({ context }) => context.queueing } },
      },
      after: { storageDeadline: { target: 'settled', actions: { type: 'recordQueued', params: ({ context }) => context.queueing } } },
    },
    settled: {
      always: [{ guard: 'clearFailed', target: 'failed' }, { target: 'done' }],
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => outcomeOf(context),
});

/** RevokeToken with the intent's refresh token: alone (local), or after GlobalSignOut failed for good. */
function revokeRefreshToken() {
  return {
    src: 'revokeToken' as const,
    input: ({ context }: { context: SignOutContext }) => ({ intentId: context.intentId! }),
    onDone: { target: '#signOut.serverCallsDone', actions: 'recordRevoked' as const },
    onError: { target: '#signOut.serverCallsDone', actions: { type: 'recordRevokeFailure' as const, params: errorOfEvent } },
  };
}

/** The outcome a finished flow reports; pure, exported for the auth machine and for tests. */
export function outcomeOf(context: SignOutContext): SignOutOutcome {
  const { globalSignOutError, revokeTokenError, intentId } = context;
  const id = intentId !== undefined ? { intentId } : {};
  const errors = { ...(globalSignOutError && { globalSignOutError }), ...(revokeTokenError && { revokeTokenError }) };
  const tokensRevoked = context.globalSignedOut || context.revoked;
  if (context.clearError) return { type: 'failed', error: context.clearError, tokensRevoked, ...errors, ...id };
  // GlobalSignOut succeeded: every token of the user is dead, whatever else failed.
  if (context.globalSignedOut || (!globalSignOutError && !revokeTokenError)) return { type: 'complete', ...id };
  return { type: 'partial', global: context.global, ...errors, finishedBy: finisherOf(context), ...id };
}

/**
 * Whether retrySignOut(result) asks for GlobalSignOut: what the result recorded the sign-out asked
 * for. A result without that record (built by hand, or by an earlier version) is read from what it
 * carries: a globalSignOutError means GlobalSignOut was asked for. Pure.
 */
export function retryIsGlobal(result: {
  /** What the sign-out asked for, as the result recorded it. */
  readonly global?: unknown;
  /** Why GlobalSignOut failed, when it was asked for. */
  readonly globalSignOutError?: unknown;
}): boolean {
  return typeof result.global === 'boolean' ? result.global : result.globalSignOutError !== undefined;
}

function finisherOf(context: SignOutContext): FinishedBy {
  if (context.queued) return 'outbox';
  // No intent was recorded: the tokens could not even be read, so nothing can retry with them.
  if (context.intentId === undefined) return 'nothing';
  const errors = [context.globalSignOutError, context.revokeTokenError];
  const retryable = errors.some((error) => error !== undefined && isRetryable(error.name));
  return retryable ? 'retrySignOut' : 'nothing';
}
