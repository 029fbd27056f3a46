/**
 * The sign-up flow: signUp() creates the user (SignUp), confirmSignUp() confirms it with the code
 * Cognito sent (ConfirmSignUp), resendSignUpCode() sends a new one, and autoSignIn() signs the new
 * user in with ConfirmSignUp's Session (InitiateAuth USER_AUTH), without the password.
 *
 *   idle ──SIGN_UP──▶ signingUp ──┬─ auto sign-in asked ─▶ savingRecord ─▶ idle (CONFIRM_SIGN_UP, or COMPLETE_AUTO_SIGN_IN)
 *    │                            └─ else ──────────────────────────────▶ idle (CONFIRM_SIGN_UP, or DONE)
 *    ├──CONFIRM_SIGN_UP──▶ confirming ──┬─ asked, and a Session came ─▶ savingRecord ─▶ idle (COMPLETE_AUTO_SIGN_IN)
 *    │                                  ├─ asked, no Session ─▶ clearingRecord ─▶ idle (DONE)
 *    │                                  └─ else ─▶ idle (DONE); a wrong code: idle, the record kept
 *    ├──RESEND_SIGN_UP_CODE──▶ resendingCode ─▶ idle
 *    └──AUTO_SIGN_IN──▶ readingAutoSignIn ──┬─ none waiting, or someone signed in ─▶ idle (refused)
 *                                           ├─ past its deadline ─▶ clearingRecord ─▶ idle (AutoSignInExpired)
 *                                           └─ else ─▶ autoSigningIn ─┬─ signed in ─▶ clearingRecord ─▶ idle
 *                                                                     ├─ tokens stored nowhere ─▶ revokingUnstored ─▶ clearingRecord ─▶ idle
 *                                                                     ├─ offline, throttled ─▶ idle (the record kept)
 *                                                                     └─ refused ─▶ clearingRecord ─▶ idle
 *
 * Why it is a chart:
 * - The auto sign-in outlives the page: its record (services/storage/autoSignIn.ts) is in the app's
 *   storage, not in this chart, so every call that needs it reads it first. After a reload, or in
 *   another tab over the same storage, confirmSignUp() and autoSignIn() act from `idle`.
 * - The record never holds the password: only who, Cognito's Session, and the deadline. It is
 *   written before confirmSignUp() answers COMPLETE_AUTO_SIGN_IN, so an answer the app acts on
 *   is one a reload keeps. A record that cannot be written answers as if no auto sign-in was
 *   asked (DONE): the user signs in with the password.
 * - The deadline (ConfirmSignUp's Session lives the app client's AuthSessionValidity) is checked
 *   here, on the call's `at`, before anything is sent: past it, AutoSignInExpired, not Cognito's
 *   opaque "Invalid session".
 * - One step at a time: a call during a step is refused (AccountStepInProgress).
 * - An auto sign-in ends a signed-out auth chart only: with a user signed in (or signing in or
 *   out) on this instance, it is refused (UserAlreadyAuthenticatedException) and the record kept.
 */
import { assign, assertEvent, emit, fromPromise, setup } from 'xstate';
import { notProvided } from '../notProvided.js';
import { isRetryable } from '../errorInfo.js';
import type { ErrorInfo } from '../types.js';
import { refused, toErrorInfo, type AccountRefusal, type Answered, type CodeDelivery, type Failed } from './shared.js';
import type { AutoSignInFacts, Confirmed, RecordToWrite, SignedUp, SignUpAnswer, SignUpEvent } from './signUpTypes.js';

/** How long a sign-up's record waits for its confirmation: a sign-up code's validity (24 hours). */
export const SIGN_UP_RECORD_MS = 24 * 60 * 60_000;

export type { AutoSignInFacts, Confirmed, RecordToWrite, SignedUp, SignUpAnswer, SignUpEvent } from './signUpTypes.js';

interface SignUpContext {
  /** The call the running step answers. */
  readonly caller: number;
  /** The running call's facts: who, when (the library's clock), how long Cognito's Session lasts, whether an auto sign-in was asked. */
  readonly asked: { readonly username: string; readonly at: number; readonly validForMs: number; readonly autoSignIn: boolean };
  /** savingRecord's record, and its answers: once written, and when it could not be. */
  readonly record: RecordToWrite | null;
  readonly saved: SignUpAnswer | null;
  readonly unsaved: SignUpAnswer | null;
  /** clearingRecord's answer, however the removal ends. */
  readonly outcome: SignUpAnswer | Failed | null;
}

const failedWith = ({ event }: { event: { error: unknown } }): Failed => ({ kind: 'failed', error: toErrorInfo(event.error) });
const signedUpOf = (output: SignedUp, autoSignIn: boolean): SignUpAnswer => ({
  kind: 'signedUp',
  userConfirmed: output.userConfirmed,
  autoSignIn,
  ...(output.userSub !== undefined && { userSub: output.userSub }),
  ...(output.codeDelivery && { codeDelivery: output.codeDelivery }),
});

/** The vault receipt of the refresh token an auto sign-in could not store, from its error event. */
function unstoredRefOf(event: object): string | undefined {
  const { error } = event as { readonly error?: unknown };
  const ref = typeof error === 'object' && error !== null ? (error as { unstoredRef?: unknown }).unstoredRef : undefined;
  return typeof ref === 'string' ? ref : undefined;
}

/** What savingRecord writes after SignUp, and answers once it is kept or not: a confirmed user's record is the auto sign-in itself. */
function signUpPlan(asked: SignUpContext['asked'], output: SignedUp) {
  const confirmed = output.userConfirmed;
  const record: RecordToWrite = { stage: confirmed ? 'confirmed' : 'signedUp', username: asked.username, deadline: asked.at + (confirmed ? asked.validForMs : SIGN_UP_RECORD_MS), ...(output.sessionRef !== undefined && { sessionRef: output.sessionRef }) };
  return { record, saved: signedUpOf(output, confirmed), unsaved: signedUpOf(output, false) };
}

/** The refusal of every call while a step runs. */
const busy = () => ({
  SIGN_UP: { actions: { type: 'refuse' as const, params: { refusal: 'stepInProgress' as const } } },
  CONFIRM_SIGN_UP: { actions: { type: 'refuse' as const, params: { refusal: 'stepInProgress' as const } } },
  RESEND_SIGN_UP_CODE: { actions: { type: 'refuse' as const, params: { refusal: 'stepInProgress' as const } } },
  AUTO_SIGN_IN: { actions: { type: 'refuse' as const, params: { refusal: 'stepInProgress' as const } } },
});

/** The sign-up flow's chart (see the drawing at the top of this file); its actors are provided by authchart/account (services/actors/account/signUp.ts). */
export const signUpMachine = setup({
  types: {
    context: {} as SignUpContext,
    events: {} as SignUpEvent,
    emitted: {} as Answered<SignUpAnswer>,
  },
  actors: {
    /** SignUp with the password (a vault receipt). */
    signUp: fromPromise<SignedUp, { readonly username: string; readonly password: string; readonly userAttributes: Readonly<Record<string, string>>; readonly autoSignIn: boolean }>(notProvided('signUp')),
    /** Reads this storage's record, then ConfirmSignUp with the code (a receipt) and, for a record of this user, SignUp's Session. */
    confirmSignUp: fromPromise<Confirmed, { readonly username: string; readonly code: string }>(notProvided('confirmSignUp')),
    /** ResendConfirmationCode. */
    resendSignUpCode: fromPromise<{ readonly codeDelivery?: CodeDelivery }, { readonly username: string }>(notProvided('resendSignUpCode')),
    /** Writes the record (its Session taken out of the vault) and reads it back. */
    saveRecord: fromPromise<void, RecordToWrite>(notProvided('saveRecord')),
    /** Removes the record. */
    clearRecord: fromPromise<void>(notProvided('clearRecord')),
    /** Reads the record (without its Session) and whether the auth chart is signed out. */
    readAutoSignIn: fromPromise<AutoSignInFacts>(notProvided('readAutoSignIn')),
    /**
     * InitiateAuth USER_AUTH with the record's Session; writes the tokens as a sign-in does, and has
     * the auth chart adopt them. Tokens it could not store anywhere are reported on its error as
     * `unstoredRef`, the vault receipt of their refresh token (leftTokensUnstored).
     */
    autoSignIn: fromPromise<void, { readonly username: string }>(notProvided('autoSignIn')),
    /** Queues a refresh token (its vault receipt) in the sign-out outbox, which revokes it. */
    revokeUnstored: fromPromise<void, { readonly ref: string }>(notProvided('revokeUnstored')),
  },
  actions: {
    /** The running step's caller becomes this event's, with its facts. */
    takeCaller: assign(({ event }) => ({
      caller: event.id,
      asked: {
        username: 'username' in event ? event.username : '',
        at: 'at' in event ? event.at : 0,
        validForMs: 'validForMs' in event ? event.validForMs : 0,
        autoSignIn: event.type === 'SIGN_UP' && event.autoSignIn,
      },
    })),
    /** savingRecord's record and its two answers. */
    planSave: assign((_, plan: { readonly record: RecordToWrite; readonly saved: SignUpAnswer; readonly unsaved: SignUpAnswer }) => plan),
    /** clearingRecord's answer. */
    planClear: assign((_, outcome: SignUpAnswer | Failed) => ({ outcome })),
    /** Answers the running step's caller. */
    answer: emit(({ context }, answer: SignUpAnswer | Failed) => ({ type: 'answered' as const, id: context.caller, answer })),
    /** Refuses this event's call with one of ACCOUNT_REFUSALS. */
    refuse: emit(({ event }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: event.id, answer: refused(params.refusal) })),
  },
  guards: {
    /** signUp() asked for an auto sign-in, and the user waits for the code, or Cognito confirmed it at once and sent a Session to sign in with: the record is written. */
    keepsSignUp: ({ context }, output: SignedUp) => context.asked.autoSignIn && (!output.userConfirmed || output.sessionRef !== undefined),
    /** Cognito sent a Session to sign in with (kept in the vault under this receipt). */
    hasSession: (_, output: { readonly sessionRef?: string }) => output.sessionRef !== undefined,
    /** This storage's record asked for an auto sign-in of the user just confirmed. */
    recordAsked: (_, output: Confirmed) => output.autoSignInAsked,
    /** The auth chart holds a user, or is signing one in or out: an auto sign-in does not replace it. */
    notSignedOut: (_, facts: AutoSignInFacts) => !facts.signedOut,
    /** No auto sign-in waits: no record, or one still waiting for confirmSignUp(). */
    noneWaiting: (_, facts: AutoSignInFacts) => facts.pending?.stage !== 'confirmed',
    /** The record's deadline has passed by the call's clock: Cognito's Session is dead, and nothing is sent. */
    isExpired: ({ context }, facts: AutoSignInFacts) => facts.pending !== null && context.asked.at >= facts.pending.deadline,
    /** A failure a later try can fix (the network, throttling): the record is kept, and autoSignIn() may be called again. */
    mayTryAgain: (_, error: ErrorInfo) => isRetryable(error.name),
    /** The auto sign-in's tokens are live at Cognito and stored nowhere (the store refused them): they must be revoked. */
    leftTokensUnstored: ({ event }) => unstoredRefOf(event) !== undefined,
  },
}).createMachine({
  id: 'signUp',
  context: { caller: 0, asked: { username: '', at: 0, validForMs: 0, autoSignIn: false }, record: null, saved: null, unsaved: null, outcome: null },
  initial: 'idle',
  states: {
    idle: {
      on: {
        SIGN_UP: { target: 'signingUp', actions: 'takeCaller' },
        CONFIRM_SIGN_UP: { target: 'confirming', actions: 'takeCaller' },
        RESEND_SIGN_UP_CODE: { target: 'resendingCode', actions: 'takeCaller' },
        AUTO_SIGN_IN: { target: 'readingAutoSignIn', actions: 'takeCaller' },
      },
    },
    signingUp: {
      invoke: {
        src: 'signUp',
        input: ({ event }) => (assertEvent(event, 'SIGN_UP'), { username: event.username, password: event.password, userAttributes: event.userAttributes, autoSignIn: event.autoSignIn }),
        onDone: [
          // Waiting for the code (the record says an auto sign-in was asked, for confirmSignUp() on any page), or confirmed at once with a Session (COMPLETE_AUTO_SIGN_IN).
          { guard: { type: 'keepsSignUp', params: ({ event }) => event.output }, target: 'savingRecord', actions: { type: 'planSave', params: ({ context, event }) => signUpPlan(context.asked, event.output) } },
          { target: 'idle', actions: { type: 'answer', params: ({ event }) => signedUpOf(event.output, false) } },
        ],
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy(),
    },
    confirming: {
      invoke: {
        src: 'confirmSignUp',
        input: ({ event }) => (assertEvent(event, 'CONFIRM_SIGN_UP'), { username: event.username, code: event.code }),
        onDone: [
          {
            guard: { type: 'hasSession', params: ({ event }) => event.output },
            target: 'savingRecord',
            actions: {
              type: 'planSave',
              params: ({ context, event }) => ({
                record: { stage: 'confirmed', username: context.asked.username, sessionRef: event.output.sessionRef!, deadline: context.asked.at + context.asked.validForMs },
                saved: { kind: 'confirmed', autoSignIn: true },
                unsaved: { kind: 'confirmed', autoSignIn: false },
              }),
            },
          },
          // Asked, but Cognito sent no Session: nothing to sign in with; the record goes.
          { guard: { type: 'recordAsked', params: ({ event }) => event.output }, target: 'clearingRecord', actions: { type: 'planClear', params: { kind: 'confirmed', autoSignIn: false } } },
          { target: 'idle', actions: { type: 'answer', params: { kind: 'confirmed', autoSignIn: false } } },
        ],
        // A wrong code or any other refusal: the record stays (the right code may follow).
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy(),
    },
    resendingCode: {
      invoke: {
        src: 'resendSignUpCode',
        input: ({ event }) => (assertEvent(event, 'RESEND_SIGN_UP_CODE'), { username: event.username }),
        onDone: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'codeSent' as const, ...(event.output.codeDelivery && { codeDelivery: event.output.codeDelivery }) }) } },
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy(),
    },
    savingRecord: {
      invoke: {
        src: 'saveRecord',
        input: ({ context }) => context.record!,
        onDone: { target: 'idle', actions: { type: 'answer', params: ({ context }) => context.saved! } },
        // Not kept: answered as without an auto sign-in (the user signs in with the password).
        onError: { target: 'idle', actions: { type: 'answer', params: ({ context }) => context.unsaved! } },
      },
      on: busy(),
    },
    readingAutoSignIn: {
      invoke: {
        src: 'readAutoSignIn',
        onDone: [
          { guard: { type: 'noneWaiting', params: ({ event }) => event.output }, target: 'idle', actions: { type: 'answer', params: refused('noPendingAutoSignIn') } },
          { guard: { type: 'isExpired', params: ({ event }) => event.output }, target: 'clearingRecord', actions: { type: 'planClear', params: refused('autoSignInExpired') } },
          { guard: { type: 'notSignedOut', params: ({ event }) => event.output }, target: 'idle', actions: { type: 'answer', params: refused('alreadySignedIn') } },
          { target: 'autoSigningIn', actions: assign({ asked: ({ context, event }) => ({ ...context.asked, username: event.output.pending!.username }) }) },
        ],
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy(),
    },
    autoSigningIn: {
      invoke: {
        src: 'autoSignIn',
        input: ({ context }) => ({ username: context.asked.username }),
        onDone: { target: 'clearingRecord', actions: { type: 'planClear', params: { kind: 'signedIn' } } },
        onError: [
          // Tokens Cognito issued that nothing holds: revoked (through the outbox) before the caller hears why.
          { guard: 'leftTokensUnstored', target: 'revokingUnstored', actions: { type: 'planClear', params: failedWith } },
          { guard: { type: 'mayTryAgain', params: ({ event }) => toErrorInfo(event.error) }, target: 'idle', actions: { type: 'answer', params: failedWith } },
          // Cognito refused the Session (used, expired) or the tokens could not be kept: it is spent.
          { target: 'clearingRecord', actions: { type: 'planClear', params: failedWith } },
        ],
      },
      on: busy(),
    },
    revokingUnstored: {
      invoke: {
        src: 'revokeUnstored',
        input: ({ event }) => ({ ref: unstoredRefOf(event)! }),
        // Queued or not, the Session is spent: the record goes, and the caller hears the store's failure.
        onDone: 'clearingRecord',
        onError: 'clearingRecord',
      },
      on: busy(),
    },
    clearingRecord: {
      invoke: {
        src: 'clearRecord',
        onDone: { target: 'idle', actions: { type: 'answer', params: ({ context }) => context.outcome! } },
        onError: { target: 'idle', actions: { type: 'answer', params: ({ context }) => context.outcome! } },
      },
      on: busy(),
    },
  },
});
