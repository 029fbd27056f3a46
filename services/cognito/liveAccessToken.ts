import type { CognitoService } from './types.js';
import { readJwtClaims } from '../encoding/jwt.js';

/** An access token this close to expiry would be refused by GlobalSignOut. */
const EXPIRY_MARGIN_MS = 5_000;

/**
 * The access token to send GlobalSignOut with: the given one, or, when it has expired and a
 * refresh token is at hand, a fresh one from REFRESH_TOKEN_AUTH. The fresh token is returned only,
 * never stored: it exists for the one call of a session that is being signed out.
 */
export async function liveAccessToken(
  cognito: CognitoService,
  tokens: { accessToken: string; refreshToken?: string | undefined },
  signal: AbortSignal | undefined,
  now: () => number = Date.now,
): Promise<string> {
  const claims = readJwtClaims(tokens.accessToken);
  const expired = typeof claims?.exp === 'number' && claims.exp * 1000 - EXPIRY_MARGIN_MS <= now();
  if (!expired || !tokens.refreshToken || typeof claims?.username !== 'string') return tokens.accessToken;
  return (await cognito.refreshTokens(tokens.refreshToken, claims.username, signal)).accessToken;
}
