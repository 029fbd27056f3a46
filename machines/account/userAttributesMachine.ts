/**
 * The user's attributes: fetchUserAttributes() (GetUser), updateUserAttributes()
 * (UpdateUserAttributes), confirmUserAttribute() (VerifyUserAttribute),
 * sendUserAttributeVerificationCode() (GetUserAttributeVerificationCode), deleteUserAttributes()
 * (DeleteUserAttributes), and pendingAttributeChanges(): the email and phone changes that wait for
 * their code, kept in the app's storage (machines/account/pendingAttributes.ts).
 *
 *   idle ──FETCH_USER_ATTRIBUTES──▶ fetching ──────────────────────────────────────────────▶ idle
 *    │   ──PENDING_ATTRIBUTE_CHANGES──▶ readingPending ────────────────────────────────────▶ idle
 *    │   ──UPDATE_USER_ATTRIBUTES──▶ updating ─────────┐
 *    │   ──CONFIRM_USER_ATTRIBUTE──▶ confirming ───────┤ done: the record follows
 *    │   ──SEND_USER_ATTRIBUTE_VERIFICATION_CODE──▶ sendingCode ──┤──▶ recording ──▶ idle (answered)
 *    │   ──DELETE_USER_ATTRIBUTES──▶ deleting ─────────┘
 *    └── every step that fails answers its error ─────────────────────────────────────▶ idle
 *
 * Why it is a chart:
 * - A change of email or phone is not over when UpdateUserAttributes answers: a code went to the new
 *   value, and the user may reload, or come back days later. The chart keeps where the code went
 *   (never the code) per username in the app's storage, after each step that sends a code or settles
 *   one, so that pendingAttributeChanges() shows it after a reload, and confirmUserAttribute() finishes it.
 * - With the pool's AttributesRequireVerificationBeforeUpdate on for the attribute, Cognito keeps the
 *   old value until the code is confirmed; off, the new value replaces it at once, unverified. Both
 *   wait for the same code here (docs/account-flows.md).
 * - One step at a time: a call during a step is refused (AccountStepInProgress), so that two
 *   updates never race, and the record follows the order the steps ran in.
 * - The record is kept after Cognito answered: a storage that fails then does not undo Cognito's
 *   change, so the call still answers what Cognito did.
 */
import { assign, assertEvent, emit, fromPromise, setup } from 'xstate';
import { notProvided } from '../notProvided.js';
import type { PendingAttributeChanges, PendingChange } from './pendingAttributes.js';
import { refused, toErrorInfo, type AccountRefusal, type Answered, type Asked, type CodeDelivery, type Failed } from './shared.js';

/** The attributes flow's calls; `code` is a vault receipt, never the code. */
export type UserAttributesEvent =
  | (Asked & {
      /** fetchUserAttributes(). */
      readonly type: 'FETCH_USER_ATTRIBUTES';
    })
  | (Asked & {
      /** updateUserAttributes(). */
      readonly type: 'UPDATE_USER_ATTRIBUTES';
      /** The attributes to set, by name. */
      readonly attributes: Readonly<Record<string, string>>;
    })
  | (Asked & {
      /** confirmUserAttribute(). */
      readonly type: 'CONFIRM_USER_ATTRIBUTE';
      /** The attribute the code confirms. */
      readonly attributeName: string;
      /** The receipt of the code. */
      readonly code: string;
    })
  | (Asked & {
      /** sendUserAttributeVerificationCode(). */
      readonly type: 'SEND_USER_ATTRIBUTE_VERIFICATION_CODE';
      /** The attribute to send a code for. */
      readonly attributeName: string;
    })
  | (Asked & {
      /** deleteUserAttributes(). */
      readonly type: 'DELETE_USER_ATTRIBUTES';
      /** The attributes to delete. */
      readonly attributeNames: readonly string[];
    })
  | (Asked & {
      /** pendingAttributeChanges(). */
      readonly type: 'PENDING_ATTRIBUTE_CHANGES';
    });

/** What the flow answers a call with, besides a failure. */
export type UserAttributesAnswer =
  | {
      /** fetchUserAttributes()'s answer. */
      readonly kind: 'attributes';
      /** The user's attributes, by name, as GetUser gives them. */
      readonly attributes: Readonly<Record<string, string>>;
    }
  | {
      /** updateUserAttributes()'s answer. */
      readonly kind: 'updated';
      /** Where Cognito sent a code, one for each attribute that waits for one. */
      readonly codeDeliveries: readonly CodeDelivery[];
    }
  | {
      /** confirmUserAttribute()'s answer. */
      readonly kind: 'confirmed';
    }
  | {
      /** sendUserAttributeVerificationCode()'s answer. */
      readonly kind: 'codeSent';
      /** Where Cognito sent the code, if it said. */
      readonly codeDelivery?: CodeDelivery;
    }
  | {
      /** deleteUserAttributes()'s answer. */
      readonly kind: 'deleted';
    }
  | {
      /** pendingAttributeChanges()'s answer. */
      readonly kind: 'pending';
      /** The signed-in user's changes waiting for a code. */
      readonly changes: PendingAttributeChanges;
    };

interface UserAttributesContext {
  /** The call the running step answers. */
  readonly caller: number;
  /** A step's answer, held while the record follows it. */
  readonly reply: UserAttributesAnswer;
  /** What the step does to the record of waiting changes. */
  readonly change: PendingChange;
}

const NOTHING: PendingChange = { sent: [], settled: [] };
const failedWith = ({ event }: { event: { error: unknown } }) => ({ kind: 'failed' as const, error: toErrorInfo(event.error) });

/** Every call, refused while a step runs. */
const busy = Object.fromEntries(
  ['FETCH_USER_ATTRIBUTES', 'UPDATE_USER_ATTRIBUTES', 'CONFIRM_USER_ATTRIBUTE', 'SEND_USER_ATTRIBUTE_VERIFICATION_CODE', 'DELETE_USER_ATTRIBUTES', 'PENDING_ATTRIBUTE_CHANGES'].map((type) => [
    type,
    { actions: { type: 'refuse' as const, params: { refusal: 'stepInProgress' as const } } },
  ]),
) as Record<UserAttributesEvent['type'], { actions: { type: 'refuse'; params: { refusal: 'stepInProgress' } } }>;

/** The attributes chart; its actors are provided by authchart/account (services/actors/account/userAttributes.ts). */
export const userAttributesMachine = setup({
  types: {
    context: {} as UserAttributesContext,
    events: {} as UserAttributesEvent,
    emitted: {} as Answered<UserAttributesAnswer>,
  },
  actors: {
    /** GetUser: the user's attributes. */
    getUser: fromPromise<{ readonly attributes: Readonly<Record<string, string>> }, void>(notProvided('getUser')),
    /** UpdateUserAttributes: where Cognito sent codes. */
    updateUserAttributes: fromPromise<{ readonly codeDeliveries: readonly CodeDelivery[] }, { readonly attributes: Readonly<Record<string, string>> }>(notProvided('updateUserAttributes')),
    /** VerifyUserAttribute with the code (a vault receipt). */
    verifyUserAttribute: fromPromise<void, { readonly attributeName: string; readonly code: string }>(notProvided('verifyUserAttribute')),
    /** GetUserAttributeVerificationCode: where Cognito sent the code. */
    sendVerificationCode: fromPromise<{ readonly codeDelivery?: CodeDelivery }, { readonly attributeName: string }>(notProvided('sendVerificationCode')),
    /** DeleteUserAttributes. */
    deleteUserAttributes: fromPromise<void, { readonly attributeNames: readonly string[] }>(notProvided('deleteUserAttributes')),
    /** The signed-in user's waiting changes, read from the app's storage. */
    readPending: fromPromise<PendingAttributeChanges, void>(notProvided('readPending')),
    /** Writes the signed-in user's waiting changes after `change` (pendingAfter). */
    recordPending: fromPromise<void, PendingChange>(notProvided('recordPending')),
  },
  actions: {
    /** The running step's caller becomes this event's. */
    takeCaller: assign({ caller: ({ event }) => event.id }),
    /** Holds a step's answer, and its change to the record, until the record is kept. */
    hold: assign((_, params: { readonly reply: UserAttributesAnswer; readonly change: PendingChange }) => params),
    /** Answers the running step's caller. */
    answer: emit(({ context }, answer: UserAttributesAnswer | Failed) => ({ type: 'answered' as const, id: context.caller, answer })),
    /** Refuses this event's call with one of ACCOUNT_REFUSALS. */
    refuse: emit(({ event }, params: { readonly refusal: AccountRefusal }) => ({ type: 'answered' as const, id: event.id, answer: refused(params.refusal) })),
  },
}).createMachine({
  id: 'userAttributes',
  context: { caller: 0, reply: { kind: 'deleted' }, change: NOTHING },
  initial: 'idle',
  states: {
    idle: {
      on: {
        FETCH_USER_ATTRIBUTES: { target: 'fetching', actions: 'takeCaller' },
        UPDATE_USER_ATTRIBUTES: { target: 'updating', actions: 'takeCaller' },
        CONFIRM_USER_ATTRIBUTE: { target: 'confirming', actions: 'takeCaller' },
        SEND_USER_ATTRIBUTE_VERIFICATION_CODE: { target: 'sendingCode', actions: 'takeCaller' },
        DELETE_USER_ATTRIBUTES: { target: 'deleting', actions: 'takeCaller' },
        PENDING_ATTRIBUTE_CHANGES: { target: 'readingPending', actions: 'takeCaller' },
      },
    },
    fetching: {
      invoke: {
        src: 'getUser',
        onDone: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'attributes' as const, attributes: event.output.attributes }) } },
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy,
    },
    readingPending: {
      invoke: {
        src: 'readPending',
        onDone: { target: 'idle', actions: { type: 'answer', params: ({ event }) => ({ kind: 'pending' as const, changes: event.output }) } },
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy,
    },
    updating: {
      invoke: {
        src: 'updateUserAttributes',
        input: ({ event }) => (assertEvent(event, 'UPDATE_USER_ATTRIBUTES'), { attributes: event.attributes }),
        onDone: {
          target: 'recording',
          actions: { type: 'hold', params: ({ event }) => ({ reply: { kind: 'updated' as const, codeDeliveries: event.output.codeDeliveries }, change: { sent: event.output.codeDeliveries, settled: [] } }) },
        },
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy,
    },
    confirming: {
      entry: assign({ change: ({ event }) => (assertEvent(event, 'CONFIRM_USER_ATTRIBUTE'), { sent: [], settled: [event.attributeName] }) }),
      invoke: {
        src: 'verifyUserAttribute',
        input: ({ event }) => (assertEvent(event, 'CONFIRM_USER_ATTRIBUTE'), { attributeName: event.attributeName, code: event.code }),
        onDone: { target: 'recording', actions: { type: 'hold', params: ({ context }) => ({ reply: { kind: 'confirmed' as const }, change: context.change }) } },
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy,
    },
    sendingCode: {
      invoke: {
        src: 'sendVerificationCode',
        input: ({ event }) => (assertEvent(event, 'SEND_USER_ATTRIBUTE_VERIFICATION_CODE'), { attributeName: event.attributeName }),
        onDone: {
          target: 'recording',
          actions: {
            type: 'hold',
            params: ({ event }) => ({
              reply: { kind: 'codeSent' as const, ...(event.output.codeDelivery && { codeDelivery: event.output.codeDelivery }) },
              change: { sent: event.output.codeDelivery ? [event.output.codeDelivery] : [], settled: [] },
            }),
          },
        },
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy,
    },
    deleting: {
      entry: assign({ change: ({ event }) => (assertEvent(event, 'DELETE_USER_ATTRIBUTES'), { sent: [], settled: event.attributeNames }) }),
      invoke: {
        src: 'deleteUserAttributes',
        input: ({ context }) => ({ attributeNames: context.change.settled }),
        onDone: { target: 'recording', actions: { type: 'hold', params: ({ context }) => ({ reply: { kind: 'deleted' as const }, change: context.change }) } },
        onError: { target: 'idle', actions: { type: 'answer', params: failedWith } },
      },
      on: busy,
    },
    recording: {
      invoke: {
        src: 'recordPending',
        input: ({ context }) => context.change,
        // Cognito's change is done either way: the call answers it, even when the storage failed.
        onDone: { target: 'idle', actions: { type: 'answer', params: ({ context }) => context.reply } },
        onError: { target: 'idle', actions: { type: 'answer', params: ({ context }) => context.reply } },
      },
      on: busy,
    },
  },
});
