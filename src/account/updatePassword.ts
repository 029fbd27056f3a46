// updatePassword(): the façade over the password-change chart (machines/account/updatePasswordMachine.ts).
// It validates its argument, leaves both passwords in the vault, sends one event, and maps the
// chart's answer to the result issue 21 fixes: `{ passwordChanged, otherSessionsSignedOut, signedInAgain, error? }`.
import { updatePasswordMachine, type UpdatePasswordAnswer, type UpdatePasswordEvent } from '../../machines/account/updatePasswordMachine.js';
import { createUpdatePasswordActors } from '../../services/actors/account/updatePassword.js';
import { AuthValidationError, type AuthError } from '../errors.js';
import { objectOrUndefined, text } from '../validate.js';
import { toAccountError, type AccountKit } from './kit.js';

/** updatePassword()'s argument. */
export interface UpdatePasswordInput {
  /** The current password: 1 to 256 characters. Never stored, never in the statechart or an error. */
  readonly oldPassword: string;
  /** The new password: 1 to 256 characters, within the pool's password policy. Never stored, never in the statechart or an error. */
  readonly newPassword: string;
  /**
   * End every other session of the user (GlobalSignOut, through auth.signOut({ global: true })),
   * then sign this device in again with the new password (auth.signIn()), so that only this
   * device stays signed in. Default false: the other sessions keep their refresh tokens.
   */
  readonly signOutOtherSessions?: boolean;
}

/** updatePassword()'s result: what each step did (docs/account-flows.md, The password change). */
export interface UpdatePasswordOutput {
  /** Always true: a ChangePassword that failed rejects instead. */
  readonly passwordChanged: true;
  /** GlobalSignOut was done: every session of the user ended, this device's too. False without `signOutOtherSessions`. */
  readonly otherSessionsSignedOut: boolean;
  /** This device is signed in again with the new password. False without `signOutOtherSessions`, or when a step after ChangePassword failed. */
  readonly signedInAgain: boolean;
  /**
   * The sign-in again stopped at a challenge (an MFA code): its step, as signIn()'s
   * `nextStep.signInStep`. Answer it with auth.confirmSignIn(); nobody is signed in until then.
   */
  readonly signInStep?: string;
  /**
   * Why a step after ChangePassword did not succeed: the sign-out's (GlobalSignOut's error, e.g.
   * NetworkError; the user is then signed out on this device and not signed in again), or the
   * sign-in's (signedInAgain false; nobody is signed in on this device).
   */
  readonly error?: AuthError;
}

export interface UpdatePasswordCalls {
  /**
   * Changes the signed-in user's password (ChangePassword, with the access token getSession()
   * gives). Ends by N + S; with `signOutOtherSessions`, by the sum of the sign-out's bound
   * (N + 4 S) and signIn()'s (N + 3 S) more. Resolves once every step asked for has ended, each
   * reported; a step after ChangePassword that fails does not reject (see UpdatePasswordOutput).
   * Rejects, with nothing changed, with AuthValidationError, AuthStateError
   * UserUnAuthenticatedException (nobody signed in: nothing is sent) or AccountStepInProgress
   * (another updatePassword() runs), CognitoServiceError (NotAuthorizedException: the old password
   * is wrong; InvalidPasswordException: the pool's password policy; LimitExceededException,
   * TooManyRequestsException, …), CognitoUnreachableError, or StorageError.
   */
  updatePassword(input: UpdatePasswordInput): Promise<UpdatePasswordOutput>;
}

function toOutput(answer: UpdatePasswordAnswer): UpdatePasswordOutput {
  const { otherSessionsSignedOut, signedInAgain, signInStep, error } = answer;
  return { passwordChanged: true, otherSessionsSignedOut, signedInAgain, ...(signInStep !== undefined && { signInStep }), ...(error && { error: toAccountError(error) }) };
}

export function updatePasswordCalls(kit: AccountKit): UpdatePasswordCalls {
  const { services, vault } = kit;
  const ask = kit.flow<UpdatePasswordEvent, UpdatePasswordAnswer>(updatePasswordMachine.provide({ actors: createUpdatePasswordActors(services, kit.auth) }));
  return {
    updatePassword: async (input) => {
      kit.live('updatePassword');
      const { oldPassword, newPassword, signOutOtherSessions = false } = objectOrUndefined(input ?? null, 'updatePassword input', '{ oldPassword, newPassword, signOutOtherSessions }');
      text('oldPassword', oldPassword, 256, false);
      text('newPassword', newPassword, 256, false);
      if (typeof signOutOtherSessions !== 'boolean') throw new AuthValidationError('signOutOtherSessions', 'must be a boolean');
      const receipts = [vault.deposit(oldPassword), vault.deposit(newPassword), ...(signOutOtherSessions ? [vault.deposit(newPassword)] : [])] as const;
      const [old, next, again] = receipts;
      const answer = await ask('updatePassword', { type: 'UPDATE_PASSWORD', oldPassword: old, newPassword: next, ...(again !== undefined && { signInPassword: again }) }).finally(() => receipts.forEach((ref) => vault.discard(ref)));
      return toOutput(answer);
    },
  };
}
