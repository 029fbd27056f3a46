import { assign, emit, fromPromise, setup } from 'xstate';
import { signOutMachine } from './signOutMachine.js';
import { notProvided } from './notProvided.js';
import type { ErrorInfo, SessionSummary, SignOutOutcome } from './types.js';
import { errorOfEvent, toErrorInfo } from './errorInfo.js';

/**
 * The session as a whole: restored from storage, signed in, signed out.
 *
 *   loadingSession ─► signedOut ─SIGN_IN─► signingIn ─► signedIn ─SIGN_OUT─► signingOut ─► signedOut
 *                                              └─(error)─► signedOut           (child: signOutMachine)
 *
 * A failed sign-out (the store could not be cleared) returns to signedIn: the tokens are still there.
 */
export interface SignInInput {
  readonly username: string;
  readonly authFlow: 'USER_PASSWORD_AUTH';
  /** An opaque reference to the password in the secret vault; never the password itself. */
  readonly credential: string;
}

export interface AuthContext {
  readonly session: SessionSummary | null;
  /** How the last sign-out ended (names and messages only; retry tokens go to the caller). */
  readonly lastSignOut: SignOutOutcome | null;
  readonly lastSignInError: ErrorInfo | null;
  readonly networkTimeoutMs: number;
}

export type AuthEvent =
  | ({ type: 'SIGN_IN' } & SignInInput)
  | { type: 'SIGN_OUT'; global: boolean };

/** What the machine announces (actor.on(type, …)); the public API resolves its promises on them. */
export type AuthEmitted =
  | { type: 'signedIn'; username: string }
  | { type: 'signInFailed'; error: ErrorInfo }
  | { type: 'signedOut'; outcome: SignOutOutcome }
  | { type: 'signOutFailed'; outcome: SignOutOutcome };

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
    /** InitiateAuth, then saves the tokens; resolves with what the machine may know of them. */
    signIn: fromPromise<SessionSummary, SignInInput>(notProvided('signIn')),
    signOut: signOutMachine,
  },
  guards: {
    hasSession: (_, session: SessionSummary | null) => session !== null,
    isSignedOutLocally: (_, outcome: SignOutOutcome) => outcome.type !== 'failed',
  },
  actions: {
    rememberSession: assign((_, session: SessionSummary | null) => ({ session })),
    forgetSession: assign({ session: null }),
    recordSignOut: assign((_, outcome: SignOutOutcome) => ({ lastSignOut: outcome })),
    recordSignInError: assign((_, error: unknown) => ({ lastSignInError: toErrorInfo(error) })),
    clearSignInError: assign({ lastSignInError: null }),
    announceSignedIn: emit((_, session: SessionSummary) => ({ type: 'signedIn' as const, username: session.username })),
    announceSignInFailed: emit((_, error: unknown) => ({ type: 'signInFailed' as const, error: toErrorInfo(error) })),
    announceSignedOut: emit((_, outcome: SignOutOutcome) => ({ type: 'signedOut' as const, outcome })),
    announceSignOutFailed: emit((_, outcome: SignOutOutcome) => ({ type: 'signOutFailed' as const, outcome })),
  },
}).createMachine({
  id: 'auth',
  context: ({ input }) => ({ session: null, lastSignOut: null, lastSignInError: null, networkTimeoutMs: input.networkTimeoutMs }),
  initial: 'loadingSession',
  states: {
    loadingSession: {
      invoke: {
        src: 'loadSession',
        onDone: [
          {
            guard: { type: 'hasSession', params: ({ event }) => event.output },
            target: 'signedIn',
            actions: { type: 'rememberSession', params: ({ event }) => event.output },
          },
          { target: 'signedOut' },
        ],
        onError: 'signedOut',
      },
    },
    signedOut: {
      on: { SIGN_IN: 'signingIn' },
    },
    signingIn: {
      entry: 'clearSignInError',
      invoke: {
        src: 'signIn',
        input: ({ event }) => {
          const { username, authFlow, credential } = event as Extract<AuthEvent, { type: 'SIGN_IN' }>;
          return { username, authFlow, credential };
        },
        onDone: {
          target: 'signedIn',
          actions: [
            { type: 'rememberSession', params: ({ event }) => event.output },
            { type: 'announceSignedIn', params: ({ event }) => event.output },
          ],
        },
        onError: {
          target: 'signedOut',
          actions: [
            { type: 'recordSignInError', params: errorOfEvent },
            { type: 'announceSignInFailed', params: errorOfEvent },
          ],
        },
      },
    },
    signedIn: {
      on: { SIGN_OUT: 'signingOut' },
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

