// The link to the other tabs, loaded through import() when the instance starts: an app whose
// storage no tab shares (Node, memory, sessionStorage) never loads the tab machinery at all, and a
// browser app loads it beside its first bundle, not in it.
import type { RefreshLock } from './refreshLock.js';
import type { TabSignalOptions, TabSignals } from './tabSignals.js';
import type { StorageLike } from '../storage/storage.js';
import { sleep } from '../cognito/fetchWire.js';

export interface TabLinkOptions extends TabSignalOptions {
  /** The Web Lock's name for refreshes. */
  readonly lockName: string;
  /** Where Web Locks are missing: the storage and key of the lease that stands in, and its length. */
  readonly storage: StorageLike;
  readonly leaseKey: string;
  readonly leaseMs: number;
}

export interface TabLink {
  /** The signals between tabs, null where there are none (no window). */
  signals(): Promise<TabSignals | null>;
  /** The refresh lock: Web Locks, or the storage lease where they are missing. */
  lock(): Promise<RefreshLock>;
}

export function createTabLink(options: TabLinkOptions): TabLink {
  let parts: Promise<{ signals: TabSignals | null; lock: RefreshLock }> | undefined;
  const load = () => (parts ??= import('./tabParts.js').then(({ createTabParts }) => createTabParts(options, sleep)));
  return { signals: () => load().then((loaded) => loaded.signals), lock: () => load().then((loaded) => loaded.lock) };
}
