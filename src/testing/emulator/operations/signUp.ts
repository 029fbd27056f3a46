// Sign-up: SignUp, ConfirmSignUp (with its Session), ResendConfirmationCode, AdminConfirmSignUp, and
// InitiateAuth USER_AUTH with ConfirmSignUp's Session (the sign-in without the password).
import type { EmulatorContext, OperationHandler } from '../context.js';
import * as ids from '../ids.js';
import { checkPassword } from '../poolSettings.js';
import * as p from '../protocol.js';
import type { AppClient, User } from '../state.js';
import { accountRequest, SIGN_UP_CODE_VALIDITY_MS, signUpCodeAttribute, simulatedDelivery, useCode, userNotFound } from './account.js';
import { afterPassword, pendingSession } from './challenges.js';
import * as check from './checks.js';

const cannotConfirm = (user: User): p.CognitoError => new p.CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);

/**
 * SignUp: an UNCONFIRMED user, and a 'signUp' code to the attribute the pool auto-verifies. With
 * none the user can receive, no code goes out and the answer has no CodeDeliveryDetails: the user
 * waits for AdminConfirmSignUp, as in Cognito.
 */
export const signUp: OperationHandler = (ctx, input) => {
  const { client, username, user: existing } = accountRequest(ctx, input);
  const password = p.requireString(input, 'Password');
  const attributes = p.attributeList(input, 'UserAttributes');
  if ('sub' in attributes) throw new p.CognitoError('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
  if (existing) throw new p.CognitoError('UsernameExistsException', 'User already exists');
  const pool = ctx.store.pool(client.userPoolId);
  checkPassword(pool.settings.passwordPolicy, password);
  const user = ctx.store.createUser(pool.id, username, password, 'UNCONFIRMED', attributes);
  const target = signUpCodeAttribute(ctx, user);
  const delivery = target === undefined ? undefined : ctx.inbox.send(user, 'signUp', target).delivery;
  return { UserConfirmed: false, UserSub: user.sub, ...(delivery && { CodeDeliveryDetails: { ...delivery } }) };
};

/**
 * ConfirmSignUp: the newest sign-up code, within 24 hours, makes the user CONFIRMED and the attribute
 * it went to verified. The answer's Session signs the user in once with InitiateAuth USER_AUTH.
 */
export const confirmSignUp: OperationHandler = (ctx, input) => {
  const { client, user } = accountRequest(ctx, input);
  const code = p.requireString(input, 'ConfirmationCode');
  if (!user) {
    if (!client.preventUserExistenceErrors) throw userNotFound();
    throw new p.CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
  }
  if (user.status !== 'UNCONFIRMED') throw cannotConfirm(user);
  const sent = useCode(ctx, user, 'signUp', code, SIGN_UP_CODE_VALIDITY_MS);
  const attribute = sent.channel === 'EMAIL' ? 'email' : 'phone_number';
  if (user.attributes.get(attribute) === sent.destination) user.attributes.set(`${attribute}_verified`, 'true');
  user.status = 'CONFIRMED';
  user.updatedAt = ctx.now();
  return { Session: signUpSession(ctx, client, user) };
};

/** AdminConfirmSignUp: CONFIRMED without a code (for pools that send none). */
export const adminConfirmSignUp: OperationHandler = (ctx, input) => {
  const user = ctx.store.user(p.requireString(input, 'UserPoolId'), p.requireString(input, 'Username'));
  if (user.status !== 'UNCONFIRMED') throw cannotConfirm(user);
  user.status = 'CONFIRMED';
  user.updatedAt = ctx.now();
  return {};
};

/** ResendConfirmationCode: a new sign-up code (the newest is the one that confirms). */
export const resendConfirmationCode: OperationHandler = (ctx, input) => {
  const { client, username, user } = accountRequest(ctx, input);
  const autoVerifies = ctx.store.pool(client.userPoolId).settings.autoVerifiedAttributes.length > 0;
  const notOn = () => new p.CognitoError('InvalidParameterException', 'Cannot resend codes. Auto verification not turned on.');
  if (!user) {
    if (!client.preventUserExistenceErrors) throw userNotFound();
    if (!autoVerifies) throw notOn();
    return { CodeDeliveryDetails: { ...simulatedDelivery(ctx, client, username) } };
  }
  if (user.status !== 'UNCONFIRMED') throw new p.CognitoError('InvalidParameterException', 'User is already confirmed.');
  const target = signUpCodeAttribute(ctx, user);
  if (target === undefined) throw notOn();
  return { CodeDeliveryDetails: { ...ctx.inbox.send(user, 'signUp', target).delivery } };
};

/** A new single-use Session for the confirmed user, valid for the client's AuthSessionValidity. */
function signUpSession(ctx: EmulatorContext, client: AppClient, user: User): string {
  const now = ctx.now();
  for (const [id, s] of ctx.sessions) if (s.expiresAt <= now) ctx.sessions.delete(id);
  const session = ids.session();
  ctx.sessions.set(session, { challenge: 'CONFIRM_SIGN_UP', poolId: user.poolId, clientId: client.clientId, username: user.username, expiresAt: now + client.authSessionValidityMinutes * 60_000 });
  return session;
}

/**
 * InitiateAuth USER_AUTH with ConfirmSignUp's Session and AuthParameters {USERNAME, SECRET_HASH?}:
 * the user's first sign-in, without the password. The Session works once, for the client that
 * confirmed, within its AuthSessionValidity; the client must allow ALLOW_USER_AUTH.
 */
export function signInAfterSignUp(ctx: EmulatorContext, client: AppClient, input: p.JsonObject, params: Record<string, string>): p.JsonObject {
  if (!check.flowEnabled(client, 'USER_AUTH')) throw new p.CognitoError('InvalidParameterException', 'USER_AUTH flow not enabled for this client');
  const username = check.requireParam(params, 'USERNAME');
  check.verifySecretHash(client, params.SECRET_HASH, [username]);
  const { id, user } = pendingSession(ctx, input, client, 'CONFIRM_SIGN_UP', username);
  ctx.sessions.delete(id);
  if (!user.enabled) throw new p.CognitoError('NotAuthorizedException', 'User is disabled.');
  return afterPassword(ctx, client, user);
}
