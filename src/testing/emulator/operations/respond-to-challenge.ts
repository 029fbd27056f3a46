// RespondToAuthChallenge: NEW_PASSWORD_REQUIRED only.
import type { OperationHandler } from '../context.js';
import * as p from '../protocol.js';
import * as check from './checks.js';

export const respondToAuthChallenge: OperationHandler = (ctx, input) => {
  const client = ctx.store.client(p.requireString(input, 'ClientId'));
  const challenge = p.requireString(input, 'ChallengeName');
  if (challenge !== 'NEW_PASSWORD_REQUIRED') {
    throw new p.CognitoError('InvalidParameterException', `The emulator does not implement the ${challenge} challenge`);
  }
  const responses = p.stringMap(input, 'ChallengeResponses');
  const username = check.requireParam(responses, 'USERNAME');
  const newPassword = check.requireParam(responses, 'NEW_PASSWORD');
  check.verifySecretHash(client, responses.SECRET_HASH, [username]);

  const sessionId = p.optionalString(input, 'Session') ?? '';
  const session = ctx.sessions.get(sessionId);
  if (!session || session.clientId !== client.clientId) {
    throw new p.CognitoError('NotAuthorizedException', 'Invalid session for the user.');
  }
  if (session.expiresAt <= ctx.now()) {
    ctx.sessions.delete(sessionId);
    throw new p.CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
  }
  const pool = ctx.store.pool(session.poolId);
  const user = ctx.store.user(pool.id, session.username);
  if (username !== user.username && username !== user.sub) {
    throw new p.CognitoError('NotAuthorizedException', 'Invalid session for the user.');
  }
  ctx.sessions.delete(sessionId);
  for (const [key, value] of Object.entries(responses)) {
    const name = key.startsWith('userAttributes.') ? key.slice('userAttributes.'.length) : '';
    if (name !== '' && name !== 'sub') user.attributes.set(name, value);
  }
  ctx.store.setPassword(user, newPassword, true);
  return { AuthenticationResult: ctx.tokens.signIn(pool, client, user), ChallengeParameters: {} };
};
