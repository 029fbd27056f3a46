import { assertEvent } from 'xstate';
import { errorOfEvent } from '../errorInfo.js';
import { ErrorNames } from '../types.js';
import { REFUSALS } from '../refusals.js';
import { authStates, refuse } from './setup.js';
import { answerOfFailure, answerOfStep, COMPLETE, oauthRefusalOf, refusedWith, REFUSED_CANCELLED, returnedUrlOf, sessionOfReturn, sessionOfStep, signOutOfReturn, STEP_TIMED_OUT, unstoredTokensRefOf } from './shared.js';
import type { ChallengeSummary, RedirectOutcome, RedirectSignInInput, SignInInput, SignInStepOutput } from './signInTypes.js';
import type { AuthContext } from './types.js';

/**
 * The sign-in region: a password sign-in with its challenges, and the hosted UI's round trip.
 *
 *   signedOut ─SIGN_IN / SIGN_IN_WITH_REDIRECT─► finishingGlobalSignOut (the outbox sends queued global sign-outs; one left ─► signedOut, refused)
 *                          ├─ none left, redirect asked ─► openingHostedUi
 *                          └─ none left ─► signingIn ─┬─ a challenge (CHALLENGES) ─► awaitingChallengeAnswer ─CONFIRM_SIGN_IN─► answeringChallenge ─┐
 *                                                   │                                  ▲ wrong answer: still open ◄──────────────────────────┤
 *                                                   │                                  └──────────────── the next challenge ◄─────────────────┤
 *                                                   └─ signed in ─► signedIn ◄──────────────────────────────────────────── signed in ◄────────┘
 *                                     openingHostedUi ─┬─ navigating ─► signedOut (handleRedirect() on the return)
 *                                                      └─ returned ──────┐
 *   signedOut ─HANDLE_REDIRECT─────────────────────────► completingRedirect ─┬─ a code exchanged ─► signedIn
 *                                                                            ├─ back from /logout ─► signedOut (that sign-out's result)
 *                                                                            ├─ an OAuth error ─► signedOut (declined: cancelled; else OAuthError)
 *                                                                            └─ no return of ours ─► signedOut
 *   awaitingChallengeAnswer ─CONFIRM_SIGN_IN at or past the challenge's deadline (isChallengeExpired) ─► signedOut (SignInSessionExpired, nothing sent)
 *   loadingSession ─ no session, a challenge stored by another instance (durableChallenges) ─► awaitingChallengeAnswer
 *   every failure, and every stepDeadline ─► signedOut (the caller hears why; an unconfirmed user or one who must reset: the step to take, answerOfFailure)
 *   a failure whose tokens the store took back (leftTokensUnstored) ─► revokingUnstored (the sign-out chart revokes them) ─► signedOut (then the caller hears why)
 *
 * Why one state for every challenge: a challenge is data (`context.challenge`, named by Cognito),
 * not a place in the chart. Every challenge is answered the same way, so `awaitingChallengeAnswer`
 * is keyed by `context.challenge.name` (and, for a choice or a setup, its stage: mfaTypes, setup)
 * and a new challenge is a row of CHALLENGES, not a state (USER_AUTH's SELECT_CHALLENGE and SMS_OTP
 * are rows; signingIn starts USER_AUTH as it starts SRP, its round trips in the sign-in flow).
 * A step that runs (signingIn, answeringChallenge, completingRedirect) has one stepDeadline for all
 * its round trips and its write: leaving aborts it, and its tokens are then never stored. The
 * hosted UI has no deadline: the user takes the time they need there. Calls this region answers:
 * a second step is refused, getSession() and signOut() wait for the step (deferred).
 */

const output = ({ event }: { event: { output: SignInStepOutput } }) => event.output;

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

/** Where a sign-in step leads: a challenge to await, or signed in. Either way its caller hears. */
function nextSignInStep() {
  const session = ({ event }: { event: { output: SignInStepOutput } }) => sessionOfStep(event.output);
  const answer = ({ event }: { event: { output: SignInStepOutput } }) => answerOfStep(event.output);
  return [
    {
      guard: { type: 'isChallenge' as const, params: output },
      target: 'awaitingChallengeAnswer',
      actions: [{ type: 'rememberChallenge' as const, params: output }, { type: 'announceChallenge' as const, params: output }, { type: 'answerSignInCaller' as const, params: answer }],
    },
    {
      target: 'signedIn',
      actions: [
        { type: 'rememberSession' as const, params: session },
        { type: 'announceSignedIn' as const, params: session },
        { type: 'tellTabs' as const, params: 'signedIn' as const },
        { type: 'answerSignInCaller' as const, params: answer },
      ],
    },
  ];
}

/** A sign-in step failed (`error` reads why from the event): recorded and announced. */
function signInFailureKnown<A>(error: (args: A) => unknown) {
  return [
    { type: 'recordSignInError' as const, params: error },
    { type: 'announceSignInFailed' as const, params: error },
  ];
}

/** …and its caller answered. */
function signInFailed<A>(error: (args: A) => unknown) {
  return [...signInFailureKnown(error), { type: 'answerSignInCaller' as const, params: (args: A) => answerOfFailure(error(args)) }];
}

/**
 * The step failed after the store took its tokens back, and their refresh token is live at Cognito
 * (leftTokensUnstored): the failure is recorded and announced now, its caller answered once
 * revokingUnstored has revoked them (`actions` add what the step's own failure does).
 */
function unstoredTokensLeft<T>(...actions: T[]) {
  return { guard: { type: 'leftTokensUnstored' as const, params: errorOfEvent }, target: 'revokingUnstored', actions: [...signInFailureKnown(errorOfEvent), ...actions] };
}

/** A hosted-UI sign-in that did not end signed in: its caller hears why, and the app's listeners too. */
function redirectSignInFailed<A>(error: (args: A) => unknown) {
  return [...signInFailed(error), { type: 'announceRedirectSignInFailed' as const, params: error }];
}

/**
 * What a state is only ever entered with (a fault of ours otherwise, never a request sent with
 * made-up values): the challenge answeringChallenge answers, the sign-in finishingGlobalSignOut kept.
 */
function kept<T>(value: T | null | undefined, state: string): T {
  if (value == null) throw new TypeError(`${state} was entered without what it runs on`);
  return value;
}
const openChallenge = (context: AuthContext): ChallengeSummary => kept(context.challenge, 'answeringChallenge');
/** signIn()'s request, or signInWithRedirect()'s options: whichever finishingGlobalSignOut kept. */
const askedPassword = ({ signInRequest: asked }: AuthContext): SignInInput => kept(asked && !('redirect' in asked) ? asked : null, 'signingIn');
const askedRedirect = ({ signInRequest: asked }: AuthContext): RedirectSignInInput => kept(asked && 'redirect' in asked ? asked.redirect : null, 'openingHostedUi');

/** The sign-in refused: a global sign-out queued on this storage may still land and would end the session it makes. */
const GLOBAL_SIGN_OUT_PENDING = () => REFUSALS.globalSignOutPending;

export const signInStates = authStates({
  // KB6: a global sign-out still queued here (its GlobalSignOut unanswered) could land after the
  // sign-in and end the new session. The outbox sends the queued global intents first; a
  // GlobalSignOut that succeeded, or that Cognito refused because its token is dead, can end
  // nothing issued later (Cognito authenticates a request when it acts on it). One left queued:
  // the sign-in is refused, retryable, and InitiateAuth is never sent (the hosted UI never opened).
  // The code exchange on the hosted UI's return does not drain again: this drain, before the visit,
  // did (what another tab queues during the visit: docs/hosted-ui.md).
  finishingGlobalSignOut: {
    entry: ['startSignIn', 'tellOutboxFinishGlobal'],
    on: {
      ...duringSignInStep(),
      // Landed before InitiateAuth: the session this sign-in makes is newer, so it cannot end it.
      GLOBAL_SIGN_OUT_LANDED: {},
      GLOBAL_SIGN_OUTS_FINISHED: [
        { guard: { type: 'globalSignOutPending', params: ({ event }) => event.pending }, target: 'signedOut', actions: signInFailed(GLOBAL_SIGN_OUT_PENDING) },
        { guard: 'redirectAsked', target: 'openingHostedUi' },
        { target: 'signingIn' },
      ],
    },
    // No deadline of its own: the outbox answers within its bound (a retrySignOut() running first
    // ends within its flow's; the drain by networkTimeoutMs + 2 × storageTimeoutMs, and a drain it
    // cut short answers null, which refuses).
  },
  signingIn: {
    entry: 'startSignIn',
    on: duringSignInStep(),
    invoke: {
      src: 'signIn',
      input: ({ context }) => askedPassword(context),
      onDone: nextSignInStep(),
      onError: [unstoredTokensLeft(), { target: 'signedOut', actions: signInFailed(errorOfEvent) }],
    },
    // Leaving aborts the step: its tokens are then never stored.
    after: { stepDeadline: { target: 'signedOut', actions: signInFailed(() => STEP_TIMED_OUT) } },
  },
  // Every challenge waits here for confirmSignIn(); `context.challenge.name` says which one.
  // signIn() starts over; signOut() cancels the challenge for good.
  // With durableChallenges the challenge is also stored (Cognito's Session in storage only), so an
  // instance that loads over that storage rests here too and answers it (isChallengeStored).
  awaitingChallengeAnswer: {
    entry: 'replayDeferred',
    on: {
      CONFIRM_SIGN_IN: [
        // Past its deadline Cognito would refuse the session ("Invalid session"): nothing is sent, the challenge is dropped.
        { guard: { type: 'isChallengeExpired', params: ({ event }) => event.at }, target: 'signedOut', actions: ['cancelChallenge', refuse('signInSessionExpired')] },
        { target: 'answeringChallenge' },
      ],
      SIGN_IN: { target: 'finishingGlobalSignOut', actions: 'cancelChallenge' },
      SIGN_IN_WITH_REDIRECT: { target: 'finishingGlobalSignOut', actions: 'cancelChallenge' },
      HANDLE_REDIRECT: { actions: 'answerNoRedirect' },
      GET_SESSION: { actions: 'answerSession' },
      SIGN_OUT: {
        target: 'signedOut',
        actions: ['cancelChallenge', { type: 'answer', params: ({ event }) => ({ id: event.id, answer: { kind: 'signOut', outcome: COMPLETE } }) }],
      },
    },
  },
  answeringChallenge: {
    entry: 'startSignIn',
    on: duringSignInStep(),
    invoke: {
      src: 'answerChallenge',
      input: ({ context, event }) => {
        assertEvent(event, 'CONFIRM_SIGN_IN');
        return { ...event, challenge: openChallenge(context) };
      },
      onDone: nextSignInStep(),
      onError: [
        // A wrong code, or an answer of the wrong kind (nothing sent): the same challenge stays open for another attempt.
        {
          guard: { type: 'isWrongAnswer', params: errorOfEvent },
          target: 'awaitingChallengeAnswer',
          actions: [{ type: 'announceAnswerRejected', params: errorOfEvent }, { type: 'answerSignInCaller', params: ({ event }) => refusedWith(event.error) }],
        },
        // Any other failure ends the challenge for good (cancelChallenge: its stored record goes too).
        unstoredTokensLeft('cancelChallenge' as const, 'forgetSession' as const),
        { target: 'signedOut', actions: [...signInFailed(errorOfEvent), 'cancelChallenge', 'forgetSession'] },
      ],
    },
    after: { stepDeadline: { target: 'signedOut', actions: [...signInFailed(() => STEP_TIMED_OUT), 'cancelChallenge', 'forgetSession'] } },
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
      input: ({ context }) => askedRedirect(context),
      onDone: [
        // The page goes away; handleRedirect() on its return finishes the sign-in.
        { guard: { type: 'isNavigating', params: ({ event }) => event.output }, target: 'signedOut', actions: { type: 'answerSignInCaller', params: { kind: 'redirecting' } } },
        { guard: { type: 'isReturned', params: ({ event }) => event.output }, target: 'completingRedirect', actions: { type: 'rememberRedirectUrl', params: ({ event }) => returnedUrlOf(event.output) } },
        { target: 'signedOut', actions: redirectSignInFailed(() => REFUSED_CANCELLED) },
      ],
      onError: { target: 'signedOut', actions: redirectSignInFailed(errorOfEvent) },
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
            { type: 'rememberSession', params: ({ event }) => sessionOfReturn(event.output) },
            { type: 'announceSignedIn', params: ({ event }) => sessionOfReturn(event.output) },
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
        // An OAuth error instead of a code: a user who declined (a cancel) or a failure, as oauthRefusalOf decides.
        { guard: { type: 'isRedirectRefused', params: ({ event }) => event.output }, target: 'signedOut', actions: redirectSignInFailed(({ event }: { event: { output: RedirectOutcome } }) => oauthRefusalOf(event.output)) },
        { target: 'signedOut', actions: { type: 'answerSignInCaller', params: { kind: 'noRedirect' } } },
      ],
      onError: [unstoredTokensLeft({ type: 'announceRedirectSignInFailed' as const, params: errorOfEvent }), { target: 'signedOut', actions: redirectSignInFailed(errorOfEvent) }],
    },
    // Leaving aborts the exchange: its tokens are then never stored.
    after: { stepDeadline: { target: 'signedOut', actions: redirectSignInFailed(() => STEP_TIMED_OUT) } },
  },
  // A step's tokens the store took back are live at Cognito: the sign-out chart records the intent,
  // revokes the refresh token within its bound and settles it (settlementOf), as for any sign-out;
  // then the step's caller hears its failure (already announced), and nobody is signed in.
  revokingUnstored: {
    on: duringSignInStep(),
    invoke: {
      src: 'signOut',
      input: ({ context, event }) => ({
        global: false,
        revocable: true,
        source: { kind: 'retry' as const, credential: unstoredTokensRefOf('error' in event ? event.error : null) ?? '' },
        queueing: context.queueing,
        networkTimeoutMs: context.networkTimeoutMs,
        storageTimeoutMs: context.storageTimeoutMs,
      }),
      onDone: { target: 'signedOut', actions: [{ type: 'tellOutboxIfQueued', params: ({ event }) => event.output }, { type: 'answerSignInCaller', params: ({ context }) => refusedWith(context.lastSignInError) }] },
    },
  },
});
