import { failureName, STORAGE_UNAVAILABLE_ADVICE, StorageFailure } from './queue.js';

/**
 * Anything shaped like Web Storage: localStorage, sessionStorage, React Native's AsyncStorage,
 * or your own. Each method may answer synchronously or with a promise.
 */
export interface StorageLike {
  /** The string stored under `key` exactly as set, or null/undefined when there is none. */
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  /**
   * Stores `value` under `key`; a later getItem(key) must return this very string. A storage with
   * a compare-and-set of its own may refuse a refresh's write of the session by rejecting with an
   * Error named 'StaleWriteError', having changed nothing (authchart/server's Redis store does).
   */
  setItem(key: string, value: string): void | Promise<void>;
  /** Removes `key`; a later getItem(key) must find nothing. */
  removeItem(key: string): void | Promise<void>;
}

/**
 * The default storage, in browsers and in Node alike: a Map in memory, gone when the page or the
 * process ends. Nothing is read from the environment, so the default can never be blocked, full,
 * or shared with another user of the same process.
 */
export function createMemoryStorage(): StorageLike {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

export function isStorageLike(value: unknown): value is StorageLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['getItem', 'setItem', 'removeItem'].every((method) => typeof candidate[method] === 'function');
}

/** Which of the browser's Web Storage areas webStorage() reads. */
export type WebStorageName = 'localStorage' | 'sessionStorage';

/**
 * The browser's localStorage or sessionStorage, looked up at each call instead of once. Where the
 * browser blocks storage (a sandboxed iframe without allow-same-origin, blocked third-party
 * storage, site data disabled), merely reading `window.localStorage` throws a SecurityError, and
 * where Web Storage is disabled it is null: passed as `storage: localStorage`, that happens in the
 * app's own code, before createAuth() runs. Through webStorage() it happens inside authchart's
 * storage calls instead, and becomes a StorageError that says storage is unavailable.
 */
export function webStorage(name: WebStorageName): StorageLike {
  if (name !== 'localStorage' && name !== 'sessionStorage') throw new TypeError("webStorage() takes 'localStorage' or 'sessionStorage'");
  const current = (): StorageLike => {
    let found: unknown;
    try {
      found = (globalThis as Record<string, unknown>)[name];
    } catch (error) {
      throw new StorageFailure(`${name} is unavailable (${failureName(error)}): ${STORAGE_UNAVAILABLE_ADVICE}`);
    }
    if (!isStorageLike(found)) throw new StorageFailure(`${name} is unavailable (it is ${found === null ? 'null' : found === undefined ? 'missing' : 'not a Storage'}: Web Storage is disabled, or this is not a browser). Leave storage out to keep the session in memory`);
    return found;
  };
  const storage: StorageLike = {
    getItem: (key) => current().getItem(key),
    setItem: (key, value) => current().setItem(key, value),
    removeItem: (key) => current().removeItem(key),
  };
  if (name === 'localStorage') SHARED_BY_TABS.add(storage);
  return storage;
}

/** webStorage('localStorage') instances: the tabs of an origin share what they reach. */
const SHARED_BY_TABS = new WeakSet<StorageLike>();

/** `storage` is one the tabs of an origin share: the browser's localStorage, directly or through webStorage(). Never throws. */
export function isSharedByTabs(storage: StorageLike): boolean {
  if (SHARED_BY_TABS.has(storage)) return true;
  try {
    return storage === (globalThis as { localStorage?: unknown }).localStorage;
  } catch {
    return false; // reading localStorage throws where it is blocked (a sandboxed iframe)
  }
}
