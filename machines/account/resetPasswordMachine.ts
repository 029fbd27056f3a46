/**
 * The password-reset flow: resetPassword() asks Cognito to send a code (ForgotPassword), and
 * confirmResetPassword() sets the new password with it (ConfirmForgotPassword).
 *
 *   idle ──RESET_PASSWORD──▶ requestingCode ──sent──▶ awaitingCode ──CONFIRM_RESET_PASSWORD──▶ confirming ──set──▶ idle
 *    │                            └─failed─▶ idle          ▲  └──RESET_PASSWORD (a new code)──▶ requestingCode    │
 *    └──CONFIRM_RESET_PASSWORD──▶ confirming               └────────────────── failed (a wrong code: try again) ◀┘
 *
 * Why it is a chart:
 * - A code comes out of band, so confirmResetPassword() acts in `idle` too: the user may have
 *   reloaded the page, or asked for the code in another tab. Cognito checks the code, not this chart.
 * - One step at a time: a call during a step is refused (AccountStepInProgress) rather than sent
 *   twice, since a second ForgotPassword sends a new code and the first one stops working.
 * - With the app client's PreventUserExistenceErrors on, Cognito answers ForgotPassword for a user
 *   who does not exist as for one who does (a code "sent" to a made-up destination): the chart
 *   answers both alike, and cannot tell them apart (docs/account-flows.md).
 * - A new password does not end the user's other sessions: Cognito keeps their refresh tokens
 *   valid. An app that wants them ended signs the user in and calls updatePassword() with
 *   `signOutOtherSessions`, or signOut({ global: true }) (docs/account-flows.md).
 */
import { assign, assertEvent, emit, fromPromise, setup } from 'xstate';
import { notProvided } from '../notProvided.js';
import { isWrongCode, refused, toErrorInfo, type AccountRefusal, type Answered, type Asked, type CodeDelivery, type Failed } from './shared.js';

/** resetPassword() and confirmResetPassword(); `code` and `newPassword` are vault receipts, never the secrets. */
export type ResetPasswordEvent =
  | (Asked & {
      /** resetPassword(). */
      readonly type: 'RESET_PASSWORD';
      /** Whose password (not a secret). */
      readonly username: string;
    })
  | (Asked & {
      /** confirmResetPassword(). */
      readonly type: 'CONFIRM_RESET_PASSWORD';
      /** Whose password (not a secret). */
      readonly username: string;
      /** The vault receipt of the code. */
      readonly code: string;
      /** The vault receipt of the new password. */
      readonly newPassword: string;
    });

/** What the flow answers a call with, besides a failure. */
export type ResetPasswordAnswer =
  | {
      /** Cognito sent a code. */
      readonly kind: 'codeSent';
      /** Where it went, masked. */
      readonly codeDelivery?: CodeDelivery;
    }
  | {
      /** The new password is set. */
      readonly kind: 'passwordReset';
    };

interface ResetPasswordContext {
  /** The call the running step answers. */
  readonly caller: number;
}

/** No step runs (`idle`, or `awaitingCode` once a code was sent): either call starts its step. */
const READY = {
  RESET_PASSWORD: { target: 'requestingCode', actions: 'takeCaller' },
  CONFIRM_RESET_PASSWORD: { target: 'confirming', actions: 'takeCaller' },
} as const;

/** A step runs: both calls are refused (AccountStepInProgress), and nothing is sent. */
const BUSY = {
  RESET_PASSWORD: { actions: { type: 'refuse', params: { refusal: 'stepInProgress' } } },
  CONFIRM_RESET_PASSWORD: { actions: { type: 'refuse', params: { refusal: 'stepInProgress' } } },
} as const;

/** The password-reset flow's chart: resetPassword() and confirmResetPassword() (drawing above). */
export const resetPasswordMachine = setup({
  types: {
    context: {} as ResetPasswordContext,
    events: {} as ResetPasswordEvent,
    emitted: {} as Answered<ResetPasswordAnswer>,
  },
  actors: {
    /** ForgotPassword: Cognito sends a code. */
    forgotPassword: fromPromise<{ readonly codeDelivery?: CodeDelivery }, { readonly username: string }>(notProvided('forgotPassword')),
    /** ConfirmForgotPassword with the code and the new password (vault receipts). */
    confirmForgotPassword: fromPromise<void, { readonly username: string; readonly code: string; readonly newPassword: string }>(notProvided('confirmForgotPassword')),
  },
  actions: {
    /** The running step's caller becomes this event's. */
    takeCaller: assign({ caller: ({ event }) => event.id }),
    /** Answers the running step's caller. */
    answer: emit(({ context }, answer: ResetPasswordAnswer | Failed) => ({ type: 'answered' as const, id: context.caller, answer })),
    /** Refuses this event's call with one of ACCOUNT_REFUSALS. */
    refuse: emit(({ event }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: event.id, answer: refused(params.refusal) })),
  },
  guards: {
    /** Cognito refused the code as wrong: the flow waits for another. */
    wasWrongCode: ({ event }) => isWrongCode(toErrorInfo((event as { error?: unknown }).error)),
  },
}).createMachine({
  id: 'resetPassword',
  context: { caller: 0 },
  initial: 'idle',
  states: {
    idle: {
      on: READY,
    },
    requestingCode: {
      invoke: {
        src: 'forgotPassword',
        input: ({ event }) => (assertEvent(event, 'RESET_PASSWORD'), { username: event.username }),
        onDone: { target: 'awaitingCode', actions: { type: 'answer', params: ({ event }) => ({ kind: 'codeSent' as const, ...(event.output.codeDelivery && { codeDelivery: event.output.codeDelivery }) }) } },
        onError: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'failed' as const, error: toErrorInfo(event.error) }) } },
      },
      on: BUSY,
    },
    awaitingCode: {
      on: READY,
    },
    confirming: {
      invoke: {
        src: 'confirmForgotPassword',
        input: ({ event }) => (assertEvent(event, 'CONFIRM_RESET_PASSWORD'), { username: event.username, code: event.code, newPassword: event.newPassword }),
        onDone: { target: 'idle', actions: { type: 'answer', params: { kind: 'passwordReset' as const } } },
        onError: [
          { guard: 'wasWrongCode', target: 'awaitingCode', actions: { type: 'answer', params: ({ event }) => ({ kind: 'failed' as const, error: toErrorInfo(event.error) }) } },
          { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'failed' as const, error: toErrorInfo(event.error) }) } },
        ],
      },
      on: BUSY,
    },
  },
});
