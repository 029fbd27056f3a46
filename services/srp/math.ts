// The primitives of Cognito's SRP-6a variant, shared by the client (client.ts) and the emulator's
// server side, so both sides compute every value with one implementation.
// The formulas that hash are generators (Formula): each yields the hashes it needs and gets their
// bytes back, so one definition serves the client, which hashes asynchronously (Web Crypto, or
// @noble/hashes where there is none: services/crypto/hashes.ts), and the emulator, which hashes
// synchronously with node:crypto. HKDF (two HMACs) and modular arithmetic are below.
import type { HashRequest } from '../crypto/hashes.js';
import { bytesToBase64, bytesToHex, concatBytes, hexToBigInt, hexToBytes, utf8 } from './encoding.js';
import { SrpError } from './error.js';

/** A computation that yields the hashes it needs (SHA-256, or HMAC-SHA256 with a key) and returns a T. */
export type Formula<T> = Generator<HashRequest, T, Uint8Array>;

/** Runs a formula with a hash that answers at once (the emulator's node:crypto). */
export function runFormula<T>(formula: Formula<T>, hash: (request: HashRequest) => Uint8Array): T {
  for (let step = formula.next(); ; step = formula.next(hash(step.value))) if (step.done) return step.value;
}

/** Runs a formula with a hash that answers later (services/crypto/hashes.ts). */
export async function runFormulaAsync<T>(formula: Formula<T>, hash: (request: HashRequest) => Promise<Uint8Array>): Promise<T> {
  for (let step = formula.next(); ; step = formula.next(await hash(step.value))) if (step.done) return step.value;
}

/** a mod b in [0, b), for a negative `a` too. */
export const mod = (a: bigint, b: bigint): bigint => ((a % b) + b) % b;

/** base^exponent mod m, square-and-multiply over the exponent's bits, least significant first. */
export function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  if (m <= 0n || exponent < 0n) throw new SrpError('modPow needs a positive modulus and a non-negative exponent');
  let result = 1n % m;
  let square = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * square) % m;
    square = (square * square) % m;
  }
  return result;
}

/** The 3072-bit MODP prime of RFC 3526 (also RFC 5054's 3072-bit group), as Cognito uses. */
export const N = hexToBigInt(
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const g = 2n;
/** Bytes of the private values a and b (Cognito's clients use 128). */
export const PRIVATE_KEY_BYTES = 128;
const HKDF_INFO = 'Caldera Derived Key';

/**
 * The integer as Java's BigInteger.toByteArray() would encode it, in hex: the shortest
 * two's-complement big-endian form with room for a sign bit. So non-negative values get an even
 * number of digits and a leading 00 when their top bit is set (0x80 → '0080'); negative ones are
 * sign-extended only as far as needed (-128 → '80', -129 → 'ff7f'). Every hash input uses it.
 */
export function padHex(value: bigint): string {
  if (value >= 0n) {
    let hex = value.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
  }
  let bytes = 1;
  while (-value > 1n << BigInt(8 * bytes - 1)) bytes++;
  return ((1n << BigInt(8 * bytes)) + value).toString(16).padStart(2 * bytes, '0');
}

/** SHA-256 of the bytes a hex string spells, as hex. */
function* hashHex(hex: string): Formula<string> {
  return bytesToHex(yield [hexToBytes(hex)]);
}

/** base^exponent mod N (not constant-time: JS bigint arithmetic never is). */
export const modPowN = (base: bigint, exponent: bigint): bigint => modPow(base, exponent, N);

/** k = H(padHex(N) | padHex(g)), a constant (__tests__/srp.test.ts computes it from N and g). */
export const k = hexToBigInt('538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');

/** k as its definition computes it. */
export const kFormula = (): Formula<string> => hashHex(padHex(N) + padHex(g));

/** The pool name Cognito hashes: the part of the user pool id after '_'. */
export function poolNameOf(userPoolId: string): string {
  const name = userPoolId.split('_')[1];
  if (!name) throw new SrpError('The user pool id must look like <region>_<id>');
  return name;
}

/** u = H(padHex(A) | padHex(B)). */
export function* computeU(A: bigint, B: bigint): Formula<bigint> {
  return hexToBigInt(yield* hashHex(padHex(A) + padHex(B)));
}

/** x = H(padHex(salt) | H(poolName | userIdForSrp | ':' | password)). */
export function* computeX(salt: bigint, poolName: string, userIdForSrp: string, password: string): Formula<bigint> {
  const inner = bytesToHex(yield [utf8(`${poolName}${userIdForSrp}:${password}`)]);
  return hexToBigInt(yield* hashHex(padHex(salt) + inner));
}

/** The 16-byte key: HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = 'Caldera Derived Key'). */
export function* deriveKey(S: bigint, u: bigint): Formula<Uint8Array> {
  // RFC 5869 with one output block, as 16 bytes <= SHA-256's 32: extract, then expand once.
  const prk = yield [hexToBytes(padHex(S)), hexToBytes(padHex(u))];
  return (yield [concatBytes(utf8(HKDF_INFO), Uint8Array.of(1)), prk]).slice(0, 16);
}

/** base64(HMAC-SHA256(key, poolName | userIdForSrp | secretBlock bytes | timestamp)). */
export function* claimSignature(key: Uint8Array, poolName: string, userIdForSrp: string, secretBlock: Uint8Array, timestamp: string): Formula<string> {
  return bytesToBase64(yield [concatBytes(utf8(poolName), utf8(userIdForSrp), secretBlock, utf8(timestamp)), key]);
}
