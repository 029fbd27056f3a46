/**
 * The password change: updatePassword() changes the signed-in user's password (ChangePassword) and,
 * with `signOutOtherSessions`, ends every other session of the user (the auth chart's sign-out with
 * `global`: GlobalSignOut) and signs this device in again with the new password (the auth chart's
 * sign-in), so that only this device stays signed in.
 *
 *   idle ──UPDATE_PASSWORD──▶ changingPassword ──changed, this device only──────────────────────────▶ idle
 *    ▲                            │  └─failed (nothing else done)─────────────────────────────────────▶ idle
 *    │                            └─changed, signOutOtherSessions──▶ signingOutEverywhere
 *    │                                                                 │  └─GlobalSignOut not done──▶ idle
 *    └──────────── signed in again, or not (the sign-in's error) ◀── signingInAgain ◀──everywhere──┘
 *
 * Why it is a chart:
 * - Each step is reported: the answer says which of the three happened (`passwordChanged`,
 *   `otherSessionsSignedOut`, `signedInAgain`) and the error of the first that did not.
 * - A failure midway has one result, decided here: ChangePassword refused → the call fails with
 *   Cognito's error, nothing else is done. GlobalSignOut not done (or the sign-out failed) → the
 *   password is changed, no sign-in follows: a GlobalSignOut the outbox finishes later would end a
 *   fresh session too, so this device stays signed out (the sign-out cleared it) and the app signs in
 *   when it chooses. The sign-in again refused or stopped at a challenge → `signedInAgain` false.
 *   A hosted-UI session's sign-out sends the page to /logout: GlobalSignOut is done, and no sign-in
 *   follows on a page that is leaving.
 * - The auth chart takes part only through its public calls (signOut, signIn): its own rules (one
 *   flow at a time, the outbox, the tabs' notice) hold for these steps as for the app's own.
 * - The new password is a vault receipt in the event and in the context: the secret waits in the
 *   vault between steps and is taken out only as a request is built.
 */
import { assign, assertEvent, emit, fromPromise, setup } from 'xstate';
import { notProvided } from '../notProvided.js';
import type { ErrorInfo } from '../types.js';
import { refused, toErrorInfo, type AccountRefusal, type Answered, type Asked, type Failed } from './shared.js';

/** updatePassword(); `oldPassword`, `newPassword` and `signInPassword` are vault receipts, never the secrets. */
export type UpdatePasswordEvent = Asked & {
  /** updatePassword(). */
  readonly type: 'UPDATE_PASSWORD';
  /** The receipt of the current password. */
  readonly oldPassword: string;
  /** The receipt of the new password, for ChangePassword. */
  readonly newPassword: string;
  /**
   * Only with `signOutOtherSessions`: a second receipt of the new password, for the sign-in again
   * (ChangePassword takes the first). Present: end the other sessions, then sign in again.
   */
  readonly signInPassword?: string;
};

/** What each step did. `error` is the first step's error that did not succeed, after ChangePassword. */
export interface UpdatePasswordAnswer {
  /** The flow's only answer besides a failure. */
  readonly kind: 'passwordUpdated';
  /** ChangePassword succeeded (it failing is a failure answer, not this). */
  readonly passwordChanged: true;
  /** GlobalSignOut was done, and this device cleared. */
  readonly otherSessionsSignedOut: boolean;
  /** The sign-in again with the new password signed this device in. */
  readonly signedInAgain: boolean;
  /** The sign-in again stopped at a challenge (MFA): its step, to answer with auth.confirmSignIn(). */
  readonly signInStep?: string;
  /** The error of the first step after ChangePassword that did not succeed. */
  readonly error?: ErrorInfo;
}

/** What the global sign-out reports (the sign-out result's facts, without its tokens). */
export interface EverywhereSignOut {
  readonly type: 'complete' | 'partial' | 'failed' | 'redirecting';
  /** GlobalSignOut was not done: why. */
  readonly globalSignOutError?: ErrorInfo;
  /** A failed sign-out's error (this device is not cleared). */
  readonly error?: ErrorInfo;
}

interface UpdatePasswordContext {
  /** The call the running step answers. */
  readonly caller: number;
  /** The signed-in user's username, read as the password changed: the sign-in again uses it. */
  readonly username: string;
  /** The receipt of the new password for the sign-in again. */
  readonly signInPassword: string;
}

const changedOnly = { kind: 'passwordUpdated', passwordChanged: true, otherSessionsSignedOut: false, signedInAgain: false } as const satisfies UpdatePasswordAnswer;

/** The password-change chart; its actors are provided by authchart/account (services/actors/account/updatePassword.ts). */
export const updatePasswordMachine = setup({
  types: {
    context: {} as UpdatePasswordContext,
    events: {} as UpdatePasswordEvent,
    emitted: {} as Answered<UpdatePasswordAnswer>,
  },
  actors: {
    /** ChangePassword with the signed-in user's access token; reports the user's username. */
    changePassword: fromPromise<{ readonly username: string }, { readonly oldPassword: string; readonly newPassword: string }>(notProvided('changePassword')),
    /** The auth chart's signOut({ global: true }): GlobalSignOut, and this device cleared. */
    signOutEverywhere: fromPromise<EverywhereSignOut, void>(notProvided('signOutEverywhere')),
    /** The auth chart's signIn() with the new password (a receipt). */
    signInAgain: fromPromise<{ readonly signedIn: boolean; readonly signInStep: string }, { readonly username: string; readonly password: string }>(notProvided('signInAgain')),
  },
  actions: {
    /** The running step's caller becomes this event's; the sign-in receipt is kept for the last step. */
    takeCaller: assign(({ event }) => ({ caller: event.id, username: '', signInPassword: event.signInPassword ?? '' })),
    /** Answers the running step's caller. */
    answer: emit(({ context }, answer: UpdatePasswordAnswer | Failed) => ({ type: 'answered' as const, id: context.caller, answer })),
    /** Refuses this event's call with one of ACCOUNT_REFUSALS. */
    refuse: emit(({ event }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: event.id, answer: refused(params.refusal) })),
  },
  guards: {
    /** The call asked for the other sessions to end. */
    signsOutOtherSessions: ({ context }) => context.signInPassword !== '',
    /** A hosted-UI session's sign-out: GlobalSignOut done, this device cleared, and the page on its way to /logout, where no sign-in can follow. */
    leavesForLogout: (_, output: EverywhereSignOut) => output.type === 'redirecting',
    /** GlobalSignOut was done (every session of the user ended), and this device was cleared. */
    endedEverywhere: (_, output: EverywhereSignOut) => output.type !== 'failed' && output.globalSignOutError === undefined,
  },
}).createMachine({
  id: 'updatePassword',
  context: { caller: 0, username: '', signInPassword: '' },
  initial: 'idle',
  states: {
    idle: {
      on: { UPDATE_PASSWORD: { target: 'changingPassword', actions: 'takeCaller' } },
    },
    changingPassword: {
      invoke: {
        src: 'changePassword',
        input: ({ event }) => (assertEvent(event, 'UPDATE_PASSWORD'), { oldPassword: event.oldPassword, newPassword: event.newPassword }),
        onDone: [
          { guard: 'signsOutOtherSessions', target: 'signingOutEverywhere', actions: assign({ username: ({ event }) => event.output.username }) },
          { target: 'idle', actions: { type: 'answer', params: changedOnly } },
        ],
        onError: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'failed' as const, error: toErrorInfo(event.error) }) } },
      },
      on: { UPDATE_PASSWORD: { actions: { type: 'refuse', params: { refusal: 'stepInProgress' } } } },
    },
    signingOutEverywhere: {
      invoke: {
        src: 'signOutEverywhere',
        onDone: [
          { guard: { type: 'leavesForLogout', params: ({ event }) => event.output }, target: 'idle', actions: { type: 'answer', params: { ...changedOnly, otherSessionsSignedOut: true } } },
          { guard: { type: 'endedEverywhere', params: ({ event }) => event.output }, target: 'signingInAgain' },
          { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ ...changedOnly, error: event.output.globalSignOutError ?? event.output.error ?? toErrorInfo(undefined) }) } },
        ],
        onError: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ ...changedOnly, error: toErrorInfo(event.error) }) } },
      },
      on: { UPDATE_PASSWORD: { actions: { type: 'refuse', params: { refusal: 'stepInProgress' } } } },
    },
    signingInAgain: {
      invoke: {
        src: 'signInAgain',
        input: ({ context }) => ({ username: context.username, password: context.signInPassword }),
        onDone: {
          target: 'idle',
          actions: {
            type: 'answer',
            params: ({ event }) => ({ ...changedOnly, otherSessionsSignedOut: true, signedInAgain: event.output.signedIn, ...(!event.output.signedIn && { signInStep: event.output.signInStep }) }),
          },
        },
        onError: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ ...changedOnly, otherSessionsSignedOut: true, error: toErrorInfo(event.error) }) } },
      },
      on: { UPDATE_PASSWORD: { actions: { type: 'refuse', params: { refusal: 'stepInProgress' } } } },
    },
  },
});
