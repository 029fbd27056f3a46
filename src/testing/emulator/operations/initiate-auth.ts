// InitiateAuth: USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH (alias REFRESH_TOKEN) and
// USER_AUTH (userAuth.ts; with ConfirmSignUp's Session, signUp.ts).
import type { EmulatorContext, OperationHandler } from '../context.js';
import * as p from '../protocol.js';
import type { AppClient } from '../state.js';
import { checkRefreshDevice } from '../devices.js';
import { afterPassword } from './challenges.js';
import * as check from './checks.js';
import { refreshTokens, usableRefreshToken } from './refresh.js';
import { signInAfterSignUp } from './signUp.js';
import { initiateSrp } from './srp-auth.js';
import { initiateUserAuth } from './userAuth.js';

export const initiateAuth: OperationHandler = (ctx, input) => {
  const client = ctx.store.client(p.requireString(input, 'ClientId'));
  const flow = p.requireString(input, 'AuthFlow');
  const params = p.stringMap(input, 'AuthParameters');
  switch (flow) {
    case 'USER_PASSWORD_AUTH':
      return passwordAuth(ctx, client, params);
    case 'USER_SRP_AUTH':
      return initiateSrp(ctx, client, params);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      return refreshAuth(ctx, client, params);
    case 'USER_AUTH':
      if (input.Session !== undefined) return signInAfterSignUp(ctx, client, input, params);
      return initiateUserAuth(ctx, client, params);
    default:
      throw notImplemented(flow);
  }
};

const notImplemented = (flow: string): p.CognitoError =>
  new p.CognitoError('InvalidParameterException', `The emulator does not implement the ${flow} flow (only USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH and USER_AUTH)`);

function passwordAuth(ctx: EmulatorContext, client: AppClient, params: Record<string, string>): p.JsonObject {
  if (!check.flowEnabled(client, 'USER_PASSWORD_AUTH')) {
    throw new p.CognitoError('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client');
  }
  const username = check.requireParam(params, 'USERNAME');
  const password = check.requireParam(params, 'PASSWORD');
  check.verifySecretHash(client, params.SECRET_HASH, [username]);
  const pool = ctx.store.pool(client.userPoolId);
  const user = ctx.store.findUser(pool.id, username);
  if (!user) throw check.unknownUser(client);
  if (!check.passwordMatches(user, password)) {
    throw new p.CognitoError('NotAuthorizedException', 'Incorrect username or password.');
  }
  if (!user.enabled) throw new p.CognitoError('NotAuthorizedException', 'User is disabled.');
  return afterPassword(ctx, client, user, params.DEVICE_KEY);
}

/**
 * REFRESH_TOKEN_AUTH: new access and ID tokens, the refresh token kept. Refused for clients that
 * rotate refresh tokens: those refresh only through GetTokensFromRefreshToken (or /oauth2/token).
 */
function refreshAuth(ctx: EmulatorContext, client: AppClient, params: Record<string, string>): p.JsonObject {
  if (client.rotation.enabled) {
    throw new p.CognitoError('InvalidParameterException', 'REFRESH_TOKEN_AUTH is not supported when refresh token rotation is enabled for the client; use GetTokensFromRefreshToken');
  }
  const token = check.requireParam(params, 'REFRESH_TOKEN');
  if (client.clientSecret !== undefined && !params.SECRET_HASH) {
    throw new p.CognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${client.clientId}`);
  }
  const grant = usableRefreshToken(ctx, client, token, (user) => check.verifySecretHash(client, params.SECRET_HASH, [user.username, user.sub]));
  checkRefreshDevice(grant.record, grant.user, params.DEVICE_KEY);
  return { AuthenticationResult: refreshTokens(ctx, client, grant), ChallengeParameters: {} };
}
