import { createActor, waitFor, type Actor } from 'xstate';
import { authMachine } from '../machines/authMachine.js';
import { endsSession } from '../machines/errorInfo.js';
import { signOutMachine } from '../machines/signOutMachine.js';
import { createAuthActors } from '../services/authActors.js';
import { createCognitoClient, createSdkCognito } from '../services/cognito.js';
import { createRevocationOutbox, type DrainReport } from '../services/revocationOutbox.js';
import { createSecretVault } from '../services/secretVault.js';
import { createSignOutActors } from '../services/signOutActors.js';
import { createTokenStore } from '../services/tokenStore.js';
import { resolveConfig, type AuthConfig } from './config.js';
import { AuthError, AuthStoppedError } from './errors.js';
import { listen, type AuthHubEvent, type AuthHubEventType } from './events.js';
import { COMPLETE, NO_SESSION, SIGNED_IN, challengeStep, toSignOutResult, type AuthSession, type SignInResult, type SignOutResult } from './results.js';
import { createRevocationRetries } from './revocationRetries.js';
import { retrySignOut } from './retrySignOut.js';
import { validateConfirmSignIn, validateGetSession, validateSignIn, validateSignOut, type ConfirmSignInOptions, type GetSessionOptions, type SignInOptions, type SignOutOptions } from './validate.js';
import { whenEmitted } from './whenEmitted.js';

export type AuthActor = Actor<typeof authMachine>;

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

const CHALLENGE_STATES = ['awaitingNewPassword', 'awaitingTotpCode', 'awaitingSmsCode'] as const;

export function createAuth(config: AuthConfig): Auth {
  const settings = resolveConfig(config);
  // A caller's transport (e.g. the fetch one) replaces the SDK client altogether.
  const client = settings.transport ? undefined : (settings.client ?? createCognitoClient(settings.region, settings.endpoint));
  const cognito =
    settings.transport ??
    createSdkCognito({ client: client!, clientId: settings.clientId, callTimeoutMs: settings.networkTimeoutMs, ...(settings.clientSecret && { clientSecret: settings.clientSecret }) });
  const store = createTokenStore(settings.storage, { clientId: settings.clientId, userPoolId: settings.userPoolId, timeoutMs: settings.storageTimeoutMs });
  const vault = createSecretVault();
  const outbox = settings.revocationOutbox
    ? createRevocationOutbox({ storage: settings.storage, clientId: settings.clientId, cognito, timeoutMs: settings.storageTimeoutMs, ...settings.revocationOutbox })
    : undefined;
  const machine = authMachine.provide({
    actors: {
      ...createAuthActors({ cognito, store, vault, userPoolId: settings.userPoolId, outbox }),
      signOut: signOutMachine.provide({ actors: createSignOutActors({ cognito, store }) }),
    },
  });
  const actor = createActor(machine, { input: { networkTimeoutMs: settings.networkTimeoutMs }, ...(settings.inspect && { inspect: settings.inspect }) });
  const stopped = new AbortController();
  actor.start();
  const revocations = createRevocationRetries(outbox, stopped.signal);
  // Revoke what earlier runs left behind, once the stored session has been checked against it.
  void whenNotIn('loadingSession', 'createAuth').then(revocations.drainInBackground, () => {});

  const inState = (...states: string[]) => states.some((state) => actor.getSnapshot().matches(state as never));

  /** Waits until the statechart leaves `state` (e.g. the stored session is loaded). */
  async function whenNotIn(state: 'loadingSession' | 'endingSession', method: string): Promise<void> {
    if (stopped.signal.aborted) throw new AuthStoppedError(method);
    try {
      await waitFor(actor, (snapshot) => !snapshot.matches(state), { signal: stopped.signal });
    } catch (error) {
      throw stopped.signal.aborted ? new AuthStoppedError(method) : error;
    }
  }

  // The calls in flight, set synchronously so that call order decides what waits for what.
  let signingIn: Promise<SignInResult> | null = null;
  let signingOut: Promise<SignOutResult> | null = null;
  let refreshing: Promise<void> | null = null;

  /** Sends one sign-in step and resolves with where the sign-in now stands. */
  async function step(method: string, send: () => void): Promise<SignInResult> {
    const settled = whenEmitted(actor, ['signedIn', 'signInFailed', 'challengeRequired', 'challengeAnswerRejected'], stopped.signal, method);
    send();
    const event = await settled;
    if (event.type === 'signedIn') return SIGNED_IN;
    if (event.type === 'challengeRequired') return challengeStep(event.challenge);
    throw new AuthError(event.error.name, event.error.message);
  }

  async function runSignIn({ username, password, authFlow }: Required<SignInOptions>): Promise<SignInResult> {
    await whenNotIn('loadingSession', 'signIn');
    if (inState('signedIn')) throw new AuthError('UserAlreadyAuthenticatedException', 'There is already a signed in user: sign out first');
    abandonChallenge();
    const credential = vault.deposit(password);
    return step('signIn', () => actor.send({ type: 'SIGN_IN', username, authFlow, credential })).finally(() => vault.discard(credential));
  }

  async function runConfirmSignIn(challengeResponse: string, userAttributes: Record<string, string>): Promise<SignInResult> {
    if (!inState(...CHALLENGE_STATES)) throw new AuthError('NoPendingChallengeException', 'confirmSignIn() needs a pending challenge: call signIn() first');
    const credential = vault.deposit(challengeResponse);
    return step('confirmSignIn', () => actor.send({ type: 'CONFIRM_SIGN_IN', credential, userAttributes })).finally(() => vault.discard(credential));
  }

  /** Drops a challenge nobody will answer, with Cognito's session for it. */
  function abandonChallenge(): void {
    const challenge = actor.getSnapshot().context.challenge;
    if (challenge) vault.discard(challenge.sessionRef);
  }

  async function runSignOut(global: boolean): Promise<SignOutResult> {
    await signingIn?.catch(() => {}); // a sign-out asked for during a sign-in waits for it
    await whenNotIn('loadingSession', 'signOut');
    if (inState(...CHALLENGE_STATES)) {
      abandonChallenge();
      actor.send({ type: 'SIGN_OUT', global }); // cancels the half-done sign-in
    }
    if (!inState('signedIn')) return COMPLETE; // nobody to sign out: no network call
    const tokens = await store.load().catch(() => null); // for the retry tokens of a partial result
    const revocable = actor.getSnapshot().context.session?.revocable === true;
    const condemned = revocable ? tokens?.refreshToken : undefined;
    if (condemned) await revocations.condemn(condemned); // write-ahead: a crash from here on loses nothing
    const settled = whenEmitted(actor, ['signedOut', 'signOutFailed'], stopped.signal, 'signOut');
    actor.send({ type: 'SIGN_OUT', global });
    const result = toSignOutResult((await settled).outcome, tokens);
    if (condemned) await revocations.settle(condemned, result);
    return result;
  }

  /** One REFRESH_TOKEN_AUTH at a time; every caller shares it. Rejects when tokens were kept. */
  async function runRefresh(): Promise<void> {
    const settled = whenEmitted(actor, ['tokenRefreshed', 'tokenRefreshFailed', 'signedOut', 'signOutFailed'], stopped.signal, 'getSession');
    actor.send({ type: 'REFRESH' });
    const event = await settled;
    if (event.type !== 'tokenRefreshFailed') return;
    if (endsSession(event.error.name)) return whenNotIn('endingSession', 'getSession'); // the session is over
    throw new AuthError(event.error.name, event.error.message); // offline or throttled: tokens kept
  }

  async function runGetSession(forceRefresh: boolean): Promise<AuthSession> {
    await signingIn?.catch(() => {});
    await whenNotIn('loadingSession', 'getSession');
    if (!inState('signedIn')) return NO_SESSION;
    const { session } = actor.getSnapshot().context;
    if (forceRefresh || !session || session.expiresAt - settings.refreshSkewSeconds * 1000 <= Date.now()) {
      refreshing ??= runRefresh().finally(() => (refreshing = null));
      await refreshing;
      if (!inState('signedIn')) return NO_SESSION;
    }
    const tokens = await store.load();
    const summary = actor.getSnapshot().context.session;
    if (!tokens || !summary) return NO_SESSION;
    return { tokens, username: summary.username, expiresAt: summary.expiresAt };
  }

  function guarded<A extends unknown[], R>(method: string, run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args) => {
      if (stopped.signal.aborted) throw new AuthStoppedError(method);
      return run(...args);
    };
  }

  return {
    actor,
    signIn: guarded('signIn', async (options) => {
      const valid = validateSignIn(options);
      if (signingOut) throw new AuthError('SignOutInProgressException', 'A sign-out is running: wait for it before signing in');
      if (signingIn) throw new AuthError('SignInInProgressException', 'Another sign-in is running: wait for it to finish');
      signingIn = runSignIn(valid).finally(() => (signingIn = null));
      return signingIn;
    }),
    confirmSignIn: guarded('confirmSignIn', async (options) => {
      const { challengeResponse, userAttributes } = validateConfirmSignIn(options);
      if (signingIn) throw new AuthError('SignInInProgressException', 'A sign-in step is running: wait for it to finish');
      signingIn = runConfirmSignIn(challengeResponse, userAttributes).finally(() => (signingIn = null));
      return signingIn;
    }),
    getSession: guarded('getSession', async (options) => runGetSession(validateGetSession(options).forceRefresh)),
    signOut: guarded('signOut', async (options) => {
      const { global } = validateSignOut(options);
      // A sign-out while one runs joins it: one flow, one result for every caller.
      signingOut ??= runSignOut(global).finally(() => (signingOut = null));
      return signingOut;
    }),
    retrySignOut: guarded('retrySignOut', async (result) => {
      const retried = await retrySignOut(cognito, result, settings.networkTimeoutMs);
      const token = result.type === 'partial' ? result.revokeTokenError?.refreshToken : undefined;
      if (token) await revocations.settle(token, retried);
      return retried;
    }),
    flushRevocations: guarded('flushRevocations', () => revocations.flush()),
    on: (type, handler) => listen(actor, type, handler),
    async stop() {
      if (stopped.signal.aborted) return;
      stopped.abort();
      revocations.stop();
      actor.stop();
      vault.clear();
      if (client && !settings.client) client.destroy(); // only the client built here
    },
  };
}
