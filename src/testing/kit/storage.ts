import type { StorageLike } from '../../../services/storage/storage.js';

export type StorageMethod = 'getItem' | 'setItem' | 'removeItem';

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
}

const ALL: readonly StorageMethod[] = ['getItem', 'setItem', 'removeItem'];

export function createTestStorage(clientId: string): TestStorage {
  const items = new Map<string, string>();
  const failing = new Set<StorageMethod>();
  const sessionKey = `authchart.${clientId}.session`;
  const outboxKey = `authchart.${clientId}.revocationOutbox`;
  const check = (method: StorageMethod) => {
    if (failing.has(method)) throw new Error(`storage ${method} failed (injected by authchart/testing)`);
  };
  return {
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
  };
}
