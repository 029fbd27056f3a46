// Public entry of the Cognito emulator (HTTP, AWS JSON 1.1) for tests, demos and app developers' tests.
export { startCognitoEmulator } from './emulator/start.js';
export { secretHash } from './emulator/ids.js';
export { decodeJwtPayload } from './emulator/jwt.js';
export type {
  CognitoEmulator,
  CognitoEmulatorOptions,
  CreateUserOptions,
  CreateUserPoolClientOptions,
  EmulatorFaults,
  EmulatorInboxMessage,
  EmulatorIssuer,
  EmulatorJwk,
  EmulatorJwks,
  EmulatorMfaType,
  EmulatorOAuthEndpoint,
  EmulatorRefreshTokenRotation,
  HostedUiClientOptions,
  EmulatorOperation,
  EmulatorPoolSettings,
  EmulatorRequestRecord,
  Fault,
  FaultOptions,
  FaultTarget,
  SetupOptions,
  SetupResult,
} from './emulator/types.js';
