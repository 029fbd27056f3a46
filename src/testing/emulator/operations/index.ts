// Operation name → handler.
import type { OperationHandler } from '../context.js';
import type { EmulatorOperation } from '../types.js';
import { adminCreateUser, adminSetUserPassword, createUserPool, describeUserPool, updateUserPool } from './admin.js';
import { deleteUser, deleteUserAttributes, getUserAttributeVerificationCode, updateUserAttributes, verifyUserAttribute } from './attributes.js';
import { createUserPoolClient, describeUserPoolClient, updateUserPoolClient } from './app-clients.js';
import { adminForgetDevice, adminGetDevice, adminListDevices, adminUpdateDeviceStatus, confirmDevice, forgetDevice, getDevice, listDevices, updateDeviceStatus } from './devices.js';
import { initiateAuth } from './initiate-auth.js';
import { adminResetUserPassword, changePassword, confirmForgotPassword, forgotPassword } from './password.js';
import { associateSoftwareToken, getUserPoolMfaConfig, setUserMfaPreference, setUserPoolMfaConfig, verifySoftwareToken } from './mfaSetup.js';
import { getTokensFromRefreshToken } from './refresh.js';
import { respondToAuthChallenge } from './respond-to-challenge.js';
import { getUser, globalSignOut, revokeToken } from './session.js';
import { completeWebAuthnRegistration, deleteWebAuthnCredential, listWebAuthnCredentials, startWebAuthnRegistration } from './webauthn.js';
import { adminConfirmSignUp, confirmSignUp, resendConfirmationCode, signUp } from './signUp.js';

export const OPERATIONS: Readonly<Record<EmulatorOperation, OperationHandler>> = {
  CreateUserPool: createUserPool,
  UpdateUserPool: updateUserPool,
  DescribeUserPool: describeUserPool,
  CreateUserPoolClient: createUserPoolClient,
  UpdateUserPoolClient: updateUserPoolClient,
  DescribeUserPoolClient: describeUserPoolClient,
  AdminCreateUser: adminCreateUser,
  AdminSetUserPassword: adminSetUserPassword,
  InitiateAuth: initiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge,
  RevokeToken: revokeToken,
  GlobalSignOut: globalSignOut,
  GetUser: getUser,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  // Sign-up and passwords (signUp.ts, password.ts)
  SignUp: signUp,
  ConfirmSignUp: confirmSignUp,
  ResendConfirmationCode: resendConfirmationCode,
  AdminConfirmSignUp: adminConfirmSignUp,
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
  ChangePassword: changePassword,
  AdminResetUserPassword: adminResetUserPassword,
  UpdateUserAttributes: updateUserAttributes,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  VerifyUserAttribute: verifyUserAttribute,
  DeleteUserAttributes: deleteUserAttributes,
  DeleteUser: deleteUser,
  SetUserPoolMfaConfig: setUserPoolMfaConfig,
  GetUserPoolMfaConfig: getUserPoolMfaConfig,
  AssociateSoftwareToken: associateSoftwareToken,
  VerifySoftwareToken: verifySoftwareToken,
  SetUserMFAPreference: setUserMfaPreference,
  // Devices (devices.ts)
  ConfirmDevice: confirmDevice,
  UpdateDeviceStatus: updateDeviceStatus,
  ListDevices: listDevices,
  GetDevice: getDevice,
  ForgetDevice: forgetDevice,
  AdminUpdateDeviceStatus: adminUpdateDeviceStatus,
  AdminGetDevice: adminGetDevice,
  AdminListDevices: adminListDevices,
  AdminForgetDevice: adminForgetDevice,
  StartWebAuthnRegistration: startWebAuthnRegistration,
  CompleteWebAuthnRegistration: completeWebAuthnRegistration,
  ListWebAuthnCredentials: listWebAuthnCredentials,
  DeleteWebAuthnCredential: deleteWebAuthnCredential,
};

export function isEmulatorOperation(name: string): name is EmulatorOperation {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, name);
}
