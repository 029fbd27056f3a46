// Byte encodings the SRP code needs, with Web APIs only (TextEncoder, btoa/atob), so it runs in
// browsers, React Native (with the usual polyfills) and Node alike.
import { SrpError } from './error.js';

export { bytesToBase64, utf8 } from '../encoding/bytes.js';

const HEX = /^[0-9a-fA-F]+$/;

/** Bytes of an even-length hex string. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || (hex.length > 0 && !HEX.test(hex))) throw new SrpError('Expected an even-length hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** A non-negative integer from hex of any length (Cognito sends SRP_B and SALT unpadded). */
export function hexToBigInt(hex: string): bigint {
  if (!HEX.test(hex)) throw new SrpError('Expected a non-empty hex string');
  return BigInt(`0x${hex}`);
}

/**
 * Bytes of base64 or base64url, padded or not: Cognito sends SECRET_BLOCK in base64, and
 * Cognito-compatible servers differ. ('-' and '_' are base64url's '+' and '/'.)
 */
export function base64ToBytes(base64: string): Uint8Array {
  const standard = base64.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  let binary: string;
  try {
    binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  } catch {
    throw new SrpError('Expected base64');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A uniformly random non-negative integer of `byteLength` bytes, from Web Crypto. */
export function randomBigInt(byteLength: number): bigint {
  const bytes = new Uint8Array(byteLength);
  globalThis.crypto.getRandomValues(bytes);
  return BigInt(`0x${bytesToHex(bytes)}`);
}
