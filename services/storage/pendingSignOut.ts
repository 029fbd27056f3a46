// The record of a sign-out at the hosted UI in flight: it stands in for an outbox for layer 3 (the
// `cognito` cookie), which only a browser visit to /logout can end. It holds where /logout returns
// and what layers 1 and 2 and the device clear came to, so that handleRedirect() on the return can
// deliver the whole result. No token: the device is already cleared when it is written.
import type { ErrorInfo, FinishedBy, SignOutOutcome } from '../../machines/types.js';
import { storageKeys } from './keys.js';
import { isFreshPending } from './pendingSignIn.js';
import { createStorageQueue } from './queue.js';
import type { StorageLike } from './storage.js';
import type { LazyKit } from '../actors/lazyKit.js';

/** What a sign-out had done before it went to /logout: complete or partial, never failed (the device is cleared). */
export type SignOutBeforeLogout = Extract<SignOutOutcome, { type: 'complete' | 'partial' }>;

export interface PendingSignOut {
  /** The logout_uri sent to /logout: the return to recognize. */
  readonly returnTo: string;
  readonly outcome: SignOutBeforeLogout;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

export interface PendingSignOutStore {
  write(pending: PendingSignOut): Promise<void>;
  /** The record, or null when there is none, it is not one, or it is stale (isFreshPending). */
  read(): Promise<PendingSignOut | null>;
  clear(): Promise<void>;
}

/** The pending sign-out, in `storage` under `authchart.<clientId>.pendingSignOut`; calls bounded and in order. */
export function createPendingSignOutStore(storage: StorageLike, options: { clientId: string; timeoutMs: number; now?: () => number; kit: LazyKit }): PendingSignOutStore {
  const { createStorageQueue, storageKeys } = options.kit;
  const key = storageKeys(options.clientId).pendingSignOut;
  const now = options.now ?? Date.now;
  const queue = createStorageQueue(options.timeoutMs);
  return {
    async write(pending) {
      const text = JSON.stringify(pending);
      await queue('record the sign-out at the hosted UI', () => storage.setItem(key, text));
    },
    async read() {
      const raw: unknown = await queue('read the sign-out at the hosted UI', () => storage.getItem(key));
      if (typeof raw !== 'string') return null;
      try {
        const value: unknown = JSON.parse(raw);
        return parsePending(value, now(), options.kit.redact);
      } catch {
        return null;
      }
    },
    async clear() {
      await queue('clear the sign-out at the hosted UI', () => storage.removeItem(key));
    },
  };
}

const FINISHERS: readonly FinishedBy[] = ['outbox', 'retrySignOut', 'nothing', 'openLogoutUrl'];

/** The record as stored, checked field by field: storage is the app's, so its text is redacted again. */
function parsePending(value: unknown, now: number, redact: LazyKit['redact']): PendingSignOut | null {
  if (!isObject(value) || typeof value.returnTo !== 'string' || typeof value.createdAt !== 'number' || !isFreshPending(value.createdAt, now)) return null;
  const outcome = value.outcome;
  if (!isObject(outcome)) return null;
  const base = { returnTo: value.returnTo, createdAt: value.createdAt };
  if (outcome.type === 'complete') return { ...base, outcome: { type: 'complete' } };
  if (outcome.type !== 'partial' || !FINISHERS.includes(outcome.finishedBy as FinishedBy)) return null;
  const globalSignOutError = errorOf(outcome.globalSignOutError, redact);
  const revokeTokenError = errorOf(outcome.revokeTokenError, redact);
  if (globalSignOutError === null || revokeTokenError === null) return null;
  return {
    ...base,
    outcome: { type: 'partial', finishedBy: outcome.finishedBy as FinishedBy, ...(globalSignOutError && { globalSignOutError }), ...(revokeTokenError && { revokeTokenError }) },
  };
}

/** undefined when absent, null when malformed. */
function errorOf(value: unknown, redact: LazyKit['redact']): ErrorInfo | undefined | null {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value.name !== 'string' || typeof value.message !== 'string') return null;
  return { name: redact(value.name, [], 100), message: redact(value.message) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
