export * from './emulator.js';
export {
  createTestAuth,
  TEST_AUTH_STATES,
  type DriveOptions,
  type FailedSignOutResult,
  type HeldHostedUi,
  type HeldLoad,
  type HeldRedirect,
  type HeldRefresh,
  type HeldRequest,
  type HeldSessionEnd,
  type HeldSignIn,
  type HeldSignOut,
  type HeldStorageCall,
  type HeldStoreCheck,
  type PartialSignOutResult,
  type StorageHold,
  type StorageMethod,
  type TestAuth,
  type TestAuthOptions,
  type TestAuthState,
  type TestAuthStates,
  type TestFaults,
  type TestStorage,
  type TestUser,
  type TestUserSpec,
} from './testAuth.js';
export { chartStateOf, createTestAccount, TEST_ACCOUNT_STATES, type AccountDriveOptions, type SignUpUser, type HeldAccountCall, type TestAccount, type TestAccountState, type TestAccountStates } from './kit/account.js';
export { createHostedUiBrowser, signInAtHostedUi, type HostedUiBrowser, type HostedUiVisit } from './kit/hostedUi.js';
export { createTestAuthenticator, type TestAuthenticator } from './kit/passkeys.js';
