// The public Auth object over any CognitoService. It imports no transport, so the SDK-free entry
// (authchart/fetch) and the default one (authchart, over the AWS SDK) share every line of it.
import type { CognitoService } from '../services/cognito.js';
import type { DrainReport } from '../services/revocationOutbox.js';
import { startAuthRuntime, type AuthActor } from './authRuntime.js';
import type { ResolvedConfig } from './config.js';
import { AuthError, AuthStoppedError } from './errors.js';
import { listen, type AuthHubEvent, type AuthHubEventType } from './events.js';
import type { AuthSession, SignInResult, SignOutResult } from './results.js';
import { runGetSession } from './sessionCalls.js';
import { runConfirmSignIn, runSignIn } from './signInCalls.js';
import { runRetrySignOut, runSignOut } from './signOutCalls.js';
import { validateConfirmSignIn, validateGetSession, validateSignIn, validateSignOut, type ConfirmSignInOptions, type GetSessionOptions, type SignInOptions, type SignOutOptions } from './validate.js';

export type { AuthActor } from './authRuntime.js';

export interface Auth {
  /** Signs a user in (SRP by default). One user at a time: rejects with UserAlreadyAuthenticatedException otherwise. */
  signIn(options: SignInOptions): Promise<SignInResult>;
  /** Answers the challenge signIn() returned: a new password, a TOTP code or an SMS code. */
  confirmSignIn(options: ConfirmSignInOptions): Promise<SignInResult>;
  /** The current tokens, refreshed first when they expire within refreshSkewSeconds (or when forced). */
  getSession(options?: GetSessionOptions): Promise<AuthSession>;
  /** Signs out, bounded by networkTimeoutMs. Never rejects for network reasons: see SignOutResult. */
  signOut(options?: SignOutOptions): Promise<SignOutResult>;
  /** Retries the failed server calls of a partial result with the tokens it carries. */
  retrySignOut(result: SignOutResult): Promise<SignOutResult>;
  /** Revokes now every refresh token waiting in the revocation outbox. */
  flushRevocations(): Promise<DrainReport>;
  /** signedIn, signedOut, tokenRefresh, tokenRefresh_failure, storageError; returns the unsubscribe function. */
  on<T extends AuthHubEventType>(type: T, handler: (event: Extract<AuthHubEvent, { type: T }>) => void): () => void;
  /** The running statechart: subscribe(), getSnapshot(), on(). */
  readonly actor: AuthActor;
  /** Stops the statechart; pending calls reject with AuthStoppedError. */
  stop(): Promise<void>;
}

/** Starts an instance over `cognito`; `release` frees what the caller built for it (e.g. an SDK client). */
export function createAuthCore(settings: ResolvedConfig, cognito: CognitoService, release?: () => void): Auth {
  const rt = startAuthRuntime(settings, cognito);
  const { flights } = rt;

  function guarded<A extends unknown[], R>(method: string, run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args) => {
      if (rt.stopped.aborted) throw new AuthStoppedError(method);
      return run(...args);
    };
  }

  return {
    actor: rt.actor,
    signIn: guarded('signIn', async (options) => {
      const valid = validateSignIn(options);
      if (flights.signingOut) throw new AuthError('SignOutInProgressException', 'A sign-out is running: wait for it before signing in');
      if (flights.signingIn) throw new AuthError('SignInInProgressException', 'Another sign-in is running: wait for it to finish');
      flights.signingIn = runSignIn(rt, valid).finally(() => (flights.signingIn = null));
      return flights.signingIn;
    }),
    confirmSignIn: guarded('confirmSignIn', async (options) => {
      const { challengeResponse, userAttributes } = validateConfirmSignIn(options);
      if (flights.signingIn) throw new AuthError('SignInInProgressException', 'A sign-in step is running: wait for it to finish');
      flights.signingIn = runConfirmSignIn(rt, challengeResponse, userAttributes).finally(() => (flights.signingIn = null));
      return flights.signingIn;
    }),
    getSession: guarded('getSession', async (options) => runGetSession(rt, validateGetSession(options).forceRefresh)),
    signOut: guarded('signOut', async (options) => {
      const { global } = validateSignOut(options);
      // A sign-out while one runs joins it: one flow, one result for every caller.
      flights.signingOut ??= runSignOut(rt, global).finally(() => (flights.signingOut = null));
      return flights.signingOut;
    }),
    retrySignOut: guarded('retrySignOut', async (result) => runRetrySignOut(rt, result)),
    flushRevocations: guarded('flushRevocations', () => rt.revocations.flush()),
    on: (type, handler) => listen(rt.actor, type, handler),
    async stop() {
      if (rt.stopped.aborted) return;
      rt.stop();
      release?.();
    },
  };
}
