// The fallback where the platform has no `crypto.subtle` (React Native/Hermes without a polyfill, a
// browser page in an insecure context): @noble/hashes, loaded through import() by hashes.ts, so a
// bundle for the browser keeps it in a chunk of its own that a browser never fetches.
export { hmac } from '@noble/hashes/hmac.js';
export { sha256 } from '@noble/hashes/sha2.js';
