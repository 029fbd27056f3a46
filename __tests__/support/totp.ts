// What an authenticator app does with Cognito's SecretCode: decode the base32 (RFC 4648, padding
// optional, any case) and compute the RFC 6238 code (SHA-1, 30 s, 6 digits) with the emulator's own
// totp(), so a test checks the emulator's secret against an independent decoding.
import { totp } from '../../src/testing/emulator/mfa.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase().replace(/=+$/, '')) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The code an authenticator app shows at `nowMs` for this SecretCode. */
export const totpCode = (secretCode: string, nowMs: number): string => totp(base32Decode(secretCode), nowMs);

/** A six-digit code the emulator refuses at `nowMs`: none of the three it accepts (one step of skew either way). */
export function wrongCode(secretCode: string, nowMs: number): string {
  const accepted = [-30_000, 0, 30_000].map((skew) => totpCode(secretCode, nowMs + skew));
  let code = Number(accepted[1]);
  do code = (code + 1) % 1_000_000;
  while (accepted.includes(String(code).padStart(6, '0')));
  return String(code).padStart(6, '0');
}
