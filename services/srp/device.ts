// Cognito's device SRP, client side: a remembered device proves itself with a password of its own
// (random, made here, kept in the app's storage and nowhere else). It is the user SRP with the
// device's DeviceGroupKey hashed where the pool name goes and its DeviceKey as the user id:
// x = H(salt | H(groupKey | deviceKey | ':' | password)), v = g^x mod N. ConfirmDevice sends v and
// the salt (base64 of their bytes); DEVICE_PASSWORD_VERIFIER is answered as PASSWORD_VERIFIER is.
import type { Hash } from '../crypto/hashes.js';
import { bytesToBase64, hexToBytes, randomBigInt } from './encoding.js';
import { computeX, g, modPowN, padHex, runFormulaAsync } from './math.js';

/** A new device's secret and what ConfirmDevice's DeviceSecretVerifierConfig sends. */
export interface DeviceVerifier {
  /** The device's random password: a secret, for the app's storage only. */
  readonly password: string;
  /** DeviceSecretVerifierConfig.PasswordVerifier: base64 of v's bytes. */
  readonly passwordVerifier: string;
  /** DeviceSecretVerifierConfig.Salt: base64 of the salt's bytes. */
  readonly salt: string;
}

const base64Of = (value: bigint): string => bytesToBase64(hexToBytes(padHex(value)));

/** A random password (40 bytes, base64), a 16-byte salt, and the verifier v = g^x mod N for them. */
export async function createDeviceVerifier(hash: Hash, groupKey: string, deviceKey: string): Promise<DeviceVerifier> {
  const password = base64Of(randomBigInt(40));
  const salt = randomBigInt(16);
  const x = await runFormulaAsync(computeX(salt, groupKey, deviceKey, password), hash);
  return { password, passwordVerifier: base64Of(modPowN(g, x)), salt: base64Of(salt) };
}
