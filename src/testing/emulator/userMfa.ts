// A user's MFA as Cognito keeps it: the factors enabled (GetUser's UserMFASettingList), the one
// preferred (PreferredMfaSetting), and the TOTP secret: the one verified, which sign-in checks, and
// one pending verification (AssociateSoftwareToken until VerifySoftwareToken). What a sign-in asks
// for follows from it and from the pool's settings (poolSettings.ts).
import { randomBytes } from 'node:crypto';
import type { PoolSettings } from './poolSettings.js';

/** The MFA factors Cognito offers after a password. */
export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';

/** In the order Cognito lists them in MFAS_CAN_SETUP and MFAS_CAN_CHOOSE. */
export const MFA_FACTORS: readonly MfaFactor[] = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'];

export interface UserMfa {
  /** The factors enabled for the user (SetUserMFAPreference's Enabled). */
  readonly enabled: Set<MfaFactor>;
  /** The preferred one (PreferredMfa), if any. */
  preferred: MfaFactor | undefined;
  /** The verified TOTP secret (20 bytes), the one sign-in checks codes against. */
  totpSecret: Buffer | undefined;
  /** A secret from AssociateSoftwareToken, not verified yet. */
  pendingTotpSecret: Buffer | undefined;
}

/**
 * A new user's MFA. With a factor (in-process createUser's `mfa`), it is enabled and preferred, and
 * TOTP gets a verified secret at once, as after AssociateSoftwareToken and VerifySoftwareToken.
 */
export function newUserMfa(factor?: MfaFactor): UserMfa {
  const mfa: UserMfa = { enabled: new Set(), preferred: undefined, totpSecret: undefined, pendingTotpSecret: undefined };
  if (factor === undefined) return mfa;
  mfa.enabled.add(factor);
  mfa.preferred = factor;
  if (factor === 'SOFTWARE_TOKEN_MFA') mfa.totpSecret = randomBytes(20);
  return mfa;
}

/** The pool's settings with `factor` usable: MFA OPTIONAL if it was OFF, and the factor enabled. */
export function poolAllowing(settings: PoolSettings, factor: MfaFactor): PoolSettings {
  return {
    ...settings,
    mfaConfiguration: settings.mfaConfiguration === 'OFF' ? 'OPTIONAL' : settings.mfaConfiguration,
    softwareTokenMfaEnabled: settings.softwareTokenMfaEnabled || factor === 'SOFTWARE_TOKEN_MFA',
    smsMfaEnabled: settings.smsMfaEnabled || factor === 'SMS_MFA',
    emailMfaEnabled: settings.emailMfaEnabled || factor === 'EMAIL_OTP',
  };
}

/** The factors the pool enables (SetUserPoolMfaConfig), in Cognito's order. */
export function poolFactors(settings: PoolSettings): MfaFactor[] {
  const on: Record<MfaFactor, boolean> = { SMS_MFA: settings.smsMfaEnabled, SOFTWARE_TOKEN_MFA: settings.softwareTokenMfaEnabled, EMAIL_OTP: settings.emailMfaEnabled };
  return MFA_FACTORS.filter((factor) => on[factor]);
}

/** What a user needs for each factor to work: a verified secret, a phone number, an email address. */
interface MfaHolder {
  readonly mfa: UserMfa;
  readonly attributes: ReadonlyMap<string, string>;
}

/**
 * The factors a sign-in can ask this user for: enabled for the user and in the pool, and workable.
 * A TOTP whose secret was replaced by a new AssociateSoftwareToken and not verified yet is not
 * (amplify-js #1226: Cognito then signs in as if TOTP were off, while GetUser still lists it).
 */
export function usableFactors(settings: PoolSettings, user: MfaHolder): MfaFactor[] {
  if (settings.mfaConfiguration === 'OFF') return [];
  const workable: Record<MfaFactor, boolean> = {
    SOFTWARE_TOKEN_MFA: user.mfa.totpSecret !== undefined,
    SMS_MFA: user.attributes.has('phone_number'),
    EMAIL_OTP: user.attributes.has('email'),
  };
  return poolFactors(settings).filter((factor) => user.mfa.enabled.has(factor) && workable[factor]);
}

/**
 * What follows a right password: one factor's challenge (the preferred one, or the only one),
 * a choice between several (SELECT_MFA_TYPE), a setup (MFA_SETUP: MFA is ON and nothing is usable
 * yet), or nothing.
 */
export type MfaStep = { readonly kind: 'factor'; readonly factor: MfaFactor } | { readonly kind: 'select'; readonly choices: MfaFactor[] } | { readonly kind: 'setup'; readonly choices: MfaFactor[] } | { readonly kind: 'none' };

export function mfaStep(settings: PoolSettings, user: MfaHolder): MfaStep {
  const usable = usableFactors(settings, user);
  const preferred = user.mfa.preferred;
  if (preferred !== undefined && usable.includes(preferred)) return { kind: 'factor', factor: preferred };
  if (usable.length === 1) return { kind: 'factor', factor: usable[0]! };
  if (usable.length > 1) return { kind: 'select', choices: usable };
  if (settings.mfaConfiguration === 'ON') return { kind: 'setup', choices: poolFactors(settings) };
  return { kind: 'none' };
}

/** The factor emulator.mfaCode() gives a code for: the preferred one, else the first enabled of TOTP, SMS, email. */
export function codeFactor(mfa: UserMfa): MfaFactor | undefined {
  if (mfa.preferred !== undefined) return mfa.preferred;
  return (['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'] as const).find((factor) => mfa.enabled.has(factor));
}

/** GetUser's UserMFASettingList and PreferredMfaSetting, each left out when there is none. */
export function describeUserMfa(mfa: UserMfa): { UserMFASettingList?: string[]; PreferredMfaSetting?: string } {
  const list = MFA_FACTORS.filter((factor) => mfa.enabled.has(factor));
  return { ...(list.length > 0 ? { UserMFASettingList: list } : {}), ...(mfa.preferred === undefined ? {} : { PreferredMfaSetting: mfa.preferred }) };
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Reads RFC 4648 base32 (any case, padding optional), as an authenticator app reads a SecretCode; throws on any other character. */
export function fromBase32(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase().replace(/=+$/, '')) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('totpCode(): the shared secret is not base32');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** RFC 4648 base32 without padding, as Cognito's SecretCode (20 bytes: 32 characters). */
export function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32.charAt((value << (5 - bits)) & 31);
  return out;
}
