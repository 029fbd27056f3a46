import { createActor, waitFor, type Actor } from 'xstate';
import { authMachine } from '../machines/authMachine.js';
import { signOutMachine } from '../machines/signOutMachine.js';
import { createServiceRegistry } from '../services/actorServices.js';
import { createAuthActors, type AuthServices } from '../services/authActors.js';
import type { CognitoService } from '../services/cognito.js';
import { createRevocationOutbox } from '../services/revocationOutbox.js';
import { createSecretVault, type SecretVault } from '../services/secretVault.js';
import { createSignOutActors } from '../services/signOutActors.js';
import { createTokenStore, type TokenStore } from '../services/tokenStore.js';
import type { ResolvedConfig } from './config.js';
import { AuthStoppedError } from './errors.js';
import type { SignInResult, SignOutResult } from './results.js';
import { createRevocationRetries } from './revocationRetries.js';

export type AuthActor = Actor<typeof authMachine>;

/** The state names a call may ask about (top-level states of the auth machine). */
export type AuthStateName = 'loadingSession' | 'signedOut' | 'signingIn' | 'awaitingNewPassword' | 'awaitingTotpCode' | 'awaitingSmsCode' | 'answeringChallenge' | 'signedIn' | 'signingOut' | 'endingSession';

/** One running createAuth instance: its services, its statechart and the waits every call shares. */
export interface AuthRuntime {
  readonly settings: ResolvedConfig;
  readonly cognito: CognitoService;
  readonly store: TokenStore;
  readonly vault: SecretVault;
  readonly actor: AuthActor;
  readonly revocations: ReturnType<typeof createRevocationRetries>;
  /** Aborts at stop(): every wait ends with AuthStoppedError. */
  readonly stopped: AbortSignal;
  /** The calls in flight, set synchronously so that call order decides what waits for what. */
  readonly flights: { signingIn: Promise<SignInResult> | null; signingOut: Promise<SignOutResult> | null; refreshing: Promise<void> | null };
  inState(...states: AuthStateName[]): boolean;
  /** Waits until the statechart leaves `state` (e.g. the stored session is loaded). */
  whenNotIn(state: 'loadingSession' | 'endingSession', method: string): Promise<void>;
  stop(): void;
}

// One provided machine for every instance: providing per instance rebuilt the state-node tree
// (about 48 KB each). Each instance binds its services to its own actor system instead.
const registry = createServiceRegistry<AuthServices>('authchart');
let sharedMachine: typeof authMachine | undefined;
const machine = () =>
  (sharedMachine ??= authMachine.provide({
    actors: { ...createAuthActors(registry), signOut: signOutMachine.provide({ actors: createSignOutActors(registry) }) },
  }));

export function startAuthRuntime(settings: ResolvedConfig, cognito: CognitoService): AuthRuntime {
  const store = createTokenStore(settings.storage, { clientId: settings.clientId, userPoolId: settings.userPoolId, timeoutMs: settings.storageTimeoutMs });
  const vault = createSecretVault();
  const outbox = settings.revocationOutbox
    ? createRevocationOutbox({ storage: settings.storage, clientId: settings.clientId, cognito, timeoutMs: settings.storageTimeoutMs, ...settings.revocationOutbox })
    : undefined;
  const actor = createActor(machine(), { input: { networkTimeoutMs: settings.networkTimeoutMs }, ...(settings.inspect && { inspect: settings.inspect }) });
  registry.bind(actor, { cognito, store, vault, userPoolId: settings.userPoolId, outbox });
  const stopped = new AbortController();
  actor.start();
  const revocations = createRevocationRetries(outbox, stopped.signal);

  const runtime: AuthRuntime = {
    settings, cognito, store, vault, actor, revocations,
    stopped: stopped.signal,
    flights: { signingIn: null, signingOut: null, refreshing: null },
    inState: (...states) => states.some((state) => actor.getSnapshot().matches(state)),
    async whenNotIn(state, method) {
      if (stopped.signal.aborted) throw new AuthStoppedError(method);
      try {
        await waitFor(actor, (snapshot) => !snapshot.matches(state), { signal: stopped.signal });
      } catch (error) {
        throw stopped.signal.aborted ? new AuthStoppedError(method) : error;
      }
    },
    stop() {
      stopped.abort();
      revocations.stop();
      actor.stop();
      vault.clear();
    },
  };
  // Revoke what earlier runs left behind, once the stored session has been checked against it.
  void runtime.whenNotIn('loadingSession', 'createAuth').then(revocations.drainInBackground, () => {});
  return runtime;
}
