// Checks shared by the authentication operations.
import { timingSafeEqual } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import { secretHash } from '../ids.js';
import { CognitoError } from '../protocol.js';
import { hashPassword, type AppClient, type User } from '../state.js';

/**
 * The user an access token stands for (GetUser and the account operations that take one): the
 * token's checks (NotAuthorizedException, docs/emulator.md), then UserNotFoundException once the
 * user is gone (DeleteUser).
 */
export function signedInUser(ctx: EmulatorContext, accessToken: string): User {
  const grant = ctx.tokens.checkAdminAccessToken(accessToken);
  const user = ctx.store.findUser(grant.poolId, grant.sub);
  if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
  return user;
}

export function missingParameter(name: string): CognitoError {
  return new CognitoError('InvalidParameterException', `Missing required parameter ${name}`);
}

export function requireParam(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * For clients with a secret: SECRET_HASH must be base64(HMAC-SHA256(secret, username + clientId))
 * for one of `usernames`. Clients without a secret ignore it.
 */
export function verifySecretHash(client: AppClient, given: string | undefined, usernames: string[]): void {
  if (client.clientSecret === undefined) return;
  const secret = client.clientSecret;
  const ok = given !== undefined && usernames.some((u) => sameString(given, secretHash(secret, u, client.clientId)));
  if (!ok) throw new CognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${client.clientId}`);
}

/** For clients with a secret: ClientSecret itself (RevokeToken, GetTokensFromRefreshToken). */
export function verifyClientSecret(client: AppClient, given: string | undefined): void {
  if (client.clientSecret === undefined) return;
  if (given === undefined || given === '') {
    throw new CognitoError('NotAuthorizedException', `Client ${client.clientId} is configured with secret but ClientSecret was not received`);
  }
  if (!sameString(given, client.clientSecret)) throw new CognitoError('NotAuthorizedException', `Unable to verify secret for client ${client.clientId}`);
}

export function flowEnabled(client: AppClient, flow: string): boolean {
  return client.explicitAuthFlows.includes(`ALLOW_${flow}`) || client.explicitAuthFlows.includes(flow);
}

export function passwordMatches(user: User, password: string): boolean {
  return sameString(user.passwordHash, hashPassword(password));
}

export function unknownUser(client: AppClient): CognitoError {
  return client.preventUserExistenceErrors
    ? new CognitoError('NotAuthorizedException', 'Incorrect username or password.')
    : new CognitoError('UserNotFoundException', 'User does not exist.');
}

/** The user's attributes as Cognito lists them in NEW_PASSWORD_REQUIRED (sub left out). */
export function challengeAttributes(user: User): string {
  const out: Record<string, string> = {};
  for (const [name, value] of user.attributes) if (name !== 'sub') out[name] = value;
  return JSON.stringify(out);
}
