import { authSetup, refuse } from './auth/setup.js';
import { sessionStates } from './auth/session.js';
import { signInStates } from './auth/signIn.js';
import { signOutStates } from './auth/signOut.js';
import { ErrorNames } from './types.js';

export type { AnswerInput, ChallengeName, ChallengeSummary, OpenedHostedUi, RedirectOutcome, RedirectSignInInput, SignInInput, SignInStepOutput } from './auth/signInTypes.js';
export type { CallAnswer, CallEvent, OutboxCall, SessionCall } from './auth/callTypes.js';
export type { StoredChallenge, StoredSession, StoredSessionRecord, TellTabs } from './auth/sessionTypes.js';
export type { HostedUiSignOutTarget, OpenedLogout } from './auth/signOutTypes.js';
export type { AuthContext, AuthEmitted, AuthEvent, AuthInput } from './auth/types.js';

/**
 * The whole session lifecycle, one chart in regions, one file each (docs/auth-chart.md says why):
 *
 *   machines/auth/session.ts   loadingSession, adoptingSession, clearingQueuedSession, signedIn.{active, refreshing.…}
 *   machines/auth/signIn.ts    signingIn, awaitingChallengeAnswer, answeringChallenge, openingHostedUi, completingRedirect
 *   machines/auth/signOut.ts   checkingStore, signingOut, endingSession, revokedButStored, recordingHostedUiSignOut, openingLogout
 *   machines/auth/setup.ts     the one setup(): actors, guards, actions, delays
 *   here                       the root: signedOut, where every flow starts and ends, and what every state shares
 *
 *   loadingSession ─► signedOut ─SIGN_IN─► signingIn ─┬───────────────────────────────────────► signedIn.active ⇄ signedIn.refreshing
 *                        ▲                            └► awaitingChallengeAnswer                   │            │ refresh refused
 *                        │                               ─CONFIRM_SIGN_IN─► answeringChallenge ─┘  │            ▼
 *                        ├──────────── signingOut (child: signOut chart) ◄─SIGN_OUT────────────────┘      endingSession
 *                        │                 │ tokens revoked, device not cleared                             │ not cleared
 *                        └─ endingSession ◄─┴─► revokedButStored ◄──────────────────────────────────────────┘
 *   signingOut ─ a hosted-UI session, device cleared ─► recordingHostedUiSignOut ─► openingLogout ─► signedOut
 *   signedOut ─HANDLE_REDIRECT─► completingRedirect ─ back from /logout ─► signedOut (the sign-out's result, at last)
 *
 * Every public call is an event with an id, and every state answers every call: it acts, lets the
 * call join the flow that is running, defers it until the machine settles in a named state, or
 * refuses it with a typed error. The answer is emitted as `answered` with the call's id.
 * docs/calls.md has the table, generated from the chart. Each region answers the calls for its own
 * states; the root answers only what every state answers alike: retrySignOut() and
 * flushRevocations() go to the outbox chart, which runs beside this one (invoked here), and so
 * does the watch on the other tabs. No secret passes through here: calls carry vault references only.
 */

/**
 * The auth statechart (docs/diagrams/auth.md, one diagram per region beside it; docs/calls.md):
 * input AuthInput, events AuthEvent, announcements AuthEmitted. It invokes signOutMachine and
 * outboxMachine. Its promise actors (loadSession, signIn, answerChallenge, refreshTokens,
 * clearSession, openHostedUi, completeRedirect, recordHostedUiSignOut, openLogout,
 * readStoredRefresh) are declared, not implemented: supply them with `.provide({ actors })`; one
 * left out rejects with ActorNotProvided. watchTabs does nothing unless provided (no tabs).
 */
export const authMachine = authSetup.createMachine({
  id: 'auth',
  context: ({ input }) => ({
    session: null,
    challenge: null,
    lastSignOut: null,
    lastSignInError: null,
    lastRefreshError: null,
    clearError: null,
    deferred: [],
    signInCaller: null,
    redirectUrlRef: null,
    sessionWaiters: [],
    signOutWaiters: [],
    signOutGlobal: false,
    hostedUiSignOut: null,
    sessionInDoubt: false,
    heldForGlobalSignOut: false,
    refreshRaced: false,
    signInRequest: null,
    ...input,
  }),
  invoke: [
    {
      id: 'outbox',
      src: 'outbox',
      input: ({ context }) => ({ networkTimeoutMs: context.networkTimeoutMs, storageTimeoutMs: context.storageTimeoutMs, queueing: context.queueing }),
    },
    { id: 'tabs', src: 'watchTabs' },
  ],
  on: {
    RETRY_SIGN_OUT: { actions: 'forwardToOutbox' },
    FLUSH_REVOCATIONS: { actions: 'forwardToOutbox' },
    OUTBOX_ANSWERED: { actions: 'relayOutboxAnswer' },
  },
  initial: 'loadingSession',
  states: {
    ...sessionStates,
    signedOut: {
      entry: ['trustSession', 'replayDeferred'],
      on: {
        SIGN_IN: 'finishingGlobalSignOut',
        CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
        GET_SESSION: { actions: 'answerSession' },
        // Another instance over the same storage may have signed in: `complete` only once the store is seen empty.
        SIGN_OUT: { target: 'checkingStore', actions: 'joinSignOut' },
        SIGN_IN_WITH_REDIRECT: 'finishingGlobalSignOut',
        HANDLE_REDIRECT: { target: 'completingRedirect', actions: { type: 'rememberRedirectUrl', params: ({ event }) => event.credential } },
        SIGNED_IN_ELSEWHERE: 'adoptingSession',
      },
    },
    ...signInStates,
    ...signOutStates,
  },
});

export { ErrorNames };
