// The server half of Cognito's SRP (USER_SRP_AUTH), on the primitives the client uses
// (services/srp/math.ts), so the two sides cannot drift apart.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HashRequest } from '../../../services/crypto/hashes.js';
import { randomBigInt } from '../../../services/srp/encoding.js';
import * as srp from '../../../services/srp/math.js';

/** The server hashes at once, with node:crypto: the formulas are the client's (math.ts). */
const nodeHash = ([data, key]: HashRequest): Uint8Array => (key ? createHmac('sha256', key) : createHash('sha256')).update(data).digest();
const run = <T>(formula: srp.Formula<T>): T => srp.runFormula(formula, nodeHash);

export interface SrpVerifier {
  readonly salt: bigint;
  readonly verifier: bigint;
}

/** What the server keeps between InitiateAuth and PASSWORD_VERIFIER, keyed by the SECRET_BLOCK. */
export interface SrpState {
  readonly poolId: string;
  readonly clientId: string;
  /** The user's username, or undefined for a simulated challenge (unknown user, existence errors prevented). */
  readonly username: string | undefined;
  readonly A: bigint;
  readonly B: bigint;
  readonly b: bigint;
  readonly verifier: bigint;
  readonly expiresAt: number;
  /** AuthParameters.DEVICE_KEY, handed on to what follows the password (devices.ts). */
  readonly deviceKey?: string;
}

/** A fresh 16-byte salt and v = g^x mod N, with x over USER_ID_FOR_SRP (the username). */
export function srpVerifier(poolId: string, username: string, password: string): SrpVerifier {
  const salt = randomBigInt(16);
  const x = run(srp.computeX(salt, srp.poolNameOf(poolId), username, password));
  return { salt, verifier: srp.modPowN(srp.g, x) };
}

/** Parses SRP_A, or undefined when it is not hex or A mod N = 0. */
export function parseSrpA(hex: string): bigint | undefined {
  if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const A = BigInt(`0x${hex}`);
  return srp.mod(A, srp.N) === 0n ? undefined : A;
}

/** The server's ephemeral pair: b random, B = (k*v + g^b) mod N, never 0. */
export function serverEphemeral(verifier: bigint): { b: bigint; B: bigint } {
  for (;;) {
    const b = randomBigInt(srp.PRIVATE_KEY_BYTES);
    const B = srp.mod(srp.k * verifier + srp.modPowN(srp.g, b), srp.N);
    if (B !== 0n) return { b, B };
  }
}

/** An opaque SECRET_BLOCK: random bytes, base64, that name the server state. */
export const secretBlock = (): string => randomBytes(512).toString('base64');

/**
 * True when `signature` is the client's PASSWORD_CLAIM_SIGNATURE for this state:
 * S = (A * v^u)^b mod N, key = HKDF(S, u), HMAC over poolName | userIdForSrp | block | timestamp.
 */
export function verifyClaim(state: SrpState, userIdForSrp: string, block: string, timestamp: string, signature: string): boolean {
  return claimMatches(state, srp.poolNameOf(state.poolId), userIdForSrp, block, timestamp, signature);
}

/**
 * The check itself, for any name hashed in the "pool name" place: the pool name for a user, the
 * DeviceGroupKey for a device (whose DeviceKey is then the user id).
 */
export function claimMatches(state: { A: bigint; B: bigint; b: bigint; verifier: bigint }, poolName: string, userIdForSrp: string, block: string, timestamp: string, signature: string): boolean {
  const u = run(srp.computeU(state.A, state.B));
  if (u === 0n) return false;
  const S = srp.modPowN(state.A * srp.modPowN(state.verifier, u), state.b);
  const expected = run(srp.claimSignature(run(srp.deriveKey(S, u)), poolName, userIdForSrp, Buffer.from(block, 'base64'), timestamp));
  const x = Buffer.from(expected);
  const y = Buffer.from(signature);
  return x.length === y.length && timingSafeEqual(x, y);
}
