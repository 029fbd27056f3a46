import { ErrorNames, type ErrorInfo } from './types.js';

/**
 * The typed errors a state answers a call with when the call cannot run there. One place, so the
 * generated call × state table (docs/calls.md) and the errors apps see say the same thing.
 */
export const REFUSALS = {
  alreadyAuthenticated: { name: ErrorNames.userAlreadyAuthenticated, message: 'There is already a signed in user: sign out first' },
  signInInProgress: { name: ErrorNames.signInInProgress, message: 'A sign-in step is running: wait for it to finish' },
  signOutInProgress: { name: ErrorNames.signOutInProgress, message: 'A sign-out is running: wait for it before signing in' },
  noPendingChallenge: { name: ErrorNames.noPendingChallenge, message: 'confirmSignIn() needs a pending challenge: call signIn() first' },
  revokedSessionNotCleared: {
    name: ErrorNames.revokedSessionNotCleared,
    message: 'A sign-out revoked this session on the server, but the device could not be cleared: call signOut() to clear it',
  },
} as const satisfies Record<string, ErrorInfo>;

export type Refusal = keyof typeof REFUSALS;
