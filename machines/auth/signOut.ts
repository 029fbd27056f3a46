import { errorOfEvent, toErrorInfo } from '../errorInfo.js';
import { acrossNavigation, hostedUiErrors, withHostedUiError } from '../hostedUiSignOut.js';
import type { HostedUiSignOutError, SignOutOutcome } from '../types.js';
import { authStates, refuse } from './setup.js';
import { COMPLETE, failedSignOut, heldByOutbox, logoutUrlOf, sessionOfStored, STORAGE_SILENT } from './shared.js';
import type { AuthContext } from './types.js';

/**
 * The sign-out region: every way the device is cleared, and the hosted UI's /logout after it.
 *
 *   signedOut ─SIGN_OUT─► checkingStore ─┬─ a session stored after all ─► signingOut
 *                                        ├─ revoked, not cleared (the outbox marks it) ─► endingSession
 *                                        ├─ its sign-out began and did not end (queued) ─► clearingQueuedSession
 *                                        └─ nothing stored ─► signedOut (`complete`)
 *   signedIn ─SIGN_OUT─► signingOut (child: the signOut chart) ─┬─ device cleared ─────────────────────► signedOut
 *                                                             ├─ a hosted-UI session, cleared ─► recordingHostedUiSignOut ─► openingLogout ─► signedOut
 *                                                             ├─ tokens revoked, device not cleared ─► revokedButStored
 *                                                             └─ nothing done ─► signedIn
 *   a refresh refused for good (session region) ─► endingSession ─┬─ cleared ─► signedOut (`sessionEnded`)
 *                                                                 └─ not confirmed ─► confirmingClear (read back) ─┬─ gone after all ─► signedOut
 *                                                                                                                 └─ still stored, or unknown ─► revokedButStored ─SIGN_OUT─► endingSession
 *
 * Why the sign-out itself is a child machine (signOutMachine) while this region is state
 * configs: one intent's server calls run the same chart for a new sign-out, retrySignOut() and
 * every intent the outbox drains, so it stands alone; what is here decides only about this device
 * (its store, its waiters, its hosted-UI cookie) and shares the auth chart's context.
 *
 * revokedButStored: the server calls killed the tokens but the store could not be cleared. The
 * tokens are dead, so getSession() refuses with RevokedSessionNotCleared; signOut() retries the
 * clear. recordingHostedUiSignOut, openingLogout: layer 3, the hosted UI's `cognito` cookie, which
 * only a browser visit to /logout ends. It comes after the device is cleared, on every platform: a
 * user who cancels the in-app browser is still signed out here, and the result names the cookie
 * and the URL that ends it. A pending record (no token) stands in for an outbox across the page
 * navigating away. Every signOut() that arrives meanwhile joins the flow: one result for all.
 */

type OutcomeOf = (args: { context: AuthContext; event: { type: string; error?: unknown } }) => SignOutOutcome;

/** A sign-out is over: its outcome recorded, its callers answered, and `signedOut` announced. */
function signOutFinished(outcome: OutcomeOf) {
  return [
    { type: 'recordSignOut' as const, params: outcome },
    { type: 'answerSignOutWaiters' as const, params: outcome },
    { type: 'announceSignedOut' as const, params: outcome },
  ];
}

/** Layer 3 did not end: the outcome so far, partial with `hostedUiError`. */
function hostedUiSignOutEnded(error: (args: { context: AuthContext; event: { type: string; error?: unknown } }) => HostedUiSignOutError) {
  return signOutFinished((args) => withHostedUiError(args.context.lastSignOut ?? COMPLETE, error(args)));
}

/** While the hosted UI's sign-out runs: nobody is signed in here (the device is cleared); a sign-in waits for it to end. */
function duringHostedUiSignOut() {
  return {
    SIGN_IN: { actions: refuse('signOutInProgress') },
    SIGN_IN_WITH_REDIRECT: { actions: refuse('signOutInProgress') },
    CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
    GET_SESSION: { actions: 'answerSession' as const },
    // An auth session delivers its own return; a URL handed in meanwhile is none of this flow's.
    HANDLE_REDIRECT: { actions: 'answerNoRedirect' as const },
    SIGN_OUT: { actions: 'joinSignOut' as const },
  };
}

/** While the store is read or cleared for a sign-out: signIn() and getSession() wait for it; signOut() joins it. */
export function duringSignOutStoreStep() {
  return {
    SIGN_IN: { actions: 'defer' as const },
    SIGN_IN_WITH_REDIRECT: { actions: 'defer' as const },
    HANDLE_REDIRECT: { actions: 'defer' as const },
    CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
    GET_SESSION: { actions: 'defer' as const },
    SIGN_OUT: { actions: 'joinSignOut' as const },
  };
}

/** The sign-out child ended: its outcome recorded, its callers answered, and the outbox told if it queued an intent. */
function signOutSettled() {
  const outcome = ({ event }: { event: { output: SignOutOutcome } }) => event.output;
  return [{ type: 'recordSignOut' as const, params: outcome }, { type: 'answerSignOutWaiters' as const, params: outcome }, { type: 'tellOutboxIfQueued' as const, params: outcome }];
}

/**
 * The ended session is gone from the store: its callers hear it, and the tabs. A signOut() of a
 * hosted-UI session waiting on this clear has its cookie left to end, as after signingOut.
 */
function sessionCleared() {
  const cleared = ['forgetSession' as const, { type: 'tellTabs' as const, params: 'signedOut' as const }];
  return [
    { guard: 'isSignOutAtHostedUiLeft' as const, target: 'recordingHostedUiSignOut' as const, actions: [{ type: 'recordSignOut' as const, params: COMPLETE }, ...cleared] },
    { guard: 'isSignOutOfHostedUi' as const, target: 'signedOut' as const, actions: [{ type: 'recordSignOut' as const, params: COMPLETE }, ...cleared, ...hostedUiSignOutEnded(() => hostedUiErrors.notConfigured())] },
    { target: 'signedOut' as const, actions: [...cleared, 'announceSessionCleared' as const, { type: 'answerSignOutWaiters' as const, params: COMPLETE }] },
  ];
}

/** The store still holds the ended session (or could not say): its tokens are dead, so revokedButStored; the clear's error is reported. */
function notCleared() {
  const why = ({ context }: { context: AuthContext }) => toErrorInfo(context.clearError);
  return [{ type: 'announceStorageError' as const, params: why }, { type: 'answerSignOutWaiters' as const, params: ({ context }: { context: AuthContext }) => failedSignOut(toErrorInfo(context.clearError), true) }];
}

export const signOutStates = authStates({
  checkingStore: {
    on: duringSignOutStoreStep(),
    invoke: {
      src: 'loadSession',
      onDone: [
        // A session is stored after all: sign it out, as asked.
        { guard: { type: 'isRestorable', params: ({ event }) => event.output }, target: 'signingOut', actions: { type: 'rememberSession', params: ({ event }) => sessionOfStored(event.output) } },
        // Revoked already by a sign-out that could not clear it: the clear is what is left to do (as for a queued one).
        ...heldByOutbox(),
        { target: 'signedOut', actions: { type: 'answerSignOutWaiters', params: COMPLETE } },
      ],
      // What was stored was unusable and has been removed (CorruptSession), or the storage failed.
      onError: [
        { guard: { type: 'isCorruptSession', params: errorOfEvent }, target: 'signedOut', actions: [{ type: 'announceStorageError', params: errorOfEvent }, { type: 'answerSignOutWaiters', params: COMPLETE }] },
        {
          target: 'signedOut',
          actions: [
            { type: 'announceStorageError', params: errorOfEvent },
            { type: 'answerSignOutWaiters', params: ({ event }) => failedSignOut(toErrorInfo(event.error), false) },
          ],
        },
      ],
    },
    after: {
      loadDeadline: { target: 'signedOut', actions: { type: 'answerSignOutWaiters', params: failedSignOut(STORAGE_SILENT, false) } },
    },
  },
  endingSession: {
    // A sign-out while a dead session is being cleared waits for that clear and reports it.
    on: duringSignOutStoreStep(),
    invoke: {
      src: 'clearSession',
      onDone: sessionCleared(),
      // Not confirmed: what the store holds is unknown until it is read back.
      onError: { target: 'confirmingClear', actions: { type: 'recordClearError', params: errorOfEvent } },
    },
    after: { clearDeadline: { target: 'confirmingClear', actions: { type: 'recordClearError', params: () => STORAGE_SILENT } } },
  },
  // The clear failed or did not answer, but a removal may have landed late: the store decides (isClearedAfterAll).
  confirmingClear: {
    on: duringSignOutStoreStep(),
    invoke: {
      src: 'confirmClear',
      onDone: [{ guard: { type: 'mayStillHoldSession', params: ({ event }) => event.output }, target: 'revokedButStored', actions: notCleared() }, ...sessionCleared()],
      onError: { target: 'revokedButStored', actions: notCleared() },
    },
    after: { confirmDeadline: { target: 'revokedButStored', actions: notCleared() } },
  },
  revokedButStored: {
    entry: 'replayDeferred',
    on: {
      SIGN_IN: { actions: refuse('revokedSessionNotCleared') },
      SIGN_IN_WITH_REDIRECT: { actions: refuse('revokedSessionNotCleared') },
      HANDLE_REDIRECT: { actions: 'answerNoRedirect' },
      CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
      GET_SESSION: { actions: refuse('revokedSessionNotCleared') },
      SIGN_OUT: { target: 'endingSession', actions: 'joinSignOut' },
      // Another tab cleared the store (or stored a new session): nothing dead is left here.
      SIGNED_OUT_ELSEWHERE: { target: 'signedOut', actions: ['forgetSession', 'announceSignedOutElsewhere'] },
      SIGNED_IN_ELSEWHERE: 'adoptingSession',
    },
  },
  signingOut: {
    on: {
      SIGN_IN: { actions: refuse('signOutInProgress') },
      SIGN_IN_WITH_REDIRECT: { actions: refuse('signOutInProgress') },
      HANDLE_REDIRECT: { actions: 'defer' },
      CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
      GET_SESSION: { actions: 'defer' },
      // A sign-out while one runs joins it: one flow, one result for every caller.
      SIGN_OUT: { actions: 'joinSignOut' },
    },
    invoke: {
      id: 'signOut',
      src: 'signOut',
      input: ({ context }) => ({
        global: context.signOutGlobal,
        revocable: context.session?.revocable ?? false,
        source: { kind: 'session' as const },
        queueing: context.queueing,
        networkTimeoutMs: context.networkTimeoutMs,
        storageTimeoutMs: context.storageTimeoutMs,
      }),
      onDone: [
        // The device is cleared; a hosted-UI session still has its cookie at the hosted UI.
        {
          guard: { type: 'canOpenLogout', params: ({ event }) => event.output },
          target: 'recordingHostedUiSignOut',
          actions: [{ type: 'recordSignOut', params: ({ event }) => event.output }, 'forgetSession', { type: 'tellOutboxIfQueued', params: ({ event }) => event.output }, { type: 'tellTabs', params: 'signedOut' }],
        },
        // No `oauth` here to build /logout from: the result says the cookie may live.
        {
          guard: { type: 'endsAtHostedUi', params: ({ event }) => event.output },
          target: 'signedOut',
          actions: [
            { type: 'recordSignOut', params: ({ event }) => event.output },
            'forgetSession',
            { type: 'tellOutboxIfQueued', params: ({ event }) => event.output },
            { type: 'tellTabs', params: 'signedOut' },
            ...hostedUiSignOutEnded(() => hostedUiErrors.notConfigured()),
          ],
        },
        {
          guard: { type: 'isSignedOutLocally', params: ({ event }) => event.output },
          target: 'signedOut',
          actions: [...signOutSettled(), 'forgetSession', { type: 'tellTabs', params: 'signedOut' }, { type: 'announceSignedOut', params: ({ event }) => event.output }],
        },
        {
          guard: { type: 'areTokensRevoked', params: ({ event }) => event.output },
          target: 'revokedButStored',
          actions: [...signOutSettled(), { type: 'announceSignOutFailed', params: ({ event }) => event.output }],
        },
        { target: 'signedIn', actions: [...signOutSettled(), { type: 'announceSignOutFailed', params: ({ event }) => event.output }] },
      ],
    },
  },
  // Layer 3: the device is cleared; what is left is the hosted UI's cookie, which only /logout ends.
  recordingHostedUiSignOut: {
    on: duringHostedUiSignOut(),
    invoke: {
      src: 'recordHostedUiSignOut',
      input: ({ context }) => ({ returnTo: context.hostedUiSignOut?.returnTo ?? '', outcome: acrossNavigation(context.lastSignOut ?? COMPLETE) }),
      onDone: 'openingLogout',
      // Without the record, the return could not deliver the result: /logout is not opened, and the result says so.
      onError: { target: 'signedOut', actions: hostedUiSignOutEnded(({ context, event }) => hostedUiErrors.notOpened(logoutUrlOf(context), toErrorInfo(event.error).message)) },
    },
    after: {
      storageDeadline: { target: 'signedOut', actions: hostedUiSignOutEnded(({ context }) => hostedUiErrors.notOpened(logoutUrlOf(context), STORAGE_SILENT.message)) },
    },
  },
  // Waits on the user, like openingHostedUi: a browser navigates at once; an auth session takes the time the user takes.
  openingLogout: {
    on: duringHostedUiSignOut(),
    invoke: {
      src: 'openLogout',
      input: ({ context }) => ({ logoutUrl: logoutUrlOf(context), returnTo: context.hostedUiSignOut?.returnTo ?? '' }),
      onDone: [
        // The page goes away; handleRedirect() on the return delivers the result, and `signedOut` with it.
        { guard: { type: 'isNavigating', params: ({ event }) => event.output }, target: 'signedOut', actions: 'answerSignOutRedirecting' },
        { guard: { type: 'isReturned', params: ({ event }) => event.output }, target: 'signedOut', actions: signOutFinished(({ context }) => context.lastSignOut ?? COMPLETE) },
        { target: 'signedOut', actions: hostedUiSignOutEnded(({ context }) => hostedUiErrors.cancelled(logoutUrlOf(context))) },
      ],
      onError: { target: 'signedOut', actions: hostedUiSignOutEnded(({ context, event }) => hostedUiErrors.notOpened(logoutUrlOf(context), toErrorInfo(event.error).message)) },
    },
  },
});
