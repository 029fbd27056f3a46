// Random identifiers shaped like Cognito's.
import { createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomChars(length: number, alphabet: string = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}

export const uuid = (): string => randomUUID();

/** '<region>_<9 chars>', e.g. 'us-east-1_Ab3dE5gH7'. */
export const userPoolId = (region: string): string => `${region}_${randomChars(9)}`;

/** 26 lowercase alphanumerics, like Cognito app client ids. */
export const clientId = (): string => randomChars(26, LOWER_ALNUM);

/** 51 lowercase alphanumerics, like Cognito client secrets. */
export const clientSecret = (): string => randomChars(51, LOWER_ALNUM);

export const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** An opaque refresh token that looks like Cognito's JWE: five base64url segments. */
export function refreshToken(): string {
  const header = base64url(JSON.stringify({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' }));
  const parts = [randomBytes(256), randomBytes(12), randomBytes(384), randomBytes(16)].map(base64url);
  return [header, ...parts].join('.');
}

/** An opaque session for challenges. */
export const session = (): string => base64url(randomBytes(96));

/** A password that satisfies Cognito's default policy (upper, lower, digit, symbol, 8+). */
export const password = (): string => `Pw-${randomChars(16)}-aA1!`;

/** base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function secretHash(secret: string, username: string, id: string): string {
  return createHmac('sha256', secret).update(username + id).digest('base64');
}
