// What the unauthenticated account operations (SignUp, ConfirmSignUp, ResendConfirmationCode,
// ForgotPassword, ConfirmForgotPassword) share: the client and its SecretHash, the user, and what
// Cognito answers for a user who does not exist when the client prevents user existence errors.
import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import { maskEmail, type CodeDeliveryDetails, type InboxMessage } from '../inbox.js';
import * as p from '../protocol.js';
import type { AppClient, User } from '../state.js';
import { verifySecretHash } from './checks.js';

/** A sign-up code lasts 24 hours, as Cognito documents for confirmation codes. */
export const SIGN_UP_CODE_VALIDITY_MS = 24 * 3600 * 1000;
/** A password-reset code lasts 1 hour, as Cognito documents for ForgotPassword's code. */
export const RESET_CODE_VALIDITY_MS = 3600 * 1000;

/** The request's client, Username and (checked) SecretHash, and the user if there is one. */
export function accountRequest(ctx: EmulatorContext, input: p.JsonObject): { client: AppClient; username: string; user: User | undefined } {
  const client = ctx.store.client(p.requireString(input, 'ClientId'));
  const username = p.requireString(input, 'Username');
  verifySecretHash(client, p.optionalString(input, 'SecretHash'), [username]);
  return { client, username, user: ctx.store.findUser(client.userPoolId, username) };
}

/** LEGACY clients: Cognito's answer for a username the client's pool does not have. */
export const userNotFound = (): p.CognitoError => new p.CognitoError('UserNotFoundException', 'Username/client id combination not found.');

/**
 * With PreventUserExistenceErrors ENABLED, a code "sent" to a user who does not exist: the
 * CodeDeliveryDetails a real user would get, masked the same way, and stable per username (an
 * answer that changed between calls would give the user away). Nothing is stored or sent. Email,
 * unless the pool verifies only phone numbers; `channel` forces one (USER_AUTH's EMAIL_OTP, SMS_OTP).
 */
export function simulatedDelivery(ctx: EmulatorContext, client: AppClient, username: string, channel?: 'EMAIL' | 'SMS'): CodeDeliveryDetails {
  const auto = ctx.store.pool(client.userPoolId).settings.autoVerifiedAttributes;
  const digest = createHash('sha256').update(`${client.userPoolId}\u0000${username}`).digest();
  if (channel === 'SMS' || (channel === undefined && auto.includes('phone_number') && !auto.includes('email'))) {
    const last4 = String(digest.readUInt16BE(0) % 10_000).padStart(4, '0');
    return { Destination: `+*******${last4}`, DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  }
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const local = /^[a-z]/i.test(username) ? username.charAt(0) : letters.charAt(digest[1]! % 26);
  const address = username.includes('@') ? username : `${local}@${letters.charAt(digest[2]! % 26)}.example`;
  return { Destination: maskEmail(address), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

/** Where SignUp and ResendConfirmationCode send a code: an attribute the pool auto-verifies (the phone first, as Cognito does when both are). */
export function signUpCodeAttribute(ctx: EmulatorContext, user: User): 'email' | 'phone_number' | undefined {
  const auto = ctx.store.pool(user.poolId).settings.autoVerifiedAttributes;
  return (['phone_number', 'email'] as const).find((name) => auto.includes(name) && user.attributes.has(name));
}

/**
 * Checks a code as ctx.inbox.check does (the newest of `purpose`, within `validForMs`) and refuses
 * one already used; then runs the request's other checks (`andThen`: a failure there leaves the
 * code usable, so the user can retry with a better password) and marks the code used. Returns the
 * message it matched.
 */
export function useCode(ctx: EmulatorContext, user: User, purpose: 'signUp' | 'resetPassword', code: string, validForMs: number, andThen: () => void = () => {}): InboxMessage {
  const sent = ctx.inbox.latest(user.poolId, user.username, purpose);
  if (sent && ctx.inbox.wasUsed(sent)) throw new p.CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
  ctx.inbox.check(user, purpose, code, validForMs);
  andThen();
  ctx.inbox.markUsed(sent!); // check() threw if nothing was sent
  return sent!;
}
