import { and, assign, fromPromise, setup } from 'xstate';
import { ErrorNames, type ErrorInfo, type SignOutOutcome } from './types.js';
import { notProvided } from './notProvided.js';
import { errorOfEvent, toErrorInfo } from './errorInfo.js';

/**
 * One sign-out, from a signed-in session to a cleared one.
 *
 *   signedIn ─┬─ local ──► revoking ───────────────┐
 *             ├─ global ─► signingOutGlobally ─────┤  (network phase, bounded by networkDeadline)
 *             │            ├ everywhere: invalidatingSessions ─ok─► clearingCache (RevokeToken not awaited)
 *             │            └ thisDevice: revoking                │
 *             └─ no origin_jti ───────────────────────────────────┴─► clearingCache ─► signedOut | failed
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
    recordRevocationNotEnabled: assign({
      revokeTokenError: (): ErrorInfo => ({
        name: ErrorNames.revocationNotEnabled,
        message: 'The access token has no origin_jti claim: token revocation is not enabled on this app client, so RevokeToken was skipped',
      }),
    }),
    recordRevokeFailure: assign((_, error: unknown) => ({ revokeTokenError: toErrorInfo(error) })),
    recordRevokeTimeout: assign({ revokeTokenError: ({ context }) => timedOut('RevokeToken', context.networkTimeoutMs) }),
    recordGlobalSignOutFailure: assign((_, error: unknown) => ({ globalSignOutError: toErrorInfo(error) })),
    recordGlobalSignOutTimeout: assign({ globalSignOutError: ({ context }) => timedOut('GlobalSignOut', context.networkTimeoutMs) }),
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
        {
          guard: and(['isGlobalSignOut', 'isRevocationDisabled']),
          target: 'signingOutGlobally.thisDevice.revocationNotEnabled',
          actions: 'recordRevocationNotEnabled',
        },
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
      type: 'parallel',
      // Both regions start together, so their deadlines are one deadline for the phase.
      states: {
        everywhere: {
          initial: 'invalidatingSessions',
          states: {
            invalidatingSessions: {
              invoke: {
                src: 'globalSignOut',
                // Every refresh token of the user is now invalid: RevokeToken no longer matters.
                onDone: '#signOut.clearingCache',
                onError: { target: 'globalSignOutFailed', actions: { type: 'recordGlobalSignOutFailure', params: errorOfEvent } },
              },
              after: { networkDeadline: { target: 'globalSignOutFailed', actions: 'recordGlobalSignOutTimeout' } },
            },
            globalSignOutFailed: { type: 'final' },
          },
        },
        thisDevice: {
          initial: 'revoking',
          states: {
            revoking: {
              invoke: {
                src: 'revokeToken',
                onDone: 'revoked',
                onError: { target: 'revokeFailed', actions: { type: 'recordRevokeFailure', params: errorOfEvent } },
              },
              after: { networkDeadline: { target: 'revokeFailed', actions: 'recordRevokeTimeout' } },
            },
            revoked: { type: 'final' },
            revokeFailed: { type: 'final' },
            revocationNotEnabled: { type: 'final' },
          },
        },
      },
      // Reached only when GlobalSignOut failed: both regions are final.
      onDone: 'clearingCache',
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

