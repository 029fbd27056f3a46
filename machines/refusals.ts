import { ErrorNames, type ErrorInfo } from './types.js';

/**
 * The typed errors a state answers a call with when the call cannot run there. One place, so the
 * generated call × state table (docs/calls.md) and the errors apps see say the same thing.
 */
export const REFUSALS = {
  /** A sign-in while a user is signed in. */
  alreadyAuthenticated: { name: ErrorNames.userAlreadyAuthenticated, message: 'There is already a signed in user: sign out first' },
  /** A call that a running sign-in step excludes. */
  signInInProgress: { name: ErrorNames.signInInProgress, message: 'A sign-in step is running: wait for it to finish' },
  /** A sign-in while a sign-out runs. */
  signOutInProgress: { name: ErrorNames.signOutInProgress, message: 'A sign-out is running: wait for it before signing in' },
  /** confirmSignIn() without a pending challenge. */
  noPendingChallenge: { name: ErrorNames.noPendingChallenge, message: 'confirmSignIn() needs a pending challenge: call signIn() first' },
  /** confirmSignIn() past the challenge's deadline (AuthSessionValidity): the challenge is dropped. */
  signInSessionExpired: { name: ErrorNames.signInSessionExpired, message: 'The challenge expired: call signIn() again' },
  /** signIn(), signInWithRedirect() or getSession() while the tokens are dead but still stored (revokedButStored). */
  revokedSessionNotCleared: {
    name: ErrorNames.revokedSessionNotCleared,
    message: 'The session is revoked but still stored: call signOut() to clear it',
  },
  /** A sign-in while a global sign-out queued on this storage is still unfinished after the drain that sign-in runs first. */
  globalSignOutPending: {
    name: ErrorNames.globalSignOutPending,
    message: 'A queued global sign-out is not finished: call again once Cognito answers, or flushRevocations()',
  },
} as const satisfies Record<string, ErrorInfo>;

/** The key of one of REFUSALS. */
export type Refusal = keyof typeof REFUSALS;
