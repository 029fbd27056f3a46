// GetTokensFromRefreshToken, and the refresh rules every refresh path shares (InitiateAuth's
// REFRESH_TOKEN_AUTH and the /oauth2/token refresh_token grant): which tokens are usable, and
// whether the answer carries a new refresh token (rotation).
import type { EmulatorContext, OperationHandler } from '../context.js';
import * as p from '../protocol.js';
import type { AppClient, User, UserPool } from '../state.js';
import type { RefreshedTokens, RefreshRecord } from '../tokens.js';
import { checkRefreshDevice } from '../devices.js';
import { verifyClientSecret } from './checks.js';

export interface RefreshGrant {
  readonly record: RefreshRecord;
  readonly pool: UserPool;
  readonly user: User;
}

const notAuthorized = (message: string): p.CognitoError => new p.CognitoError('NotAuthorizedException', message);

/**
 * The refresh token's record and user, if the token may be refreshed by this client now; else the
 * error Cognito answers. `verifySecret` runs once the user is known (SECRET_HASH needs the name).
 */
export function usableRefreshToken(ctx: EmulatorContext, client: AppClient, token: string, verifySecret?: (user: User) => void): RefreshGrant {
  const record = ctx.tokens.findRefresh(token);
  const user = record && record.clientId === client.clientId ? ctx.store.findUser(record.poolId, record.sub) : undefined;
  if (!record || !user) throw notAuthorized('Invalid Refresh Token');
  verifySecret?.(user);
  if (record.revoked) throw notAuthorized('Refresh Token has been revoked');
  if (record.retiresAt !== undefined && record.retiresAt <= ctx.now()) {
    throw new p.CognitoError('RefreshTokenReuseException', 'Refresh token has already been used and rotated');
  }
  if (record.expiresAt <= ctx.now()) throw notAuthorized('Refresh Token has expired');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return { record, pool: ctx.store.pool(record.poolId), user };
}

/** New tokens for a usable refresh token: with a new refresh token when the client rotates them. */
export function refreshTokens(ctx: EmulatorContext, client: AppClient, grant: RefreshGrant): RefreshedTokens {
  const { pool, user, record } = grant;
  return client.rotation.enabled
    ? ctx.tokens.rotate(pool, client, user, record, client.rotation.graceSeconds)
    : ctx.tokens.refresh(pool, client, user, record);
}

/**
 * GetTokensFromRefreshToken {RefreshToken, ClientId, ClientSecret?, ClientMetadata?, DeviceKey?}.
 * Works with rotation on or off; ClientMetadata is checked to be a map and otherwise unused (no
 * Lambda triggers); DeviceKey must name the device a device-bound token was issued to (devices.ts).
 */
export const getTokensFromRefreshToken: OperationHandler = (ctx, input) => {
  const token = p.requireString(input, 'RefreshToken');
  const clientId = p.requireString(input, 'ClientId');
  p.stringMap(input, 'ClientMetadata');
  const deviceKey = p.optionalString(input, 'DeviceKey');
  const client = ctx.store.client(clientId);
  verifyClientSecret(client, p.optionalString(input, 'ClientSecret'));
  const grant = usableRefreshToken(ctx, client, token);
  checkRefreshDevice(grant.record, grant.user, deviceKey);
  return { AuthenticationResult: refreshTokens(ctx, client, grant) };
};
