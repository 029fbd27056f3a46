// The account deletion chart's actors (machines/account/deleteUserMachine.ts): DeleteUser, the end of
// the deleted user's session through the auth chart, and the sign-out outbox's entries read and
// dropped. Each reports facts; the chart decides. Tokens are read here, as each request or write is
// made, and never leave.
import { fromPromise } from 'xstate';
import type { DeleteUserCall, QueuedIntentFacts, SessionAfterDeletion } from '../../../machines/account/deleteUserMachine.js';
import { toErrorInfo } from '../../../machines/errorInfo.js';
import type { Settlement } from '../../../machines/signOutTypes.js';
import type { ErrorInfo } from '../../../machines/types.js';
import { readJwtClaims } from '../../encoding/jwt.js';
import { createStorageQueue } from '../../storage/queue.js';
import { outboxKey, storedIntentsIn, type SignOutOutbox } from '../../storage/signOutOutbox.js';
import type { StorageLike } from '../../storage/storage.js';
import type { TokenStore } from '../../storage/tokenStore.js';
import { signedInToken, type AccountServices } from './kit.js';

/** What the deletion needs of its createAuth instance besides the account calls. */
export interface DeletionParts {
  readonly store: Pick<TokenStore, 'load' | 'read'>;
  readonly outbox: Pick<SignOutOutbox, 'persists' | 'record' | 'settle'>;
  /** The app's storage, where the outbox keeps its entries, with the instance's clientId and storageTimeoutMs. */
  readonly storage: StorageLike;
  readonly clientId: string;
  readonly storageTimeoutMs: number;
  /**
   * Has the auth chart read the store again, and resolves once it has come to rest where that
   * left it (whatever that is: the chart's own deadlines bound it).
   */
  readonly rereadInChart: () => Promise<void>;
  /** The auth chart's last clear error (its context holds no token), or null. */
  readonly lastClearError: () => ErrorInfo | null;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The `sub` claim of an access token, when it has one. */
function subOf(accessToken: string | undefined): { readonly sub?: string } {
  const sub = accessToken === undefined ? undefined : text(readJwtClaims(accessToken)?.sub);
  return sub === undefined ? {} : { sub };
}

export function createDeleteUserActors(services: AccountServices, parts: DeletionParts) {
  const { store, outbox } = parts;
  const run = createStorageQueue(parts.storageTimeoutMs);
  const key = outboxKey(parts.clientId);
  const stored = async () => (outbox.persists ? storedIntentsIn(await run('read the sign-out outbox', () => parts.storage.getItem(key))) : []);

  return {
    deleteUser: fromPromise<DeleteUserCall>(async ({ signal }) => {
      const accessToken = await signedInToken(services);
      const user = subOf(accessToken);
      try {
        await services.calls.deleteUser(accessToken, signal);
        return user;
      } catch (error) {
        return { ...user, error: toErrorInfo(error) };
      }
    }),
    endSession: fromPromise<SessionAfterDeletion, { readonly settlement: Settlement }>(async ({ input, signal }) => {
      // A store that cannot be read is left to the auth chart's own read (it says why), and to the read below.
      const session = await store.load().catch(() => null);
      if (session) {
        // A session without a refresh token is found by its access token, which only a global intent keeps.
        const { accessToken, refreshToken } = session;
        const intentId = await outbox.record({ accessToken, ...(refreshToken && { refreshToken }) }, refreshToken === undefined);
        await outbox.settle({ intentId, settlement: input.settlement });
      }
      // Stopped meanwhile: the mark stands, and the next load of the store ends the session.
      if (!signal.aborted) await parts.rereadInChart();
      const read = await store.read().then(
        (held): SessionAfterDeletion['store'] => (held === null ? 'gone' : 'stored'),
        () => 'unknown' as const,
      );
      const clearError = read === 'gone' ? null : parts.lastClearError();
      return { store: read, ...(clearError && { clearError }) };
    }),
    readOutbox: fromPromise<readonly QueuedIntentFacts[]>(async () => (await stored()).map(({ id, revoked, tokens }) => ({ id, revoked, ...subOf(tokens.accessToken) }))),
    dropIntents: fromPromise<{ readonly left: readonly string[] }, { readonly ids: readonly string[] }>(async ({ input, signal }) => {
      for (const id of input.ids) {
        if (signal.aborted) break;
        const entry = (await stored()).find((candidate) => candidate.id === id);
        if (!entry) continue; // settled meanwhile
        // The outbox's own read-modify-write: the entry is taken as this instance's (record finds it by its tokens), then removed.
        const intentId = await outbox.record(entry.tokens, true);
        await outbox.settle({ intentId, settlement: 'remove' });
      }
      const left = new Set((await stored()).map((entry) => entry.id));
      return { left: input.ids.filter((id) => left.has(id)) };
    }),
  };
}
