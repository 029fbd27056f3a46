// resetPassword() and confirmResetPassword(): the façade over the password-reset chart
// (machines/account/resetPasswordMachine.ts). Each validates its argument, sends one event, and
// maps the chart's answer to Amplify JS v6's result.
import { resetPasswordMachine, type ResetPasswordAnswer, type ResetPasswordEvent } from '../../machines/account/resetPasswordMachine.js';
import { createResetPasswordActors } from '../../services/actors/account/resetPassword.js';
import { objectOrUndefined, text } from '../validate.js';
import type { AccountKit } from './kit.js';
import type { CodeDeliveryDetails } from './results.js';

/** resetPassword()'s argument. */
export interface ResetPasswordInput {
  /** The username, or a sign-in alias of the pool such as an email: 1 to 128 characters. */
  readonly username: string;
}

/** resetPassword()'s result, as in Amplify JS v6. */
export interface ResetPasswordOutput {
  /** False: the password is reset only once confirmResetPassword() succeeds. */
  readonly isPasswordReset: boolean;
  /** What the app does next. */
  readonly nextStep: {
    /** CONFIRM_RESET_PASSWORD_WITH_CODE: a code was sent (see codeDeliveryDetails); call confirmResetPassword() with it. */
    readonly resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE' | 'DONE';
    /** Where Cognito sent the code, masked. */
    readonly codeDeliveryDetails?: CodeDeliveryDetails;
  };
}

/** confirmResetPassword()'s argument. */
export interface ConfirmResetPasswordInput {
  /** The username resetPassword() was called with. */
  readonly username: string;
  /** The code Cognito sent: 1 to 2048 characters. Never stored, never in the statechart or an error. */
  readonly confirmationCode: string;
  /** The new password: 1 to 256 characters. Never stored, never in the statechart or an error. */
  readonly newPassword: string;
}

export interface ResetPasswordCalls {
  /**
   * Asks Cognito to send the user a code to reset the password with (ForgotPassword). Ends by N.
   * With the app client's PreventUserExistenceErrors on, a user who does not exist gets the same
   * answer as one who does (docs/account-flows.md). Rejects with AuthValidationError,
   * AuthStateError AccountStepInProgress while another step of this flow runs, CognitoServiceError
   * (UserNotFoundException without PreventUserExistenceErrors, LimitExceededException,
   * InvalidParameterException for a user with no verified email or phone, …), or CognitoUnreachableError.
   */
  resetPassword(input: ResetPasswordInput): Promise<ResetPasswordOutput>;
  /**
   * Sets the new password with the code (ConfirmForgotPassword). Ends by N. Works after a reload
   * too: the code is what Cognito checks. Other sessions of the user stay signed in (Cognito keeps
   * their refresh tokens). Rejects with AuthValidationError, AuthStateError AccountStepInProgress,
   * CognitoServiceError (CodeMismatchException: try again; ExpiredCodeException: call
   * resetPassword() again; InvalidPasswordException: the pool's password policy), or CognitoUnreachableError.
   */
  confirmResetPassword(input: ConfirmResetPasswordInput): Promise<void>;
}

export function resetPasswordCalls(kit: AccountKit): ResetPasswordCalls {
  const { services, vault } = kit;
  const ask = kit.flow<ResetPasswordEvent, ResetPasswordAnswer>(resetPasswordMachine.provide({ actors: createResetPasswordActors(services) }));
  return {
    resetPassword: async (input) => {
      kit.live('resetPassword');
      const { username } = objectOrUndefined(input ?? null, 'resetPassword input', '{ username }');
      text('username', username, 128, true);
      const answer = await ask('resetPassword', { type: 'RESET_PASSWORD', username });
      const delivery = answer.kind === 'codeSent' ? answer.codeDelivery : undefined;
      return answer.kind === 'codeSent'
        ? { isPasswordReset: false, nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE', ...(delivery && { codeDeliveryDetails: delivery }) } }
        : { isPasswordReset: true, nextStep: { resetPasswordStep: 'DONE' } };
    },
    confirmResetPassword: async (input) => {
      kit.live('confirmResetPassword');
      const { username, confirmationCode, newPassword } = objectOrUndefined(input ?? null, 'confirmResetPassword input', '{ username, confirmationCode, newPassword }');
      text('username', username, 128, true);
      text('confirmationCode', confirmationCode, 2048, true);
      text('newPassword', newPassword, 256, false);
      const code = vault.deposit(confirmationCode);
      const password = vault.deposit(newPassword);
      await ask('confirmResetPassword', { type: 'CONFIRM_RESET_PASSWORD', username, code, newPassword: password }).finally(() => (vault.discard(code), vault.discard(password)));
    },
  };
}
