export * from './emulator.js';
export {
  createTestAuth,
  TEST_AUTH_STATES,
  type DriveOptions,
  type FailedSignOutResult,
  type HeldSignOut,
  type PartialSignOutResult,
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
