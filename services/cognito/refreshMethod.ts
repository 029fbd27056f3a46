import { FieldError } from './errors.js';
import { ErrorNames } from '../../machines/errors/registry.js';
import type { CognitoService } from './types.js';
import type { SessionTokens } from '../storage/tokenStore.js';

/**
 * The session's refresh, one request: GetTokensFromRefreshToken on an app client that rotates
 * refresh tokens (it refuses REFRESH_TOKEN_AUTH), else REFRESH_TOKEN_AUTH. The session refresh and
 * the refresh before a global sign-out both call this, so they cannot differ. `username` is used for
 * SECRET_HASH only. The answer's refresh token is the rotated one when the client rotates them.
 */
export async function refreshWithSessionMethod(
  cognito: CognitoService,
  rotation: boolean,
  refreshToken: string,
  username: string,
  signal: AbortSignal,
): Promise<SessionTokens> {
  if (!rotation) return cognito.refreshTokens(refreshToken, username, signal);
  if (!cognito.getTokensFromRefreshToken) throw new FieldError(ErrorNames.config, 'transport', 'needs getTokensFromRefreshToken for refreshTokenRotation');
  return cognito.getTokensFromRefreshToken(refreshToken, signal);
}
