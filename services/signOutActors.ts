import { fromPromise } from 'xstate';
import { resolverOf, type ServicesSource } from './actorServices.js';
import type { CognitoService } from './cognito.js';
import { liveAccessToken } from './liveAccessToken.js';
import type { TokenStore } from './tokenStore.js';

/**
 * The implementations of the sign-out machine's actors. Each reads the tokens it needs from the
 * store at the moment it runs, so no token ever travels through the statechart.
 */
export interface SignOutServices {
  readonly cognito: CognitoService;
  readonly store: TokenStore;
  readonly now?: () => number;
}

/** `services` is one instance's services, or a registry the running instance bound its own to. */
export function createSignOutActors(services: ServicesSource<SignOutServices>) {
  const servicesOf = resolverOf(services);
  return {
    revokeToken: fromPromise<void>(async ({ signal, system }) => {
      const { cognito, store } = servicesOf(system);
      const tokens = await store.load();
      if (tokens?.refreshToken) await cognito.revokeToken(tokens.refreshToken, signal);
    }),
    globalSignOut: fromPromise<void>(async ({ signal, system }) => {
      const { cognito, store, now = Date.now } = servicesOf(system);
      const tokens = await store.load();
      if (tokens) await cognito.globalSignOut(await liveAccessToken(cognito, tokens, signal, now), signal);
    }),
    clearTokens: fromPromise<void>(({ system }) => servicesOf(system).store.clear()),
  };
}
