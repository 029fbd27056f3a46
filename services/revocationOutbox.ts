import type { ErrorInfo } from '../machines/types.js';
import { ErrorNames } from '../machines/types.js';
import type { CognitoService } from './cognito.js';
import type { StorageLike } from './storage.js';
import { createStorageQueue } from './storageQueue.js';

/** Failures worth another try later; anything else means the token will never be revoked by retrying. */
const RETRYABLE = new Set<string>([ErrorNames.network, ErrorNames.timeout, ErrorNames.unexpectedResponse, 'TooManyRequestsException', 'InternalErrorException', 'ServiceUnavailableException', 'AbortError']);
export const isRetryableRevocation = (error: ErrorInfo | undefined): boolean => error !== undefined && RETRYABLE.has(error.name);

interface Entry {
  readonly token: string;
  readonly queuedAt: number;
  readonly attempts: number;
  readonly notBefore: number;
}

export interface DrainReport {
  /** Revoked on the server and removed. */
  readonly revoked: number;
  /** Removed without a revocation: too old, or refused for good (e.g. UnsupportedOperationException). */
  readonly dropped: number;
  /** Still waiting for a later attempt. */
  readonly pending: number;
}

export interface RevocationOutbox {
  /**
   * Write-ahead: the token is condemned before RevokeToken is sent, so a crash cannot lose it.
   * Until settle(), it belongs to the sign-out that added it and drains leave it alone: a drain's
   * RevokeToken racing that sign-out's GlobalSignOut would revoke the access token it is using.
   */
  add(refreshToken: string): Promise<void>;
  has(refreshToken: string): Promise<boolean>;
  /** After a revocation attempt: kept (with backoff) if it failed for a retryable reason, else removed. */
  settle(refreshToken: string, error: ErrorInfo | undefined): Promise<void>;
  /**
   * Tries the entries one at a time: those whose backoff has passed, or all of them with
   * `everyEntry` (an explicit flush, a new process). A throttled answer postpones the rest.
   */
  drain(options?: { signal?: AbortSignal; everyEntry?: boolean }): Promise<DrainReport>;
  /** Milliseconds until the next entry is due, or null when the outbox is empty. */
  nextAttemptIn(): Promise<number | null>;
}

export interface OutboxOptions {
  readonly storage: StorageLike;
  readonly clientId: string;
  readonly cognito: CognitoService;
  readonly timeoutMs: number;
  /** Entries older than this are dropped unrevoked. Default 30 days, Cognito's default refresh token life. */
  readonly maxAgeMs?: number;
  /** First retry delay; doubles per attempt up to 5 minutes, with jitter. Default 1000. */
  readonly retryBaseMs?: number;
  readonly now?: () => number;
}

const THIRTY_DAYS_MS = 30 * 24 * 3600_000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * Refresh tokens whose revocation has not been confirmed, kept in the app's storage under
 * `authchart.<clientId>.revocationOutbox`, apart from the session, so they survive a restart.
 */
export function createRevocationOutbox({ storage, clientId, cognito, timeoutMs, maxAgeMs = THIRTY_DAYS_MS, retryBaseMs = 1000, now = Date.now }: OutboxOptions): RevocationOutbox {
  const key = `authchart.${clientId}.revocationOutbox`;
  const run = createStorageQueue(timeoutMs);
  const backoff = (attempts: number) => Math.min(retryBaseMs * 2 ** (attempts - 1), MAX_RETRY_MS) * (0.5 + Math.random() / 2);

  const read = (): Promise<Entry[]> =>
    run('read the revocation outbox', async () => {
      const raw = await storage.getItem(key);
      return raw ? parseEntries(raw) : [];
    });
  /** Read-modify-write as one queued step, so concurrent changes never overwrite each other. */
  const mutate = (change: (entries: Entry[]) => Entry[]): Promise<void> =>
    run('update the revocation outbox', async () => {
      const raw = await storage.getItem(key);
      const entries = change(raw ? parseEntries(raw) : []);
      if (entries.length > 0) return storage.setItem(key, JSON.stringify({ version: 1, entries }));
      try {
        await storage.removeItem(key);
        if ((await storage.getItem(key)) == null) return;
      } catch {
        // a storage that cannot remove: an empty list serves as well
      }
      return storage.setItem(key, JSON.stringify({ version: 1, entries: [] }));
    });
  const without = (token: string) => (entries: Entry[]) => entries.filter((entry) => entry.token !== token);
  const postpone = (token: string) => (entries: Entry[]) =>
    entries.map((entry) => (entry.token === token ? { ...entry, attempts: entry.attempts + 1, notBefore: now() + backoff(entry.attempts + 1) } : entry));

  const held = new Set<string>(); // tokens a running sign-out is still handling
  let draining: Promise<DrainReport> | null = null;
  async function drainOnce(signal: AbortSignal | undefined, everyEntry: boolean): Promise<DrainReport> {
    let revoked = 0;
    let dropped = 0;
    for (const entry of await read()) {
      if (signal?.aborted) break;
      if (held.has(entry.token)) continue;
      if (now() - entry.queuedAt > maxAgeMs) {
        await mutate(without(entry.token));
        dropped += 1;
        continue;
      }
      if (!everyEntry && entry.notBefore > now()) continue;
      try {
        await cognito.revokeToken(entry.token, signal);
        await mutate(without(entry.token));
        revoked += 1;
      } catch (error) {
        const info = error as ErrorInfo;
        if (!isRetryableRevocation(info)) {
          await mutate(without(entry.token));
          dropped += 1;
          continue;
        }
        await mutate(postpone(entry.token));
        if (info.name === 'TooManyRequestsException') break; // throttled: back off before the rest
      }
    }
    return { revoked, dropped, pending: (await read()).length };
  }

  return {
    add(token) {
      held.add(token);
      return mutate((entries) => [...without(token)(entries), { token, queuedAt: now(), attempts: 0, notBefore: 0 }]);
    },
    has: async (token) => (await read()).some((entry) => entry.token === token),
    async settle(token, error) {
      try {
        await mutate(isRetryableRevocation(error) ? postpone(token) : without(token));
      } finally {
        held.delete(token);
      }
    },
    drain({ signal, everyEntry = false } = {}) {
      draining ??= drainOnce(signal, everyEntry).finally(() => (draining = null));
      return draining;
    },
    async nextAttemptIn() {
      const entries = await read();
      if (entries.length === 0) return null;
      return Math.max(0, Math.min(...entries.map((entry) => entry.notBefore)) - now());
    },
  };
}

function parseEntries(raw: string): Entry[] {
  try {
    const value = JSON.parse(raw) as { entries?: unknown };
    if (!Array.isArray(value.entries)) return [];
    return value.entries.filter(
      (entry): entry is Entry =>
        typeof entry === 'object' && entry !== null && typeof entry.token === 'string' && typeof entry.queuedAt === 'number' && typeof entry.attempts === 'number' && typeof entry.notBefore === 'number',
    );
  } catch {
    return []; // unreadable: nothing we could revoke with; the next write replaces it
  }
}
