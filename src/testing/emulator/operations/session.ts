// Token-authorised operations: RevokeToken, GlobalSignOut, GetUser (MFA preferences: mfaSetup.ts).
import type { OperationHandler } from '../context.js';
import * as p from '../protocol.js';
import { describeUserMfa } from '../userMfa.js';
import { signedInUser } from './checks.js';

const TOKEN_PATTERN = /^[A-Za-z0-9\-_=.]+$/;

/**
 * RevokeToken. Its documented errors are ForbiddenException, InternalErrorException,
 * InvalidParameterException, TooManyRequestsException, UnauthorizedException,
 * UnsupportedOperationException and UnsupportedTokenTypeException; the emulator only uses those
 * (see docs/emulator.md for the mapping).
 */
export const revokeToken: OperationHandler = (ctx, input) => {
  const token = p.requireString(input, 'Token');
  const clientId = p.requireString(input, 'ClientId');
  const clientSecret = p.optionalString(input, 'ClientSecret');
  const client = ctx.store.clients.get(clientId);
  if (!client) throw new p.CognitoError('UnauthorizedException', `Client ${clientId} is not authorized: no such app client.`);
  if (client.clientSecret !== undefined && clientSecret !== client.clientSecret) {
    throw new p.CognitoError('UnauthorizedException', `Client secret missing or invalid for client ${clientId}.`);
  }
  if (!client.enableTokenRevocation) {
    throw new p.CognitoError('UnsupportedOperationException', 'Token revocation is not enabled for this app client.');
  }
  if (!TOKEN_PATTERN.test(token)) {
    throw new p.CognitoError('InvalidParameterException', "1 validation error detected: Value at 'token' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+");
  }
  if (token.split('.').length === 3) {
    throw new p.CognitoError('UnsupportedTokenTypeException', 'Unsupported token type: only refresh tokens can be revoked.');
  }
  const record = ctx.tokens.findRefresh(token);
  if (!record) return {}; // unknown or already forgotten: idempotent success, like Cognito
  if (record.clientId !== client.clientId) {
    throw new p.CognitoError('UnauthorizedException', 'The refresh token was not issued to this app client.');
  }
  ctx.tokens.revokeFamily(record);
  return {};
};

export const globalSignOut: OperationHandler = (ctx, input) => {
  const grant = ctx.tokens.checkAdminAccessToken(p.requireString(input, 'AccessToken'));
  ctx.tokens.revokeUser(grant.poolId, grant.sub);
  return {};
};

export const getUser: OperationHandler = (ctx, input) => {
  const user = signedInUser(ctx, p.requireString(input, 'AccessToken'));
  return {
    Username: user.username,
    UserAttributes: [...user.attributes].map(([Name, Value]) => ({ Name, Value })),
    MFAOptions: [],
    ...describeUserMfa(user.mfa),
  };
};
