import { FieldError } from './errors.js';
import { ErrorNames } from '../../machines/errors/registry.js';
import { readJwtClaims } from '../encoding/jwt.js';
import type { CognitoService } from './types.js';
import type { SessionTokens } from '../storage/tokenStore.js';

/**
 * The session's refresh, one request: GetTokensFromRefreshToken on an app client that rotates
 * refresh tokens (it refuses REFRESH_TOKEN_AUTH), else REFRESH_TOKEN_AUTH. The session refresh and
 * the refresh before a global sign-out both call this, so they cannot differ. `username` is used for
 * SECRET_HASH only. The answer's refresh token is the rotated one when the client rotates them.
 * A session bound to a device (its access token's `device_key` claim: the device Cognito gave its
 * sign-in) names it (DEVICE_KEY, DeviceKey), as Cognito requires; a failure then carries the fact
 * `deviceKeySent` (machines/auth/shared.ts, refreshErrorOf, decides what Cognito's refusal means).
 */
export async function refreshWithSessionMethod(
  cognito: CognitoService,
  rotation: boolean,
  tokens: { readonly refreshToken: string; readonly accessToken?: string | undefined },
  username: string,
  signal: AbortSignal,
): Promise<SessionTokens> {
  const { refreshToken } = tokens;
  const deviceKey = readJwtClaims(tokens.accessToken ?? '')?.device_key as string | undefined;
  const refreshed = rotation ? cognito.getTokensFromRefreshToken?.(refreshToken, signal, deviceKey) : cognito.refreshTokens(refreshToken, username, signal, deviceKey);
  if (!refreshed) throw new FieldError(ErrorNames.config, 'transport', 'needs getTokensFromRefreshToken for refreshTokenRotation');
  return refreshed.catch((error: unknown) => {
    throw deviceKey ? Object.assign(error as object, { deviceKeySent: true }) : error;
  });
}
