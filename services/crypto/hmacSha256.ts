import { sha256 } from '@noble/hashes/sha2.js';

const BLOCK_BYTES = 64; // SHA-256's block size

/**
 * HMAC-SHA256 (RFC 2104) in one shot, over @noble/hashes' SHA-256. Cognito needs it for
 * SECRET_HASH, SRP's HKDF and SRP's claim signature, always over small inputs, so the streaming
 * HMAC class of @noble/hashes (1.3 KB minified) is more than this needs. Checked against
 * node:crypto's createHmac on random keys and messages, and RFC 4231's test vectors.
 */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(key.length > BLOCK_BYTES ? sha256(key) : key);
  const inner = new Uint8Array(BLOCK_BYTES + message.length);
  const outer = new Uint8Array(BLOCK_BYTES + 32);
  for (let i = 0; i < BLOCK_BYTES; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  inner.set(message, BLOCK_BYTES);
  outer.set(sha256(inner), BLOCK_BYTES);
  return sha256(outer);
}
