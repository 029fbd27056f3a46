// SHA-256 and HMAC-SHA256 for SRP, SECRET_HASH and PKCE: the platform's Web Crypto
// (`crypto.subtle`) where it exists; elsewhere @noble/hashes, loaded through import() at the first
// hash (nobleHashes.ts). Both give the same bytes (__tests__/crypto.crosscheck.test.ts runs the
// same vectors through each). This module imports nothing of the up-front load: the chunks that
// use it are handed the loader (services/actors/lazyKit.ts says why).

/** One hash: SHA-256 of `data`, or HMAC-SHA256 of `data` under `key` when there is one. */
export type HashRequest = readonly [data: Uint8Array, key?: Uint8Array];
export type Hash = (request: HashRequest) => Promise<Uint8Array>;

/** Wraps a module load so that a failure is a NetworkError (services/cognito/onFirstUse.ts). */
export type LoadOnFirstUse = <T>(load: () => Promise<T>, what: string) => () => Promise<T>;

/** Our Uint8Arrays are never over a SharedArrayBuffer; Web Crypto's types ask for an ArrayBuffer. */
const buffer = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

/**
 * The hash this platform offers. `crypto.subtle` is looked up at each call, so a page or a test
 * that has none (or loses it) takes the fallback. Web Crypto refuses an empty HMAC key; HMAC pads
 * a key shorter than SHA-256's 64-byte block with zeros, so an empty key is 64 zero bytes.
 */
export function platformHash(onFirstUse: LoadOnFirstUse): Hash {
  const loadNoble = onFirstUse(() => import('./nobleHashes.js'), '@noble/hashes (where crypto.subtle is missing)');
  return async ([data, key]) => {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) {
      const { hmac, sha256 } = await loadNoble();
      return key ? hmac(sha256, key, data) : sha256(data);
    }
    if (!key) return new Uint8Array(await subtle.digest('SHA-256', buffer(data)));
    const hmacKey = await subtle.importKey('raw', buffer(key.length > 0 ? key : new Uint8Array(64)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await subtle.sign('HMAC', hmacKey, buffer(data)));
  };
}
