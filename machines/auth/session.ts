import { errorOfEvent, toErrorInfo } from '../errorInfo.js';
import type { ErrorInfo, SessionSummary } from '../types.js';
import type { AuthContext } from './types.js';
import { authStates, refuse } from './setup.js';
import { duringSignOutStoreStep } from './signOut.js';
import { COMPLETE, failedSignOut, heldByOutbox, refreshErrorOf, rotatedTokenRefOf, sessionOfStored, STEP_TIMED_OUT, STORAGE_SILENT } from './shared.js';

/** A refresh's failure, as refreshErrorOf names it (a device that refused it: DeviceRefreshRefused). */
const refreshErrorOfEvent = ({ event }: { event: { error: unknown } }): unknown => refreshErrorOf(event.error);

/**
 * The session region: the session read from the store, held, refreshed, and adopted from the
 * other tabs over the same storage.
 *
 *   loadingSession ─┬─ a session stored, no sign-out holds it (isRestorable) ─► signedIn.active ⇄ signedIn.refreshing
 *                   ├─ revoked by a sign-out that could not clear it (isRevokedByOutbox) ─► endingSession
 *                   ├─ its sign-out began and did not end (isQueuedByOutbox) ─► clearingQueuedSession ─► signedOut
 *                   ├─ no session, a challenge another instance stored (isChallengeStored, durableChallenges) ─► awaitingChallengeAnswer
 *                   └─ none, unreadable, or loadDeadline ─► signedOut
 *   SIGNED_IN_ELSEWHERE (another tab signed in) ─► adoptingSession ─► signedIn │ signedOut
 *
 *   signedIn.refreshing (holds this tab's turn to refresh; one stepDeadline for all of it):
 *     waitingForTurn ─REFRESH_TURN_TAKEN─┬─ tabs share the store ─► lookingForTabsRefresh ─ refreshed elsewhere ─► active (adopted)
 *                                        │                                  └─ nothing newer, or tabRefreshDeadline ─┐
 *                                        └─ alone, or REFRESH_TURN_UNAVAILABLE ──────────────────► refreshingTokens ◄─┘ ─► active
 *     refreshingTokens ─┬─ RefreshTokenReuse (rotation: another tab refreshed first) ─► lookingForTabsRefresh
 *                       │     └─ nothing refreshed elsewhere (the race was lost) ─► endingSession
 *                       ├─ refused for good ─► endingSession (sign-out region) ─► signedOut
 *                       ├─ a rotated refresh token left unstored ─► queueingRotatedToken (outbox) ─► active
 *                       ├─ its write refused (StaleWriteError) ─► adoptingSession: the store decides
 *                       └─ offline or throttled ─► active, the tokens kept
 *
 * Why refreshing is a state with children and not a promise: each step is a thing the tabs wait
 * on (a Web Lock or a storage lease, then another tab's write), each may be overtaken by a
 * sign-out or by news from another tab, and leaving aborts what runs, so a refresh that lost the
 * race never writes its tokens back. A sign-out (SIGN_OUT) overtakes a refresh; a session the
 * outbox's global sign-out may have ended (sessionInDoubt, KB6) is refreshed before it is trusted.
 * While the outbox sends a global sign-out of this session's user (heldForGlobalSignOut, from
 * GLOBAL_SIGN_OUT_SENT), getSession() and signOut() wait: landed, the session ends without its
 * tokens presented again; refused, it goes on; unanswered, it is refreshed before it is trusted.
 * Never signed out for being offline: only a refusal ends the session.
 */

/** A refreshed session, this tab's or another's: remember it, announce it, and answer the waiting getSession() calls. */
function adoptRefreshed() {
  const session = ({ event }: { event: { output: SessionSummary | null } }) => event.output;
  return [{ type: 'rememberSession' as const, params: session }, { type: 'announceTokenRefreshed' as const, params: session }, 'deferSessionWaiters' as const];
}

/**
 * A refresh refused as a reuse, with no session refreshed elsewhere to adopt: this session's refresh
 * token is spent, so the session is over. Its getSession() callers hear why; endingSession clears it.
 */
function refreshRaceLost() {
  // lostRefreshRace holds only after refreshingTokens recorded the RefreshTokenReuseException.
  const why = ({ context }: { context: AuthContext }) => toErrorInfo(context.lastRefreshError);
  return { target: '#auth.endingSession', guard: 'lostRefreshRace' as const, actions: [{ type: 'announceTokenRefreshFailed' as const, params: why }, { type: 'refuseSessionWaiters' as const, params: why }] };
}

/** The queued session could not be cleared: it stays stored (never restored: the next load finds it queued again), and a signOut() that joined hears `failed`. */
function notCleared(why: ErrorInfo | null) {
  const error = ({ event }: { event: { error: unknown } }) => why ?? toErrorInfo(event.error);
  return [{ type: 'announceStorageError' as const, params: error }, { type: 'answerSignOutWaiters' as const, params: (args: { event: { error: unknown } }) => failedSignOut(error(args), false) }];
}

/** A refresh failed and the session is kept (offline, throttled, its tokens not stored): its listeners and waiters hear the recorded error. */
function refreshFailedKept() {
  const why = ({ context }: { context: AuthContext }) => toErrorInfo(context.lastRefreshError);
  return [{ type: 'announceTokenRefreshFailed' as const, params: why }, { type: 'refuseSessionWaiters' as const, params: why }];
}

/** A refresh whose write was refused (recorded): its listeners and the getSession() calls waiting for it hear why; later calls wait for what the store holds (adoptingSession). */
function refreshWriteRefused() {
  const why = ({ context }: { context: AuthContext }) => toErrorInfo(context.lastRefreshError);
  return [{ type: 'announceTokenRefreshFailed' as const, params: why }, { type: 'refuseSessionWaiters' as const, params: why }];
}

/**
 * KB6: the outbox's global sign-out landed, sent while this session was held: Cognito ended it, so
 * it ends here without presenting its tokens again (its waiting getSession() calls then find {}).
 */
function globalSignOutEndedSession() {
  return { guard: 'heldForGlobalSignOut' as const, target: '#auth.endingSession', actions: ['releaseGlobalSignOutHold' as const, 'deferSessionWaiters' as const] };
}

/**
 * signOut() while signed in: it waits while the outbox's global sign-out of this user is in flight
 * (KB6: that may end the session, and its tokens must not be presented after it); else it starts,
 * and overtakes a refresh: leaving `refreshing` aborts it, so its tokens are never written back.
 */
function signOutUnlessHeld() {
  return [
    { guard: 'heldForGlobalSignOut' as const, actions: 'defer' as const },
    { target: '#auth.signingOut', actions: ['deferSessionWaiters' as const, 'joinSignOut' as const] },
  ];
}

/** The stored session could not be read, or was corrupt (already removed): start signed out and say why. */
function loadSessionFailed() {
  return { target: 'signedOut', actions: { type: 'announceStorageError' as const, params: errorOfEvent } };
}

export const sessionStates = authStates({
  loadingSession: {
    exit: 'tellOutboxSessionLoaded',
    on: {
      SIGN_IN: { actions: 'defer' },
      CONFIRM_SIGN_IN: { actions: 'defer' },
      GET_SESSION: { actions: 'defer' },
      SIGN_OUT: { actions: 'defer' },
      SIGN_IN_WITH_REDIRECT: { actions: 'defer' },
      HANDLE_REDIRECT: { actions: 'defer' },
      // Another tab cleared the store while this one read it: what it read is gone.
      SIGNED_OUT_ELSEWHERE: 'signedOut',
    },
    invoke: {
      src: 'loadSession',
      onDone: [
        { guard: { type: 'isRestorable', params: ({ event }) => event.output }, target: 'signedIn', actions: { type: 'rememberSession', params: ({ event }) => sessionOfStored(event.output) } },
        ...heldByOutbox(),
        // durableChallenges: another instance's sign-in waits for its challenge's answer; this one may give it.
        { guard: { type: 'isChallengeStored', params: ({ event }) => event.output }, target: 'awaitingChallengeAnswer', actions: { type: 'rememberChallenge', params: ({ event }) => event.output } },
        { target: 'signedOut' },
      ],
      onError: loadSessionFailed(),
    },
    after: { loadDeadline: { target: 'signedOut', actions: { type: 'announceStorageError', params: () => STORAGE_SILENT } } },
  },
  // Another tab signed in (or over a session this tab held): read what the store holds now.
  adoptingSession: {
    entry: 'forgetSession',
    on: {
      SIGN_IN: { actions: 'defer' },
      SIGN_IN_WITH_REDIRECT: { actions: 'defer' },
      HANDLE_REDIRECT: { actions: 'defer' },
      CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
      GET_SESSION: { actions: 'defer' },
      SIGN_OUT: { actions: 'defer' },
      SIGNED_OUT_ELSEWHERE: 'signedOut',
      // The session the other tab stored may predate it.
      GLOBAL_SIGN_OUT_LANDED: { actions: 'doubtSession' },
    },
    invoke: {
      src: 'loadSession',
      onDone: [
        {
          guard: { type: 'isRestorable', params: ({ event }) => event.output },
          target: 'signedIn',
          actions: [{ type: 'rememberSession', params: ({ event }) => sessionOfStored(event.output) }, { type: 'announceSignedIn', params: ({ event }) => sessionOfStored(event.output) }],
        },
        ...heldByOutbox(),
        { target: 'signedOut' },
      ],
      onError: loadSessionFailed(),
    },
    after: { loadDeadline: { target: 'signedOut', actions: { type: 'announceStorageError', params: () => STORAGE_SILENT } } },
  },
  // A sign-out of the stored session began and the process stopped before it ended (its tokens are
  // queued): never restored. The store is cleared here; the outbox finishes the sign-out.
  clearingQueuedSession: {
    on: duringSignOutStoreStep(),
    invoke: {
      src: 'clearSession',
      onDone: { target: 'signedOut', actions: { type: 'answerSignOutWaiters', params: COMPLETE } },
      onError: { target: 'signedOut', actions: notCleared(null) },
    },
    after: { clearDeadline: { target: 'signedOut', actions: [{ type: 'announceStorageError', params: STORAGE_SILENT }, { type: 'answerSignOutWaiters', params: failedSignOut(STORAGE_SILENT, false) }] } },
  },
  signedIn: {
    initial: 'active',
    on: {
      SIGN_IN: { actions: refuse('alreadyAuthenticated') },
      SIGN_IN_WITH_REDIRECT: { actions: refuse('alreadyAuthenticated') },
      // Signed in already: a return URL (or any other) is left alone.
      HANDLE_REDIRECT: { actions: 'answerNoRedirect' },
      CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
      // Another tab signed out: its tokens are dead or queued, the store is cleared; drop ours (a refresh is aborted, never written back).
      SIGNED_OUT_ELSEWHERE: { target: 'signedOut', actions: ['deferSessionWaiters', 'forgetSession', 'announceSignedOutElsewhere'] },
      // Another tab signed a user in over this session: one user at a time, the stored one.
      SIGNED_IN_ELSEWHERE: { target: 'adoptingSession', actions: 'deferSessionWaiters' },
      // KB6: the outbox sends a global sign-out of this session's user; if it lands, this session is over.
      GLOBAL_SIGN_OUT_SENT: { guard: { type: 'sessionOfUser', params: ({ event }) => event.username }, actions: 'holdForGlobalSignOut' },
    },
    states: {
      active: {
        entry: 'replayDeferred',
        // KB6: a global sign-out the outbox finished may have ended this session at Cognito. A
        // refresh tells: refused, the session ends (endingSession); offline, the tokens are kept.
        always: { guard: 'sessionInDoubt', target: 'refreshing' },
        on: {
          // Held for the outbox's global sign-out: its tokens are neither handed out nor presented until it ends.
          GET_SESSION: [{ guard: 'heldForGlobalSignOut', actions: 'defer' }, { guard: 'needsRefresh', target: 'refreshing', actions: 'joinRefresh' }, { actions: 'answerSession' }],
          SIGN_OUT: signOutUnlessHeld(),
          GLOBAL_SIGN_OUT_LANDED: [globalSignOutEndedSession(), { target: 'refreshing' }],
          // It did not land: go on (deferred calls are replayed), or, if it may still land, check the session first.
          GLOBAL_SIGN_OUT_NOT_LANDED: [
            { guard: { type: 'mayLandLater', params: ({ event }) => event.mayLandLater }, target: 'refreshing', actions: 'releaseGlobalSignOutHold' },
            { target: 'active', reenter: true, actions: 'releaseGlobalSignOutHold' },
          ],
        },
      },
      // Tabs over one storage take turns: this tab holds its turn (a Web Lock, or a storage lease)
      // for as long as it is here. Leaving aborts what runs: a refresh's tokens are never stored.
      refreshing: {
        entry: ['trustSession', 'forgetRefreshRace'],
        on: {
          GET_SESSION: { actions: 'joinRefresh' },
          SIGN_OUT: signOutUnlessHeld(),
          // The refresh in flight may have started before it landed: start again (its tokens are never stored).
          GLOBAL_SIGN_OUT_LANDED: [globalSignOutEndedSession(), { target: 'refreshing', reenter: true }],
          GLOBAL_SIGN_OUT_NOT_LANDED: { actions: 'releaseGlobalSignOutHold' },
        },
        invoke: { src: 'takeRefreshTurn' },
        initial: 'waitingForTurn',
        states: {
          waitingForTurn: {
            on: {
              REFRESH_TURN_TAKEN: [{ guard: 'sharedWithTabs', target: 'lookingForTabsRefresh' }, { target: 'refreshingTokens' }],
              // No lock to take: refresh anyway, as a tab on its own would (a refresh another tab
              // also makes is answered by Cognito; with rotation, RefreshTokenReuse looks for its session).
              REFRESH_TURN_UNAVAILABLE: 'refreshingTokens',
            },
          },
          // Another tab may have refreshed already (it had the turn before, or finished just now, or
          // won a race for the rotating refresh token): its session is in the store, and this tab
          // adopts it instead of refreshing again. Only a session refreshedElsewhere() is adopted.
          lookingForTabsRefresh: {
            invoke: {
              src: 'readStoredRefresh',
              // After a lost race the winner's write may not be readable yet: watch for it.
              input: ({ context, event }) => ({ held: context.session, watch: event.type === 'REFRESH_TURN_TAKEN' ? event.waited : true }),
              onDone: [
                {
                  guard: { type: 'refreshedElsewhere', params: ({ context, event }) => ({ stored: event.output, held: context.session }) },
                  target: '#auth.signedIn.active',
                  actions: adoptRefreshed(),
                },
                refreshRaceLost(),
                { target: 'refreshingTokens' },
              ],
              onError: [refreshRaceLost(), { target: 'refreshingTokens' }],
            },
            // No other tab's refresh showed up in the store in time: refresh here (after a lost race: the session is over).
            after: { tabRefreshDeadline: [refreshRaceLost(), { target: 'refreshingTokens' }] },
          },
          refreshingTokens: {
            invoke: {
              src: 'refreshTokens',
              input: ({ context }) => {
                const { username = '', signedInWith = 'password', expiresAt = 0, tokenId } = context.session ?? {};
                return { username, signedInWith, expiresAt, ...(tokenId !== undefined && { tokenId }) };
              },
              onDone: { target: '#auth.signedIn.active', actions: adoptRefreshed() },
              onError: [
                // Rotation: Cognito issued a refresh token the store does not hold; it is live, so it is queued for revocation first.
                { guard: { type: 'leftRotatedTokenUnstored', params: errorOfEvent }, target: 'queueingRotatedToken', actions: { type: 'recordRefreshError', params: errorOfEvent } },
                // Rotation: the token was already used by another tab or instance; look for the session it stored.
                {
                  guard: { type: 'isRefreshRaced', params: errorOfEvent },
                  target: 'lookingForTabsRefresh',
                  actions: [{ type: 'recordRefreshError', params: errorOfEvent }, 'recordRefreshRaced'],
                },
                // The write was refused: the store was cleared or replaced, or a sign-out of this session began
                // elsewhere. The tokens held here may be revoked already, so they are never handed out again:
                // what the store holds now decides (a session its sign-out holds is cleared, none is signed out).
                {
                  guard: { type: 'isWriteRefused', params: errorOfEvent },
                  target: '#auth.adoptingSession',
                  actions: [{ type: 'recordRefreshError', params: errorOfEvent }, ...refreshWriteRefused()],
                },
                {
                  guard: { type: 'isSessionOver', params: errorOfEvent },
                  target: '#auth.endingSession',
                  actions: [{ type: 'recordRefreshError', params: refreshErrorOfEvent }, { type: 'announceTokenRefreshFailed', params: refreshErrorOfEvent }, 'deferSessionWaiters'],
                },
                // Offline or throttled: keep the tokens; never sign a user out for being offline.
                { target: '#auth.signedIn.active', actions: [{ type: 'recordRefreshError', params: errorOfEvent }, ...refreshFailedKept()] },
              ],
            },
          },
          // The refresh failed (its error recorded) after a rotation the store does not hold: the outbox keeps the new token, then the session goes on as after any failed refresh.
          queueingRotatedToken: {
            invoke: {
              src: 'queueRotatedToken',
              input: ({ event }) => ({ ref: rotatedTokenRefOf('error' in event ? event.error : null) ?? '' }),
              onDone: [
                { guard: 'wasWriteRefused', target: '#auth.adoptingSession', actions: ['tellOutboxIntentsQueued', ...refreshWriteRefused()] },
                { target: '#auth.signedIn.active', actions: ['tellOutboxIntentsQueued', ...refreshFailedKept()] },
              ],
              onError: [
                { guard: 'wasWriteRefused', target: '#auth.adoptingSession', actions: refreshWriteRefused() },
                { target: '#auth.signedIn.active', actions: refreshFailedKept() },
              ],
            },
            after: {
              storageDeadline: [
                { guard: 'wasWriteRefused', target: '#auth.adoptingSession', actions: refreshWriteRefused() },
                { target: '#auth.signedIn.active', actions: refreshFailedKept() },
              ],
            },
          },
        },
        // Leaving aborts the refresh: its tokens are then never stored. The old ones are kept.
        after: {
          stepDeadline: {
            target: 'active',
            actions: [
              { type: 'recordRefreshError', params: () => STEP_TIMED_OUT },
              { type: 'announceTokenRefreshFailed', params: () => STEP_TIMED_OUT },
              { type: 'refuseSessionWaiters', params: () => STEP_TIMED_OUT },
            ],
          },
        },
      },
    },
  },
});
