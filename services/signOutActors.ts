import { fromPromise } from 'xstate';
import type { CognitoService } from './cognito.js';
import { liveAccessToken } from './liveAccessToken.js';
import type { TokenStore } from './tokenStore.js';

/**
 * The implementations of the sign-out machine's actors. Each reads the tokens it needs from the
 * store at the moment it runs, so no token ever travels through the statechart.
 */
export function createSignOutActors({ cognito, store, now = Date.now }: { cognito: CognitoService; store: TokenStore; now?: () => number }) {
  return {
    revokeToken: fromPromise<void>(async ({ signal }) => {
      const tokens = await store.load();
      if (tokens?.refreshToken) await cognito.revokeToken(tokens.refreshToken, signal);
    }),
    globalSignOut: fromPromise<void>(async ({ signal }) => {
      const tokens = await store.load();
      if (tokens) await cognito.globalSignOut(await liveAccessToken(cognito, tokens, signal, now), signal);
    }),
    clearTokens: fromPromise<void>(() => store.clear()),
  };
}
