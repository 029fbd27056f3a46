// The client side of Cognito's device SRP, for tests, on the project's SRP primitives
// (services/srp/math.ts): the verifier ConfirmDevice sends, and the DEVICE_PASSWORD_VERIFIER answer.
// The device SRP is the user SRP with the DeviceGroupKey in the pool name's place and the
// DeviceKey as the user id: x = H(salt | H(groupKey | deviceKey | ':' | password)), v = g^x mod N.
import { randomBytes } from 'node:crypto';
import { bytesToBase64, hexToBigInt, hexToBytes, randomBigInt } from '../../services/srp/encoding.js';
import * as srp from '../../services/srp/math.js';
import { formatSrpTimestamp } from '../../services/srp/timestamp.js';
import { hashPaths } from './hashes.js';

const webCrypto = hashPaths()[0]!.hash;
const run = <T>(formula: srp.Formula<T>): Promise<T> => srp.runFormulaAsync(formula, webCrypto);

/** What the device keeps (its random password) and what ConfirmDevice sends (base64 of the integers' bytes). */
export interface DeviceSecret {
  readonly groupKey: string;
  readonly deviceKey: string;
  readonly password: string;
  readonly verifierConfig: { PasswordVerifier: string; Salt: string };
}

/** A new device secret for NewDeviceMetadata's keys: a random password, a 16-byte salt and its verifier. */
export async function deviceSecret(groupKey: string, deviceKey: string): Promise<DeviceSecret> {
  const password = randomBytes(40).toString('base64');
  const salt = randomBigInt(16);
  const x = await run(srp.computeX(salt, groupKey, deviceKey, password));
  const verifier = srp.modPowN(srp.g, x);
  const b64 = (value: bigint): string => bytesToBase64(hexToBytes(srp.padHex(value)));
  return { groupKey, deviceKey, password, verifierConfig: { PasswordVerifier: b64(verifier), Salt: b64(salt) } };
}

/** One device SRP handshake: SRP_A for DEVICE_SRP_AUTH, then the DEVICE_PASSWORD_VERIFIER answer. */
export function deviceHandshake(secret: DeviceSecret): { srpA: string; answer(parameters: Record<string, string>, now?: Date): Promise<Record<string, string>> } {
  const a = randomBigInt(srp.PRIVATE_KEY_BYTES);
  const A = srp.modPowN(srp.g, a);
  return {
    srpA: A.toString(16),
    async answer(parameters, now = new Date()) {
      const B = hexToBigInt(parameters.SRP_B ?? '');
      const u = await run(srp.computeU(A, B));
      const x = await run(srp.computeX(hexToBigInt(parameters.SALT ?? ''), secret.groupKey, secret.deviceKey, secret.password));
      const S = srp.modPowN(B - srp.k * srp.modPowN(srp.g, x), a + u * x);
      const key = await run(srp.deriveKey(S, u));
      const block = parameters.SECRET_BLOCK ?? '';
      const timestamp = formatSrpTimestamp(now);
      const signature = await run(srp.claimSignature(key, secret.groupKey, secret.deviceKey, Buffer.from(block, 'base64'), timestamp));
      return { PASSWORD_CLAIM_SECRET_BLOCK: block, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp, DEVICE_KEY: secret.deviceKey };
    },
  };
}
