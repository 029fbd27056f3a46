// Passwords: ForgotPassword, ConfirmForgotPassword, ChangePassword and AdminResetUserPassword.
import type { OperationHandler } from '../context.js';
import { deliveryAttribute } from '../inbox.js';
import { checkPassword } from '../poolSettings.js';
import * as p from '../protocol.js';
import { accountRequest, RESET_CODE_VALIDITY_MS, simulatedDelivery, useCode, userNotFound } from './account.js';
import { passwordMatches, signedInUser } from './checks.js';

/**
 * ForgotPassword: a 'resetPassword' code to the user's verified email (else verified phone). With
 * PreventUserExistenceErrors ENABLED, an unknown user gets the same kind of answer as a known one.
 */
export const forgotPassword: OperationHandler = (ctx, input) => {
  const { client, username, user } = accountRequest(ctx, input);
  if (!user) {
    if (!client.preventUserExistenceErrors) throw userNotFound();
    return { CodeDeliveryDetails: { ...simulatedDelivery(ctx, client, username) } };
  }
  const target = deliveryAttribute(user, { verifiedOnly: true });
  if (target === undefined) throw new p.CognitoError('InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number');
  return { CodeDeliveryDetails: { ...ctx.inbox.send(user, 'resetPassword', target).delivery } };
};

/** ConfirmForgotPassword: the newest reset code, within 1 hour and once, and a password the policy accepts. */
export const confirmForgotPassword: OperationHandler = (ctx, input) => {
  const { client, user } = accountRequest(ctx, input);
  const code = p.requireString(input, 'ConfirmationCode');
  const password = p.requireString(input, 'Password');
  if (!user) {
    if (!client.preventUserExistenceErrors) throw userNotFound();
    throw new p.CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  }
  useCode(ctx, user, 'resetPassword', code, RESET_CODE_VALIDITY_MS, () => checkPassword(ctx.store.pool(user.poolId).settings.passwordPolicy, password));
  ctx.store.setPassword(user, password, true); // CONFIRMED, also from RESET_REQUIRED
  return {};
};

/**
 * ChangePassword: the access token as GetUser checks it, then the new password against the policy,
 * then the previous password. Other sessions stay signed in, as in Cognito.
 */
export const changePassword: OperationHandler = (ctx, input) => {
  const user = signedInUser(ctx, p.requireString(input, 'AccessToken'));
  const previous = p.requireString(input, 'PreviousPassword');
  const proposed = p.requireString(input, 'ProposedPassword');
  checkPassword(ctx.store.pool(user.poolId).settings.passwordPolicy, proposed);
  if (!passwordMatches(user, previous)) throw new p.CognitoError('NotAuthorizedException', 'Incorrect username or password.');
  ctx.store.setPassword(user, proposed, true);
  return {};
};

/**
 * AdminResetUserPassword: the user must reset (RESET_REQUIRED: sign-ins answer
 * PasswordResetRequiredException), and a reset code goes to a verified email or phone the pool
 * auto-verifies, as the API reference describes.
 */
export const adminResetUserPassword: OperationHandler = (ctx, input) => {
  const user = ctx.store.user(p.requireString(input, 'UserPoolId'), p.requireString(input, 'Username'));
  user.status = 'RESET_REQUIRED';
  user.updatedAt = ctx.now();
  const auto = ctx.store.pool(user.poolId).settings.autoVerifiedAttributes;
  const target = (['email', 'phone_number'] as const).find((name) => auto.includes(name) && user.attributes.has(name) && user.attributes.get(`${name}_verified`) === 'true');
  if (target !== undefined) ctx.inbox.send(user, 'resetPassword', target);
  return {};
};
