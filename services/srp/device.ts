// Cognito's device SRP, client side: a remembered device proves itself with a password of its own
// (random, made here, kept in the app's storage and nowhere else). It is the user SRP with the
// device's DeviceGroupKey hashed where the pool name goes and its DeviceKey as the user id:
// x = H(salt | H(groupKey | deviceKey | ':' | password)), v = g^x mod N. ConfirmDevice sends v and
// the salt (base64 of their bytes); DEVICE_PASSWORD_VERIFIER is answered as PASSWORD_VERIFIER is.
// It runs in the device chunk (services/actors/deviceFlow.ts), which is handed the SRP primitives
// by the sign-in's chunk that holds them: imported here, math.ts would be split into a chunk of its
// own that a password sign-in fetches as one more file (docs/performance.md).
import type { Hash } from '../crypto/hashes.js';
import type { bytesToBase64, hexToBytes, randomBigInt } from './encoding.js';
import type { computeX, modPowN, padHex, runFormulaAsync } from './math.js';

/** A new device's secret and what ConfirmDevice's DeviceSecretVerifierConfig sends. */
export interface DeviceVerifier {
  /** The device's random password: a secret, for the app's storage only. */
  readonly password: string;
  /** DeviceSecretVerifierConfig.PasswordVerifier: base64 of v's bytes. */
  readonly passwordVerifier: string;
  /** DeviceSecretVerifierConfig.Salt: base64 of the salt's bytes. */
  readonly salt: string;
}

/** The SRP primitives the verifier is computed with (math.ts, encoding.ts), handed in. */
export interface SrpPrimitives {
  readonly bytesToBase64: typeof bytesToBase64;
  readonly hexToBytes: typeof hexToBytes;
  readonly randomBigInt: typeof randomBigInt;
  readonly computeX: typeof computeX;
  readonly g: bigint;
  readonly modPowN: typeof modPowN;
  readonly padHex: typeof padHex;
  readonly runFormulaAsync: typeof runFormulaAsync;
}

/** A random password (40 bytes, base64), a 16-byte salt, and the verifier v = g^x mod N for them. */
export async function createDeviceVerifier(srp: SrpPrimitives, hash: Hash, groupKey: string, deviceKey: string): Promise<DeviceVerifier> {
  const base64Of = (value: bigint): string => srp.bytesToBase64(srp.hexToBytes(srp.padHex(value)));
  const password = base64Of(srp.randomBigInt(40));
  const salt = srp.randomBigInt(16);
  const x = await srp.runFormulaAsync(srp.computeX(salt, groupKey, deviceKey, password), hash);
  return { password, passwordVerifier: base64Of(srp.modPowN(srp.g, x)), salt: base64Of(salt) };
}
