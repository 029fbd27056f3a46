// The refresh lock where Web Locks are missing: a lease in the shared storage. Storage has no
// compare-and-set, so it is best effort: a writer waits a moment and reads its lease back before it
// counts as the holder, and a lease runs out after `leaseMs`, so a tab that dies holding it blocks
// the others no longer than that.
import type { RefreshLock } from './refreshLock.js';
import type { StorageLike } from '../storage/storage.js';

interface Lease {
  readonly owner: string;
  readonly until: number;
}

export interface StorageLockOptions {
  /** How long a lease lasts: a dead holder blocks the others at most this long (networkTimeoutMs). */
  readonly leaseMs: number;
  /** How long a writer waits before it reads its lease back (another tab's write may land meanwhile). */
  readonly settleMs?: number;
  /** How often a waiting tab looks again. */
  readonly pollMs?: number;
  readonly now?: () => number;
  /**
   * An abortable wait (fetchWire's sleep). Passed in rather than imported: this module loads through
   * import(), and a module it shared with the up-front load would become a chunk of its own.
   */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export function createStorageLock(storage: StorageLike, key: string, options: StorageLockOptions): RefreshLock {
  const { leaseMs, settleMs = 25, pollMs = 50, now = Date.now, sleep } = options;
  const read = async (): Promise<Lease | null> => {
    try {
      const value: unknown = JSON.parse(String(await storage.getItem(key)));
      const lease = value as Partial<Lease> | null;
      return lease && typeof lease.owner === 'string' && typeof lease.until === 'number' ? (lease as Lease) : null;
    } catch {
      return null;
    }
  };
  return {
    async run(signal, refresh) {
      const me = `${now().toString(36)}-${Math.random().toString(36).slice(2)}`;
      for (let waited = false; ; waited = true) {
        if (signal.aborted) throw signal.reason ?? new Error('aborted');
        const lease = await read();
        if (!lease || lease.until <= now()) {
          await storage.setItem(key, JSON.stringify({ owner: me, until: now() + leaseMs }));
          await sleep(settleMs, signal);
          if ((await read())?.owner === me) {
            try {
              return await refresh(waited);
            } finally {
              if ((await read())?.owner === me) await storage.removeItem(key);
            }
          }
        }
        await sleep(pollMs, signal);
      }
    },
  };
}
