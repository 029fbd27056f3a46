// services/crypto/hmacSha256.ts against two independent implementations: node:crypto (OpenSSL) and
// @noble/hashes' HMAC class, on RFC 4231's inputs and on random keys and messages.
import fc from 'fast-check';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createHmac } from 'node:crypto';
import { hmacSha256 } from '../services/crypto/hmacSha256';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const node = (key: Uint8Array, message: Uint8Array) => createHmac('sha256', key).update(message).digest('hex');
const fill = (n: number, byte: number) => new Uint8Array(n).fill(byte);
const text = (s: string) => new TextEncoder().encode(s);

describe('hmacSha256', () => {
  test("RFC 4231 test cases 1 and 2: the RFC's own HMAC-SHA-256 outputs", () => {
    expect(hex(hmacSha256(fill(20, 0x0b), text('Hi There')))).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(hex(hmacSha256(text('Jefe'), text('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  test.each([
    ['3: 20-byte key, 50 bytes of 0xdd', fill(20, 0xaa), fill(50, 0xdd)],
    ['4: key 0x01..0x19, 50 bytes of 0xcd', Uint8Array.from({ length: 25 }, (_, i) => i + 1), fill(50, 0xcd)],
    ['6: 131-byte key (hashed first)', fill(131, 0xaa), text('Test Using Larger Than Block-Size Key - Hash Key First')],
    ['7: 131-byte key, long message', fill(131, 0xaa), text('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.')],
    ['empty key and message', new Uint8Array(0), new Uint8Array(0)],
    ['a key of exactly one block', fill(64, 0x42), text('block')],
    ['a key one byte over a block', fill(65, 0x42), text('block')],
  ])('RFC 4231 case %s: same as node:crypto', (_, key, message) => {
    expect(hex(hmacSha256(key, message))).toBe(node(key, message));
  });

  test('random keys (0-300 bytes) and messages (0-600 bytes): same as node:crypto and @noble/hashes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 600 }), (key, message) => {
        const ours = hex(hmacSha256(key, message));
        return ours === node(key, message) && ours === hex(hmac(sha256, key, message));
      }),
      { numRuns: 2000 },
    );
  });

  test('does not modify its inputs', () => {
    const key = fill(70, 7);
    const message = fill(10, 9);
    hmacSha256(key, message);
    expect(key).toEqual(fill(70, 7));
    expect(message).toEqual(fill(10, 9));
  });
});
