// The password-change chart's actors (machines/account/updatePasswordMachine.ts): ChangePassword,
// then the auth chart's own sign-out and sign-in through its public calls. Each reports what
// happened; the chart decides what follows. Passwords leave the vault only as a request is built.
import { fromPromise } from 'xstate';
import type { EverywhereSignOut } from '../../../machines/account/updatePasswordMachine.js';
import type { ErrorInfo } from '../../../machines/types.js';
import { secretOf, signedInToken, type AccountServices } from './kit.js';

/** The public calls of the auth instance the flow takes part through (src/authCore.ts's Auth). */
export interface SessionCalls {
  getSession(): Promise<{ readonly username?: string }>;
  signOut(options: { readonly global: boolean }): Promise<{ readonly type: EverywhereSignOut['type']; readonly globalSignOutError?: ErrorInfo; readonly error?: ErrorInfo }>;
  signIn(options: { readonly username: string; readonly password: string }): Promise<{ readonly isSignedIn: boolean; readonly nextStep: { readonly signInStep: string } }>;
}

/** Only an error's name and message: a sign-out result's errors carry the tokens to retry with. */
const named = (error: ErrorInfo | undefined): ErrorInfo | undefined => error && { name: error.name, message: error.message };

export function createUpdatePasswordActors(services: AccountServices, auth: SessionCalls) {
  const { calls, vault } = services;
  return {
    changePassword: fromPromise<{ readonly username: string }, { readonly oldPassword: string; readonly newPassword: string }>(async ({ input, signal }) => {
      const accessToken = await signedInToken(services);
      const { username = '' } = await auth.getSession();
      await calls.changePassword({ accessToken, oldPassword: secretOf(vault, input.oldPassword), newPassword: secretOf(vault, input.newPassword) }, signal);
      return { username };
    }),
    // The auth chart's own calls take no signal: once begun, a sign-out or sign-in runs to its end
    // in the auth chart (bounded there), even if this flow is stopped meanwhile.
    signOutEverywhere: fromPromise<EverywhereSignOut, void>(async () => {
      const { type, globalSignOutError, error } = await auth.signOut({ global: true });
      const notDone = named(globalSignOutError);
      const failure = named(error);
      return { type, ...(notDone && { globalSignOutError: notDone }), ...(failure && { error: failure }) };
    }),
    signInAgain: fromPromise<{ readonly signedIn: boolean; readonly signInStep: string }, { readonly username: string; readonly password: string }>(async ({ input }) => {
      const { isSignedIn, nextStep } = await auth.signIn({ username: input.username, password: secretOf(vault, input.password) });
      return { signedIn: isSignedIn, signInStep: nextStep.signInStep };
    }),
  };
}
