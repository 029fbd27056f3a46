import { isJsonObject } from './json.js';

/** One decoder for every call; `decode` keeps no state between calls (no `stream: true`). */
const utf8 = new TextDecoder();

/**
 * Reads a JWT's claims without verifying it: only for local facts such as expiry and origin_jti.
 * Returns undefined, never throws, unless the token is exactly three dot-separated segments whose
 * non-empty middle one is base64url (padding optional) of UTF-8 JSON for an object.
 */
export function readJwtClaims(token: string): Record<string, unknown> | undefined {
  if (typeof token !== 'string') return undefined;
  const first = token.indexOf('.');
  if (first < 0) return undefined;
  const second = token.indexOf('.', first + 1);
  // exactly three segments, and a non-empty payload between the two dots
  if (second < 0 || second === first + 1 || token.indexOf('.', second + 1) >= 0) return undefined;
  try {
    const claims: unknown = JSON.parse(utf8.decode(base64UrlDecode(token.slice(first + 1, second))));
    return isJsonObject(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

/** base64url (or base64), padded or not, to bytes; throws (from atob) when it is not base64. */
function base64UrlDecode(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='));
  const length = binary.length;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
