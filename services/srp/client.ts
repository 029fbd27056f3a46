// The client half of Cognito's USER_SRP_AUTH. The private value `a` lives only in the closure.
import { base64ToBytes, hexToBigInt, randomBigInt } from './encoding.js';
import { SrpError } from './error.js';
import type { Hash } from '../crypto/hashes.js';
import { claimSignature, computeU, computeX, deriveKey, g, k, mod, modPowN, N, poolNameOf, PRIVATE_KEY_BYTES, runFormulaAsync, type Formula } from './math.js';
import { formatSrpTimestamp } from './timestamp.js';
import type { SrpAnswer, SrpChallenge, SrpHandshake } from './types.js';

/** The PASSWORD_CLAIM_SIGNATURE for A = g^a, as a formula: it yields the hashes it needs. */
function* claimFormula(a: bigint, A: bigint, challenge: SrpChallenge, timestamp: string): Formula<string> {
  const B = hexToBigInt(challenge.srpB);
  if (mod(B, N) === 0n) throw new SrpError('Illegal parameter: B mod N cannot be 0');
  const u = yield* computeU(A, B);
  if (u === 0n) throw new SrpError('Illegal parameter: u cannot be 0');
  // Device SRP (services/srp/device.ts) hashes the DeviceGroupKey where the pool name goes.
  const poolName = challenge.poolName ?? poolNameOf(challenge.userPoolId);
  const secretBlock = base64ToBytes(challenge.secretBlock);
  const x = yield* computeX(hexToBigInt(challenge.salt), poolName, challenge.userIdForSrp, challenge.password);
  // S = (B - k * g^x) ^ (a + u * x) mod N; the base is reduced mod N first (B - k*g^x may be negative).
  const S = modPowN(B - k * modPowN(g, x), a + u * x);
  return yield* claimSignature(yield* deriveKey(S, u), poolName, challenge.userIdForSrp, secretBlock, timestamp);
}

/**
 * A handshake for a given private value `a`, hashing with `hash` (services/crypto/hashes.ts).
 * Internal: tests use it with a fixed `a`; the public entry is startSrp(), which draws `a` at random.
 */
export function createSrpHandshake(a: bigint, hash: Hash): SrpHandshake {
  const A = modPowN(g, a);
  if (a <= 0n || A === 0n) throw new SrpError('Illegal parameter: A mod N cannot be 0');
  return Object.freeze({
    srpA: A.toString(16),
    async answer(challenge: SrpChallenge, now: Date = new Date()): Promise<SrpAnswer> {
      const timestamp = formatSrpTimestamp(now);
      return {
        passwordClaimSignature: await runFormulaAsync(claimFormula(a, A, challenge, timestamp), hash),
        passwordClaimSecretBlock: challenge.secretBlock,
        timestamp,
      };
    },
  });
}

/** Starts a USER_SRP_AUTH sign-in: a fresh random `a` (128 bytes, as Cognito's clients use). */
export function startSrp(hash: Hash): SrpHandshake {
  for (let attempt = 0; ; attempt++) {
    try {
      return createSrpHandshake(randomBigInt(PRIVATE_KEY_BYTES), hash);
    } catch (error) {
      // A mod N = 0 has negligible probability; redraw a few times, then give up.
      if (!(error instanceof SrpError) || attempt >= 3) throw error;
    }
  }
}
