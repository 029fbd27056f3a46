// The auth chart's one setup(): its types, actors, guards, actions and delays, shared by every
// region (signIn.ts, session.ts, signOut.ts) and the root (../authMachine.ts). One setup keeps one
// machine: state ids (`signedIn.active`), snapshots, the inspector and docs/calls.md stay what they
// were, and each region's state configs are typed against it with authStates() below.
import { assertEvent, assign, emit, enqueueActions, forwardTo, fromCallback, fromPromise, sendTo, setup } from 'xstate';
import { signOutMachine } from '../signOutMachine.js';
import { outboxMachine } from '../outboxMachine.js';
import { notProvided } from '../notProvided.js';
import { endsSession, toErrorInfo } from '../errorInfo.js';
import { ErrorNames, type ErrorInfo, type SessionSummary, type SignInMethod, type SignOutOutcome } from '../types.js';
import { REFUSALS, type Refusal } from '../refusals.js';
import { refreshedElsewhere } from '../refreshTurn.js';
import { CognitoExceptions } from '../errors/registry.js';
import { clearedAfterAll, leftIntentQueued } from '../signOutOutcome.js';
import type { StoreAfterClear } from '../signOutTypes.js';
import { askedOf, COMPLETE, deviceRefOf, isHostedUiSession, rotatedTokenRefOf, SESSION_CALL_TYPES, unstoredTokensRefOf } from './shared.js';
import type { AnswerInput, OpenedHostedUi, RedirectOutcome, RedirectSignInInput, SignInInput, SignInStepOutput } from './signInTypes.js';
import type { CallAnswer, SessionCall } from './callTypes.js';
import type { StoredSession, StoredSessionRecord, TellTabs } from './sessionTypes.js';
import type { OpenedLogout } from './signOutTypes.js';
import type { AuthContext, AuthEmitted, AuthEvent, AuthInput } from './types.js';

/** The failures of an answer after which its challenge stays open (isWrongAnswer). */
const WRONG_ANSWERS: readonly string[] = [CognitoExceptions.codeMismatch, CognitoExceptions.enableSoftwareTokenMfa, ErrorNames.validation];

/**
 * The auth chart's implementations (see ../authMachine.ts). Its promise actors are declared, not
 * implemented: supply them with `.provide({ actors })`; one left out rejects with ActorNotProvided.
 */
export const authSetup = setup({
  types: {
    input: {} as AuthInput,
    context: {} as AuthContext,
    events: {} as AuthEvent,
    emitted: {} as AuthEmitted,
  },
  actors: {
    /**
     * Reads the stored session and how the outbox holds its tokens (no network); with none stored, a
     * sign-in's challenge another instance stored (durableChallenges). Resolves null when there is neither.
     */
    loadSession: fromPromise<StoredSession | null>(notProvided('loadSession')),
    /** InitiateAuth (and SRP's PASSWORD_VERIFIER); saves tokens when there is no challenge. */
    signIn: fromPromise<SignInStepOutput, SignInInput>(notProvided('signIn')),
    /** ConfirmDevice for the new device a sign-in got (its SRP verifier made and sent), then its record stored. */
    confirmDevice: fromPromise<void, { ref: string }>(notProvided('confirmDevice')),
    /** RespondToAuthChallenge with the user's answer. */
    answerChallenge: fromPromise<SignInStepOutput, AnswerInput>(notProvided('answerChallenge')),
    /** REFRESH_TOKEN_AUTH; saves the new tokens unless aborted or the session changed. */
    refreshTokens: fromPromise<SessionSummary, { username: string; signedInWith: SignInMethod; expiresAt: number; tokenId?: string }>(notProvided('refreshTokens')),
    /** Queues for revocation the rotated refresh token a refresh could not store, by its vault receipt (outbox.queue). */
    queueRotatedToken: fromPromise<void, { ref: string }>(notProvided('queueRotatedToken')),
    /** Removes the session from the store (a session Cognito ended, or already revoked). */
    clearSession: fromPromise<void>(notProvided('clearSession')),
    /** What the store holds after a clear it did not confirm (store.afterClear): a fact; clearedAfterAll decides. */
    confirmClear: fromPromise<StoreAfterClear>(notProvided('confirmClear')),
    /** Records the sign-in in flight (state, PKCE verifier: in storage, never here) and opens the hosted UI. */
    openHostedUi: fromPromise<OpenedHostedUi, RedirectSignInInput>(notProvided('openHostedUi')),
    /** Checks a return from the hosted UI against the sign-in in flight, exchanges its code, saves the tokens; or recognizes the return from /logout. */
    completeRedirect: fromPromise<RedirectOutcome, { credential: string }>(notProvided('completeRedirect')),
    /** Records where /logout returns and what the sign-out did so far (no token), for the return. */
    recordHostedUiSignOut: fromPromise<void, { returnTo: string; outcome: Extract<SignOutOutcome, { type: 'complete' | 'partial' }> }>(notProvided('recordHostedUiSignOut')),
    /** Opens /logout with the opener (a browser navigates); forgets the record when an auth session comes back or is closed. */
    openLogout: fromPromise<OpenedLogout, { logoutUrl: string; returnTo: string }>(notProvided('openLogout')),
    signOut: signOutMachine,
    outbox: outboxMachine,
    /** The other tabs over the same storage: their sign-ins and sign-outs arrive as SIGNED_IN_ELSEWHERE / SIGNED_OUT_ELSEWHERE; TELL_TABS goes to them. Default: no tabs. */
    watchTabs: fromCallback<TellTabs>(() => undefined),
    /**
     * Takes this tab's turn to refresh and holds it until `signedIn.refreshing` is left; sends
     * REFRESH_TURN_TAKEN. Default: no other tabs, so the turn is this tab's at once.
     */
    takeRefreshTurn: fromCallback(({ sendBack }) => {
      sendBack({ type: 'REFRESH_TURN_TAKEN', shared: false, waited: false });
    }),
    /**
     * The session the store holds now (null: none). With `watch`, it reads again on each of the
     * other tabs' writes of the session, until what it read is refreshedElsewhere() than `held`.
     */
    readStoredRefresh: fromPromise<SessionSummary | null, { held: SessionSummary | null; watch: boolean }>(notProvided('readStoredRefresh')),
  },
  guards: {
    hasSession: (_, session: SessionSummary | null) => session !== null,
    /** A session is stored, and no sign-out holds its tokens: it is restored. */
    isRestorable: (_, stored: StoredSession | null) => heldAs(stored) === null,
    /** The stored session's tokens were revoked by a sign-out that could not clear them (the outbox marks them): never restored, cleared as ended. */
    isRevokedByOutbox: (_, stored: StoredSession | null) => heldAs(stored) === 'revoked',
    /** A sign-out of the stored session began and did not end (its tokens are queued): never restored; the store is cleared, the outbox finishes it. */
    isQueuedByOutbox: (_, stored: StoredSession | null) => heldAs(stored) === 'queued',
    /**
     * No session is stored, but a sign-in's challenge is (durableChallenges: another instance asked):
     * awaitingChallengeAnswer waits for its answer here. Its deadline is checked when the answer comes.
     */
    isChallengeStored: (_, stored: StoredSession | null) => stored !== null && 'challenge' in stored,
    /** The answer comes at or after the open challenge's deadline (AuthSessionValidity): Cognito would refuse its session. */
    isChallengeExpired: ({ context }, at: number | undefined) => at !== undefined && context.challenge?.deadline !== undefined && at >= context.challenge.deadline,
    /** A global sign-out landed while this session's tokens were being issued or adopted. */
    sessionInDoubt: ({ context }) => context.sessionInDoubt,
    /** The outbox's global sign-out of this session's user is in flight: the session ends if it lands. */
    heldForGlobalSignOut: ({ context }) => context.heldForGlobalSignOut,
    /** The drain before a sign-in left a global intent queued, or cannot say (null): it may still land and end the new session. */
    globalSignOutPending: (_, pending: number | null) => pending !== 0,
    /** The sign-in asked is signInWithRedirect()'s: the hosted UI opens once the queued global sign-outs are finished. */
    redirectAsked: ({ context }) => context.signInRequest !== null && 'redirect' in context.signInRequest,
    /** The held session is that user's (an intent of unknown user changes nothing: a landing is then checked with a refresh). */
    sessionOfUser: ({ context }, username: string | undefined) => username !== undefined && context.session?.username === username,
    /** The global sign-out that did not land may still land later (mayStillLand). */
    mayLandLater: (_, mayLandLater: boolean) => mayLandLater,
    /**
     * The step ended on a challenge: awaitingChallengeAnswer waits for its answer. The sign-in flow
     * reports only the challenges of CHALLENGES (any other is its error), so every one is answered here.
     */
    isChallenge: (_, step: SignInStepOutput) => step.kind === 'challenge',
    /** Signed in, and Cognito gave the sign-in a new device (NewDeviceMetadata): confirmingDevice confirms it. */
    isNewDevice: (_, step: SignInStepOutput) => deviceRefOf(step) !== '',
    /**
     * The answer to the open challenge (answeringChallenge always has one) was wrong, and the
     * challenge stays open: a wrong code (a TOTP setup's too), or an answer of the wrong kind for
     * its stage, refused before anything was sent.
     */
    isWrongAnswer: (_, error: unknown) => WRONG_ANSWERS.includes(toErrorInfo(error).name),
    /** The refresh failed after Cognito rotated the refresh token, and the new one is stored nowhere: it must be queued for revocation. */
    leftRotatedTokenUnstored: (_, error: unknown) => rotatedTokenRefOf(error) !== null,
    /** A sign-in step failed after the store took its tokens back, and their refresh token is live: it must be revoked (revokingUnstored). */
    leftTokensUnstored: (_, error: unknown) => unstoredTokensRefOf(error) !== null,
    /** After a clear it did not confirm, the store still holds the session, or cannot say (not clearedAfterAll): its dead tokens may be there. */
    mayStillHoldSession: (_, store: StoreAfterClear) => !clearedAfterAll(store),
    isSessionOver: (_, error: unknown) => endsSession(toErrorInfo(error).name),
    /**
     * The refresh's tokens were not written (StaleWriteError): the session was cleared or replaced
     * after the refresh began, or a sign-out of it began elsewhere (the outbox holds its refresh
     * token). The session this instance holds is no longer the store's: what the store holds decides.
     */
    isWriteRefused: (_, error: unknown) => toErrorInfo(error).name === ErrorNames.staleWrite,
    /** …the same, known after the rotated refresh token was queued (the refresh's error was recorded). */
    wasWriteRefused: ({ context }) => context.lastRefreshError !== null && toErrorInfo(context.lastRefreshError).name === ErrorNames.staleWrite,
    isSignedOutLocally: (_, outcome: SignOutOutcome) => outcome.type !== 'failed',
    /** A failed clear after server calls that killed the tokens: they must not be handed out. */
    areTokensRevoked: (_, outcome: SignOutOutcome) => outcome.type === 'failed' && outcome.tokensRevoked,
    needsRefresh: ({ context, event }) => {
      assertEvent(event, 'GET_SESSION');
      return event.forceRefresh || !context.session || context.session.expiresAt - context.refreshSkewMs <= event.at;
    },
    isNavigating: (_, opened: OpenedHostedUi | OpenedLogout) => opened.kind === 'navigating',
    isReturned: (_, opened: OpenedHostedUi | OpenedLogout) => opened.kind === 'returned',
    isRedirectSignIn: (_, outcome: RedirectOutcome) => outcome.kind === 'signedIn',
    isRedirectSignOut: (_, outcome: RedirectOutcome) => outcome.kind === 'signedOut',
    /** The hosted UI sent the sign-in back with an OAuth error: oauthRefusalOf says what it means. */
    isRedirectRefused: (_, outcome: RedirectOutcome) => outcome.kind === 'oauthError',
    /** The device is cleared, and the session came from the hosted UI: its cookie is left to end. */
    endsAtHostedUi: ({ context }, outcome: SignOutOutcome) => outcome.type !== 'failed' && isHostedUiSession(context),
    /** …and this instance knows where /logout is (an `oauth` config). */
    canOpenLogout: ({ context }, outcome: SignOutOutcome) => outcome.type !== 'failed' && isHostedUiSession(context) && context.hostedUiSignOut !== null,
    /** A signOut() waits on the clear of a hosted-UI session (revokedButStored's retry, or a session that ended meanwhile). */
    isSignOutOfHostedUi: ({ context }) => context.signOutWaiters.length > 0 && isHostedUiSession(context),
    isSignOutAtHostedUiLeft: ({ context }) => context.signOutWaiters.length > 0 && isHostedUiSession(context) && context.hostedUiSignOut !== null,
    isCorruptSession: (_, error: unknown) => toErrorInfo(error).name === ErrorNames.corruptSession,
    /** Another tab or instance refreshed with the same rotating refresh token first: the store may hold its newer session. */
    isRefreshRaced: (_, error: unknown) => toErrorInfo(error).name === ErrorNames.refreshTokenReuse,
    /** This refresh was refused as a reuse, and the store holds no session refreshed elsewhere: the refresh token is spent, the session over. */
    lostRefreshRace: ({ context }) => context.refreshRaced,
    /** Other tabs share the store: one of them may have refreshed this session already. */
    sharedWithTabs: ({ event }) => event.type === 'REFRESH_TURN_TAKEN' && event.shared,
    /** The store holds this user's session, refreshed by another tab since this one got its own. */
    refreshedElsewhere: (_, params: { stored: SessionSummary | null; held: SessionSummary | null }) => refreshedElsewhere(params.stored, params.held),
  },
  delays: {
    /** Reading the stored session: the read, the outbox check, and the removal of what is unusable. */
    loadDeadline: ({ context }) => 3 * context.storageTimeoutMs,
    /** One sign-in step or refresh: every round trip (one deadline in the transport), then saving the tokens. */
    stepDeadline: ({ context }) => context.networkTimeoutMs + 3 * context.storageTimeoutMs,
    /** A clear: removeItem, then the read-back. */
    clearDeadline: ({ context }) => 2 * context.storageTimeoutMs,
    /** confirmClear: a removal still pending, then one read (the store's own bound is 2 × storageTimeoutMs). */
    confirmDeadline: ({ context }) => 3 * context.storageTimeoutMs,
    /** One storage write. */
    storageDeadline: ({ context }) => context.storageTimeoutMs,
    /** How long a tab that waited its turn watches the store for the other tab's refreshed session. */
    tabRefreshDeadline: ({ context }) => context.storageTimeoutMs,
  },
  actions: {
    answer: emit((_, params: { id: number; answer: CallAnswer }) => ({ type: 'answered' as const, id: params.id, answer: params.answer })),
    /** Answers the call being handled with the typed error REFUSALS names. */
    refuse: emit(({ event }, params: { refusal: Refusal }) => {
      assertEvent(event, SESSION_CALL_TYPES);
      return { type: 'answered' as const, id: event.id, answer: { kind: 'refused' as const, error: REFUSALS[params.refusal] } };
    }),
    answerNoRedirect: emit(({ event }) => {
      assertEvent(event, SESSION_CALL_TYPES);
      return { type: 'answered' as const, id: event.id, answer: { kind: 'noRedirect' as const } };
    }),
    answerSession: emit(({ context, event }) => {
      assertEvent(event, 'GET_SESSION');
      const { session } = context;
      return { type: 'answered' as const, id: event.id, answer: session ? { kind: 'session' as const, username: session.username, expiresAt: session.expiresAt } : { kind: 'noSession' as const } };
    }),
    /** Waits for a named state: replayed, in order, by replayDeferred. */
    defer: assign(({ context, event }) => {
      assertEvent(event, SESSION_CALL_TYPES);
      return { deferred: [...context.deferred, event] };
    }),
    replayDeferred: enqueueActions(({ context, enqueue }) => {
      for (const call of context.deferred) enqueue.raise(call);
      enqueue.assign({ deferred: [] });
    }),
    tellOutboxSessionLoaded: sendTo('outbox', { type: 'SESSION_LOADED' }),
    /** A sign-in is about to begin: the outbox sends the queued global intents first. */
    tellOutboxFinishGlobal: sendTo('outbox', { type: 'FINISH_GLOBAL_SIGN_OUTS' }),
    /** Something was queued for the outbox to drain: it watches the backoff. */
    tellOutboxIntentsQueued: sendTo('outbox', { type: 'INTENTS_QUEUED' }),
    /** …only when the sign-out's outcome left an intent queued (leftIntentQueued). */
    tellOutboxIfQueued: enqueueActions(({ context, enqueue }, outcome: SignOutOutcome) => {
      if (leftIntentQueued(outcome, context.queueing)) enqueue.sendTo('outbox', { type: 'INTENTS_QUEUED' });
    }),
    /** The store now holds a new session, or none: the other tabs hear it (no token travels). */
    tellTabs: sendTo('tabs', (_, signal: TellTabs['signal']) => ({ type: 'TELL_TABS' as const, signal })),
    announceSignedOutElsewhere: emit({ type: 'signedOutElsewhere' as const }),
    forwardToOutbox: forwardTo('outbox'),
    relayOutboxAnswer: emit(({ event }) => {
      assertEvent(event, 'OUTBOX_ANSWERED');
      return { type: 'answered' as const, id: event.id, answer: event.answer };
    }),

    rememberSession: assign((_, session: SessionSummary | null) => ({ session, challenge: null })),
    /** The challenge a step met, or one another instance stored (durableChallenges, read at load): this instance answers it. */
    rememberChallenge: assign((_, step: SignInStepOutput | StoredSession | null) => ({ challenge: step !== null && 'challenge' in step ? step.challenge : null })),
    forgetSession: assign({ session: null, challenge: null, heldForGlobalSignOut: false }),
    holdForGlobalSignOut: assign({ heldForGlobalSignOut: true }),
    releaseGlobalSignOutHold: assign({ heldForGlobalSignOut: false }),
    doubtSession: assign({ sessionInDoubt: true }),
    trustSession: assign({ sessionInDoubt: false }),
    recordRefreshRaced: assign({ refreshRaced: true }),
    forgetRefreshRace: assign({ refreshRaced: false }),
    cancelChallenge: enqueueActions(({ context, enqueue }) => {
      if (context.challenge) enqueue.emit({ type: 'challengeCancelled', challenge: context.challenge });
      enqueue.assign({ challenge: null });
    }),
    recordSignOut: assign((_, outcome: SignOutOutcome) => ({ lastSignOut: outcome })),
    recordSignInError: assign((_, error: unknown) => ({ lastSignInError: toErrorInfo(error) })),
    recordRefreshError: assign((_, error: unknown) => ({ lastRefreshError: toErrorInfo(error) })),
    recordClearError: assign((_, error: unknown) => ({ clearError: toErrorInfo(error) })),
    /** A step started by a call records its caller; a step that follows another (the hosted UI returned) keeps it. */
    startSignIn: assign(({ context, event }) => ({
      lastSignInError: null,
      signInCaller: 'id' in event ? event.id : context.signInCaller,
      // The sign-in asked (signIn()'s or signInWithRedirect()'s), kept while the queued global sign-outs are finished first (finishingGlobalSignOut).
      signInRequest: event.type === 'SIGN_IN' ? askedOf(event) : event.type === 'SIGN_IN_WITH_REDIRECT' ? { redirect: askedOf(event) } : context.signInRequest,
    })),
    rememberRedirectUrl: assign((_, credential: string | null) => ({ redirectUrlRef: credential })),
    forgetRedirectUrl: assign({ redirectUrlRef: null }),
    answerRedirectSignIn: enqueueActions(({ context, enqueue }, outcome: RedirectOutcome) => {
      if (outcome.kind !== 'signedIn') return;
      if (outcome.customState !== undefined) enqueue.emit({ type: 'customState', state: outcome.customState });
      if (context.signInCaller !== null) {
        const answer: CallAnswer = { kind: 'signedIn', ...(outcome.customState !== undefined && { customState: outcome.customState }) };
        enqueue.emit({ type: 'answered', id: context.signInCaller, answer });
      }
      enqueue.assign({ signInCaller: null });
    }),
    answerSignInCaller: enqueueActions(({ context, enqueue }, answer: CallAnswer) => {
      if (context.signInCaller !== null) enqueue.emit({ type: 'answered', id: context.signInCaller, answer });
      enqueue.assign({ signInCaller: null });
    }),
    announceRedirectSignInFailed: emit((_, error: unknown) => ({ type: 'redirectSignInFailed' as const, error: toErrorInfo(error) })),

    joinRefresh: assign(({ context, event }) => {
      assertEvent(event, 'GET_SESSION');
      return { sessionWaiters: [...context.sessionWaiters, event.id] };
    }),
    /** The refresh is over without an answer for its waiters: they ask again where the machine lands. */
    deferSessionWaiters: assign(({ context }) => ({
      deferred: [...context.deferred, ...context.sessionWaiters.map((id): SessionCall => ({ type: 'GET_SESSION', id, forceRefresh: false, at: Number.MIN_SAFE_INTEGER }))],
      sessionWaiters: [],
    })),
    refuseSessionWaiters: enqueueActions(({ context, enqueue }, error: ErrorInfo) => {
      for (const id of context.sessionWaiters) enqueue.emit({ type: 'answered', id, answer: { kind: 'refused', error } });
      enqueue.assign({ sessionWaiters: [] });
    }),

    /** The first caller decides local or global; later ones join what runs. */
    joinSignOut: assign(({ context, event }) => {
      assertEvent(event, 'SIGN_OUT');
      const first = context.signOutWaiters.length === 0;
      return {
        signOutWaiters: [...context.signOutWaiters, event.id],
        signOutGlobal: first ? event.global : context.signOutGlobal,
        hostedUiSignOut: first ? (event.hostedUi ?? null) : context.hostedUiSignOut,
      };
    }),
    answerSignOutWaiters: enqueueActions(({ context, enqueue }, outcome: SignOutOutcome) => {
      for (const id of context.signOutWaiters) enqueue.emit({ type: 'answered', id, answer: { kind: 'signOut', outcome } });
      enqueue.assign({ signOutWaiters: [] });
    }),
    answerSignOutRedirecting: enqueueActions(({ context, enqueue }) => {
      const logoutUrl = context.hostedUiSignOut?.logoutUrl ?? '';
      const intentId = context.lastSignOut?.intentId;
      for (const id of context.signOutWaiters) enqueue.emit({ type: 'answered', id, answer: { kind: 'signOutRedirecting', logoutUrl, ...(intentId !== undefined && { intentId }) } });
      enqueue.assign({ signOutWaiters: [] });
    }),

    /** A session began here; `null` (no session after all) announces nothing. */
    announceSignedIn: enqueueActions(({ enqueue }, session: SessionSummary | null) => {
      if (session) enqueue.emit({ type: 'signedIn', username: session.username });
    }),
    announceDeviceError: emit((_, error: unknown) => ({ type: 'deviceError' as const, error: toErrorInfo(error) })),
    announceSignInFailed: emit((_, error: unknown) => ({ type: 'signInFailed' as const, error: toErrorInfo(error) })),
    announceChallenge: enqueueActions(({ enqueue }, step: SignInStepOutput) => {
      if (step.kind === 'challenge') enqueue.emit({ type: 'challengeRequired', challenge: step.challenge });
    }),
    announceAnswerRejected: emit((_, error: unknown) => ({ type: 'challengeAnswerRejected' as const, error: toErrorInfo(error) })),
    announceTokenRefreshed: enqueueActions(({ enqueue }, session: SessionSummary | null) => {
      if (session) enqueue.emit({ type: 'tokenRefreshed', username: session.username });
    }),
    announceTokenRefreshFailed: emit((_, error: unknown) => ({ type: 'tokenRefreshFailed' as const, error: toErrorInfo(error) })),
    /** The clear of an ended session is done: a signOut() that joined it hears `signedOut`, else `sessionEnded`. */
    announceSessionCleared: emit(({ context }) =>
      context.signOutWaiters.length > 0
        ? { type: 'signedOut' as const, outcome: COMPLETE }
        : { type: 'sessionEnded' as const, error: context.lastRefreshError ?? { name: CognitoExceptions.notAuthorized, message: 'The session ended' } },
    ),
    announceSignedOut: emit((_, outcome: SignOutOutcome) => ({ type: 'signedOut' as const, outcome })),
    announceSignOutFailed: emit((_, outcome: SignOutOutcome) => ({ type: 'signOutFailed' as const, outcome })),
    announceStorageError: emit((_, error: unknown) => ({ type: 'storageError' as const, error: toErrorInfo(error) })),
  },
});

/** How the sign-out outbox holds the stored session's tokens; undefined when no session was read (none, or only a challenge). */
function heldAs(stored: StoredSession | null): StoredSessionRecord['heldByOutbox'] | undefined {
  return stored !== null && 'session' in stored ? stored.heldByOutbox : undefined;
}

/** The machine config authSetup.createMachine() takes, read from its signature. */
type AuthMachineConfig = Parameters<typeof authSetup.createMachine>[0];
/** One state of the auth chart, typed against authSetup: its guards, actions, actors, delays and events. */
export type AuthStateConfig = NonNullable<AuthMachineConfig['states']>[string];

/**
 * Some top-level states of the auth chart, typed against authSetup, so a region can live in a
 * file of its own and be spread into the root's `states`. Only a typed identity: xstate 5.20.0,
 * our peer floor, has no `setup(...).createStateConfig`. `const` keeps the state keys literal, so
 * the machine's state value type (`snapshot.matches('signedIn.active')`) is what it was.
 */
export function authStates<const T extends Record<string, AuthStateConfig>>(states: T): T {
  return states;
}

/** A refusal of the call being handled, with the typed error REFUSALS names (static, so docs/calls.md can read it). */
export function refuse(refusal: Refusal) {
  return { type: 'refuse' as const, params: { refusal } };
}
