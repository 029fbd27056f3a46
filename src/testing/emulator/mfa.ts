// MFA codes: RFC 6238 TOTP (HMAC-SHA-1, 30 s steps, 6 digits) and "sent" SMS codes.
import { createHmac, randomInt } from 'node:crypto';

const STEP_MS = 30_000;

/** RFC 4226 HOTP value for a counter, as 6 digits. */
function hotp(secret: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The TOTP code valid at `nowMs`, or `drift` steps away from it. */
export const totp = (secret: Buffer, nowMs: number, drift = 0): string => hotp(secret, Math.floor(nowMs / STEP_MS) + drift);

/** Accepts the current code and its neighbours (one step of clock skew either way). */
export function totpMatches(secret: Buffer, nowMs: number, code: string): boolean {
  return /^\d{6}$/.test(code) && [-1, 0, 1].some((drift) => totp(secret, nowMs, drift) === code);
}

export const smsCode = (): string => String(randomInt(1_000_000)).padStart(6, '0');

/** '+15555551234' → '+*******1234', as Cognito shows CODE_DELIVERY_DESTINATION. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+/, '');
  return `+${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}
