// deleteUser(): the façade over the account deletion chart (machines/account/deleteUserMachine.ts).
// It sends one event and hands back the chart's outcome, and wires the chart's actors to the
// instance: its store and outbox, and its auth chart, which ends the deleted user's session.
import { deleteUserMachine, type DeleteUserAnswer, type DeleteUserEvent, type DeleteUserOutcome } from '../../machines/account/deleteUserMachine.js';
import { createDeleteUserActors } from '../../services/actors/account/deleteUser.js';
import type { AccountKit } from './kit.js';

/**
 * What deleteUser() resolves, in the sign-out result's form: `complete` (the user is deleted and
 * this device cleared), `partial` (deleted and cleared, but queued sign-outs of that user are left
 * in the outbox: `outboxError`), or `failed` (`userDeleted: false`: DeleteUser was refused or got no
 * answer, and the user is still signed in; `userDeleted: true`: the device could not be cleared).
 * It carries no token.
 */
export type DeleteUserResult = DeleteUserOutcome;

export interface DeleteUserCalls {
  /**
   * Deletes the signed-in user at Cognito (DeleteUser, with the access token; refreshed first when
   * about to expire), then ends the session on this device as a session Cognito ended is ended:
   * cleared from storage, the other tabs told, `signedOut` announced with reason `sessionEnded`.
   * No RevokeToken or GlobalSignOut is sent: the user's tokens are dead. Then the outbox's queued
   * sign-outs of that user are dropped. If DeleteUser fails, nothing else happens. Ends by
   * 2 N + 18 S (the token, DeleteUser, then the auth chart's read and clear of the store, each step
   * bounded; docs/account-flows.md), plus 4 S for each queued sign-out of the user it drops. Resolves a DeleteUserResult whatever
   * happened after the call was sent; rejects only when it could not be sent: AuthStateError
   * UserUnAuthenticatedException (nobody signed in), AccountStepInProgress (a deleteUser() is
   * running), RevokedSessionNotCleared, or the error getSession() gave for the token
   * (CognitoUnreachableError, StorageError); AuthStoppedError after stop().
   */
  deleteUser(): Promise<DeleteUserResult>;
}

export function deleteUserCalls(kit: AccountKit): DeleteUserCalls {
  const { auth, runtime } = kit;
  const { settings } = runtime;
  const actors = createDeleteUserActors(kit.services, {
    store: runtime.store,
    outbox: runtime.outbox,
    storage: settings.storage,
    clientId: settings.clientId,
    storageTimeoutMs: settings.storageTimeoutMs,
    // The auth chart reads the store again, as when another tab signed in (adoptingSession): it finds
    // its session's tokens marked revoked and ends the session (endingSession). getSession() waits
    // for where it comes to rest; its answer is not what counts: the store is read afterwards.
    rereadInChart: async () => {
      auth.actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
      await auth.getSession().catch(() => undefined);
    },
    lastClearError: () => auth.actor.getSnapshot().context.clearError,
  });
  const ask = kit.flow<DeleteUserEvent, DeleteUserAnswer>(deleteUserMachine.provide({ actors }));
  return {
    deleteUser: async () => {
      kit.live('deleteUser');
      const answer = await ask('deleteUser', { type: 'DELETE_USER' });
      return answer.outcome;
    },
  };
}
