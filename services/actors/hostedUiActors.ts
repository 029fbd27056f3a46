import { fromPromise } from 'xstate';
import type { OpenedHostedUi, OpenedLogout, RedirectOutcome, RedirectSignInInput } from '../../machines/authTypes.js';
import type { SignOutBeforeLogout } from '../storage/pendingSignOut.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { StorageLike } from '../storage/storage.js';
import type { FetchLike } from '../cognito/fetchTransport.js';
import { onFirstUse } from '../cognito/onFirstUse.js';
import type { TokenStore } from '../storage/tokenStore.js';
import { resolverOf, type ServicesSource } from './registry.js';

/** One instance's OAuth settings, and the storage its pending sign-in and sign-out records live in. */
export interface HostedUiSettings {
  readonly domain: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly redirectSignIn: string;
  readonly scopes: readonly string[];
  readonly opener?: (url: string, returnTo: string) => Promise<{ type: 'navigating' } | { type: 'returned'; url: string } | { type: 'cancelled' }>;
  readonly storage: StorageLike;
  readonly storageTimeoutMs: number;
  /** The app's fetch (authchart/fetch's option), for the token endpoint. Default: globalThis.fetch. */
  readonly fetch?: FetchLike;
}

/** What the hosted-UI actors need: the instance's OAuth settings and where a sign-in in flight is kept. */
export interface HostedUiServices {
  readonly store: TokenStore;
  readonly vault: SecretVault;
  readonly networkTimeoutMs?: number;
  readonly hostedUi?: HostedUiSettings;
}

/** The flows themselves, loaded on the first hosted-UI call: an app that never uses the hosted UI never loads them. */
const flows = onFirstUse(() => import('./hostedUiFlows.js'), "The hosted UI's flows");

/** The auth machine's hosted-UI actors (hostedUiFlows.ts has what they do). */
export function createHostedUiActors(services: ServicesSource<HostedUiServices>) {
  const servicesOf = resolverOf(services);
  return {
    openHostedUi: fromPromise<OpenedHostedUi, RedirectSignInInput>(async ({ input, signal, system }) => (await flows()).openHostedUi(servicesOf(system), input, signal)),
    completeRedirect: fromPromise<RedirectOutcome, { credential: string }>(async ({ input, signal, system }) => (await flows()).completeRedirect(servicesOf(system), input, signal)),
    recordHostedUiSignOut: fromPromise<void, { returnTo: string; outcome: SignOutBeforeLogout }>(async ({ input, system }) => (await flows()).recordHostedUiSignOut(servicesOf(system), input)),
    openLogout: fromPromise<OpenedLogout, { logoutUrl: string; returnTo: string }>(async ({ input, system }) => (await flows()).openLogout(servicesOf(system), input)),
  };
}
