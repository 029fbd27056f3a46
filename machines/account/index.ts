// The account flows' charts (authchart/account), each with the public calls it answers: the
// generated call table (docs/calls.md), the diagrams and the tests derived from the machines
// (__tests__/accountCallsInEveryState.test.ts) read this list, so a flow added here is documented
// and tested in every state.
import type { AnyStateMachine } from 'xstate';
import { resetPasswordMachine } from './resetPasswordMachine.js';
import { signUpMachine } from './signUpMachine.js';

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
  { machine: signUpMachine, calls: [['signUp', 'SIGN_UP'], ['confirmSignUp', 'CONFIRM_SIGN_UP'], ['resendSignUpCode', 'RESEND_SIGN_UP_CODE'], ['autoSignIn', 'AUTO_SIGN_IN']] },
];

export { resetPasswordMachine, type ResetPasswordAnswer, type ResetPasswordEvent } from './resetPasswordMachine.js';
export { signUpMachine, type SignUpAnswer, type SignUpEvent } from './signUpMachine.js';
export { ACCOUNT_REFUSALS, type AccountRefusal, type Answered, type Asked, type CodeDelivery, type Failed } from './shared.js';
