// RS256 JWTs with a key pair generated per emulator instance.
import { createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { base64url, randomChars } from './ids.js';
import { isJsonObject, type JsonObject } from './protocol.js';
import type { EmulatorJwks } from './types.js';

export class JwtSigner {
  readonly kid = randomChars(20);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  sign(claims: JsonObject): string {
    const header = base64url(JSON.stringify({ kid: this.kid, alg: 'RS256' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(this.privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /** The payload when `token` is a well-formed JWT signed by this key; otherwise undefined. */
  verify(token: string): JsonObject | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const ok = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(this.publicKey, Buffer.from(signature, 'base64url'));
    if (!ok) return undefined;
    try {
      const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return isJsonObject(claims) ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  /** A new copy each time: callers may keep or change it. */
  jwks(): EmulatorJwks {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ kty: 'RSA', n: jwk.n ?? '', e: jwk.e ?? '', kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }
}

/** Decodes a JWT payload without verifying it (for tests and tools). */
export function decodeJwtPayload(token: string): JsonObject | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isJsonObject(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}
