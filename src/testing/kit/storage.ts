import type { StorageLike } from '../../../services/storage/storage.js';

/** A method of StorageLike, as TestStorage's fail(), heal() and hold() name it. */
export type StorageMethod = 'getItem' | 'setItem' | 'removeItem';

/** One storage call of the auth, held until release(). */
export interface StorageHold {
  /** Resolves once the auth has made the held call: it now waits for release(). */
  readonly reached: Promise<void>;
  /** Lets the held call run (it fails if fail() was called for its method meanwhile). Idempotent. */
  release(): void;
}

/**
 * The kit's storage: a Map in memory that a test can look into, and make fail on purpose.
 * Synchronous, like localStorage.
 */
export interface TestStorage extends StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** Everything stored, by key. Read-only: write through setItem/removeItem. */
  readonly items: ReadonlyMap<string, string>;
  /** Where the session lives: `authchart.<clientId>.session`. */
  readonly sessionKey: string;
  /** Where refresh tokens awaiting revocation live: `authchart.<clientId>.revocationOutbox`. */
  readonly outboxKey: string;
  /** Whether a session is stored (this device is signed in). */
  hasSession(): boolean;
  /** How many refresh tokens wait in the revocation outbox. */
  outboxSize(): number;
  /** Makes `method` throw a StorageError-worthy error until heal() (every method when none is named). */
  fail(...methods: StorageMethod[]): void;
  /** Undoes fail(): one method, or every method when none is named. */
  heal(...methods: StorageMethod[]): void;
  /**
   * Holds the auth's next call of `method` (on `key`, when given) until release(): the auth gets a
   * promise that waits, as with a slow AsyncStorage. Your own calls on this object are never held,
   * and stay synchronous. One hold per method at a time; a new one replaces an unreached one.
   * The auth's storageTimeoutMs still bounds the wait.
   */
  hold(method: StorageMethod, key?: string): StorageHold;
}

const ALL: readonly StorageMethod[] = ['getItem', 'setItem', 'removeItem'];

interface Armed {
  readonly key: string | undefined;
  readonly released: Promise<void>;
  markReached(): void;
}

/** The kit's storage, and the view of it the auth is given (where holds apply). */
export function createTestStorage(clientId: string): { storage: TestStorage; forAuth: StorageLike } {
  const items = new Map<string, string>();
  const failing = new Set<StorageMethod>();
  const armed = new Map<StorageMethod, Armed>();
  const sessionKey = `authchart.${clientId}.session`;
  const outboxKey = `authchart.${clientId}.revocationOutbox`;
  const check = (method: StorageMethod) => {
    if (failing.has(method)) throw new Error(`storage ${method} failed (injected by authchart/testing)`);
  };
  const storage: TestStorage = {
    items,
    sessionKey,
    outboxKey,
    getItem(key) {
      check('getItem');
      return items.get(key) ?? null;
    },
    setItem(key, value) {
      check('setItem');
      items.set(key, value);
    },
    removeItem(key) {
      check('removeItem');
      items.delete(key);
    },
    hasSession: () => items.has(sessionKey),
    outboxSize() {
      const raw = items.get(outboxKey);
      if (!raw) return 0;
      try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed)) return parsed.length;
        if (parsed && typeof parsed === 'object') {
          const entries = (parsed as { entries?: unknown }).entries;
          return Array.isArray(entries) ? entries.length : Object.keys(parsed).length;
        }
        return 0;
      } catch {
        return 0;
      }
    },
    fail: (...methods) => (methods.length ? methods : ALL).forEach((method) => failing.add(method)),
    heal: (...methods) => (methods.length ? methods : ALL).forEach((method) => failing.delete(method)),
    hold(method, key) {
      let release!: () => void;
      let markReached!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const reached = new Promise<void>((resolve) => (markReached = resolve));
      const entry: Armed = { key, released, markReached };
      armed.set(method, entry);
      return {
        reached,
        release() {
          if (armed.get(method) === entry) armed.delete(method);
          release();
        },
      };
    },
  };

  /** Runs `run` now, or, when `method` is held for `key`, once the hold is released. */
  function through<R>(method: StorageMethod, key: string, run: () => R): R | Promise<R> {
    const hold = armed.get(method);
    if (!hold || (hold.key !== undefined && hold.key !== key)) return run();
    armed.delete(method); // one call per hold
    hold.markReached();
    return hold.released.then(run);
  }

  const forAuth: StorageLike = {
    getItem: (key) => through('getItem', key, () => storage.getItem(key)),
    setItem: (key, value) => through('setItem', key, () => storage.setItem(key, value)),
    removeItem: (key) => through('removeItem', key, () => storage.removeItem(key)),
  };
  return { storage, forAuth };
}
