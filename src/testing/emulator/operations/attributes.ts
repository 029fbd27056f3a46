// A signed-in user's own attributes and account: UpdateUserAttributes, GetUserAttributeVerificationCode,
// VerifyUserAttribute, DeleteUserAttributes and DeleteUser (each authorised by an access token with
// the aws.cognito.signin.user.admin scope, as GetUser). Verification codes go through the inbox
// (purpose 'attribute'), to the value being verified; docs/emulator.md, "Attributes and DeleteUser",
// says what is modelled and what Cognito leaves undocumented.
import type { EmulatorContext, OperationHandler } from '../context.js';
import type { CodeDeliveryDetails } from '../inbox.js';
import * as p from '../protocol.js';
import type { User } from '../state.js';
import { signedInUser } from './checks.js';

/** "The verification code or link is valid for 24 hours" (Cognito developer guide, email or phone verification). */
export const ATTRIBUTE_CODE_VALIDITY_MS = 24 * 3600 * 1000;

type Verifiable = 'email' | 'phone_number';

/** Cognito's standard attributes (the pool schema every user pool has); `custom:*` is taken as declared. */
const STANDARD_ATTRIBUTES = new Set([
  'address', 'birthdate', 'email', 'email_verified', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name',
  'nickname', 'phone_number', 'phone_number_verified', 'picture', 'preferred_username', 'profile', 'sub', 'updated_at', 'website', 'zoneinfo',
]);
/** Set only by Cognito: a verification (or an admin), never by the user's own app client. */
const VERIFIED_FLAGS = new Set(['email_verified', 'phone_number_verified']);

const isVerifiable = (name: string): name is Verifiable => name === 'email' || name === 'phone_number';


/** Cognito's wording for attributes it refuses: one line per attribute. */
function invalidAttributes(problems: readonly string[]): p.CognitoError {
  return new p.CognitoError('InvalidParameterException', `Invalid user attributes: ${problems.join('\n')}`);
}

/** InvalidParameterException naming each unknown or immutable attribute; NotAuthorizedException for the verified flags. */
function checkWritable(names: readonly string[]): void {
  if (names.some((name) => VERIFIED_FLAGS.has(name))) {
    throw new p.CognitoError('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
  }
  const problems: string[] = [];
  for (const name of names) {
    if (name === 'sub') problems.push(`user.${name}: Attribute cannot be updated. (changing an immutable attribute)`);
    else if (!STANDARD_ATTRIBUTES.has(name) && !name.startsWith('custom:')) problems.push(`user.${name}: Attribute does not exist in the schema.`);
  }
  if (problems.length > 0) throw invalidAttributes(problems);
}

/** The attribute a code can verify: InvalidParameterException for any other name, or when the user has no value to send to. */
function verifiableAttribute(input: p.JsonObject): Verifiable {
  const name = p.requireString(input, 'AttributeName');
  if (!isVerifiable(name)) throw new p.CognitoError('InvalidParameterException', 'Invalid attribute name. Only phone_number and email can be verified.');
  return name;
}

/** Where a code for `name` goes: the pending value if a change waits, else the current one. */
function destinationOf(user: User, name: Verifiable): string {
  const value = user.pendingAttributes?.get(name) ?? user.attributes.get(name);
  if (value === undefined || value === '') {
    throw new p.CognitoError('InvalidParameterException', `User does not have a valid registered ${name === 'email' ? 'email address' : 'phone number'}`);
  }
  return value;
}

/** A new code to the value being verified; its CodeDeliveryDetails, as the wire carries them. */
function sendCode(ctx: EmulatorContext, user: User, name: Verifiable): p.JsonObject {
  const delivery: CodeDeliveryDetails = ctx.inbox.send(user, 'attribute', name, destinationOf(user, name)).delivery;
  return { ...delivery };
}

/**
 * UpdateUserAttributes {AccessToken, UserAttributes, ClientMetadata?} → {CodeDeliveryDetailsList?}.
 * Every attribute is checked before any is written. A changed email or phone_number: under the
 * pool's AttributesRequireVerificationBeforeUpdate it waits (the old value and its verified flag
 * stay) and a code goes to the new value; otherwise it replaces the old at once with
 * `<name>_verified` false, and a code goes out when the pool auto-verifies the attribute.
 */
export const updateUserAttributes: OperationHandler = (ctx, input): p.JsonObject => {
  const user = signedInUser(ctx, p.requireString(input, 'AccessToken'));
  if (!Array.isArray(input.UserAttributes)) throw p.validationError('userAttributes', 'Member must not be null');
  const changes = p.attributeList(input, 'UserAttributes');
  p.stringMap(input, 'ClientMetadata');
  checkWritable(Object.keys(changes));
  const settings = ctx.store.pool(user.poolId).settings;
  const codesFor: Verifiable[] = [];
  for (const [name, value] of Object.entries(changes)) {
    if (!isVerifiable(name)) {
      user.attributes.set(name, value);
      continue;
    }
    if (settings.attributesRequireVerificationBeforeUpdate.includes(name)) {
      if (value === user.attributes.get(name)) user.pendingAttributes?.delete(name); // back to the value in force: nothing waits
      else {
        (user.pendingAttributes ??= new Map()).set(name, value);
        codesFor.push(name);
      }
      continue;
    }
    if (value === user.attributes.get(name)) continue;
    user.attributes.set(name, value);
    user.attributes.set(`${name}_verified`, 'false');
    user.pendingAttributes?.delete(name);
    if (settings.autoVerifiedAttributes.includes(name)) codesFor.push(name);
  }
  user.updatedAt = ctx.now();
  if (codesFor.length === 0) return {};
  return { CodeDeliveryDetailsList: codesFor.map((name) => sendCode(ctx, user, name)) };
};

/** GetUserAttributeVerificationCode {AccessToken, AttributeName, ClientMetadata?} → {CodeDeliveryDetails}: a new code; the newest confirms. */
export const getUserAttributeVerificationCode: OperationHandler = (ctx, input) => {
  const user = signedInUser(ctx, p.requireString(input, 'AccessToken'));
  const name = verifiableAttribute(input);
  p.stringMap(input, 'ClientMetadata');
  return { CodeDeliveryDetails: sendCode(ctx, user, name) };
};

/**
 * VerifyUserAttribute {AccessToken, AttributeName, Code} → {}: the newest code sent to the value
 * being verified, within 24 hours (CodeMismatchException / ExpiredCodeException). Then the value
 * is verified, and a pending value replaces the old one. A used code is retired: presenting it again
 * → ExpiredCodeException, as a real pool answers (observed by floci-io/floci, PR #2018).
 */
export const verifyUserAttribute: OperationHandler = (ctx, input) => {
  const user = signedInUser(ctx, p.requireString(input, 'AccessToken'));
  const name = verifiableAttribute(input);
  const code = p.requireString(input, 'Code');
  const destination = destinationOf(user, name);
  const newest = ctx.inbox.latest(user.poolId, user.username, 'attribute', destination);
  if (newest && newest.code === code && ctx.inbox.wasUsed(newest)) {
    throw new p.CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
  }
  ctx.inbox.check(user, 'attribute', code, ATTRIBUTE_CODE_VALIDITY_MS, destination);
  if (newest) ctx.inbox.markUsed(newest);
  user.attributes.set(name, destination);
  user.attributes.set(`${name}_verified`, 'true');
  user.pendingAttributes?.delete(name);
  user.updatedAt = ctx.now();
  return {};
};

/** DeleteUserAttributes {AccessToken, UserAttributeNames} → {}. Deleting email or phone_number drops its verified flag and any pending change. */
export const deleteUserAttributes: OperationHandler = (ctx, input) => {
  const user = signedInUser(ctx, p.requireString(input, 'AccessToken'));
  const names = p.optionalStringList(input, 'UserAttributeNames');
  if (names === undefined) throw p.validationError('userAttributeNames', 'Member must not be null');
  checkWritable(names);
  for (const name of names) {
    user.attributes.delete(name);
    if (!isVerifiable(name)) continue;
    user.attributes.delete(`${name}_verified`);
    user.pendingAttributes?.delete(name);
  }
  user.updatedAt = ctx.now();
  return {};
};

/**
 * DeleteUser {AccessToken} → {}. The user is gone: its access tokens then answer
 * UserNotFoundException and its refresh tokens NotAuthorizedException (they name a user that no
 * longer exists), and the username is free to sign up again, as another user (a new sub, an empty inbox).
 */
export const deleteUser: OperationHandler = (ctx, input) => {
  const user = signedInUser(ctx, p.requireString(input, 'AccessToken'));
  ctx.store.pool(user.poolId).users.delete(user.username);
  ctx.inbox.forget(user.poolId, user.username);
  return {};
};
