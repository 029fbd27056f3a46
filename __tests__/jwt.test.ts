// readJwtClaims: decodes a JWT's payload without verifying it, and never throws.
import fc from 'fast-check';
import { readJwtClaims } from '../services/encoding/jwt';

const HEADER = 'eyJraWQiOiJrZXkxIiwiYWxnIjoiUlMyNTYifQ'; // {"kid":"key1","alg":"RS256"}
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const jwt = (claims: unknown) => `${HEADER}.${b64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;

test('a Cognito-shaped access token gives back its claims', () => {
  const claims = {
    sub: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
    iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI',
    client_id: '1example23456789abcdefghij',
    origin_jti: 'f0e1d2c3-b4a5-6789-0abc-def123456789',
    event_id: '12345678-90ab-cdef-1234-567890abcdef',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: 1700000000,
    exp: 1700003600,
    iat: 1700000000,
    jti: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    username: 'alice',
  };
  expect(readJwtClaims(jwt(claims))).toEqual(claims);
});

test('a fixed token decodes to the known claims (independent of the test encoder)', () => {
  // {"sub":"1234567890","name":"John Doe","iat":1516239022}, the jwt.io example
  const token = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  expect(readJwtClaims(token)).toEqual({ sub: '1234567890', name: 'John Doe', iat: 1516239022 });
});

test('non-ASCII UTF-8 claims come back intact (2-, 3- and 4-byte sequences)', () => {
  const claims = { username: 'jörg.müller', city: 'Zürich', cjk: '東京', emoji: '🔐✓', greek: 'Ωμέγα' };
  expect(readJwtClaims(jwt(claims))).toEqual(claims);
});

test('base64url characters - and _ are decoded (bytes 0xfb/0xff in the payload)', () => {
  // '?>' and '?~' make base64 '+' / '/' at some offsets; 'ÿ' (c3 bf) gives '_' / '-' in base64url
  const claims = { a: '???>>>~~~ÿÿÿ', b: '>?>?ÿ~' };
  const payload = b64url(JSON.stringify(claims));
  expect(payload).toMatch(/[-_]/);
  expect(readJwtClaims(`${HEADER}.${payload}.sig`)).toEqual(claims);
});

test.each([0, 1, 2])('an unpadded payload of 3n+%i bytes (base64url length 0, 2, 3 mod 4) decodes', (remainder) => {
  // '{"k":""}' is 8 bytes; grow the value until the JSON is `remainder` bytes mod 3
  const claims = { k: 'x'.repeat(3 + ((remainder - 8) % 3 + 3) % 3) };
  expect(JSON.stringify(claims).length % 3).toBe(remainder);
  const payload = b64url(JSON.stringify(claims));
  expect(payload.length % 4).toBe([0, 2, 3][remainder]);
  expect(payload).not.toContain('=');
  expect(readJwtClaims(`${HEADER}.${payload}.sig`)).toEqual(claims);
});

test('a padded (standard base64) payload is accepted too', () => {
  const claims = { k: 'xy' };
  const padded = Buffer.from(JSON.stringify(claims)).toString('base64');
  expect(padded).toMatch(/=$/);
  expect(readJwtClaims(`${HEADER}.${padded}.sig`)).toEqual(claims);
});

test.each([
  ['2 segments', `${HEADER}.${b64url('{"a":1}')}`],
  ['4 segments', `${HEADER}.${b64url('{"a":1}')}.sig.extra`],
  ['5 segments (a JWE, like a refresh token)', `${HEADER}.${b64url('{"a":1}')}.b.c.d`],
  ['1 segment', b64url('{"a":1}')],
  ['the empty string', ''],
  ['only dots', '..'],
  ['an empty payload', `${HEADER}..sig`],
])('%s: undefined', (_, token) => {
  expect(readJwtClaims(token)).toBeUndefined();
});

test('empty header and signature segments are allowed: only the payload matters', () => {
  expect(readJwtClaims(`.${b64url('{"a":1}')}.`)).toEqual({ a: 1 });
});

test.each([
  ['characters outside base64', 'a.!!!!.b'],
  ['a length of 1 mod 4', 'a.eyJhI.b'],
  ['"=" inside the payload', 'a.ey=J9.b'],
  ['a payload that is base64 but not JSON', `a.${b64url('not json')}.b`],
  ['truncated JSON', `a.${b64url('{"a":1')}.b`],
])('invalid payload (%s): undefined, no throw', (_, token) => {
  expect(() => readJwtClaims(token)).not.toThrow();
  expect(readJwtClaims(token)).toBeUndefined();
});

test.each([
  ['an array', '[1,2]'],
  ['null', 'null'],
  ['a number', '42'],
  ['a string', '"s"'],
  ['a boolean', 'true'],
])('JSON that is %s is not claims: undefined', (_, json) => {
  expect(readJwtClaims(`${HEADER}.${b64url(json)}.sig`)).toBeUndefined();
});

test('a non-string (from untyped callers) is undefined, not a TypeError', () => {
  expect(readJwtClaims(undefined as unknown as string)).toBeUndefined();
  expect(readJwtClaims(42 as unknown as string)).toBeUndefined();
});

test('property: any JSON object round-trips through base64url', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary' })), (object) => {
      // JSON.parse(JSON.stringify(x)) is the claims JSON would give: -0 becomes 0, etc.
      const expected = JSON.parse(JSON.stringify(object));
      expect(readJwtClaims(`${HEADER}.${b64url(JSON.stringify(object))}.sig`)).toEqual(expected);
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 500) },
  );
});

test('property: never throws, whatever the string', () => {
  const piece = fc.constantFrom('.', '-', '_', '+', '/', '=', ' ', 'e', 'y', 'J', '9', 'fQ', 'eyJ', 'A');
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.array(piece, { maxLength: 30 }).map((xs) => xs.join(''))), (token) => {
      const claims = readJwtClaims(token);
      expect(claims === undefined || (typeof claims === 'object' && claims !== null && !Array.isArray(claims))).toBe(true);
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 1000) },
  );
});
