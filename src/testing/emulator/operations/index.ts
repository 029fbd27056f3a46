// Operation name → handler.
import type { OperationHandler } from '../context.js';
import type { EmulatorOperation } from '../types.js';
import { adminCreateUser, adminSetUserPassword, createUserPool, describeUserPool, updateUserPool } from './admin.js';
import { createUserPoolClient, describeUserPoolClient, updateUserPoolClient } from './app-clients.js';
import { initiateAuth } from './initiate-auth.js';
import { associateSoftwareToken, getUserPoolMfaConfig, setUserMfaPreference, setUserPoolMfaConfig, verifySoftwareToken } from './mfaSetup.js';
import { getTokensFromRefreshToken } from './refresh.js';
import { respondToAuthChallenge } from './respond-to-challenge.js';
import { getUser, globalSignOut, revokeToken } from './session.js';

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
  SetUserPoolMfaConfig: setUserPoolMfaConfig,
  GetUserPoolMfaConfig: getUserPoolMfaConfig,
  AssociateSoftwareToken: associateSoftwareToken,
  VerifySoftwareToken: verifySoftwareToken,
  SetUserMFAPreference: setUserMfaPreference,
};

export function isEmulatorOperation(name: string): name is EmulatorOperation {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, name);
}
