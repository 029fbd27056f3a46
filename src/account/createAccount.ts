// createAccount(auth): the account flows of one createAuth instance (authchart/account). Each flow
// is its own chart (machines/account/) and its own façade file here; this composes them.
import type { Auth } from '../authCore.js';
import { createAccountKit, type AccountOptions } from './kit.js';
import { mfaSetupCalls, type MfaSetupCalls } from './mfaSetup.js';
import { deleteUserCalls, type DeleteUserCalls } from './deleteUser.js';
import { resetPasswordCalls, type ResetPasswordCalls } from './resetPassword.js';
import { updatePasswordCalls, type UpdatePasswordCalls } from './updatePassword.js';
import { userAttributesCalls, type UserAttributesCalls } from './userAttributes.js';
import { signUpCalls, type SignUpCalls } from './signUp.js';
import { devicesCalls, type DevicesCalls } from './devices.js';
import { passkeysCalls, type PasskeysCalls } from './passkeys.js';

/**
 * The account flows of one instance, named as in Amplify JS v6. Every method returns a promise and
 * never throws synchronously: a bad argument rejects with AuthValidationError, and after the
 * instance's stop() every call rejects with AuthStoppedError. N is createAuth's networkTimeoutMs,
 * S its storageTimeoutMs. What each call does in each state of its flow: docs/calls.md.
 */
export interface Account extends ResetPasswordCalls, UpdatePasswordCalls, UserAttributesCalls, SignUpCalls, MfaSetupCalls, DeleteUserCalls, DevicesCalls, PasskeysCalls {}

/**
 * The account flows (sign-up, password reset and change, attributes, deletion, MFA setup, remembered devices, passkeys) of
 * `auth`, sharing its settings, storage and transport: over the SDK `client` createAuth was given,
 * or else over fetch to the same endpoint (`options.wire` for anything else). Throws
 * AuthConfigError when `auth` was given its own `transport` and no `wire` is passed.
 */
export function createAccount(auth: Auth, options?: AccountOptions): Account {
  const kit = createAccountKit(auth, options);
  return { ...resetPasswordCalls(kit), ...updatePasswordCalls(kit), ...userAttributesCalls(kit), ...signUpCalls(kit), ...mfaSetupCalls(kit), ...deleteUserCalls(kit), ...devicesCalls(kit), ...passkeysCalls(kit) };
}
