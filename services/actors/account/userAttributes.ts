// The attributes chart's actors (machines/account/userAttributesMachine.ts): the attribute calls
// with the signed-in user's access token, and the record of changes waiting for a code in the app's
// storage (under accountKeys(clientId).pendingAttributeChanges), read and written in turn, each
// storage call bounded. The code leaves the vault only as VerifyUserAttribute is built.
import { fromPromise } from 'xstate';
import { ACCOUNT_REFUSALS, type CodeDelivery } from '../../../machines/account/shared.js';
import { pendingAfter, type PendingAttributeChanges, type PendingAttributeRecord, type PendingChange } from '../../../machines/account/pendingAttributes.js';
import { CognitoCallError } from '../../cognito/errors.js';
import { parseJsonObject } from '../../encoding/json.js';
import { accountKeys } from '../../storage/accountKeys.js';
import { createStorageQueue } from '../../storage/queue.js';
import type { StorageLike } from '../../storage/storage.js';
import { secretOf, signedInToken, type AccountServices } from './kit.js';

/** Where the record lives: the instance's storage, its client id, and its storage bound (storageTimeoutMs). */
export interface PendingAttributeStorage {
  readonly storage: StorageLike;
  readonly clientId: string;
  readonly timeoutMs: number;
  /** The signed-in user's username (auth.getSession()), undefined with nobody signed in. */
  readonly username: () => Promise<string | undefined>;
}

/** The stored record, or an empty one when there is none or it is not one (a record is only a convenience: a bad one is dropped). */
const parsed = (text: string | null | undefined): PendingAttributeRecord => (typeof text === 'string' ? ((parseJsonObject(text) ?? {}) as PendingAttributeRecord) : {});

export function createUserAttributesActors(services: AccountServices, where: PendingAttributeStorage) {
  const { calls, vault } = services;
  const key = accountKeys(where.clientId).pendingAttributeChanges;
  const queue = createStorageQueue(where.timeoutMs);
  const signedInUser = async (): Promise<string> => {
    const username = await where.username();
    if (username === undefined) throw new CognitoCallError(ACCOUNT_REFUSALS.notSignedIn.name, ACCOUNT_REFUSALS.notSignedIn.message);
    return username;
  };
  const read = async () => parsed(await queue('read the pending attribute changes', () => where.storage.getItem(key)));
  return {
    getUser: fromPromise<{ readonly attributes: Readonly<Record<string, string>> }, void>(async ({ signal }) => ({ attributes: (await calls.getUser(await signedInToken(services), signal)).attributes })),
    updateUserAttributes: fromPromise<{ readonly codeDeliveries: readonly CodeDelivery[] }, { readonly attributes: Readonly<Record<string, string>> }>(async ({ input, signal }) =>
      calls.updateUserAttributes(await signedInToken(services), input.attributes, signal),
    ),
    verifyUserAttribute: fromPromise<void, { readonly attributeName: string; readonly code: string }>(async ({ input, signal }) => {
      const accessToken = await signedInToken(services);
      await calls.verifyUserAttribute(accessToken, input.attributeName, secretOf(vault, input.code), signal);
    }),
    sendVerificationCode: fromPromise<{ readonly codeDelivery?: CodeDelivery }, { readonly attributeName: string }>(async ({ input, signal }) =>
      calls.sendUserAttributeVerificationCode(await signedInToken(services), input.attributeName, signal),
    ),
    deleteUserAttributes: fromPromise<void, { readonly attributeNames: readonly string[] }>(async ({ input, signal }) => calls.deleteUserAttributes(await signedInToken(services), input.attributeNames, signal)),
    readPending: fromPromise<PendingAttributeChanges, void>(async () => {
      const username = await signedInUser();
      return (await read())[username] ?? {};
    }),
    recordPending: fromPromise<void, PendingChange>(async ({ input }) => {
      const username = await signedInUser();
      const before = await read();
      const after = pendingAfter(before, username, input, services.now());
      if (JSON.stringify(after) === JSON.stringify(before)) return;
      await (Object.keys(after).length === 0
        ? queue('remove the pending attribute changes', () => where.storage.removeItem(key))
        : queue('write the pending attribute changes', () => where.storage.setItem(key, JSON.stringify(after))));
    }),
  };
}
