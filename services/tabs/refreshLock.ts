// One refresh for many tabs: the tabs of an origin take turns (Web Locks) to refresh the session
// they share. The first to ask refreshes at once; a tab that had to wait behind another reads the
// store first, and adopts the session the other tab stored instead of refreshing again.

/** The part of `navigator.locks` used here. */
interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/** Takes turns to refresh one session: the tabs' Web Lock or storage lease, or a server's per-session lock (authchart/server's session stores). */
export interface RefreshLock {
  /**
   * Runs `refresh` while this tab alone holds the lock. `waited` is true when another tab held it
   * first (it may have refreshed already). A lock is released when its holder settles, and the
   * browser releases the locks of a tab that closes or dies; `signal` ends the wait.
   */
  run<T>(signal: AbortSignal, refresh: (waited: boolean) => Promise<T>): Promise<T>;
}

/** A lock named `name` over `navigator.locks`; null where Web Locks are missing (each tab then refreshes on its own). */
export function createRefreshLock(name: string): RefreshLock | null {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (!locks || typeof locks.request !== 'function') return null;
  return {
    async run(signal, refresh) {
      const first = await locks.request(name, { ifAvailable: true }, async (lock) => (lock ? { value: await refresh(false) } : null));
      if (first) return first.value;
      return locks.request(name, { signal }, () => refresh(true));
    },
  };
}
