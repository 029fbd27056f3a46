// The two ways authchart hashes (services/crypto/hashes.ts): Web Crypto, and @noble/hashes where
// `crypto.subtle` is missing (React Native without a polyfill, an insecure browser context). Tests
// run the same vectors through both; `withoutSubtle` hides `crypto.subtle` (getRandomValues stays,
// as React Native's usual polyfill gives it), and the loads counted show which path ran.
import { onFirstUse } from '../../services/cognito/onFirstUse';
import { platformHash, type LoadOnFirstUse } from '../../services/crypto/hashes';

/** onFirstUse, counting the fallback's loads. */
export function countingLoads(): LoadOnFirstUse & { loads: number } {
  const load = (<T>(inner: () => Promise<T>, what: string) => {
    const loaded = onFirstUse(inner, what);
    return () => (load.loads++, loaded());
  }) as LoadOnFirstUse & { loads: number };
  load.loads = 0;
  return load;
}

/** Runs `body` with no `crypto.subtle` on globalThis, then puts Node's Web Crypto back. */
export async function withoutSubtle<T>(body: () => Promise<T>): Promise<T> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
  // getRandomValues (what authchart needs besides), and randomUUID (the AWS SDK transport uses it).
  const { getRandomValues, randomUUID } = globalThis.crypto;
  const crypto = { getRandomValues: getRandomValues.bind(globalThis.crypto), randomUUID: randomUUID.bind(globalThis.crypto) };
  Object.defineProperty(globalThis, 'crypto', { configurable: true, value: crypto });
  try {
    return await body();
  } finally {
    Object.defineProperty(globalThis, 'crypto', descriptor);
  }
}

export interface HashPath {
  readonly name: string;
  /** Runs `body` on this path. */
  readonly run: <T>(body: () => Promise<T>) => Promise<T>;
  /** How many times the fallback was loaded so far: 0 on the Web Crypto path, always. */
  readonly loads: () => number;
  readonly load: LoadOnFirstUse;
  readonly hash: ReturnType<typeof platformHash>;
}

function path(name: string, run: HashPath['run']): HashPath {
  const load = countingLoads();
  return { name, run, load, loads: () => load.loads, hash: platformHash(load) };
}

/** Web Crypto, then the @noble/hashes fallback: `describe.each(hashPaths())`. */
export const hashPaths = (): HashPath[] => [path('Web Crypto (crypto.subtle)', (body) => body()), path('@noble/hashes, where crypto.subtle is missing', withoutSubtle)];
