// The account flows' charts (authchart/account), each with the public calls it answers: the
// generated call table (docs/calls.md), the diagrams and the tests derived from the machines
// (__tests__/accountCallsInEveryState.test.ts) read this list, so a flow added here is documented
// and tested in every state.
import type { AnyStateMachine } from 'xstate';
import { deleteUserMachine } from './deleteUserMachine.js';
import { resetPasswordMachine } from './resetPasswordMachine.js';

/** One account flow: its chart, and each public method with the event it sends. */
export interface AccountFlow {
  readonly machine: AnyStateMachine;
  readonly calls: ReadonlyArray<readonly [method: string, event: string]>;
}

export const ACCOUNT_FLOWS: readonly AccountFlow[] = [
  {
    machine: resetPasswordMachine,
    calls: [
      ['resetPassword', 'RESET_PASSWORD'],
      ['confirmResetPassword', 'CONFIRM_RESET_PASSWORD'],
    ],
  },
  {
    machine: deleteUserMachine,
    calls: [['deleteUser', 'DELETE_USER']],
  },
];

export {
  deleteUserMachine,
  deletionOutcome,
  intentsOfUser,
  type DeleteUserAnswer,
  type DeleteUserCall,
  type DeleteUserEvent,
  type DeleteUserOutcome,
  type QueuedIntentFacts,
  type SessionAfterDeletion,
} from './deleteUserMachine.js';
export { resetPasswordMachine, type ResetPasswordAnswer, type ResetPasswordEvent } from './resetPasswordMachine.js';
export { ACCOUNT_REFUSALS, type AccountRefusal, type Answered, type Asked, type CodeDelivery, type Failed } from './shared.js';
