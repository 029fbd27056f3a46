import { assign, emit, fromPromise, setup } from 'xstate';
import { signOutMachine } from './signOutMachine.js';
import { notProvided } from './notProvided.js';
import { endsSession, errorOfEvent, toErrorInfo } from './errorInfo.js';
import type { SessionSummary, SignOutOutcome } from './types.js';
import type { AnswerInput, AuthContext, AuthEmitted, AuthEvent, ChallengeName, ChallengeSummary, SignInInput, SignInStepOutput } from './authTypes.js';

export type { AnswerInput, AuthContext, AuthEmitted, AuthEvent, ChallengeName, ChallengeSummary, SignInInput, SignInStepOutput } from './authTypes.js';

/**
 * The whole session lifecycle:
 *
 *   loadingSession ─► signedOut ─SIGN_IN─► signingIn ─┬──────────────────────────► signedIn.active ⇄ signedIn.refreshing
 *                        ▲                            └► awaiting{NewPassword,TotpCode,SmsCode}       │            │ refresh refused
 *                        │                               ─CONFIRM_SIGN_IN─► answeringChallenge ─┘       │            ▼
 *                        └──────────────── signingOut (child: signOutMachine) ◄─SIGN_OUT──────┘      endingSession
 *
 * No secret passes through here: SIGN_IN and CONFIRM_SIGN_IN carry vault references, a challenge
 * carries a reference to Cognito's Session, and the session itself is a SessionSummary.
 */

const awaiting: Record<ChallengeName, string> = {
  NEW_PASSWORD_REQUIRED: 'awaitingNewPassword',
  SOFTWARE_TOKEN_MFA: 'awaitingTotpCode',
  SMS_MFA: 'awaitingSmsCode',
};

export const authMachine = setup({
  types: {
    input: {} as { networkTimeoutMs: number },
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
    /** REFRESH_TOKEN_AUTH; saves the new tokens unless aborted. */
    refreshTokens: fromPromise<SessionSummary, { username: string }>(notProvided('refreshTokens')),
    /** Removes the session from the store (used when Cognito ended it). */
    clearSession: fromPromise<void>(notProvided('clearSession')),
    signOut: signOutMachine,
  },
  guards: {
    hasSession: (_, session: SessionSummary | null) => session !== null,
    isChallenge: (_, params: { step: SignInStepOutput; name: ChallengeName }) => params.step.kind === 'challenge' && params.step.challenge.name === params.name,
    /** The answer to the open `name` challenge was a wrong code: the challenge stays open. */
    isWrongCodeFor: ({ context }, params: { error: unknown; name: ChallengeName }) =>
      context.challenge?.name === params.name && toErrorInfo(params.error).name === 'CodeMismatchException',
    isSessionOver: (_, error: unknown) => endsSession(toErrorInfo(error).name),
    isSignedOutLocally: (_, outcome: SignOutOutcome) => outcome.type !== 'failed',
  },
  actions: {
    rememberSession: assign((_, session: SessionSummary | null) => ({ session, challenge: null })),
    rememberChallenge: assign((_, step: SignInStepOutput) => ({ challenge: step.kind === 'challenge' ? step.challenge : null })),
    forgetSession: assign({ session: null, challenge: null }),
    recordSignOut: assign((_, outcome: SignOutOutcome) => ({ lastSignOut: outcome })),
    recordSignInError: assign((_, error: unknown) => ({ lastSignInError: toErrorInfo(error) })),
    recordRefreshError: assign((_, error: unknown) => ({ lastRefreshError: toErrorInfo(error) })),
    startSignIn: assign({ lastSignInError: null, challenge: null }),
    announceSignedIn: emit((_, session: SessionSummary) => ({ type: 'signedIn' as const, username: session.username })),
    announceSignInFailed: emit((_, error: unknown) => ({ type: 'signInFailed' as const, error: toErrorInfo(error) })),
    announceChallenge: emit((_, step: SignInStepOutput) => ({ type: 'challengeRequired' as const, challenge: (step as { challenge: ChallengeSummary }).challenge })),
    announceAnswerRejected: emit((_, error: unknown) => ({ type: 'challengeAnswerRejected' as const, error: toErrorInfo(error) })),
    announceTokenRefreshed: emit((_, session: SessionSummary) => ({ type: 'tokenRefreshed' as const, username: session.username })),
    announceTokenRefreshFailed: emit((_, error: unknown) => ({ type: 'tokenRefreshFailed' as const, error: toErrorInfo(error) })),
    announceSessionEnded: emit(({ context }) => ({ type: 'sessionEnded' as const, error: context.lastRefreshError ?? { name: 'NotAuthorizedException', message: 'The session ended' } })),
    announceSignedOut: emit((_, outcome: SignOutOutcome) => ({ type: 'signedOut' as const, outcome })),
    announceSignOutFailed: emit((_, outcome: SignOutOutcome) => ({ type: 'signOutFailed' as const, outcome })),
    announceStorageError: emit((_, error: unknown) => ({ type: 'storageError' as const, error: toErrorInfo(error) })),
  },
}).createMachine({
  id: 'auth',
  context: ({ input }) => ({ session: null, challenge: null, lastSignOut: null, lastSignInError: null, lastRefreshError: null, networkTimeoutMs: input.networkTimeoutMs }),
  initial: 'loadingSession',
  states: {
    loadingSession: {
      invoke: {
        src: 'loadSession',
        onDone: [
          { guard: { type: 'hasSession', params: ({ event }) => event.output }, target: 'signedIn', actions: { type: 'rememberSession', params: ({ event }) => event.output } },
          { target: 'signedOut' },
        ],
        // Unreadable storage or a corrupt session (already removed): start signed out, and say why.
        onError: { target: 'signedOut', actions: { type: 'announceStorageError', params: errorOfEvent } },
      },
    },
    signedOut: {
      on: { SIGN_IN: 'signingIn' },
    },
    signingIn: {
      entry: 'startSignIn',
      invoke: {
        src: 'signIn',
        input: ({ event }) => {
          const { username, authFlow, credential } = event as Extract<AuthEvent, { type: 'SIGN_IN' }>;
          return { username, authFlow, credential };
        },
        onDone: nextSignInStep(),
        onError: { target: 'signedOut', actions: signInFailed() },
      },
    },
    awaitingNewPassword: { on: { CONFIRM_SIGN_IN: 'answeringChallenge', SIGN_IN: 'signingIn', SIGN_OUT: { target: 'signedOut', actions: 'forgetSession' } } },
    awaitingTotpCode: { on: { CONFIRM_SIGN_IN: 'answeringChallenge', SIGN_IN: 'signingIn', SIGN_OUT: { target: 'signedOut', actions: 'forgetSession' } } },
    awaitingSmsCode: { on: { CONFIRM_SIGN_IN: 'answeringChallenge', SIGN_IN: 'signingIn', SIGN_OUT: { target: 'signedOut', actions: 'forgetSession' } } },
    answeringChallenge: {
      invoke: {
        src: 'answerChallenge',
        input: ({ context, event }) => {
          const { credential, userAttributes } = event as Extract<AuthEvent, { type: 'CONFIRM_SIGN_IN' }>;
          return { challenge: context.challenge!, credential, userAttributes };
        },
        onDone: nextSignInStep(),
        onError: [
          // A wrong code: the same challenge stays open for another attempt.
          ...(Object.entries(awaiting) as Array<[ChallengeName, string]>).map(([name, target]) => ({
            guard: { type: 'isWrongCodeFor' as const, params: ({ event }: { event: { error: unknown } }) => ({ error: event.error, name }) },
            target,
            actions: { type: 'announceAnswerRejected' as const, params: errorOfEvent },
          })),
          { target: 'signedOut', actions: signInFailed() },
        ],
      },
    },
    signedIn: {
      initial: 'active',
      on: { SIGN_OUT: 'signingOut' },
      states: {
        active: { on: { REFRESH: 'refreshing' } },
        refreshing: {
          invoke: {
            src: 'refreshTokens',
            input: ({ context }) => ({ username: context.session?.username ?? '' }),
            onDone: {
              target: 'active',
              actions: [
                { type: 'rememberSession', params: ({ event }) => event.output },
                { type: 'announceTokenRefreshed', params: ({ event }) => event.output },
              ],
            },
            onError: [
              {
                guard: { type: 'isSessionOver', params: errorOfEvent },
                target: '#auth.endingSession',
                actions: [{ type: 'recordRefreshError', params: errorOfEvent }, { type: 'announceTokenRefreshFailed', params: errorOfEvent }],
              },
              // Offline or throttled: keep the tokens; never sign a user out for being offline.
              { target: 'active', actions: [{ type: 'recordRefreshError', params: errorOfEvent }, { type: 'announceTokenRefreshFailed', params: errorOfEvent }] },
            ],
          },
        },
      },
    },
    endingSession: {
      invoke: {
        src: 'clearSession',
        onDone: { target: 'signedOut', actions: ['forgetSession', 'announceSessionEnded'] },
        onError: 'signedIn',
      },
    },
    signingOut: {
      invoke: {
        id: 'signOut',
        src: 'signOut',
        input: ({ context, event }) => ({
          global: (event as Extract<AuthEvent, { type: 'SIGN_OUT' }>).global,
          revocable: context.session?.revocable ?? false,
          networkTimeoutMs: context.networkTimeoutMs,
        }),
        onDone: [
          {
            guard: { type: 'isSignedOutLocally', params: ({ event }) => event.output },
            target: 'signedOut',
            actions: [
              { type: 'recordSignOut', params: ({ event }) => event.output },
              'forgetSession',
              { type: 'announceSignedOut', params: ({ event }) => event.output },
            ],
          },
          {
            target: 'signedIn',
            actions: [
              { type: 'recordSignOut', params: ({ event }) => event.output },
              { type: 'announceSignOutFailed', params: ({ event }) => event.output },
            ],
          },
        ],
      },
    },
  },
});

/** Where a sign-in step leads: a challenge to await, or signed in. */
function nextSignInStep() {
  const output = ({ event }: { event: { output: SignInStepOutput } }) => event.output;
  return [
    ...(Object.entries(awaiting) as Array<[ChallengeName, string]>).map(([name, target]) => ({
      guard: { type: 'isChallenge' as const, params: ({ event }: { event: { output: SignInStepOutput } }) => ({ step: event.output, name }) },
      target,
      actions: [{ type: 'rememberChallenge' as const, params: output }, { type: 'announceChallenge' as const, params: output }],
    })),
    {
      target: 'signedIn',
      actions: [
        { type: 'rememberSession' as const, params: ({ event }: { event: { output: SignInStepOutput } }) => (event.output as { session: SessionSummary }).session },
        { type: 'announceSignedIn' as const, params: ({ event }: { event: { output: SignInStepOutput } }) => (event.output as { session: SessionSummary }).session },
      ],
    },
  ];
}

function signInFailed() {
  return [
    { type: 'recordSignInError' as const, params: errorOfEvent },
    { type: 'announceSignInFailed' as const, params: errorOfEvent },
  ];
}
