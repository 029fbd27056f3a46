import { assertEvent, assign, emit, enqueueActions, forwardTo, fromCallback, fromPromise, sendTo, setup } from 'xstate';
import { signOutMachine } from './signOutMachine.js';
import { outboxMachine } from './outboxMachine.js';
import { notProvided } from './notProvided.js';
import { endsSession, errorOfEvent, toErrorInfo } from './errorInfo.js';
import { ErrorNames, type ErrorInfo, type HostedUiSignOutError, type SessionSummary, type SignInMethod, type SignOutOutcome } from './types.js';
import { REFUSALS, type Refusal } from './refusals.js';
import { acrossNavigation, hostedUiErrors, withHostedUiError } from './hostedUiSignOut.js';
import { refreshedElsewhere } from './refreshTurn.js';
import type { AnswerInput, AuthContext, AuthEmitted, AuthEvent, AuthInput, CallAnswer, ChallengeName, OpenedHostedUi, OpenedLogout, RedirectOutcome, RedirectSignInInput, SessionCall, SignInInput, SignInStepOutput, TellTabs } from './authTypes.js';

export type {
  AnswerInput,
  AuthContext,
  AuthEmitted,
  AuthEvent,
  AuthInput,
  CallAnswer,
  CallEvent,
  ChallengeName,
  ChallengeSummary,
  HostedUiSignOutTarget,
  OpenedHostedUi,
  OpenedLogout,
  OutboxCall,
  RedirectOutcome,
  RedirectSignInInput,
  SessionCall,
  SignInInput,
  SignInStepOutput,
  TellTabs,
} from './authTypes.js';

/**
 * The whole session lifecycle. Every public call is an event with an id, and every state answers
 * every call: it acts, lets the call join the flow that is running, defers it until the machine
 * settles in a named state, or refuses it with a typed error. The answer is emitted as
 * `answered` with the call's id. docs/calls.md has the table, generated from this file.
 *
 *   loadingSession ─► signedOut ─SIGN_IN─► signingIn ─┬────────────────────────► signedIn.active ⇄ signedIn.refreshing
 *                        ▲                            └► awaiting{NewPassword,TotpCode,SmsCode}     │            │ refresh refused
 *                        │                               ─CONFIRM_SIGN_IN─► answeringChallenge ─┘     │            ▼
 *                        ├──────────── signingOut (child: signOut chart) ◄─SIGN_OUT────────────────┘      endingSession
 *                        │                 │ tokens revoked, device not cleared                             │ not cleared
 *                        └─ endingSession ◄─┴─► revokedButStored ◄──────────────────────────────────────────┘
 *
 *   signedIn.refreshing (holds this tab's turn to refresh; one stepDeadline for all of it):
 *     waitingForTurn ─REFRESH_TURN_TAKEN─┬─ tabs share the store ─► lookingForTabsRefresh ─ refreshed elsewhere ─► active (adopted)
 *                                        │                                  └─ nothing newer, or tabRefreshDeadline ─┐
 *                                        └─ alone ─────────────────────────────────────────────► refreshingTokens ◄─┘ ─► active
 *
 *   signingOut ─ a hosted-UI session, device cleared ─► recordingHostedUiSignOut ─► openingLogout ─► signedOut
 *   signedOut ─HANDLE_REDIRECT─► completingRedirect ─ back from /logout ─► signedOut (the sign-out's result, at last)
 *
 * recordingHostedUiSignOut, openingLogout: layer 3, the hosted UI's `cognito` cookie, which only a browser visit to
 * /logout ends. It comes after the device is cleared, on every platform: a user who cancels the
 * in-app browser is still signed out here, and the result names the cookie and the URL that ends
 * it. A pending record (no token) stands in for an outbox across the page navigating away.
 *
 * revokedButStored: the server calls killed the tokens but the store could not be cleared. The
 * tokens are dead, so getSession() refuses with RevokedSessionNotCleared; signOut() retries the clear.
 * The outbox chart runs beside this one (invoked at the root) and answers RETRY_SIGN_OUT and
 * FLUSH_REVOCATIONS. No secret passes through here: calls carry vault references only.
 */

const awaiting: Record<ChallengeName, string> = {
  NEW_PASSWORD_REQUIRED: 'awaitingNewPassword',
  SOFTWARE_TOKEN_MFA: 'awaitingTotpCode',
  SMS_MFA: 'awaitingSmsCode',
};

const COMPLETE: SignOutOutcome = { type: 'complete' };
const STEP_TIMED_OUT: ErrorInfo = { name: ErrorNames.timeout, message: 'No answer within networkTimeoutMs + 3 × storageTimeoutMs: the step was abandoned, and nothing it returns will be stored' };
const REFUSED_CANCELLED: ErrorInfo = { name: ErrorNames.redirectSignInCancelled, message: 'The hosted UI was closed before the sign-in finished' };
const STORAGE_SILENT: ErrorInfo = { name: ErrorNames.storage, message: 'The storage did not answer within its deadline; the session may or may not still be stored' };

/**
 * The auth statechart (the chart drawn above; docs/diagrams/auth.md, docs/calls.md): input
 * AuthInput, events AuthEvent, announcements AuthEmitted. It invokes signOutMachine and
 * outboxMachine. Its promise actors (loadSession, signIn, answerChallenge, refreshTokens,
 * clearSession, openHostedUi, completeRedirect, recordHostedUiSignOut, openLogout) are declared,
 * not implemented: supply them with `.provide({ actors })`; one left out rejects with
 * ActorNotProvided. watchTabs does nothing unless provided (no tabs).
 */
export const authMachine = setup({
  types: {
    input: {} as AuthInput,
    context: {} as AuthContext,
    events: {} as AuthEvent,
    emitted: {} as AuthEmitted,
  },
  actors: {
    /** Reads the stored session (no network). Resolves null when there is none. */
    loadSession: fromPromise<SessionSummary | null>(notProvided('loadSession')),
    /** InitiateAuth (and SRP's PASSWORD_VERIFIER); saves tokens when there is no challenge. */
    signIn: fromPromise<SignInStepOutput, SignInInput>(notProvided('signIn')),
    /** RespondToAuthChallenge with the user's answer. */
    answerChallenge: fromPromise<SignInStepOutput, AnswerInput>(notProvided('answerChallenge')),
    /** REFRESH_TOKEN_AUTH; saves the new tokens unless aborted or the session changed. */
    refreshTokens: fromPromise<SessionSummary, { username: string; signedInWith: SignInMethod; expiresAt: number; tokenId?: string }>(notProvided('refreshTokens')),
    /** Removes the session from the store (a session Cognito ended, or already revoked). */
    clearSession: fromPromise<void>(notProvided('clearSession')),
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
    /** A global sign-out landed while this session's tokens were being issued or adopted. */
    sessionInDoubt: ({ context }) => context.sessionInDoubt,
    isChallenge: (_, params: { step: SignInStepOutput; name: ChallengeName }) => params.step.kind === 'challenge' && params.step.challenge.name === params.name,
    /** The answer to the open `name` challenge was a wrong code: the challenge stays open. */
    isWrongCodeFor: ({ context }, params: { error: unknown; name: ChallengeName }) =>
      context.challenge?.name === params.name && toErrorInfo(params.error).name === 'CodeMismatchException',
    isSessionOver: (_, error: unknown) => endsSession(toErrorInfo(error).name),
    isSignedOutLocally: (_, outcome: SignOutOutcome) => outcome.type !== 'failed',
    /** A failed clear after server calls that killed the tokens: they must not be handed out. */
    areTokensRevoked: (_, outcome: SignOutOutcome) => outcome.type === 'failed' && outcome.tokensRevoked,
    needsRefresh: ({ context, event }) => {
      assertEvent(event, 'GET_SESSION');
      return event.forceRefresh || !context.session || context.session.expiresAt - context.refreshSkewMs <= event.at;
    },
    isNavigating: (_, opened: OpenedHostedUi) => opened.kind === 'navigating',
    isReturned: (_, opened: OpenedHostedUi) => opened.kind === 'returned',
    isRedirectSignIn: (_, outcome: RedirectOutcome) => outcome.kind === 'signedIn',
    isRedirectSignOut: (_, outcome: RedirectOutcome) => outcome.kind === 'signedOut',
    /** The device is cleared, and the session came from the hosted UI: its cookie is left to end. */
    endsAtHostedUi: ({ context }, outcome: SignOutOutcome) => outcome.type !== 'failed' && isHostedUiSession(context),
    /** …and this instance knows where /logout is (an `oauth` config). */
    canOpenLogout: ({ context }, outcome: SignOutOutcome) => outcome.type !== 'failed' && isHostedUiSession(context) && context.hostedUiSignOut !== null,
    /** A signOut() waits on the clear of a hosted-UI session (revokedButStored's retry, or a session that ended meanwhile). */
    isSignOutOfHostedUi: ({ context }) => context.signOutWaiters.length > 0 && isHostedUiSession(context),
    isSignOutAtHostedUiLeft: ({ context }) => context.signOutWaiters.length > 0 && isHostedUiSession(context) && context.hostedUiSignOut !== null,
    isLogoutNavigating: (_, opened: OpenedLogout) => opened.kind === 'navigating',
    isLogoutReturned: (_, opened: OpenedLogout) => opened.kind === 'returned',
    isCorruptSession: (_, error: unknown) => toErrorInfo(error).name === ErrorNames.corruptSession,
    /** Another tab or instance refreshed with the same rotating refresh token first: the store holds its newer session. */
    isRefreshRaced: (_, error: unknown) => toErrorInfo(error).name === ErrorNames.refreshTokenReuse,
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
    /** One storage write. */
    storageDeadline: ({ context }) => context.storageTimeoutMs,
    /** How long a tab that waited its turn watches the store for the other tab's refreshed session. */
    tabRefreshDeadline: ({ context }) => context.storageTimeoutMs,
  },
  actions: {
    answer: emit((_, params: { id: number; answer: CallAnswer }) => ({ type: 'answered' as const, id: params.id, answer: params.answer })),
    /** Answers the call being handled with the typed error REFUSALS names. */
    refuse: emit(({ event }, params: { refusal: Refusal }) => ({ type: 'answered' as const, id: (event as SessionCall).id, answer: { kind: 'refused' as const, error: REFUSALS[params.refusal] } })),
    answerNoRedirect: emit(({ event }) => ({ type: 'answered' as const, id: (event as SessionCall).id, answer: { kind: 'noRedirect' as const } })),
    answerSession: emit(({ context, event }) => {
      assertEvent(event, 'GET_SESSION');
      const { session } = context;
      return { type: 'answered' as const, id: event.id, answer: session ? { kind: 'session' as const, username: session.username, expiresAt: session.expiresAt } : { kind: 'noSession' as const } };
    }),
    /** Waits for a named state: replayed, in order, by replayDeferred. */
    defer: assign(({ context, event }) => ({ deferred: [...context.deferred, event as SessionCall] })),
    replayDeferred: enqueueActions(({ context, enqueue }) => {
      for (const call of context.deferred) enqueue.raise(call);
      enqueue.assign({ deferred: [] });
    }),
    tellOutboxSessionLoaded: sendTo('outbox', { type: 'SESSION_LOADED' }),
    tellOutboxIntentsQueued: sendTo('outbox', { type: 'INTENTS_QUEUED' }),
    /** The store now holds a new session, or none: the other tabs hear it (no token travels). */
    tellTabs: sendTo('tabs', (_, signal: TellTabs['signal']) => ({ type: 'TELL_TABS' as const, signal })),
    announceSignedOutElsewhere: emit({ type: 'signedOutElsewhere' as const }),
    forwardToOutbox: forwardTo('outbox'),
    relayOutboxAnswer: emit(({ event }) => {
      assertEvent(event, 'OUTBOX_ANSWERED');
      return { type: 'answered' as const, id: event.id, answer: event.answer };
    }),

    rememberSession: assign((_, session: SessionSummary | null) => ({ session, challenge: null })),
    rememberChallenge: assign((_, step: SignInStepOutput) => ({ challenge: step.kind === 'challenge' ? step.challenge : null })),
    forgetSession: assign({ session: null, challenge: null }),
    doubtSession: assign({ sessionInDoubt: true }),
    trustSession: assign({ sessionInDoubt: false }),
    cancelChallenge: enqueueActions(({ context, enqueue }) => {
      if (context.challenge) enqueue.emit({ type: 'challengeCancelled', challenge: context.challenge });
      enqueue.assign({ challenge: null });
    }),
    recordSignOut: assign((_, outcome: SignOutOutcome) => ({ lastSignOut: outcome })),
    recordSignInError: assign((_, error: unknown) => ({ lastSignInError: toErrorInfo(error) })),
    recordRefreshError: assign((_, error: unknown) => ({ lastRefreshError: toErrorInfo(error) })),
    /** A step started by a call records its caller; a step that follows another (the hosted UI returned) keeps it. */
    startSignIn: assign(({ context, event }) => ({ lastSignInError: null, signInCaller: 'id' in event ? event.id : context.signInCaller })),
    rememberRedirectUrl: assign((_, credential: string) => ({ redirectUrlRef: credential })),
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

    answerSignInStep: enqueueActions(({ context, enqueue }, step: SignInStepOutput) => {
      if (context.signInCaller === null) return;
      const answer: CallAnswer = step.kind === 'challenge' ? { kind: 'challenge', challenge: step.challenge } : { kind: 'signedIn' };
      enqueue.emit({ type: 'answered', id: context.signInCaller, answer });
      enqueue.assign({ signInCaller: null });
    }),
    answerSignInError: enqueueActions(({ context, enqueue }, error: unknown) => {
      if (context.signInCaller === null) return;
      enqueue.emit({ type: 'answered', id: context.signInCaller, answer: { kind: 'refused', error: toErrorInfo(error) } });
      enqueue.assign({ signInCaller: null });
    }),

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

    announceSignedIn: emit((_, session: SessionSummary) => ({ type: 'signedIn' as const, username: session.username })),
    announceSignInFailed: emit((_, error: unknown) => ({ type: 'signInFailed' as const, error: toErrorInfo(error) })),
    announceChallenge: emit((_, step: SignInStepOutput) => ({ type: 'challengeRequired' as const, challenge: (step as Extract<SignInStepOutput, { kind: 'challenge' }>).challenge })),
    announceAnswerRejected: emit((_, error: unknown) => ({ type: 'challengeAnswerRejected' as const, error: toErrorInfo(error) })),
    announceTokenRefreshed: emit((_, session: SessionSummary) => ({ type: 'tokenRefreshed' as const, username: session.username })),
    announceTokenRefreshFailed: emit((_, error: unknown) => ({ type: 'tokenRefreshFailed' as const, error: toErrorInfo(error) })),
    /** The clear of an ended session is done: a signOut() that joined it hears `signedOut`, else `sessionEnded`. */
    announceSessionCleared: emit(({ context }) =>
      context.signOutWaiters.length > 0
        ? { type: 'signedOut' as const, outcome: COMPLETE }
        : { type: 'sessionEnded' as const, error: context.lastRefreshError ?? { name: 'NotAuthorizedException', message: 'The session ended' } },
    ),
    announceSignedOut: emit((_, outcome: SignOutOutcome) => ({ type: 'signedOut' as const, outcome })),
    announceSignOutFailed: emit((_, outcome: SignOutOutcome) => ({ type: 'signOutFailed' as const, outcome })),
    announceStorageError: emit((_, error: unknown) => ({ type: 'storageError' as const, error: toErrorInfo(error) })),
  },
}).createMachine({
  id: 'auth',
  context: ({ input }) => ({
    session: null,
    challenge: null,
    lastSignOut: null,
    lastSignInError: null,
    lastRefreshError: null,
    deferred: [],
    signInCaller: null,
    redirectUrlRef: null,
    sessionWaiters: [],
    signOutWaiters: [],
    signOutGlobal: false,
    hostedUiSignOut: null,
    sessionInDoubt: false,
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
          { guard: { type: 'hasSession', params: ({ event }) => event.output }, target: 'signedIn', actions: { type: 'rememberSession', params: ({ event }) => event.output } },
          { target: 'signedOut' },
        ],
        // Unreadable storage or a corrupt session (already removed): start signed out, and say why.
        onError: { target: 'signedOut', actions: { type: 'announceStorageError', params: errorOfEvent } },
      },
      after: { loadDeadline: { target: 'signedOut', actions: { type: 'announceStorageError', params: () => STORAGE_SILENT } } },
    },
    signedOut: {
      entry: ['trustSession', 'replayDeferred'],
      on: {
        SIGN_IN: 'signingIn',
        CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
        GET_SESSION: { actions: 'answerSession' },
        // Another instance over the same storage may have signed in: `complete` only once the store is seen empty.
        SIGN_OUT: { target: 'checkingStore', actions: 'joinSignOut' },
        SIGN_IN_WITH_REDIRECT: 'openingHostedUi',
        HANDLE_REDIRECT: { target: 'completingRedirect', actions: { type: 'rememberRedirectUrl', params: ({ event }) => event.credential } },
        SIGNED_IN_ELSEWHERE: 'adoptingSession',
      },
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
            guard: { type: 'hasSession', params: ({ event }) => event.output },
            target: 'signedIn',
            actions: [{ type: 'rememberSession', params: ({ event }) => event.output }, { type: 'announceSignedIn', params: ({ event }) => event.output! }],
          },
          { target: 'signedOut' },
        ],
        onError: { target: 'signedOut', actions: { type: 'announceStorageError', params: errorOfEvent } },
      },
      after: { loadDeadline: { target: 'signedOut', actions: { type: 'announceStorageError', params: () => STORAGE_SILENT } } },
    },
    checkingStore: {
      on: duringSignOutStoreStep(),
      invoke: {
        src: 'loadSession',
        onDone: [
          // A session is stored after all: sign it out, as asked.
          { guard: { type: 'hasSession', params: ({ event }) => event.output }, target: 'signingOut', actions: { type: 'rememberSession', params: ({ event }) => event.output } },
          { target: 'signedOut', actions: { type: 'answerSignOutWaiters', params: COMPLETE } },
        ],
        // What was stored was unusable and has been removed (CorruptSession), or the storage failed.
        onError: [
          { guard: { type: 'isCorruptSession', params: errorOfEvent }, target: 'signedOut', actions: [{ type: 'announceStorageError', params: errorOfEvent }, { type: 'answerSignOutWaiters', params: COMPLETE }] },
          {
            target: 'signedOut',
            actions: [
              { type: 'announceStorageError', params: errorOfEvent },
              { type: 'answerSignOutWaiters', params: ({ event }) => ({ type: 'failed', error: toErrorInfo(event.error), tokensRevoked: false }) as SignOutOutcome },
            ],
          },
        ],
      },
      after: {
        loadDeadline: { target: 'signedOut', actions: { type: 'answerSignOutWaiters', params: { type: 'failed', error: STORAGE_SILENT, tokensRevoked: false } as SignOutOutcome } },
      },
    },
    signingIn: {
      entry: 'startSignIn',
      on: duringSignInStep(),
      invoke: {
        src: 'signIn',
        input: ({ event }) => {
          assertEvent(event, 'SIGN_IN');
          return { username: event.username, authFlow: event.authFlow, credential: event.credential };
        },
        onDone: nextSignInStep(),
        onError: { target: 'signedOut', actions: signInFailed() },
      },
      // Leaving aborts the step: its tokens are then never stored.
      after: { stepDeadline: { target: 'signedOut', actions: signInFailed(() => STEP_TIMED_OUT) } },
    },
    awaitingNewPassword: awaitingChallenge(),
    awaitingTotpCode: awaitingChallenge(),
    awaitingSmsCode: awaitingChallenge(),
    answeringChallenge: {
      entry: 'startSignIn',
      on: duringSignInStep(),
      invoke: {
        src: 'answerChallenge',
        input: ({ context, event }) => {
          assertEvent(event, 'CONFIRM_SIGN_IN');
          return { challenge: context.challenge!, credential: event.credential, userAttributes: event.userAttributes };
        },
        onDone: nextSignInStep(),
        onError: [
          // A wrong code: the same challenge stays open for another attempt.
          ...(Object.entries(awaiting) as Array<[ChallengeName, string]>).map(([name, target]) => ({
            guard: { type: 'isWrongCodeFor' as const, params: ({ event }: { event: { error: unknown } }) => ({ error: event.error, name }) },
            target,
            actions: [{ type: 'announceAnswerRejected' as const, params: errorOfEvent }, { type: 'answerSignInError' as const, params: errorOfEvent }],
          })),
          { target: 'signedOut', actions: [...signInFailed(), 'forgetSession'] },
        ],
      },
      after: { stepDeadline: { target: 'signedOut', actions: [...signInFailed(() => STEP_TIMED_OUT), 'forgetSession'] } },
    },
    openingHostedUi: {
      entry: 'startSignIn',
      // The user may take their time in the hosted UI: nothing waits for it.
      on: {
        SIGN_IN: { actions: refuse('signInInProgress') },
        SIGN_IN_WITH_REDIRECT: { actions: refuse('signInInProgress') },
        CONFIRM_SIGN_IN: { actions: refuse('signInInProgress') },
        GET_SESSION: { actions: 'answerSession' },
        HANDLE_REDIRECT: { actions: 'answerNoRedirect' },
        // Nobody is signed in yet: the sign-out cancels the sign-in (its return is then ignored).
        SIGN_OUT: {
          target: 'signedOut',
          actions: [
            { type: 'answer', params: ({ event }) => ({ id: event.id, answer: { kind: 'signOut', outcome: COMPLETE } }) },
            { type: 'answerSignInCaller', params: { kind: 'refused', error: { name: ErrorNames.redirectSignInCancelled, message: 'A sign-out cancelled the sign-in with the hosted UI' } } },
          ],
        },
      },
      // No deadline: in an auth session the user takes the time they need; a browser navigates at once.
      invoke: {
        src: 'openHostedUi',
        input: ({ event }) => {
          assertEvent(event, 'SIGN_IN_WITH_REDIRECT');
          const { provider, customState, prompt, loginHint } = event;
          return { ...(provider !== undefined && { provider }), ...(customState !== undefined && { customState }), ...(prompt !== undefined && { prompt }), ...(loginHint !== undefined && { loginHint }) };
        },
        onDone: [
          // The page goes away; handleRedirect() on its return finishes the sign-in.
          { guard: { type: 'isNavigating', params: ({ event }) => event.output }, target: 'signedOut', actions: { type: 'answerSignInCaller', params: { kind: 'redirecting' } } },
          {
            guard: { type: 'isReturned', params: ({ event }) => event.output },
            target: 'completingRedirect',
            actions: { type: 'rememberRedirectUrl', params: ({ event }) => (event.output as Extract<OpenedHostedUi, { kind: 'returned' }>).credential },
          },
          { target: 'signedOut', actions: redirectSignInFailed(() => REFUSED_CANCELLED) },
        ],
        onError: { target: 'signedOut', actions: redirectSignInFailed() },
      },
    },
    completingRedirect: {
      entry: 'startSignIn',
      exit: 'forgetRedirectUrl',
      on: duringSignInStep(),
      invoke: {
        src: 'completeRedirect',
        input: ({ context }) => ({ credential: context.redirectUrlRef ?? '' }),
        onDone: [
          {
            guard: { type: 'isRedirectSignIn', params: ({ event }) => event.output },
            target: 'signedIn',
            actions: [
              { type: 'rememberSession', params: ({ event }) => (event.output as Extract<RedirectOutcome, { kind: 'signedIn' }>).session },
              { type: 'announceSignedIn', params: ({ event }) => (event.output as Extract<RedirectOutcome, { kind: 'signedIn' }>).session },
              { type: 'tellTabs', params: 'signedIn' },
              { type: 'answerRedirectSignIn', params: ({ event }) => event.output },
            ],
          },
          // Back from /logout: the sign-out that went there is over, and its caller hears what it did.
          {
            guard: { type: 'isRedirectSignOut', params: ({ event }) => event.output },
            target: 'signedOut',
            actions: [
              { type: 'recordSignOut', params: ({ event }) => signOutOfReturn(event.output) },
              { type: 'answerSignInCaller', params: ({ event }) => ({ kind: 'signOut', outcome: signOutOfReturn(event.output) }) },
              { type: 'announceSignedOut', params: ({ event }) => signOutOfReturn(event.output) },
            ],
          },
          { target: 'signedOut', actions: { type: 'answerSignInCaller', params: { kind: 'noRedirect' } } },
        ],
        onError: { target: 'signedOut', actions: redirectSignInFailed() },
      },
      // Leaving aborts the exchange: its tokens are then never stored.
      after: { stepDeadline: { target: 'signedOut', actions: redirectSignInFailed(() => STEP_TIMED_OUT) } },
    },
    signedIn: {
      initial: 'active',
      on: {
        SIGN_IN: { actions: refuse('alreadyAuthenticated') },
        SIGN_IN_WITH_REDIRECT: { actions: refuse('alreadyAuthenticated') },
        // Signed in already: a return URL (or any other) is left alone.
        HANDLE_REDIRECT: { actions: 'answerNoRedirect' },
        CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
        // Overtakes a refresh: leaving `refreshing` aborts it, so its tokens are never written back.
        SIGN_OUT: { target: 'signingOut', actions: ['deferSessionWaiters', 'joinSignOut'] },
        // Another tab signed out: its tokens are dead or queued, the store is cleared; drop ours (a refresh is aborted, never written back).
        SIGNED_OUT_ELSEWHERE: { target: 'signedOut', actions: ['deferSessionWaiters', 'forgetSession', 'announceSignedOutElsewhere'] },
        // Another tab signed a user in over this session: one user at a time, the stored one.
        SIGNED_IN_ELSEWHERE: { target: 'adoptingSession', actions: 'deferSessionWaiters' },
      },
      states: {
        active: {
          entry: 'replayDeferred',
          // KB6: a global sign-out the outbox finished may have ended this session at Cognito. A
          // refresh tells: refused, the session ends (endingSession); offline, the tokens are kept.
          always: { guard: 'sessionInDoubt', target: 'refreshing' },
          on: {
            GET_SESSION: [{ guard: 'needsRefresh', target: 'refreshing', actions: 'joinRefresh' }, { actions: 'answerSession' }],
            GLOBAL_SIGN_OUT_LANDED: 'refreshing',
          },
        },
        // Tabs over one storage take turns: this tab holds its turn (a Web Lock, or a storage lease)
        // for as long as it is here. Leaving aborts what runs: a refresh's tokens are never stored.
        refreshing: {
          entry: 'trustSession',
          on: {
            GET_SESSION: { actions: 'joinRefresh' },
            // The refresh in flight may have started before it landed: start again (its tokens are never stored).
            GLOBAL_SIGN_OUT_LANDED: { target: 'refreshing', reenter: true },
          },
          invoke: { src: 'takeRefreshTurn' },
          initial: 'waitingForTurn',
          states: {
            waitingForTurn: {
              on: {
                REFRESH_TURN_TAKEN: [{ guard: 'sharedWithTabs', target: 'lookingForTabsRefresh' }, { target: 'refreshingTokens' }],
                // No lock to take: refresh anyway, as a tab on its own would (a refresh another tab
                // also makes is answered by Cognito; with rotation, RefreshTokenReuse adopts its session).
                REFRESH_TURN_UNAVAILABLE: 'refreshingTokens',
              },
            },
            // Another tab may have refreshed already (it had the turn before, or finished just now):
            // its session is in the store, and this tab adopts it instead of refreshing again.
            lookingForTabsRefresh: {
              invoke: {
                src: 'readStoredRefresh',
                input: ({ context, event }) => {
                  assertEvent(event, 'REFRESH_TURN_TAKEN');
                  return { held: context.session, watch: event.waited };
                },
                onDone: [
                  {
                    guard: { type: 'refreshedElsewhere', params: ({ context, event }) => ({ stored: event.output, held: context.session }) },
                    target: '#auth.signedIn.active',
                    actions: adoptRefreshed(),
                  },
                  { target: 'refreshingTokens' },
                ],
                onError: 'refreshingTokens',
              },
              // No other tab's refresh showed up in the store in time: refresh here.
              after: { tabRefreshDeadline: 'refreshingTokens' },
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
                  // Rotation: the token was already used by another tab or instance; adopt the session it stored.
                  {
                    guard: { type: 'isRefreshRaced', params: errorOfEvent },
                    target: '#auth.adoptingSession',
                    actions: [{ type: 'recordRefreshError', params: errorOfEvent }, 'deferSessionWaiters'],
                  },
                  {
                    guard: { type: 'isSessionOver', params: errorOfEvent },
                    target: '#auth.endingSession',
                    actions: [{ type: 'recordRefreshError', params: errorOfEvent }, { type: 'announceTokenRefreshFailed', params: errorOfEvent }, 'deferSessionWaiters'],
                  },
                  // Offline or throttled: keep the tokens; never sign a user out for being offline.
                  {
                    target: '#auth.signedIn.active',
                    actions: [
                      'tellOutboxIntentsQueued', // a rotated refresh token that could not be stored is queued for revocation
                      { type: 'recordRefreshError', params: errorOfEvent },
                      { type: 'announceTokenRefreshFailed', params: errorOfEvent },
                      { type: 'refuseSessionWaiters', params: ({ event }) => toErrorInfo(event.error) },
                    ],
                  },
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
    endingSession: {
      // A sign-out while a dead session is being cleared waits for that clear and reports it.
      on: duringSignOutStoreStep(),
      invoke: {
        src: 'clearSession',
        onDone: [
          // A signOut() of a hosted-UI session is waiting on this clear: its cookie is left to end, as after signingOut.
          { guard: 'isSignOutAtHostedUiLeft', target: 'recordingHostedUiSignOut', actions: [{ type: 'recordSignOut', params: COMPLETE }, 'forgetSession', { type: 'tellTabs', params: 'signedOut' }] },
          {
            guard: 'isSignOutOfHostedUi',
            target: 'signedOut',
            actions: [{ type: 'recordSignOut', params: COMPLETE }, 'forgetSession', { type: 'tellTabs', params: 'signedOut' }, ...hostedUiSignOutEnded(() => hostedUiErrors.notConfigured())],
          },
          { target: 'signedOut', actions: ['forgetSession', { type: 'tellTabs', params: 'signedOut' }, 'announceSessionCleared', { type: 'answerSignOutWaiters', params: COMPLETE }] },
        ],
        onError: {
          target: 'revokedButStored',
          actions: [
            { type: 'announceStorageError', params: errorOfEvent },
            { type: 'answerSignOutWaiters', params: ({ event }) => ({ type: 'failed', error: toErrorInfo(event.error), tokensRevoked: true }) as SignOutOutcome },
          ],
        },
      },
      after: {
        clearDeadline: {
          target: 'revokedButStored',
          actions: [
            { type: 'announceStorageError', params: () => STORAGE_SILENT },
            { type: 'answerSignOutWaiters', params: { type: 'failed', error: STORAGE_SILENT, tokensRevoked: true } as SignOutOutcome },
          ],
        },
      },
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
        input: ({ context }) => {
          return {
            global: context.signOutGlobal,
            revocable: context.session?.revocable ?? false,
            globalCapable: true, // read from the tokens when the intent is recorded
            source: { kind: 'session' as const },
            queueing: context.queueing,
            networkTimeoutMs: context.networkTimeoutMs,
            storageTimeoutMs: context.storageTimeoutMs,
          };
        },
        onDone: [
          // The device is cleared; a hosted-UI session still has its cookie at the hosted UI.
          {
            guard: { type: 'canOpenLogout', params: ({ event }) => event.output },
            target: 'recordingHostedUiSignOut',
            actions: [{ type: 'recordSignOut', params: ({ event }) => event.output }, 'forgetSession', 'tellOutboxIntentsQueued', { type: 'tellTabs', params: 'signedOut' }],
          },
          // No `oauth` here to build /logout from: the result says the cookie may live.
          {
            guard: { type: 'endsAtHostedUi', params: ({ event }) => event.output },
            target: 'signedOut',
            actions: [
              { type: 'recordSignOut', params: ({ event }) => event.output },
              'forgetSession',
              'tellOutboxIntentsQueued',
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
          { guard: { type: 'isLogoutNavigating', params: ({ event }) => event.output }, target: 'signedOut', actions: 'answerSignOutRedirecting' },
          { guard: { type: 'isLogoutReturned', params: ({ event }) => event.output }, target: 'signedOut', actions: signOutFinished(({ context }) => context.lastSignOut ?? COMPLETE) },
          { target: 'signedOut', actions: hostedUiSignOutEnded(({ context }) => hostedUiErrors.cancelled(logoutUrlOf(context))) },
        ],
        onError: { target: 'signedOut', actions: hostedUiSignOutEnded(({ context, event }) => hostedUiErrors.notOpened(logoutUrlOf(context), toErrorInfo(event.error).message)) },
      },
    },
  },
});

const logoutUrlOf = (context: AuthContext): string => context.hostedUiSignOut?.logoutUrl ?? '';

/** The session came from the hosted UI (as the store recorded it): its `cognito` cookie is a layer to end. */
function isHostedUiSession(context: AuthContext): boolean {
  return context.session?.signedInWith === 'hostedUi';
}

type OutcomeOf = (args: { context: AuthContext; event: { type: string; error?: unknown } }) => SignOutOutcome;

const signOutOfReturn = (outcome: RedirectOutcome): SignOutOutcome => (outcome.kind === 'signedOut' ? outcome.outcome : COMPLETE);

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

/** A refusal of the call being handled, with the typed error REFUSALS names (static, so docs/calls.md can read it). */
/** A refreshed session, this tab's or another's: remember it, announce it, and answer the waiting getSession() calls. */
function adoptRefreshed() {
  return [
    { type: 'rememberSession' as const, params: ({ event }: { event: { output: SessionSummary | null } }) => event.output },
    { type: 'announceTokenRefreshed' as const, params: ({ event }: { event: { output: SessionSummary | null } }) => event.output! },
    'deferSessionWaiters' as const,
  ];
}

function refuse(refusal: Refusal) {
  return { type: 'refuse' as const, params: { refusal } };
}

/** While a sign-in step runs: another step is refused; getSession() and signOut() wait for it. */
function duringSignInStep() {
  return {
    SIGN_IN: { actions: refuse('signInInProgress') },
    SIGN_IN_WITH_REDIRECT: { actions: refuse('signInInProgress') },
    CONFIRM_SIGN_IN: { actions: refuse('signInInProgress') },
    GET_SESSION: { actions: 'defer' as const },
    SIGN_OUT: { actions: 'defer' as const },
    HANDLE_REDIRECT: { actions: 'defer' as const },
    // The tokens this step is getting may be older than that global sign-out.
    GLOBAL_SIGN_OUT_LANDED: { actions: 'doubtSession' as const },
  };
}

/** While the store is read or cleared for a sign-out: signIn() and getSession() wait for it; signOut() joins it. */
function duringSignOutStoreStep() {
  return {
    SIGN_IN: { actions: 'defer' as const },
    SIGN_IN_WITH_REDIRECT: { actions: 'defer' as const },
    HANDLE_REDIRECT: { actions: 'defer' as const },
    CONFIRM_SIGN_IN: { actions: refuse('noPendingChallenge') },
    GET_SESSION: { actions: 'defer' as const },
    SIGN_OUT: { actions: 'joinSignOut' as const },
  };
}

/** A challenge waits for confirmSignIn(); signIn() starts over; signOut() cancels it for good. */
function awaitingChallenge() {
  return {
    entry: 'replayDeferred' as const,
    on: {
      CONFIRM_SIGN_IN: 'answeringChallenge',
      SIGN_IN: { target: 'signingIn', actions: 'cancelChallenge' as const },
      SIGN_IN_WITH_REDIRECT: { target: 'openingHostedUi', actions: 'cancelChallenge' as const },
      HANDLE_REDIRECT: { actions: 'answerNoRedirect' as const },
      GET_SESSION: { actions: 'answerSession' as const },
      SIGN_OUT: {
        target: 'signedOut',
        actions: ['cancelChallenge' as const, { type: 'answer' as const, params: ({ event }: { event: AuthEvent }) => ({ id: (event as SessionCall).id, answer: { kind: 'signOut' as const, outcome: COMPLETE } }) }],
      },
    },
  };
}

/** Where a sign-in step leads: a challenge to await, or signed in. Either way its caller hears. */
function nextSignInStep() {
  const output = ({ event }: { event: { output: SignInStepOutput } }) => event.output;
  return [
    ...(Object.entries(awaiting) as Array<[ChallengeName, string]>).map(([name, target]) => ({
      guard: { type: 'isChallenge' as const, params: ({ event }: { event: { output: SignInStepOutput } }) => ({ step: event.output, name }) },
      target,
      actions: [{ type: 'rememberChallenge' as const, params: output }, { type: 'announceChallenge' as const, params: output }, { type: 'answerSignInStep' as const, params: output }],
    })),
    {
      target: 'signedIn',
      actions: [
        { type: 'rememberSession' as const, params: ({ event }: { event: { output: SignInStepOutput } }) => (event.output as { session: SessionSummary }).session },
        { type: 'announceSignedIn' as const, params: ({ event }: { event: { output: SignInStepOutput } }) => (event.output as { session: SessionSummary }).session },
        { type: 'tellTabs' as const, params: 'signedIn' as const },
        { type: 'answerSignInStep' as const, params: output },
      ],
    },
  ];
}

function signInFailed(error: (args: { event: { error?: unknown } }) => unknown = errorOfEvent as (args: { event: { error?: unknown } }) => unknown) {
  return [
    { type: 'recordSignInError' as const, params: error },
    { type: 'announceSignInFailed' as const, params: error },
    { type: 'answerSignInError' as const, params: error },
  ];
}

/** A hosted-UI sign-in that did not end signed in: its caller hears why, and the app's listeners too. */
function redirectSignInFailed(error: (args: { event: { error?: unknown } }) => unknown = errorOfEvent as (args: { event: { error?: unknown } }) => unknown) {
  return [...signInFailed(error), { type: 'announceRedirectSignInFailed' as const, params: error }];
}

function signOutSettled() {
  const outcome = ({ event }: { event: { output: SignOutOutcome } }) => event.output;
  return [{ type: 'recordSignOut' as const, params: outcome }, { type: 'answerSignOutWaiters' as const, params: outcome }, 'tellOutboxIntentsQueued' as const];
}

export { ErrorNames };
