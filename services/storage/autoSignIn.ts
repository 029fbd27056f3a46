// The record of a sign-up's auto sign-in (authchart/account, machines/account/signUpMachine.ts),
// in the app's storage under `authchart.<clientId>.autoSignIn`, so that it survives a reload and
// any instance over the same storage (another tab) can finish it. One record per app client.
import { parseJsonObject } from '../encoding/json.js';
import { accountKeys } from './accountKeys.js';
import { createStorageQueue, StorageFailure } from './queue.js';
import type { StorageLike } from './storage.js';

/**
 * A sign-up's auto sign-in as stored. Never a password.
 * - 'signedUp': signUp() asked for one; confirmSignUp() has not run. `session` is SignUp's, if Cognito sent one.
 * - 'confirmed': ConfirmSignUp answered `session`; autoSignIn() signs in with it until `deadline`.
 */
export interface AutoSignInRecord {
  readonly stage: 'signedUp' | 'confirmed';
  readonly username: string;
  /** Cognito's Session: a secret, in storage only (never in an error message, an event or a context). */
  readonly session?: string;
  /** Epoch ms, by the library's clock: past it, the record is dead. */
  readonly deadline: number;
}

/** The record's storage calls, each bounded by `timeoutMs` (StorageError past it) and run in order. */
export interface AutoSignInStore {
  /** Writes the record, then reads it back: a StorageError when the storage did not keep it as written. */
  write(record: AutoSignInRecord): Promise<void>;
  /** The record, or null when there is none or what is stored is not one. Past its deadline or not: the chart decides. */
  read(): Promise<AutoSignInRecord | null>;
  /** Removes the record. */
  clear(): Promise<void>;
}

const serialize = ({ stage, username, session, deadline }: AutoSignInRecord): string => JSON.stringify({ version: 1, stage, username, ...(session !== undefined && { session }), deadline });

function parse(raw: unknown): AutoSignInRecord | null {
  if (typeof raw !== 'string') return null;
  const value = parseJsonObject(raw);
  if (!value) return null;
  const { stage, username, session, deadline } = value;
  if ((stage !== 'signedUp' && stage !== 'confirmed') || typeof username !== 'string' || typeof deadline !== 'number' || !Number.isFinite(deadline)) return null;
  if (session !== undefined && typeof session !== 'string') return null;
  if (stage === 'confirmed' && session === undefined) return null;
  return { stage, username, deadline, ...(session !== undefined && { session }) };
}

export function createAutoSignInStore(storage: StorageLike, options: { readonly clientId: string; readonly timeoutMs: number }): AutoSignInStore {
  const key = accountKeys(options.clientId).autoSignIn;
  const queue = createStorageQueue(options.timeoutMs);
  return {
    write(record) {
      const text = serialize(record);
      return queue.step(2 * options.timeoutMs, async (turn) => {
        await turn.call('write the auto sign-in', () => storage.setItem(key, text));
        const back: unknown = await turn.call('read back the auto sign-in', () => storage.getItem(key));
        if (back !== text) throw new StorageFailure('Storage did not keep the auto sign-in as written');
      });
    },
    async read() {
      return parse(await queue('read the auto sign-in', () => storage.getItem(key)));
    },
    async clear() {
      await queue('remove the auto sign-in', () => storage.removeItem(key));
    },
  };
}
