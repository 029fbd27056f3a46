// The record of a sign-in that waits for its challenge's answer (createAuth's durableChallenges):
// what another instance over the same storage needs to answer it. On a server every request runs
// its own instance, so the one that answers is never the one that asked. Loaded on first use
// (services/actors/durableChallenges.ts): an app without durableChallenges never carries it.
import { CHALLENGE_NAMES, type ChallengeName } from '../../machines/authTypes.js';
import type { LazyKit } from '../actors/lazyKit.js';
import type { StorageLike } from './storage.js';

/** A pending challenge as stored. It holds Cognito's challenge Session (a secret) and never a password. */
export interface PendingChallenge {
  /** Which challenge. */
  readonly name: ChallengeName;
  /** The USERNAME to answer with. */
  readonly username: string;
  /** Cognito's challenge Session: a secret, in storage only (never in an error message). */
  readonly session: string;
  /** How the sign-in was made. */
  readonly authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /** When the Session expires (AuthSessionValidity after the step began), in epoch milliseconds. */
  readonly deadline: number;
  /** Masked, e.g. '+*******1234' (SMS_MFA). */
  readonly codeDeliveryDestination?: string;
  /** Attributes Cognito requires with the new password (NEW_PASSWORD_REQUIRED). */
  readonly missingAttributes?: readonly string[];
}

/** The pending challenge in `storage` under `authchart.<clientId>.pendingChallenge`; calls bounded (storageTimeoutMs) and in order. */
export interface PendingChallengeStore {
  /** Replaces the record. */
  write(pending: PendingChallenge): Promise<void>;
  /** The record, or null when there is none or what is stored is not one. Past its deadline or not: the chart decides. */
  read(): Promise<PendingChallenge | null>;
  /** Removes the record. */
  clear(): Promise<void>;
}

const FLOWS: readonly string[] = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'];

export function createPendingChallengeStore(storage: StorageLike, options: { readonly clientId: string; readonly timeoutMs: number; readonly kit: LazyKit }): PendingChallengeStore {
  const { createStorageQueue, storageKeys } = options.kit;
  const key = storageKeys(options.clientId).pendingChallenge;
  const queue = createStorageQueue(options.timeoutMs);
  return {
    async write(pending) {
      // The TypeError names the fields, never their values (the session is a secret).
      if (!isPendingChallenge(pending)) throw new TypeError('A pending challenge needs a known name, a username, a session, an authFlow and a finite deadline');
      const text = JSON.stringify(normalized(pending));
      await queue('write the pending challenge', () => storage.setItem(key, text));
    },
    async read() {
      const raw: unknown = await queue('read the pending challenge', () => storage.getItem(key));
      if (typeof raw !== 'string') return null;
      const value = options.kit.parseJsonObject(raw);
      return value && isPendingChallenge(value) ? normalized(value) : null;
    },
    async clear() {
      await queue('remove the pending challenge', () => storage.removeItem(key));
    },
  };
}

/** Only the fields of a PendingChallenge, whatever else the object holds. */
function normalized(p: PendingChallenge): PendingChallenge {
  return {
    name: p.name,
    username: p.username,
    session: p.session,
    authFlow: p.authFlow,
    deadline: p.deadline,
    ...(p.codeDeliveryDestination !== undefined && { codeDeliveryDestination: p.codeDeliveryDestination }),
    ...(p.missingAttributes !== undefined && { missingAttributes: [...p.missingAttributes] }),
  };
}

function isPendingChallenge(value: unknown): value is PendingChallenge {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const text = (x: unknown) => typeof x === 'string' && x !== '';
  return (
    (CHALLENGE_NAMES as readonly string[]).includes(v.name as string) &&
    text(v.username) &&
    text(v.session) &&
    FLOWS.includes(v.authFlow as string) &&
    typeof v.deadline === 'number' &&
    Number.isFinite(v.deadline) &&
    (v.codeDeliveryDestination === undefined || typeof v.codeDeliveryDestination === 'string') &&
    (v.missingAttributes === undefined || (Array.isArray(v.missingAttributes) && v.missingAttributes.every((a) => typeof a === 'string')))
  );
}
