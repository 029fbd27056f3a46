// The record of a sign-in with redirect in flight: what the app must still hold when the browser
// comes back from Cognito's /oauth2/authorize (the state to check, the PKCE verifier to send).
import type { LazyKit } from '../actors/lazyKit.js';
import type { StorageLike } from './storage.js';

export interface PendingSignIn {
  /** The `state` sent to /oauth2/authorize; the redirect back must carry the same. */
  readonly state: string;
  /** The PKCE verifier. A secret: never in an error message. */
  readonly verifier: string;
  /** The redirect_uri sent to /oauth2/authorize; the code exchange must send the same. */
  readonly redirectUri: string;
  /** The app's own value, handed back after the sign-in. */
  readonly customState?: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

export interface PendingSignInStore {
  write(pending: PendingSignIn): Promise<void>;
  /** The record, or null when there is none, it is not one, or it is older than PENDING_SIGN_IN_MAX_AGE_MS. */
  read(): Promise<PendingSignIn | null>;
  clear(): Promise<void>;
}

export interface PendingSignInStoreOptions {
  readonly clientId: string;
  /** Each storage call fails with StorageTimeoutError after this. */
  readonly timeoutMs: number;
  /** Clock in epoch milliseconds. Default Date.now. */
  readonly now?: () => number;
  /** What this chunk takes from the up-front load, handed in (services/actors/lazyKit.ts says why). */
  readonly kit: LazyKit;
}

/** A pending sign-in (or sign-out at the hosted UI) older than this is ignored: Cognito's code lives 5 minutes. */
export const PENDING_SIGN_IN_MAX_AGE_MS = 10 * 60_000;
/** A record this far in the future is still accepted (clock adjustments); beyond, ignored. */
const FUTURE_SKEW_MS = 60_000;

/** A pending record written at `createdAt` still counts at `now`. */
export function isFreshPending(createdAt: number, now: number): boolean {
  const age = now - createdAt;
  return age <= PENDING_SIGN_IN_MAX_AGE_MS && age >= -FUTURE_SKEW_MS;
}

/** The pending sign-in, in `storage` under `authchart.<clientId>.pendingSignIn`; calls bounded and in order. */
export function createPendingSignInStore(storage: StorageLike, options: PendingSignInStoreOptions): PendingSignInStore {
  const { createStorageQueue, storageKeys } = options.kit;
  const key = storageKeys(options.clientId).pendingSignIn;
  const now = options.now ?? Date.now;
  const queue = createStorageQueue(options.timeoutMs);
  return {
    async write(pending) {
      // The TypeError names the fields, never their values (the verifier is a secret).
      if (!isPendingSignIn(pending)) throw new TypeError('A pending sign-in needs string state, verifier and redirectUri, an optional string customState and a finite createdAt');
      const text = JSON.stringify(normalized(pending));
      await queue('write the pending sign-in', () => storage.setItem(key, text));
    },
    async read() {
      const raw: unknown = await queue('read the pending sign-in', () => storage.getItem(key));
      if (typeof raw !== 'string') return null;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        return null;
      }
      if (!isPendingSignIn(value) || !isFreshPending(value.createdAt, now())) return null;
      return normalized(value);
    },
    async clear() {
      await queue('clear the pending sign-in', () => storage.removeItem(key));
    },
  };
}

/** Only the fields of a PendingSignIn, whatever else the object holds. */
function normalized(p: PendingSignIn): PendingSignIn {
  return {
    state: p.state,
    verifier: p.verifier,
    redirectUri: p.redirectUri,
    ...(p.customState !== undefined && { customState: p.customState }),
    createdAt: p.createdAt,
  };
}

function isPendingSignIn(value: unknown): value is PendingSignIn {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const text = (x: unknown) => typeof x === 'string' && x !== '';
  return (
    text(v.state) &&
    text(v.verifier) &&
    text(v.redirectUri) &&
    (v.customState === undefined || typeof v.customState === 'string') &&
    typeof v.createdAt === 'number' &&
    Number.isFinite(v.createdAt)
  );
}
