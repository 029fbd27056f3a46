// What createTabLink loads: the signals and the refresh lock, built once per instance.
import { createRefreshLock, type RefreshLock } from './refreshLock.js';
import { createStorageLock } from './storageLock.js';
import { createTabSignals, type TabSignals } from './tabSignals.js';
import type { TabLinkOptions } from './tabLink.js';

export function createTabParts(options: TabLinkOptions): { signals: TabSignals | null; lock: RefreshLock } {
  return {
    signals: createTabSignals(options),
    lock: createRefreshLock(options.lockName) ?? createStorageLock(options.storage, options.leaseKey, { leaseMs: options.leaseMs }),
  };
}
