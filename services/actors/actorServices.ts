// The services the default actors run on, built the way createAuth() builds them for one instance,
// for an app that embeds the bare machines and keeps some of the default actors.
import type { FetchLike } from '../cognito/fetchTransport.js';
import type { CognitoService } from '../cognito/types.js';
import { createSignOutOutbox } from '../storage/signOutOutbox.js';
import { createSecretVault } from '../storage/secretVault.js';
import type { StorageLike } from '../storage/storage.js';
import { createTokenStore } from '../storage/tokenStore.js';
import type { AuthServices } from './authActors.js';
import type { HostedUiServices } from './hostedUiActors.js';
import type { SignOutServices } from './signOutActors.js';
import type { TabServices } from './tabActors.js';
import type { PendingChallengeStore } from '../storage/pendingChallenge.js';
import { onFirstUse } from '../cognito/onFirstUse.js';
import { lazyKit } from './lazyKit.js';

/** What createActorServices() takes. The three numbers must be the ones given to the machines as input. */
export interface ActorServicesOptions {
  /** The Cognito transport, e.g. createFetchCognito() from `authchart/transport/fetch`. */
  readonly cognito: CognitoService;
  /** Where the session and the sign-out outbox are kept (Web-Storage-shaped). */
  readonly storage: StorageLike;
  /** The app client's id: it names the storage keys, and tokens of another client are refused. */
  readonly clientId: string;
  /** The user pool's id, `<region>_<id>`: SRP needs it, and tokens of another pool are refused. */
  readonly userPoolId: string;
  /** createAuth's networkTimeoutMs: the network budget of one flow, in ms: every Cognito request of one sign-in step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together), or of one outbox drain ends within it, retries included. Give the machines the same value. */
  readonly networkTimeoutMs: number;
  /** createAuth's storageTimeoutMs: the bound of one storage call, in ms: a getItem, setItem or removeItem that has not settled by then fails with StorageError. Give the machines the same value. */
  readonly storageTimeoutMs: number;
  /** The machines' `queueing`: intents are persisted in `storage` and retried later; false keeps them in memory for one flow. */
  readonly queueing: boolean;
  /** The outbox's first retry delay, doubling per attempt up to 5 minutes. Default 1000. */
  readonly outboxRetryBaseMs?: number;
  /** The app client rotates refresh tokens: refresh with GetTokensFromRefreshToken. Default false. */
  readonly refreshTokenRotation?: boolean;
  /** createAuth's revocationEndpoint: each sign-out tells this URL of the app's API what ended. */
  readonly revocationEndpoint?: string;
  /** authchart/fetch's `fetch`, for the announcement to revocationEndpoint. Default: globalThis.fetch. */
  readonly fetch?: FetchLike;
  /** createAuth's durableChallenges: a challenge waiting for its answer is stored in `storage`, for any instance over it to answer. Default false. */
  readonly durableChallenges?: boolean;
  /** createAuth's authSessionValidityMinutes in ms: how long a challenge's Session lives. Default 3 minutes. */
  readonly challengeValidityMs?: number;
}

/**
 * What every default actor factory takes: one object for createAuthActors, createSignOutActors,
 * createHostedUiActors and createTabActors. No other tabs (`tabs: null`) and no hosted UI: spread
 * `{ ...services, hostedUi }` to add it.
 */
export type ActorServices = AuthServices & SignOutServices & HostedUiServices & TabServices;

/** The token store, outbox and vault of one embedded instance, as createAuth() builds its own. */
export function createActorServices(options: ActorServicesOptions): ActorServices {
  const { cognito, storage, clientId, userPoolId, networkTimeoutMs, storageTimeoutMs, queueing } = options;
  const outbox = createSignOutOutbox({
    storage,
    clientId,
    timeoutMs: storageTimeoutMs,
    persist: queueing,
    // A flow holds its entry against other instances for as long as a sign-out may take (as createAuth does), an announcement's N included.
    leaseMs: 2 * networkTimeoutMs + 4 * storageTimeoutMs,
    ...(options.outboxRetryBaseMs !== undefined && { retryBaseMs: options.outboxRetryBaseMs }),
  });
  return {
    cognito,
    store: createTokenStore(storage, { clientId, userPoolId, timeoutMs: storageTimeoutMs }),
    vault: createSecretVault(),
    outbox,
    tabs: null,
    userPoolId,
    networkTimeoutMs,
    refreshTokenRotation: options.refreshTokenRotation ?? false,
    revocationEndpoint: options.revocationEndpoint,
    ...(options.fetch && { fetch: options.fetch }),
    pendingChallenges: options.durableChallenges ? lazyPendingChallenges(storage, clientId, storageTimeoutMs) : null,
    challengeValidityMs: options.challengeValidityMs,
  };
}

/** The record's module, loaded on first use: an app without durableChallenges never carries it. */
const pendingChallengeModule = onFirstUse(() => import('../storage/pendingChallenge.js'), 'The pending challenge store');

/** One instance's pending challenge store, built on first use, then the same one: its calls share one queue, so they run in the order they are made. */
function lazyPendingChallenges(storage: StorageLike, clientId: string, timeoutMs: number): () => Promise<PendingChallengeStore> {
  let built: Promise<PendingChallengeStore> | undefined;
  return () => (built ??= pendingChallengeModule().then((module) => module.createPendingChallengeStore(storage, { clientId, timeoutMs, kit: lazyKit })));
}
