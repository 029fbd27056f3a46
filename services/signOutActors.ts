import { fromPromise } from 'xstate';
import type { CognitoService } from './cognito.js';
import { readJwtClaims } from './jwt.js';
import type { SessionTokens, TokenStore } from './tokenStore.js';

/** An access token this close to expiry would be refused by GlobalSignOut. */
const EXPIRY_MARGIN_MS = 5_000;

/**
 * The implementations of the sign-out machine's actors. Each reads the tokens it needs from the
 * store at the moment it runs, so no token ever travels through the statechart.
 */
export function createSignOutActors({ cognito, store, now = Date.now }: { cognito: CognitoService; store: TokenStore; now?: () => number }) {
  /** The access token to sign out with: the stored one, or a fresh one if it has expired. */
  async function liveAccessToken(tokens: SessionTokens, signal: AbortSignal): Promise<string> {
    const claims = readJwtClaims(tokens.accessToken);
    const expired = typeof claims?.exp === 'number' && claims.exp * 1000 - EXPIRY_MARGIN_MS <= now();
    if (!expired || !tokens.refreshToken || typeof claims?.username !== 'string') return tokens.accessToken;
    // Not stored: the session is being signed out, so the fresh token lives only for this call.
    return (await cognito.refreshTokens(tokens.refreshToken, claims.username, signal)).accessToken;
  }

  return {
    revokeToken: fromPromise<void>(async ({ signal }) => {
      const tokens = await store.load();
      if (tokens?.refreshToken) await cognito.revokeToken(tokens.refreshToken, signal);
    }),
    globalSignOut: fromPromise<void>(async ({ signal }) => {
      const tokens = await store.load();
      if (tokens) await cognito.globalSignOut(await liveAccessToken(tokens, signal), signal);
    }),
    clearTokens: fromPromise<void>(() => store.clear()),
  };
}
