// InitiateAuth: USER_PASSWORD_AUTH, USER_SRP_AUTH and REFRESH_TOKEN_AUTH (alias REFRESH_TOKEN).
import type { EmulatorContext, OperationHandler } from '../context.js';
import * as p from '../protocol.js';
import type { AppClient } from '../state.js';
import { afterPassword } from './challenges.js';
import * as check from './checks.js';
import { initiateSrp } from './srp-auth.js';

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
    default:
      throw new p.CognitoError(
        'InvalidParameterException',
        `The emulator does not implement the ${flow} flow (only USER_PASSWORD_AUTH, USER_SRP_AUTH and REFRESH_TOKEN_AUTH)`,
      );
  }
};

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
  return afterPassword(ctx, client, user);
}

function refreshAuth(ctx: EmulatorContext, client: AppClient, params: Record<string, string>): p.JsonObject {
  const token = check.requireParam(params, 'REFRESH_TOKEN');
  if (client.clientSecret !== undefined && !params.SECRET_HASH) {
    throw new p.CognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${client.clientId}`);
  }
  const record = ctx.tokens.findRefresh(token);
  if (!record || record.clientId !== client.clientId) {
    throw new p.CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
  }
  const pool = ctx.store.pool(record.poolId);
  const user = ctx.store.findUser(pool.id, record.sub);
  if (!user) throw new p.CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
  check.verifySecretHash(client, params.SECRET_HASH, [user.username, user.sub]);
  if (record.revoked) throw new p.CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
  if (record.expiresAt <= ctx.now()) throw new p.CognitoError('NotAuthorizedException', 'Refresh Token has expired');
  if (!user.enabled) throw new p.CognitoError('NotAuthorizedException', 'User is disabled.');
  return { AuthenticationResult: ctx.tokens.refresh(pool, client, user, record), ChallengeParameters: {} };
}
