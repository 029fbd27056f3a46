// Known-answer tests of the SRP client: every expected value is computed here independently, with
// Node's crypto (createHash, createHmac, hkdfSync) and native bigint arithmetic.
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { createSrpHandshake } from '../services/srp/client.js';
import { formatSrpTimestamp, SrpError, startSrp, type SrpChallenge } from '../services/srp/index.js';
import { N as libN, k as libK, kFormula, mod, modPow, padHex, runFormulaAsync } from '../services/srp/math.js';
import { hashPaths } from './support/hashes.js';
import fc from 'fast-check';
import { parseSrpTimestamp } from '../services/srp/timestamp.js';

// RFC 3526, section 4: the 3072-bit MODP group prime; the generator is 2.
const RFC3526_3072 =
  'FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD ' +
  'EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED ' +
  'EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F ' +
  '83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B ' +
  'E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 ' +
  '15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7 ' +
  'ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C ' +
  'BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31 43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF';
const N = BigInt(`0x${RFC3526_3072.replace(/ /g, '')}`);

/** Reference padding, by a different route than the library: flip the nibbles of |n|, add one, drop a redundant 'ff'. */
function refPadHex(n: bigint): string {
  let hex = (n < 0n ? -n : n).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.charAt(0), 16) >= 8) hex = `00${hex}`;
  if (n >= 0n) return hex;
  const flipped = [...hex].map((c) => (15 - parseInt(c, 16)).toString(16)).join('');
  const out = (BigInt(`0x${flipped}`) + 1n).toString(16);
  return out.startsWith('ff8') ? out.slice(2) : out;
}
function refModPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = ((base % m) + m) % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}
const sha = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();
const hexOf = (n: bigint): Buffer => Buffer.from(refPadHex(n), 'hex');
const big = (buf: Buffer): bigint => BigInt(`0x${buf.toString('hex')}`);
const randomBig = (bytes: number): bigint => BigInt(`0x${randomBytes(bytes).toString('hex')}`);

/** The whole client computation, independently. */
function expectedAnswer(a: bigint, c: SrpChallenge, timestamp: string): { srpA: string; signature: string } {
  const g = 2n;
  const k = big(sha(Buffer.concat([hexOf(N), hexOf(g)])));
  const A = refModPow(g, a, N);
  const B = BigInt(`0x${c.srpB}`);
  const u = big(sha(Buffer.concat([hexOf(A), hexOf(B)])));
  const poolName = c.userPoolId.split('_')[1] ?? '';
  const inner = sha(`${poolName}${c.userIdForSrp}:${c.password}`);
  const x = big(sha(Buffer.concat([hexOf(BigInt(`0x${c.salt}`)), inner])));
  const S = refModPow(B - k * refModPow(g, x, N), a + u * x, N);
  const key = Buffer.from(hkdfSync('sha256', hexOf(S), hexOf(u), Buffer.from('Caldera Derived Key'), 16));
  const message = Buffer.concat([Buffer.from(poolName), Buffer.from(c.userIdForSrp), Buffer.from(c.secretBlock, 'base64'), Buffer.from(timestamp)]);
  return { srpA: A.toString(16), signature: createHmac('sha256', key).update(message).digest('base64') };
}

const FIXED_A = BigInt(`0x${'a5'.repeat(64)}${'3c'.repeat(64)}`);
const challenge: SrpChallenge = {
  userPoolId: 'eu-west-1_AbC123xyz',
  userIdForSrp: 'alice',
  password: 'Corr3ct-horse-battery!',
  srpB: `9${'f1e2d3c4b5a69788'.repeat(47)}abcde`, // odd length, top bit set once padded
  salt: '8a0f3e5d7c9b1a2f4e6d8c0b2a4f6e8d', // top bit set: padded with 00
  secretBlock: Buffer.from('opaque server state, as Cognito would send it').toString('base64'),
};
const FIXED_DATE = new Date(Date.UTC(2026, 10, 3, 7, 5, 9)); // Tue Nov 3 07:05:09 UTC 2026

describe.each(hashPaths())('SRP client: known answers, hashing with $name', (path) => {
  afterAll(() => expect(path.loads() > 0).toBe(!path.name.startsWith('Web Crypto'))); // the path really ran
  test('the library group is RFC 3526 3072-bit, and its constant k is H(padHex(N) | padHex(g))', async () => {
    expect(libN).toBe(N);
    const k = BigInt(`0x${await path.run(() => runFormulaAsync(kFormula(), path.hash))}`);
    expect(k).toBe(big(sha(Buffer.concat([hexOf(N), hexOf(2n)]))));
    expect(libK).toBe(k);
  });

  test('fixed a, salt, B, password and timestamp give the independently computed SRP_A and signature', () => path.run(async () => {
    const handshake = createSrpHandshake(FIXED_A, path.hash);
    const timestamp = 'Tue Nov 3 07:05:09 UTC 2026';
    const expected = expectedAnswer(FIXED_A, challenge, timestamp);
    expect(handshake.srpA).toBe(expected.srpA);
    expect(await handshake.answer(challenge, FIXED_DATE)).toEqual({
      passwordClaimSignature: expected.signature,
      passwordClaimSecretBlock: challenge.secretBlock,
      timestamp,
    });
  }));

  test('many random a, salts and B values (short salts, leading-zero values) all match', () => path.run(async () => {
    for (let i = 0; i < 12; i++) {
      const a = randomBig(128);
      const c: SrpChallenge = {
        ...challenge,
        userIdForSrp: `user-${i}-é`,
        srpB: (randomBig(384) % N).toString(16),
        salt: randomBig(1 + i).toString(16),
        secretBlock: randomBytes(64 + i).toString('base64'),
      };
      const date = new Date(Date.UTC(2027, i, 1 + i * 2, i, 59 - i, i * 5));
      expect((await createSrpHandshake(a, path.hash).answer(c, date)).passwordClaimSignature).toBe(expectedAnswer(a, c, formatSrpTimestamp(date)).signature);
    }
  }));

  test('SECRET_BLOCK in base64url (padded or not) signs the same bytes as in base64, and is sent back as received', () => path.run(async () => {
    // Bytes whose base64 holds '+' and '/', so that base64url differs ('-' and '_').
    const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0xfe, 0x3e, 0x3f, 0x01]);
    const base64 = bytes.toString('base64');
    expect(base64).toMatch(/[+/]/);
    const expected = expectedAnswer(FIXED_A, { ...challenge, secretBlock: base64 }, 'Tue Nov 3 07:05:09 UTC 2026').signature;
    for (const secretBlock of [base64, bytes.toString('base64url'), `${bytes.toString('base64url')}=`, base64.replace(/=+$/, '')]) {
      const answer = await createSrpHandshake(FIXED_A, path.hash).answer({ ...challenge, secretBlock }, FIXED_DATE);
      expect(answer).toEqual({ passwordClaimSignature: expected, passwordClaimSecretBlock: secretBlock, timestamp: 'Tue Nov 3 07:05:09 UTC 2026' });
    }
  }));

  test('a server holding the verifier derives the same key (S = (A * v^u)^b)', () => path.run(async () => {
    const g = 2n;
    const k = big(sha(Buffer.concat([hexOf(N), hexOf(g)])));
    const poolName = 'AbC123xyz';
    const salt = BigInt(`0x${challenge.salt}`);
    const x = big(sha(Buffer.concat([hexOf(salt), sha(`${poolName}alice:${challenge.password}`)])));
    const v = refModPow(g, x, N);
    const b = randomBig(128);
    const B = (k * v + refModPow(g, b, N)) % N;
    const handshake = createSrpHandshake(FIXED_A, path.hash);
    const A = BigInt(`0x${handshake.srpA}`);
    const u = big(sha(Buffer.concat([hexOf(A), hexOf(B)])));
    const S = refModPow(A * refModPow(v, u, N), b, N);
    const key = Buffer.from(hkdfSync('sha256', hexOf(S), hexOf(u), Buffer.from('Caldera Derived Key'), 16));
    const answer = await handshake.answer({ ...challenge, srpB: B.toString(16) }, FIXED_DATE);
    const message = Buffer.concat([Buffer.from(poolName), Buffer.from('alice'), Buffer.from(challenge.secretBlock, 'base64'), Buffer.from(answer.timestamp)]);
    expect(answer.passwordClaimSignature).toBe(createHmac('sha256', key).update(message).digest('base64'));
  }));

  test('invalid B, bad hex or base64, and a bad pool id reject with SrpError', () => path.run(async () => {
    const handshake = createSrpHandshake(FIXED_A, path.hash);
    const bad = (patch: Partial<SrpChallenge>) => handshake.answer({ ...challenge, ...patch });
    for (const srpB of [N.toString(16), (2n * N).toString(16), '0', '']) {
      await expect(bad({ srpB })).rejects.toThrow(SrpError);
    }
    await expect(bad({ srpB: 'xyz' })).rejects.toThrow(SrpError);
    await expect(bad({ salt: '' })).rejects.toThrow(SrpError);
    await expect(bad({ secretBlock: '***' })).rejects.toThrow(SrpError);
    await expect(bad({ userPoolId: 'no-underscore' })).rejects.toThrow(SrpError);
    expect(() => createSrpHandshake(0n, path.hash)).toThrow(SrpError);
    await expect(bad({ srpB: '0' })).rejects.toMatchObject({ name: 'SrpError' });
  }));

  test('startSrp: a fresh a each time, and the handshake exposes only srpA and answer', () => {
    const one = startSrp(path.hash);
    const two = startSrp(path.hash);
    expect(one.srpA).not.toBe(two.srpA);
    expect(one.srpA).toMatch(/^[0-9a-f]+$/);
    expect(BigInt(`0x${one.srpA}`) < N).toBe(true);
    expect(Object.keys(one).sort()).toEqual(['answer', 'srpA']);
    expect(Object.isFrozen(one)).toBe(true);
  });
});

describe('padHex', () => {
  test.each([
    [0n, '00'], [1n, '01'], [0x7fn, '7f'], [0x80n, '0080'], [0xffn, '00ff'], [0x100n, '0100'], [200n, '00c8'], [56n, '38'],
    [0x7fffn, '7fff'], [0x8000n, '008000'], [0xabcn, '0abc'],
    [-1n, 'ff'], [-20n, 'ec'], [-56n, 'c8'], [-128n, '80'], [-129n, 'ff7f'], [-200n, 'ff38'], [-236n, 'ff14'], [-256n, 'ff00'],
    [-0x8000n, '8000'], [-0x8001n, 'ff7fff'], [-0x800n, 'f800'],
  ])('padHex(%p) = %p', (value, hex) => {
    expect(padHex(value)).toBe(hex);
  });

  test('matches the reference on random values of every size, high bit set and not, both signs', () => {
    for (let i = 0; i < 3000; i++) {
      const bytes = 1 + (i % 400);
      let value = randomBig(bytes);
      const top = 1n << BigInt(8 * bytes - 1);
      value = i % 4 < 2 ? value | top : value & (top - 1n); // force the top bit set, then clear
      if (i % 2 === 1) value = -value;
      const hex = padHex(value);
      expect(hex).toBe(refPadHex(value));
      expect(hex.length % 2).toBe(0);
    }
  });
});

describe('TIMESTAMP', () => {
  test.each([
    [Date.UTC(2026, 10, 3, 7, 5, 9), 'Tue Nov 3 07:05:09 UTC 2026'],
    [Date.UTC(2026, 0, 1, 0, 0, 0), 'Thu Jan 1 00:00:00 UTC 2026'],
    [Date.UTC(2025, 11, 31, 23, 59, 59), 'Wed Dec 31 23:59:59 UTC 2025'],
    [Date.UTC(2024, 1, 29, 12, 0, 7), 'Thu Feb 29 12:00:07 UTC 2024'],
    [Date.UTC(2027, 5, 9, 9, 9, 9), 'Wed Jun 9 09:09:09 UTC 2027'],
    [Date.UTC(2030, 8, 15, 18, 30, 0), 'Sun Sep 15 18:30:00 UTC 2030'],
  ])('formatSrpTimestamp(%p) = %p', (ms, text) => {
    expect(formatSrpTimestamp(new Date(ms))).toBe(text);
    expect(parseSrpTimestamp(text)?.getTime()).toBe(ms);
  });

  test('uses UTC whatever the local zone offset, and English names', () => {
    const date = new Date('2026-11-03T23:30:00-05:00'); // Nov 4 04:30 UTC
    expect(formatSrpTimestamp(date)).toBe('Wed Nov 4 04:30:00 UTC 2026');
  });

  test('the strict parser rejects what Cognito calls malformed', () => {
    for (const text of [
      'Tue Nov 3 7:05:09 UTC 2026', // H not HH
      'Tue Nov 3 07:05:9 UTC 2026',
      'Tue Nov 3 07:05:09 GMT+1 2026',
      'Mon Nov 3 07:05:09 UTC 2026', // wrong weekday
      'Tue Nov 31 07:05:09 UTC 2026', // no such day
      'Di Nov 3 07:05:09 UTC 2026',
      'Tue Nov 3 24:00:00 UTC 2026',
      '2026-11-03T07:05:09Z',
      '',
    ]) {
      expect(parseSrpTimestamp(text)).toBeUndefined();
    }
    // A zero-padded day parses (java's `d` accepts it) but is not the canonical string.
    expect(parseSrpTimestamp('Tue Nov 03 07:05:09 UTC 2026')?.getTime()).toBe(Date.UTC(2026, 10, 3, 7, 5, 9));
  });

  test('an invalid Date is a RangeError', () => {
    expect(() => formatSrpTimestamp(new Date(NaN))).toThrow(RangeError);
  });
});

describe('modPow (our bigint code, replacing @noble/curves)', () => {
  /** Reference by another route: exponent bits from the most significant end, recursively. */
  const refPow = (b: bigint, e: bigint, m: bigint): bigint => {
    if (e === 0n) return 1n % m;
    const half = refPow(b, e / 2n, m);
    const sq = (half * half) % m;
    return e % 2n === 1n ? (sq * mod(b, m)) % m : sq;
  };
  const big = fc.bigInt({ min: -(1n << 400n), max: 1n << 400n });

  test('matches the reference for random bases (negative too), exponents and moduli', () => {
    fc.assert(fc.property(big, fc.bigInt({ min: 0n, max: 1n << 300n }), fc.bigInt({ min: 1n, max: 1n << 400n }), (b, e, m) => modPow(b, e, m) === refPow(b, e, m)), { numRuns: 300 });
  });

  test("Fermat's little theorem holds in the 3072-bit group: x^(N-1) = 1 mod N", () => {
    fc.assert(fc.property(fc.bigInt({ min: 2n, max: 1n << 3000n }), (x) => modPow(x, libN - 1n, libN) === 1n), { numRuns: 5 });
  });

  test('edges: exponent 0, modulus 1, base a multiple of the modulus; bad arguments throw SrpError', () => {
    expect(modPow(5n, 0n, 7n)).toBe(1n);
    expect(modPow(5n, 3n, 1n)).toBe(0n);
    expect(modPow(14n, 5n, 7n)).toBe(0n);
    expect(modPow(-2n, 3n, 7n)).toBe(6n); // -8 mod 7
    expect(() => modPow(2n, 3n, 0n)).toThrow(SrpError);
    expect(() => modPow(2n, -1n, 7n)).toThrow(SrpError);
  });
});
