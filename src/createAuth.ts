import { createActor, waitFor, type Actor } from 'xstate';
import { authMachine } from '../machines/authMachine.js';
import { signOutMachine } from '../machines/signOutMachine.js';
import { createAuthActors } from '../services/authActors.js';
import { createCognitoClient, createSdkCognito } from '../services/cognito.js';
import { createSecretVault } from '../services/secretVault.js';
import { createSignOutActors } from '../services/signOutActors.js';
import { createTokenStore } from '../services/tokenStore.js';
import { resolveConfig, type AuthConfig } from './config.js';
import { AuthError, AuthStoppedError } from './errors.js';
import { COMPLETE, toSignOutResult, type SignInResult, type SignOutResult } from './results.js';
import { retrySignOut } from './retrySignOut.js';
import { validateSignIn, validateSignOut, type SignInOptions, type SignOutOptions } from './validate.js';
import { whenEmitted } from './whenEmitted.js';

export type AuthActor = Actor<typeof authMachine>;

export interface Auth {
  /** Signs a user in. One user at a time: rejects with UserAlreadyAuthenticatedException otherwise. */
  signIn(options: SignInOptions): Promise<SignInResult>;
  /** Signs out, bounded by networkTimeoutMs. Never rejects for network reasons: see SignOutResult. */
  signOut(options?: SignOutOptions): Promise<SignOutResult>;
  /** Retries the failed server calls of a partial result with the tokens it carries. */
  retrySignOut(result: SignOutResult): Promise<SignOutResult>;
  /** The running statechart: subscribe(), getSnapshot(), on(). */
  readonly actor: AuthActor;
  /** Stops the statechart; pending calls reject with AuthStoppedError. */
  stop(): Promise<void>;
}

export function createAuth(config: AuthConfig): Auth {
  const settings = resolveConfig(config);
  const client = settings.client ?? createCognitoClient(settings.region, settings.endpoint);
  const cognito = createSdkCognito({ client, clientId: settings.clientId, ...(settings.clientSecret && { clientSecret: settings.clientSecret }) });
  const store = createTokenStore(settings.storage, settings.clientId);
  const vault = createSecretVault();
  const machine = authMachine.provide({
    actors: {
      ...createAuthActors({ cognito, store, vault }),
      signOut: signOutMachine.provide({ actors: createSignOutActors({ cognito, store }) }),
    },
  });
  const actor = createActor(machine, { input: { networkTimeoutMs: settings.networkTimeoutMs }, ...(settings.inspect && { inspect: settings.inspect }) });
  const stopped = new AbortController();
  actor.start();

  /** Waits until the statechart leaves `state` (e.g. the stored session is loaded). */
  async function whenNotIn(state: 'loadingSession', method: string): Promise<void> {
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

  async function runSignIn(username: string, password: string, authFlow: 'USER_PASSWORD_AUTH'): Promise<SignInResult> {
    await whenNotIn('loadingSession', 'signIn');
    if (actor.getSnapshot().matches('signedIn')) throw new AuthError('UserAlreadyAuthenticatedException', 'There is already a signed in user: sign out first');
    const credential = vault.deposit(password);
    try {
      const settled = whenEmitted(actor, ['signedIn', 'signInFailed'], stopped.signal, 'signIn');
      actor.send({ type: 'SIGN_IN', username, authFlow, credential });
      const event = await settled;
      if (event.type === 'signInFailed') throw new AuthError(event.error.name, event.error.message);
      return { isSignedIn: true, nextStep: { signInStep: 'DONE' } };
    } finally {
      vault.discard(credential);
    }
  }

  async function runSignOut(global: boolean): Promise<SignOutResult> {
    await signingIn?.catch(() => {}); // a sign-out asked for during a sign-in waits for it
    await whenNotIn('loadingSession', 'signOut');
    if (!actor.getSnapshot().matches('signedIn')) return COMPLETE; // nobody to sign out: no network call
    const tokens = await store.load().catch(() => null); // for the retry tokens of a partial result
    const settled = whenEmitted(actor, ['signedOut', 'signOutFailed'], stopped.signal, 'signOut');
    actor.send({ type: 'SIGN_OUT', global });
    return toSignOutResult((await settled).outcome, tokens);
  }

  return {
    actor,
    async signIn(options) {
      const { username, password, authFlow } = validateSignIn(options);
      if (stopped.signal.aborted) throw new AuthStoppedError('signIn');
      if (signingOut) throw new AuthError('SignOutInProgressException', 'A sign-out is running: wait for it before signing in');
      if (signingIn) throw new AuthError('SignInInProgressException', 'Another sign-in is running: wait for it to finish');
      signingIn = runSignIn(username, password, authFlow).finally(() => (signingIn = null));
      return signingIn;
    },
    async signOut(options) {
      const { global } = validateSignOut(options);
      // A sign-out while one runs joins it: one flow, one result for every caller.
      signingOut ??= runSignOut(global).finally(() => (signingOut = null));
      return signingOut;
    },
    async retrySignOut(result) {
      if (stopped.signal.aborted) throw new AuthStoppedError('retrySignOut');
      return retrySignOut(cognito, result, settings.networkTimeoutMs);
    },
    async stop() {
      if (stopped.signal.aborted) return;
      stopped.abort();
      actor.stop();
      vault.clear();
      if (!settings.client) client.destroy();
    },
  };
}
