/**
 * Anything shaped like Web Storage: localStorage, sessionStorage, React Native's AsyncStorage,
 * or your own. Each method may answer synchronously or with a promise.
 */
export interface StorageLike {
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** The default storage: a Map in memory, gone when the process ends. */
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
