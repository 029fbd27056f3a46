import { assign, fromPromise, setup } from 'xstate';
import type { ErrorInfo, SignOutOutcome } from './types.js';
import { notProvided } from './notProvided.js';
import { errorOfEvent, isRetryable, toErrorInfo } from './errorInfo.js';
import type { IntentSource, RecordedIntent, SettleInput, SignOutContext, SignOutInput, StoreAfterClear } from './signOutTypes.js';
import {
  clearedAfterAll,
  globalSignOutNotSupported,
  notAttempted,
  notSent,
  outcomeOf,
  refreshFailed,
  refreshTimedOut,
  revocationNotEnabled,
  settlementOf,
  storageSilent,
  timedOut,
} from './signOutOutcome.js';
import { announceFailure, announcementOf, type AnnounceScope } from './signOutAnnouncement.js';

export type { AccessScope, IntentFacts, IntentSource, RecordedIntent, SettleFacts, SettleInput, Settlement, SignOutContext, SignOutInput, StoreAfterClear } from './signOutTypes.js';
export { clearedAfterAll, outcomeOf, retryIsGlobal, settlementOf } from './signOutOutcome.js';
export { announcementOf, announceFailure, type AnnounceScope } from './signOutAnnouncement.js';

/**
 * One sign-out intent, from "the user asked" to "the outbox knows what is left". The same chart
 * runs a new sign-out, retrySignOut(result), and every intent the outbox drains later.
 *
 *   requested ─► recordingIntent ─► choosingCalls ─┬─ local ─► callingCognito.revoking ─────────────────────────────────────┐
 *                                     ├─ global, scope 'admin' or 'absent' ─► callingCognito.signingOutGlobally:          │
 *                                     │    checkingAccessToken ─┬─ expired ─► refreshingAccessToken ─ok─┐               │
 *                                     │                         └──────────────────────────────────────┴► invalidatingSessions ─ok─┤
 *                                     │    refresh or GlobalSignOut failed ─► choosingFallback ─┬─ for good ─► revoking ──┤
 *                                     ├─ global, scope 'other' (not sent) ─► choosingFallback   └─ the outbox retries ───┤
 *                                     └─ no origin_jti ──────────────────────────────────────────────────────────────────┴─► serverCallsDone
 *   serverCallsDone ⇄ announcing   (revocationEndpoint, something ended, the API not answered yet)
 *   serverCallsDone ─┬─ a session sign-out ─► clearingCache ─┬─────────────────────────────┐
 *                    │                 not confirmed (error, deadline) └─► verifyingClear ─┤ the store, as read again
 *                    └─ an outbox intent ──────────────────────────────────────────────────┴─► settlingIntent ─► done | failed
 *
 * recordingIntent writes the tokens to the outbox *before* any request, so a crash loses nothing.
 * GlobalSignOut goes first and RevokeToken follows only when GlobalSignOut can never succeed:
 * RevokeToken also revokes the access token, so after it the global half is impossible. A global
 * intent that failed for a retryable reason (offline, 5xx, throttled) stays queued as a global
 * intent and is finished later by this same chart. Without an outbox nothing would finish it, so
 * then RevokeToken follows at once. callingCognito has one deadline for every request in it.
 * settlingIntent tells the outbox what the server calls proved: the entry goes only when the
 * tokens are dead or no retry can ever help. A clear the storage did not confirm (it failed, or
 * its deadline passed) is not the last word: verifyingClear lets a removal still pending land,
 * reads the store again, and the flow ends where the store is (clearedAfterAll). Tokens the server
 * calls killed but the store still holds stay in the outbox, marked revoked, until the session is
 * cleared: a reload must not restore them.
 *
 * GlobalSignOut needs a live access token. One that will not outlive the flow's network deadline is
 * refreshed first (refreshingAccessToken), with the session's own refresh method, so a client that
 * rotates refresh tokens gets GetTokensFromRefreshToken, never the REFRESH_TOKEN_AUTH it refuses. The
 * refresh has half the deadline, so GlobalSignOut (or RevokeToken after it) keeps the other half.
 * Its new tokens never reach the chart: they replace the old ones in the intent's outbox entry,
 * where GlobalSignOut, RevokeToken and any later retry read them, so a rotated refresh token is
 * queued like the one it replaces and dies with the sign-out.
 *
 * With createAuth's revocationEndpoint, announcing tells the app's API what ended at Cognito (the
 * session, or the user after a GlobalSignOut that succeeded; announcementOf), and nothing when
 * nothing ended. It has its own deadline (announceDeadline, networkTimeoutMs). An announcement that
 * failed for a retryable reason (offline, 5xx, its deadline) keeps the intent queued with the access
 * token alone ('keepAnnouncement'); the outbox's drain runs this chart again over it, straight from
 * choosingCalls to serverCallsDone (hasPendingAnnouncement): Cognito's calls are never repeated.
 *
 * The machine only orchestrates: it never sees a token. The services read them from the outbox
 * entry named by intentId; errors arrive here as { name, message } only.
 */

/**
 * The sign-out statechart (the chart drawn above; docs/diagrams/signOut.md): one intent, input
 * SignOutInput, output SignOutOutcome. Its promise actors (recordIntent, refreshAccessToken,
 * revokeToken, globalSignOut, announceSignOut, clearTokens, confirmClear, settleIntent) are declared, not implemented: supply them
 * with `.provide({ actors })`; one left out rejects with ActorNotProvided.
 */
export const signOutMachine = setup({
  types: {
    input: {} as SignOutInput,
    context: {} as SignOutContext,
    output: {} as SignOutOutcome,
  },
  actors: {
    /** Copies the flow's tokens into an outbox entry (memory at once, storage within the deadline); resolves what they allow. */
    recordIntent: fromPromise<RecordedIntent, { source: IntentSource; global: boolean }>(notProvided('recordIntent')),
    /** Refreshes the intent's tokens the way the session refreshes; the new ones replace them in its outbox entry. */
    refreshAccessToken: fromPromise<void, { intentId: string }>(notProvided('refreshAccessToken')),
    /** RevokeToken with the intent's refresh token. Rejects with an ErrorInfo-shaped error. */
    revokeToken: fromPromise<void, { intentId: string }>(notProvided('revokeToken')),
    /** GlobalSignOut with the intent's access token, as it is sent (the chart refreshed it first if needed). */
    globalSignOut: fromPromise<void, { intentId: string }>(notProvided('globalSignOut')),
    /** Removes every token of the session from the store, all or nothing. */
    clearTokens: fromPromise<void>(notProvided('clearTokens')),
    /** After a clear that did not confirm: lets a removal still pending land, reads the store again, and reports what it holds. */
    confirmClear: fromPromise<StoreAfterClear>(notProvided('confirmClear')),
    /** POSTs { scope } to createAuth's revocationEndpoint with the intent's access token as the bearer; resolves the HTTP status (a fact), rejects on a network failure. */
    announceSignOut: fromPromise<{ status: number }, { intentId: string; scope: AnnounceScope }>(notProvided('announceSignOut')),
    /** Removes the outbox entry, or keeps it for a retry; resolves whether it is still queued. */
    settleIntent: fromPromise<{ queued: boolean }, SettleInput>(notProvided('settleIntent')),
  },
  guards: {
    /** An outbox intent being finished: its tokens are already recorded. */
    hasIntent: ({ context }) => context.intentId !== undefined,
    /** An outbox intent whose Cognito calls are done: only its announcement is left. */
    hasPendingAnnouncement: ({ context }) => context.pendingAnnouncement !== undefined,
    /** A revocationEndpoint is set, something ended at Cognito (announcementOf), and the API has not answered yet: tell it. */
    mustAnnounce: ({ context }) => context.announces === true && announcementOf(context) !== null && !context.apiNotified && !context.announceError,
    isGlobalWithAdminScope: ({ context }) => context.global && context.scope === 'admin',
    /**
     * Global asked for, and the access token has no `scope` claim at all. Cognito writes one into
     * every access token it issues, so only Cognito can tell what this token may do: ask it. A
     * refusal is final and RevokeToken follows, so this costs one request at worst; skipping
     * GlobalSignOut on a guess would leave the user's other devices signed in.
     */
    isGlobalWithoutScopeClaim: ({ context }) => context.global && context.scope === 'absent',
    /** Global asked for, but the token's scopes lack the admin scope: do not make a call that is sure to fail. */
    isGlobalSignOutNotSupported: ({ context }) => context.global && context.scope === 'other',
    isRevocationDisabled: ({ context }) => !context.revocable,
    /**
     * The access token has expired, or will before the flow's network deadline: Cognito would
     * refuse GlobalSignOut with it. An expiry not known (no `exp`) is left to Cognito.
     */
    isAccessTokenExpired: ({ context }) => context.accessTokenExpiresInMs !== undefined && context.accessTokenExpiresInMs <= context.networkTimeoutMs,
    /** GlobalSignOut failed (or was not sent) for a reason a later try can fix, and the outbox will make that try. */
    canFinishGlobalLater: ({ context }) => context.queueing && context.globalSignOutError !== undefined && isRetryable(context.globalSignOutError.name),
    clearsSession: ({ context }) => context.source.kind === 'session',
    clearFailed: ({ context }) => context.clearError !== undefined,
    /** The store, read again, holds no session after all (clearedAfterAll). */
    isClearedAfterAll: (_, store: StoreAfterClear) => clearedAfterAll(store),
  },
  actions: {
    recordIntentId: assign((_, intent: RecordedIntent) => ({
      intentId: intent.intentId,
      revocable: intent.revocable,
      scope: intent.scope,
      accessTokenExpiresInMs: intent.accessTokenExpiresInMs,
      announces: intent.announces === true,
    })),
    /** The endpoint's status, as announceFailure reads it: 204 told, anything else an error. */
    recordAnnounceAnswer: assign((_, status: number) => {
      const announceError = announceFailure(status);
      return announceError ? { announceError } : { apiNotified: true };
    }),
    recordAnnounceFailure: assign((_, announceError: ErrorInfo) => ({ announceError })),
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
    recordRefreshFailure: assign((_, error: unknown) => ({ globalSignOutError: refreshFailed(toErrorInfo(error)) })),
    recordClearFailure: assign((_, error: unknown) => ({ clearError: toErrorInfo(error) })),
    recordClearTimeout: assign(({ context }) => ({ clearError: storageSilent('confirm that the session was removed', context.storageTimeoutMs * 2) })),
    /** The store was read empty after all: the clear worked, only its confirmation failed. */
    forgetClearFailure: assign({ clearError: undefined }),
    recordQueued: assign((_, queued: boolean) => ({ queued })),
  },
  delays: {
    networkDeadline: ({ context }) => context.networkTimeoutMs,
    /** The refresh before GlobalSignOut gets half of networkDeadline: the other half is left for GlobalSignOut and RevokeToken. */
    refreshDeadline: ({ context }) => context.networkTimeoutMs / 2,
    /** The announcement to the app's API: one request, bounded like Cognito's calls together. */
    announceDeadline: ({ context }) => context.networkTimeoutMs,
    storageDeadline: ({ context }) => context.storageTimeoutMs,
    /** clear() removes, then reads back: two storage calls. */
    clearDeadline: ({ context }) => context.storageTimeoutMs * 2,
    /** confirmClear: a removal still pending, then one read (the store's own bound is 2 × storageTimeoutMs), after what may be left of the clear's turn. */
    confirmDeadline: ({ context }) => context.storageTimeoutMs * 3,
  },
}).createMachine({
  id: 'signOut',
  context: ({ input }) => ({
    ...input,
    scope: input.scope ?? 'absent',
    globalSignedOut: false,
    revoked: false,
    queued: false,
    announces: input.announces === true,
    apiNotified: false,
    ...(input.source.kind === 'queued' && { intentId: input.source.intentId }),
  }),
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
        { guard: 'hasPendingAnnouncement', target: 'serverCallsDone' },
        { guard: 'isGlobalWithAdminScope', target: 'callingCognito.signingOutGlobally' },
        { guard: 'isGlobalWithoutScopeClaim', target: 'callingCognito.signingOutGlobally' },
        // Not sent, as if refused for good: RevokeToken follows, where the client allows it.
        { guard: 'isGlobalSignOutNotSupported', target: 'callingCognito.signingOutGlobally.choosingFallback', actions: 'recordGlobalSignOutNotSupported' },
        { guard: 'isRevocationDisabled', target: 'serverCallsDone', actions: 'recordRevocationNotEnabled' },
        { target: 'callingCognito.revoking' },
      ],
    },
    callingCognito: {
      initial: 'revoking',
      // One deadline for the refresh, GlobalSignOut and, if it fails for good, RevokeToken after it.
      after: { networkDeadline: { target: 'serverCallsDone', actions: 'recordDeadline' } },
      states: {
        revoking: { invoke: revokeRefreshToken() },
        signingOutGlobally: {
          initial: 'checkingAccessToken',
          states: {
            checkingAccessToken: {
              always: [{ guard: 'isAccessTokenExpired', target: 'refreshingAccessToken' }, { target: 'invalidatingSessions' }],
            },
            refreshingAccessToken: {
              invoke: {
                src: 'refreshAccessToken',
                input: ({ context }) => ({ intentId: context.intentId! }),
                onDone: 'invalidatingSessions',
                // GlobalSignOut cannot be sent with an expired token: as if it had failed for that reason.
                onError: { target: 'choosingFallback', actions: { type: 'recordRefreshFailure', params: errorOfEvent } },
              },
              after: { refreshDeadline: { target: 'choosingFallback', actions: { type: 'recordRefreshFailure', params: ({ context }: { context: SignOutContext }) => refreshTimedOut(context.networkTimeoutMs / 2) } } },
            },
            invalidatingSessions: {
              invoke: {
                src: 'globalSignOut',
                input: ({ context }) => ({ intentId: context.intentId! }),
                // Every refresh token of the user is now invalid: RevokeToken is not needed.
                onDone: { target: '#signOut.serverCallsDone', actions: 'recordGlobalSignOut' },
                onError: { target: 'choosingFallback', actions: { type: 'recordGlobalSignOutFailure', params: errorOfEvent } },
              },
            },
            choosingFallback: {
              always: [
                { guard: 'isRevocationDisabled', target: '#signOut.serverCallsDone', actions: 'recordRevocationNotEnabled' },
                // Offline or throttled: the outbox finishes it as a global sign-out later.
                { guard: 'canFinishGlobalLater', target: '#signOut.serverCallsDone' },
                // It can never succeed: this device's refresh token must still die on the server.
                { target: 'revoking' },
              ],
            },
            revoking: { invoke: revokeRefreshToken() },
          },
        },
      },
    },
    // announcing comes back here with its answer recorded: then nothing is left to announce.
    serverCallsDone: {
      always: [{ guard: 'mustAnnounce', target: 'announcing' }, { guard: 'clearsSession', target: 'clearingCache' }, { target: 'settlingIntent' }],
    },
    announcing: {
      invoke: {
        src: 'announceSignOut',
        input: ({ context }) => ({ intentId: context.intentId!, scope: announcementOf(context)! }),
        onDone: { target: 'serverCallsDone', actions: { type: 'recordAnnounceAnswer', params: ({ event }) => event.output.status } },
        onError: { target: 'serverCallsDone', actions: { type: 'recordAnnounceFailure', params: ({ event }) => toErrorInfo(event.error) } },
      },
      after: { announceDeadline: { target: 'serverCallsDone', actions: { type: 'recordAnnounceFailure', params: ({ context }: { context: SignOutContext }) => timedOut('The revocation endpoint', context.networkTimeoutMs) } } },
    },
    clearingCache: {
      invoke: {
        src: 'clearTokens',
        onDone: 'settlingIntent',
        onError: { target: 'verifyingClear', actions: { type: 'recordClearFailure', params: errorOfEvent } },
      },
      after: { clearDeadline: { target: 'verifyingClear', actions: 'recordClearTimeout' } },
    },
    // The clear was not confirmed, but a removal may have landed late, or worked with no read to show it: the store decides.
    verifyingClear: {
      invoke: {
        src: 'confirmClear',
        onDone: [{ guard: { type: 'isClearedAfterAll', params: ({ event }) => event.output }, target: 'settlingIntent', actions: 'forgetClearFailure' }, { target: 'settlingIntent' }],
        onError: 'settlingIntent',
      },
      after: { confirmDeadline: 'settlingIntent' },
    },
    settlingIntent: {
      invoke: {
        src: 'settleIntent',
        input: ({ context }) => {
          const settlement = settlementOf(context);
          return { ...(context.intentId !== undefined && { intentId: context.intentId }), settlement, ...(settlement === 'keepAnnouncement' && { announce: announcementOf(context)! }) };
        },
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
