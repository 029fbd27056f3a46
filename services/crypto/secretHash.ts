import { bytesToBase64, utf8 } from '../encoding/bytes.js';
import { platformHash, type LoadOnFirstUse } from './hashes.js';

/**
 * Cognito's SECRET_HASH: Base64(HMAC-SHA256(key = client secret, message = username + client id)),
 * with the platform's hash (hashes.ts: Web Crypto, or @noble/hashes loaded by `load` where there is none).
 */
export async function secretHash(clientSecret: string, username: string, clientId: string, load: LoadOnFirstUse): Promise<string> {
  return bytesToBase64(await platformHash(load)([utf8(username + clientId), utf8(clientSecret)]));
}
