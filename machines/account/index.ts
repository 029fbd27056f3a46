// The account flows' charts (authchart/account), each with the public calls it answers: the
// generated call table (docs/calls.md), the diagrams and the tests derived from the machines
// (__tests__/accountCallsInEveryState.test.ts) read this list, so a flow added here is documented
// and tested in every state.
import type { AnyStateMachine } from 'xstate';
import { mfaSetupMachine } from './mfaSetupMachine.js';
import { deleteUserMachine } from './deleteUserMachine.js';
import { resetPasswordMachine } from './resetPasswordMachine.js';
import { updatePasswordMachine } from './updatePasswordMachine.js';
import { userAttributesMachine } from './userAttributesMachine.js';
import { signUpMachine } from './signUpMachine.js';
import { devicesMachine } from './devicesMachine.js';
import { passkeysMachine } from './passkeysMachine.js';

/** One account flow: its chart, and each public method with the event it sends. */
export interface AccountFlow {
  /** The flow's chart. */
  readonly machine: AnyStateMachine;
  /** Each public method of createAccount() the chart answers, with the event the method sends. */
  readonly calls: ReadonlyArray<readonly [method: string, event: string]>;
}

/** Every account flow's chart, with its calls. */
export const ACCOUNT_FLOWS: readonly AccountFlow[] = [
  {
    machine: resetPasswordMachine,
    calls: [
      ['resetPassword', 'RESET_PASSWORD'],
      ['confirmResetPassword', 'CONFIRM_RESET_PASSWORD'],
    ],
  },
  { machine: updatePasswordMachine, calls: [['updatePassword', 'UPDATE_PASSWORD']] },
  {
    machine: userAttributesMachine,
    calls: [
      ['fetchUserAttributes', 'FETCH_USER_ATTRIBUTES'],
      ['updateUserAttributes', 'UPDATE_USER_ATTRIBUTES'],
      ['confirmUserAttribute', 'CONFIRM_USER_ATTRIBUTE'],
      ['sendUserAttributeVerificationCode', 'SEND_USER_ATTRIBUTE_VERIFICATION_CODE'],
      ['deleteUserAttributes', 'DELETE_USER_ATTRIBUTES'],
      ['pendingAttributeChanges', 'PENDING_ATTRIBUTE_CHANGES'],
    ],
  },
  { machine: signUpMachine, calls: [['signUp', 'SIGN_UP'], ['confirmSignUp', 'CONFIRM_SIGN_UP'], ['resendSignUpCode', 'RESEND_SIGN_UP_CODE'], ['autoSignIn', 'AUTO_SIGN_IN']] },
  {
    machine: mfaSetupMachine,
    calls: [
      ['setUpTotp', 'SET_UP_TOTP'],
      ['verifyTotpSetup', 'VERIFY_TOTP_SETUP'],
      ['updateMFAPreference', 'UPDATE_MFA_PREFERENCE'],
      ['fetchMFAPreference', 'FETCH_MFA_PREFERENCE'],
    ],
  },
  {
    machine: deleteUserMachine,
    calls: [['deleteUser', 'DELETE_USER']],
  },
  {
    machine: devicesMachine,
    calls: [
      ['rememberDevice', 'REMEMBER_DEVICE'],
      ['forgetDevice', 'FORGET_DEVICE'],
      ['fetchDevices', 'FETCH_DEVICES'],
    ],
  },
  {
    machine: passkeysMachine,
    calls: [
      ['associateWebAuthnCredential', 'ASSOCIATE_WEBAUTHN_CREDENTIAL'],
      ['listWebAuthnCredentials', 'LIST_WEBAUTHN_CREDENTIALS'],
      ['deleteWebAuthnCredential', 'DELETE_WEBAUTHN_CREDENTIAL'],
    ],
  },
];

export { mfaSetupMachine, type MfaSetupAnswer, type MfaSetupEvent } from './mfaSetupMachine.js';
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
export { updatePasswordMachine, type UpdatePasswordAnswer, type UpdatePasswordEvent } from './updatePasswordMachine.js';
export { userAttributesMachine, type UserAttributesAnswer, type UserAttributesEvent } from './userAttributesMachine.js';
export { signUpMachine, type SignUpAnswer, type SignUpEvent } from './signUpMachine.js';
export { devicesMachine, type DevicesAnswer, type DevicesEvent, type ListedDevice } from './devicesMachine.js';
export { passkeysMachine, type PasskeyFacts, type PasskeysAnswer, type PasskeysEvent } from './passkeysMachine.js';
export { ACCOUNT_REFUSALS, type AccountRefusal, type Answered, type Asked, type CodeDelivery, type Failed } from './shared.js';
