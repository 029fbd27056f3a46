// The password-reset chart's actors (machines/account/resetPasswordMachine.ts): ForgotPassword and
// ConfirmForgotPassword, each reporting what Cognito said. The code and the new password are
// taken out of the vault only as the request is built.
import { fromPromise } from 'xstate';
import type { CodeDelivery } from '../../../machines/account/shared.js';
import { secretOf, type AccountServices } from './kit.js';

export function createResetPasswordActors({ calls, vault }: AccountServices) {
  return {
    forgotPassword: fromPromise<{ readonly codeDelivery?: CodeDelivery }, { readonly username: string }>(async ({ input, signal }) => calls.forgotPassword({ username: input.username }, signal)),
    confirmForgotPassword: fromPromise<void, { readonly username: string; readonly code: string; readonly newPassword: string }>(async ({ input, signal }) => {
      const confirmationCode = secretOf(vault, input.code);
      await calls.confirmForgotPassword({ username: input.username, confirmationCode, newPassword: secretOf(vault, input.newPassword) }, signal);
    }),
  };
}
