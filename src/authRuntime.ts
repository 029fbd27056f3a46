// xstate first: bundlers then lay it out before our modules (see src/fetch/createAuth.ts).
import { createActor, type Actor } from 'xstate';
import { authMachine } from '../machines/authMachine.js';
import { outboxMachine } from '../machines/outboxMachine.js';
import { signOutMachine } from '../machines/signOutMachine.js';
import { createServiceRegistry } from '../services/actors/registry.js';
import { createAuthActors, type AuthServices } from '../services/actors/authActors.js';
import { createHostedUiActors, type HostedUiServices } from '../services/actors/hostedUiActors.js';
import { browserOpener } from './oauthConfig.js';
import type { CognitoService } from '../services/cognito/types.js';
import type { SignOutOutbox } from '../services/storage/signOutOutbox.js';
import type { SecretVault } from '../services/storage/secretVault.js';
import { createSignOutActors, type SignOutServices } from '../services/actors/signOutActors.js';
import type { TokenStore } from '../services/storage/tokenStore.js';
import { createTabActors, type TabServices } from '../services/actors/tabActors.js';
import { createActorServices } from '../services/actors/actorServices.js';
import { createTabLink, type TabLink } from '../services/tabs/tabLink.js';
import { storageKeys } from '../services/storage/keys.js';
import type { ResolvedConfig } from './config.js';

/**
 * What a host puts in place of the browser's parts. The server (authchart/server) runs one instance
 * per request over a session record its processes share: its `tabs` has no signals and a refresh
 * lock every process takes turns on (a Redis lease), so the chart's own refresh turn
 * (signedIn.refreshing) makes one refresh per session across the fleet.
 */
export interface RuntimeParts {
  readonly tabs?: TabLink;
}

/** The running auth statechart of one instance (`auth.actor`): an XState actor of authMachine. */
export type AuthActor = Actor<typeof authMachine>;

/** One running createAuth instance: its services and its statechart. It decides nothing. */
export interface AuthRuntime {
  readonly settings: ResolvedConfig;
  readonly store: TokenStore;
  readonly vault: SecretVault;
  readonly outbox: SignOutOutbox;
  readonly actor: AuthActor;
}

// One provided machine for every instance: providing per instance rebuilt the state-node tree
// (about 48 KB each). Each instance binds its services to its own actor system instead.
const registry = createServiceRegistry<AuthServices & SignOutServices & HostedUiServices & TabServices & { readonly settings?: ResolvedConfig }>('authchart');
let sharedMachine: typeof authMachine | undefined;
function machine(): typeof authMachine {
  if (sharedMachine) return sharedMachine;
  const { pickIntent, watchBackoff, ...flowActors } = createSignOutActors(registry);
  const signOut = signOutMachine.provide({ actors: flowActors });
  const outbox = outboxMachine.provide({ actors: { pickIntent, watchBackoff, signOut } });
  return (sharedMachine = authMachine.provide({ actors: { ...createAuthActors(registry), ...createHostedUiActors(registry), ...createTabActors(registry), signOut, outbox } }));
}

/**
 * What an instance's chart runs on, found from its actor (`auth.actor`): its resolved settings, token
 * store and vault. For the entries that extend an instance (authchart/account); a bundle of createAuth
 * alone leaves it out. Throws for an actor no createAuth started.
 */
export function runtimeOf(actor: AuthActor): Pick<AuthRuntime, 'settings' | 'store' | 'vault' | 'outbox'> {
  const { settings, store, vault, outbox } = registry.of(actor.system);
  if (!settings) throw new Error('authchart: this actor was not started by createAuth()');
  return { settings, store, vault, outbox };
}

export function startAuthRuntime(settings: ResolvedConfig, cognito: CognitoService, parts: RuntimeParts = {}): AuthRuntime {
  const queueing = settings.revocationOutbox !== false;
  const { revocationOutbox } = settings;
  // The store, outbox and vault, built as for an app that embeds the bare machines (authchart/actors).
  const services = createActorServices({
    cognito,
    storage: settings.storage,
    clientId: settings.clientId,
    userPoolId: settings.userPoolId,
    networkTimeoutMs: settings.networkTimeoutMs,
    storageTimeoutMs: settings.storageTimeoutMs,
    queueing,
    refreshTokenRotation: settings.refreshTokenRotation,
    revocationEndpoint: settings.revocationEndpoint,
    ...(settings.fetch && { fetch: settings.fetch }),
    ...(revocationOutbox && { outboxRetryBaseMs: revocationOutbox.retryBaseMs }),
    durableChallenges: settings.durableChallenges,
    challengeValidityMs: settings.authSessionValidityMinutes * 60_000,
  });
  const { store, vault, outbox, pendingChallenges } = services;
  const actor = createActor(machine(), {
    input: { networkTimeoutMs: settings.networkTimeoutMs, storageTimeoutMs: settings.storageTimeoutMs, refreshSkewMs: settings.refreshSkewSeconds * 1000, queueing },
    ...(settings.inspect && { inspect: settings.inspect }),
  });
  const { oauth } = settings;
  const opener = oauth?.opener ?? browserOpener();
  // handleRedirect() needs no opener: a return is finished wherever the page was reloaded.
  const hostedUi = oauth && {
    domain: oauth.domain,
    clientId: settings.clientId,
    redirectSignIn: oauth.redirectSignIn,
    scopes: oauth.scopes,
    ...(opener && { opener }),
    storage: settings.storage,
    storageTimeoutMs: settings.storageTimeoutMs,
    ...(settings.clientSecret !== undefined && { clientSecret: settings.clientSecret }),
    ...(settings.fetch && { fetch: settings.fetch }),
  };
  // The other tabs over this storage: a sign-in's news waits for this tab's storage event up to one storage deadline;
  // refreshes take turns (a Web Lock, or a storage lease of networkTimeoutMs where Web Locks are missing).
  const keys = storageKeys(settings.clientId);
  const tabs =
    parts.tabs ??
    (settings.syncTabs
      ? createTabLink({
          channelName: `authchart.${settings.clientId}`,
          sessionKey: keys.session,
          settleMs: settings.storageTimeoutMs,
          lockName: `authchart.${settings.clientId}.refresh`,
          storage: settings.storage,
          leaseKey: keys.refreshLock,
          leaseMs: settings.networkTimeoutMs,
        })
      : null);
  registry.bind(actor, { ...services, tabs, settings, now: settings.now, ...(hostedUi && { hostedUi }) });
  // A challenge nobody will answer: drop Cognito's session for it, and its stored record (durableChallenges).
  // The record's removal is bounded by storageTimeoutMs and runs before any later write of this instance's;
  // one that fails leaves the record to its deadline, past which confirmSignIn() is refused (SignInSessionExpired).
  actor.on('challengeCancelled', ({ challenge }) => {
    vault.discard(challenge.sessionRef);
    pendingChallenges?.().then((stored) => stored.clear()).catch(() => undefined);
  });
  actor.start();
  return { settings, store, vault, outbox, actor };
}
