import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToBase64, utf8 } from '../encoding/bytes.js';

/**
 * Cognito's SECRET_HASH: Base64(HMAC-SHA256(key = client secret, message = username + client id)).
 * The same HMAC as SRP's (@noble/hashes), so it needs no Web Crypto: React Native runs it as is.
 */
export async function secretHash(clientSecret: string, username: string, clientId: string): Promise<string> {
  return bytesToBase64(hmac(sha256, utf8(clientSecret), utf8(username + clientId)));
}
