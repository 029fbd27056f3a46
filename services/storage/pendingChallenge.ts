// The record of a sign-in that waits for its challenge's answer (createAuth's durableChallenges):
// what another instance over the same storage needs to answer it. On a server every request runs
// its own instance, so the one that answers is never the one that asked. Loaded on first use
// (services/actors/durableChallenges.ts): an app without durableChallenges never carries it.
import type { ChallengeName, ChallengeSummary, StoredChallenge } from '../../machines/authTypes.js';
import type { SecretVault } from './secretVault.js';
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
  /** How the sign-in was made (createAuth always says; a bare machine's own actors may not). */
  readonly authFlow?: ChallengeSummary['authFlow'] | undefined;
  /** When the Session expires (AuthSessionValidity after the step began), in epoch milliseconds. */
  readonly deadline: number;
  /** Masked, e.g. '+*******1234' (SMS_MFA). */
  readonly codeDeliveryDestination?: string;
  /** Attributes Cognito requires with the new password (NEW_PASSWORD_REQUIRED). */
  readonly missingAttributes?: readonly string[];
  /** The factors offered (SELECT_MFA_TYPE, MFA_SETUP). */
  readonly mfaTypes?: readonly ('TOTP' | 'SMS' | 'EMAIL')[];
  /** MFA_SETUP once a factor is chosen. A TOTP setup's secret is never stored: after a reload the app cannot show it again (sign in again for a new one). */
  readonly setup?: 'TOTP' | 'EMAIL';
  /** The first factors offered (SELECT_CHALLENGE). */
  readonly availableChallenges?: ChallengeSummary['availableChallenges'];
  /** SELECT_CHALLENGE once PASSWORD or PASSWORD_SRP is chosen: the password is due. */
  readonly firstFactor?: 'PASSWORD' | 'PASSWORD_SRP';
}

/** The pending challenge in `storage` under `authchart.<clientId>.pendingChallenge`; calls bounded (storageTimeoutMs) and in order. */
export interface PendingChallengeStore {
  /** Replaces the record. */
  write(pending: PendingChallenge): Promise<void>;
  /** The record, or null when there is none or what is stored is not one. Past its deadline or not: the chart decides. */
  read(): Promise<PendingChallenge | null>;
  /** Removes the record. */
  clear(): Promise<void>;
  /**
   * The record as loadSession reports it: the challenge, its Session deposited in `vault` (the
   * chart gets a reference only). Read as it is, past its deadline or not: the chart decides.
   */
  readChallenge(vault: SecretVault): Promise<StoredChallenge | null>;
}

const FLOWS: readonly string[] = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'USER_AUTH'];

/** The challenges a record may name: every ChallengeName (the type checks that none is missing). Not read from CHALLENGES: that would share a chunk with the sign-in flow. */
const NAMES: Readonly<Record<ChallengeName, true>> = { NEW_PASSWORD_REQUIRED: true, SOFTWARE_TOKEN_MFA: true, SMS_MFA: true, EMAIL_OTP: true, SELECT_MFA_TYPE: true, MFA_SETUP: true, SELECT_CHALLENGE: true, SMS_OTP: true, WEB_AUTHN: true };
const MFA_TYPES: readonly string[] = ['TOTP', 'SMS', 'EMAIL'];
const FIRST_FACTORS: readonly string[] = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

export function createPendingChallengeStore(storage: StorageLike, options: { readonly clientId: string; readonly timeoutMs: number; readonly kit: LazyKit }): PendingChallengeStore {
  const { createStorageQueue, storageKeys } = options.kit;
  const key = storageKeys(options.clientId).pendingChallenge;
  const queue = createStorageQueue(options.timeoutMs);
  const store: PendingChallengeStore = {
    async write(pending) {
      // The TypeError names the fields, never their values (the session is a secret).
      if (!isPendingChallenge(pending)) throw new TypeError('A pending challenge needs a known name, a username, a string session, a known authFlow if any, and a finite deadline');
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
    async readChallenge(vault) {
      const pending = await store.read();
      if (!pending) return null;
      const { session, ...challenge } = pending;
      return { challenge: { ...challenge, sessionRef: vault.deposit(session) } };
    },
  };
  return store;
}

/** Only the fields of a PendingChallenge, whatever else the object holds. */
function normalized(p: PendingChallenge): PendingChallenge {
  return {
    name: p.name,
    username: p.username,
    session: p.session,
    ...(p.authFlow !== undefined && { authFlow: p.authFlow }),
    deadline: p.deadline,
    ...(p.codeDeliveryDestination !== undefined && { codeDeliveryDestination: p.codeDeliveryDestination }),
    ...(p.missingAttributes !== undefined && { missingAttributes: [...p.missingAttributes] }),
    ...(p.mfaTypes !== undefined && { mfaTypes: [...p.mfaTypes] }),
    ...(p.setup !== undefined && { setup: p.setup }),
    ...(p.availableChallenges !== undefined && { availableChallenges: [...p.availableChallenges] }),
    ...(p.firstFactor !== undefined && { firstFactor: p.firstFactor }),
  };
}

/** Absent, or a list of `known` names. */
const within = (list: unknown, known: readonly string[]) => list === undefined || (Array.isArray(list) && list.every((name) => known.includes(name as string)));

function isPendingChallenge(value: unknown): value is PendingChallenge {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const text = (x: unknown) => typeof x === 'string' && x !== '';
  return (
    typeof v.name === 'string' && Object.prototype.hasOwnProperty.call(NAMES, v.name) &&
    text(v.username) &&
    typeof v.session === 'string' &&
    (v.authFlow === undefined || FLOWS.includes(v.authFlow as string)) &&
    typeof v.deadline === 'number' &&
    Number.isFinite(v.deadline) &&
    (v.codeDeliveryDestination === undefined || typeof v.codeDeliveryDestination === 'string') &&
    (v.missingAttributes === undefined || (Array.isArray(v.missingAttributes) && v.missingAttributes.every((a) => typeof a === 'string'))) &&
    within(v.mfaTypes, MFA_TYPES) &&
    (v.setup === undefined || v.setup === 'TOTP' || v.setup === 'EMAIL') &&
    within(v.availableChallenges, FIRST_FACTORS) &&
    (v.firstFactor === undefined || v.firstFactor === 'PASSWORD' || v.firstFactor === 'PASSWORD_SRP')
  );
}
