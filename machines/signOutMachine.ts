import { assign, fromPromise, setup } from 'xstate';
import { ErrorNames, type ErrorInfo, type SignOutOutcome } from './types.js';
import { notProvided } from './notProvided.js';
import { errorOfEvent, toErrorInfo } from './errorInfo.js';

/**
 * One sign-out, from a signed-in session to a cleared one.
 *
 *   signedIn ─┬─ local ──► revoking ────────────────────────────────────────┐
 *             ├─ global ─► signingOutGlobally.invalidatingSessions ──ok──────┤
 *             │                 └─failed─► signingOutGlobally.revoking ──────┤
 *             └─ local, no origin_jti ───────────────────────────────────────┴─► clearingCache ─► signedOut | failed
 *
 * GlobalSignOut goes first and RevokeToken only when it fails. Cognito's RevokeToken also revokes
 * the access tokens issued from the refresh token, so sent concurrently it can make GlobalSignOut
 * fail with "Access Token has been revoked" and leave the other devices signed in. In the
 * common case this is still one round trip: once GlobalSignOut succeeds, every refresh token of
 * the user is invalid, so RevokeToken is not needed. The whole network phase has one deadline.
 *
 * The machine only orchestrates: it never sees a token. The invoked services read the tokens
 * from the token store themselves; errors arrive here as { name, message } only.
 */
export interface SignOutInput {
  /** GlobalSignOut as well as RevokeToken. */
  readonly global: boolean;
  /** The access token has `origin_jti`, so the app client allows RevokeToken. */
  readonly revocable: boolean;
  /** Deadline for the whole network phase, in milliseconds. */
  readonly networkTimeoutMs: number;
}

export interface SignOutContext extends SignOutInput {
  readonly globalSignOutError?: ErrorInfo;
  readonly revokeTokenError?: ErrorInfo;
  readonly clearError?: ErrorInfo;
}

const timedOut = (call: string, ms: number): ErrorInfo => ({
  name: ErrorNames.timeout,
  message: `${call} had not answered within networkTimeoutMs (${ms} ms); the request was aborted`,
});

const notAttempted = (ms: number): ErrorInfo => ({
  name: ErrorNames.timeout,
  message: `RevokeToken was not sent: networkTimeoutMs (${ms} ms) passed while GlobalSignOut was pending`,
});

const revocationNotEnabled: ErrorInfo = {
  name: ErrorNames.revocationNotEnabled,
  message: 'The access token has no origin_jti claim: token revocation is not enabled on this app client, so RevokeToken was skipped',
};

export const signOutMachine = setup({
  types: {
    input: {} as SignOutInput,
    context: {} as SignOutContext,
    output: {} as SignOutOutcome,
  },
  actors: {
    /** RevokeToken with the session's refresh token. Rejects with an ErrorInfo-shaped error. */
    revokeToken: fromPromise<void>(notProvided('revokeToken')),
    /** GlobalSignOut with the session's access token. */
    globalSignOut: fromPromise<void>(notProvided('globalSignOut')),
    /** Removes every token of the session from the store, all or nothing. */
    clearTokens: fromPromise<void>(notProvided('clearTokens')),
  },
  guards: {
    isGlobalSignOut: ({ context }) => context.global,
    isRevocationDisabled: ({ context }) => !context.revocable,
  },
  actions: {
    recordRevocationNotEnabled: assign({ revokeTokenError: revocationNotEnabled }),
    recordRevokeFailure: assign((_, error: unknown) => ({ revokeTokenError: toErrorInfo(error) })),
    recordRevokeTimeout: assign({ revokeTokenError: ({ context }) => timedOut('RevokeToken', context.networkTimeoutMs) }),
    /** The global phase's deadline passed: whichever call was pending timed out. */
    recordGlobalSignOutDeadline: assign(({ context }) =>
      context.globalSignOutError
        ? { revokeTokenError: timedOut('RevokeToken', context.networkTimeoutMs) }
        : {
            globalSignOutError: timedOut('GlobalSignOut', context.networkTimeoutMs),
            revokeTokenError: context.revocable ? notAttempted(context.networkTimeoutMs) : revocationNotEnabled,
          },
    ),
    recordGlobalSignOutFailure: assign((_, error: unknown) => ({ globalSignOutError: toErrorInfo(error) })),
    recordClearFailure: assign((_, error: unknown) => ({ clearError: toErrorInfo(error) })),
  },
  delays: {
    networkDeadline: ({ context }) => context.networkTimeoutMs,
  },
}).createMachine({
  id: 'signOut',
  context: ({ input }) => ({ ...input }),
  initial: 'signedIn',
  states: {
    signedIn: {
      always: [
        { guard: 'isGlobalSignOut', target: 'signingOutGlobally' },
        { guard: 'isRevocationDisabled', target: 'clearingCache', actions: 'recordRevocationNotEnabled' },
        { target: 'revoking' },
      ],
    },
    revoking: {
      invoke: {
        src: 'revokeToken',
        onDone: 'clearingCache',
        onError: { target: 'clearingCache', actions: { type: 'recordRevokeFailure', params: errorOfEvent } },
      },
      after: { networkDeadline: { target: 'clearingCache', actions: 'recordRevokeTimeout' } },
    },
    signingOutGlobally: {
      initial: 'invalidatingSessions',
      // One deadline for GlobalSignOut and, if it fails, RevokeToken after it.
      after: { networkDeadline: { target: 'clearingCache', actions: 'recordGlobalSignOutDeadline' } },
      states: {
        invalidatingSessions: {
          invoke: {
            src: 'globalSignOut',
            // Every refresh token of the user is now invalid: RevokeToken is not needed.
            onDone: '#signOut.clearingCache',
            onError: [
              {
                guard: 'isRevocationDisabled',
                target: '#signOut.clearingCache',
                actions: [{ type: 'recordGlobalSignOutFailure', params: errorOfEvent }, 'recordRevocationNotEnabled'],
              },
              // This device's refresh token must still die on the server.
              { target: 'revoking', actions: { type: 'recordGlobalSignOutFailure', params: errorOfEvent } },
            ],
          },
        },
        revoking: {
          invoke: {
            src: 'revokeToken',
            onDone: '#signOut.clearingCache',
            onError: { target: '#signOut.clearingCache', actions: { type: 'recordRevokeFailure', params: errorOfEvent } },
          },
        },
      },
    },
    clearingCache: {
      invoke: {
        src: 'clearTokens',
        onDone: 'signedOut',
        onError: { target: 'failed', actions: { type: 'recordClearFailure', params: errorOfEvent } },
      },
    },
    signedOut: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => outcomeOf(context),
});

/** The outcome a finished flow reports; exported for the auth machine and for tests. */
export function outcomeOf(context: SignOutContext): SignOutOutcome {
  if (context.clearError) return { type: 'failed', error: context.clearError };
  // In global mode, reaching the cache without a GlobalSignOut error means GlobalSignOut succeeded.
  if (context.global && !context.globalSignOutError) return { type: 'complete' };
  const { globalSignOutError, revokeTokenError } = context;
  if (!globalSignOutError && !revokeTokenError) return { type: 'complete' };
  return {
    type: 'partial',
    ...(globalSignOutError && { globalSignOutError }),
    ...(revokeTokenError && { revokeTokenError }),
  };
}

