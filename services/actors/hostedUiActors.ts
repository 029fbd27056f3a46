import { fromPromise } from 'xstate';
import type { OpenedHostedUi, OpenedLogout, RedirectOutcome, RedirectSignInInput } from '../../machines/authTypes.js';
import type { SignOutBeforeLogout } from '../storage/pendingSignOut.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { SignOutOutbox } from '../storage/signOutOutbox.js';
import type { StorageLike } from '../storage/storage.js';
import type { FetchLike } from '../cognito/fetchTransport.js';
import { onFirstUse } from '../cognito/onFirstUse.js';
import type { TokenStore } from '../storage/tokenStore.js';
import { resolverOf, type ServicesSource } from './registry.js';
import { lazyKit } from './lazyKit.js';

/** One instance's OAuth settings, and the storage its pending sign-in and sign-out records live in. */
export interface HostedUiSettings {
  /** The user pool domain as a URL without a trailing slash, e.g. `https://auth.example.com`. */
  readonly domain: string;
  /** The app client's id. */
  readonly clientId: string;
  /** Only for app clients created with a secret: the token endpoint is called with it. */
  readonly clientSecret?: string;
  /** The URL the hosted UI returns to after a sign-in (one of the client's callback URLs). */
  readonly redirectSignIn: string;
  /** The OAuth scopes asked for. */
  readonly scopes: readonly string[];
  /** Opens a URL (the hosted UI, or /logout) and says what came of it. Absent: signInWithRedirect() cannot open anything. */
  readonly opener?: (url: string, returnTo: string) => Promise<{ type: 'navigating' } | { type: 'returned'; url: string } | { type: 'cancelled' }>;
  /** Where the pending sign-in (state, PKCE verifier) and sign-out records are kept across a page navigation. */
  readonly storage: StorageLike;
  /** createAuth's storageTimeoutMs: the bound of one storage call, in ms: a getItem, setItem or removeItem that has not settled by then fails with StorageError. */
  readonly storageTimeoutMs: number;
  /** The app's fetch (authchart/fetch's option), for the token endpoint. Default: globalThis.fetch. */
  readonly fetch?: FetchLike;
}

/** What the hosted-UI actors need: the instance's OAuth settings and where a sign-in in flight is kept. */
export interface HostedUiServices {
  /** Where the session the code exchange returns is saved. */
  readonly store: TokenStore;
  /** Holds the URL the hosted UI returned to (it carries a one-time code): the chart has a reference only. */
  readonly vault: SecretVault;
  /** Where a refresh token the exchange could not store goes when the chart abandoned the exchange (nobody hears its failure). Absent: nowhere. */
  readonly outbox?: SignOutOutbox;
  /** createAuth's networkTimeoutMs: the network budget of one flow, in ms: every Cognito request of one sign-in step, of one refresh, of one sign-out's server calls (GlobalSignOut and RevokeToken together), or of one outbox drain ends within it, retries included. Here: it bounds the code exchange at the token endpoint. */
  readonly networkTimeoutMs?: number;
  /** The OAuth settings. Absent: every hosted-UI actor rejects with AuthConfigError. */
  readonly hostedUi?: HostedUiSettings;
}

/** The flows themselves, loaded on the first hosted-UI call: an app that never uses the hosted UI never loads them. */
const flows = onFirstUse(() => import('./hostedUiFlows.js'), "The hosted UI's flows");

/** The auth machine's hosted-UI actors: openHostedUi, completeRedirect, recordHostedUiSignOut, openLogout (hostedUiFlows.ts has what they do). */
export function createHostedUiActors(services: ServicesSource<HostedUiServices>) {
  const resolve = resolverOf(services);
  // The flows' chunk is handed what it takes from the up-front load (lazyKit.ts says why).
  const servicesOf = (system: Parameters<typeof resolve>[0]) => ({ ...resolve(system), kit: lazyKit });
  return {
    openHostedUi: fromPromise<OpenedHostedUi, RedirectSignInInput>(async ({ input, signal, system }) => (await flows()).openHostedUi(servicesOf(system), input, signal)),
    completeRedirect: fromPromise<RedirectOutcome, { credential: string }>(async ({ input, signal, system }) => (await flows()).completeRedirect(servicesOf(system), input, signal)),
    recordHostedUiSignOut: fromPromise<void, { returnTo: string; outcome: SignOutBeforeLogout }>(async ({ input, system }) => (await flows()).recordHostedUiSignOut(servicesOf(system), input)),
    openLogout: fromPromise<OpenedLogout, { logoutUrl: string; returnTo: string }>(async ({ input, system }) => (await flows()).openLogout(servicesOf(system), input)),
  };
}
