// What createTabLink loads: the signals and the refresh lock, built once per instance.
import { createRefreshLock, type RefreshLock } from './refreshLock.js';
import { createStorageLock } from './storageLock.js';
import { createTabSignals, type TabSignals } from './tabSignals.js';
import type { TabLinkOptions } from './tabLink.js';
import type { StorageLockOptions } from './storageLock.js';

/** `sleep` is fetchWire's, from the up-front side: this chunk imports nothing the page has loaded already. */
export function createTabParts(options: TabLinkOptions, sleep: StorageLockOptions['sleep']): { signals: TabSignals | null; lock: RefreshLock } {
  return {
    signals: createTabSignals(options),
    lock: createRefreshLock(options.lockName) ?? createStorageLock(options.storage, options.leaseKey, { leaseMs: options.leaseMs, sleep }),
  };
}
