// The anchor of the refresh storm (issue 20): Auth.js (@auth/core) with its Cognito provider and the
// refresh its guide leaves to the app, written in the `jwt` callback as the guide's JWT-strategy
// recipe does (keep the tokens in the encrypted session cookie; past `expires_at`, POST the
// refresh_token grant to the token endpoint; on failure, mark the token with an error and keep it).
// N requests of one browser arrive at once with the same expired cookie, as a page's parallel
// fetches do; each runs the callback on its own, so each refreshes. Counted at the emulator.
import { Auth, type AuthConfig } from '@auth/core';
import { encode } from '@auth/core/jwt';
import Cognito from '@auth/core/providers/cognito';
import type { CognitoEmulator, SetupResult } from '../src/testing/index';

/** The session cookie's name on plain http (Auth.js adds `__Secure-` on https), and the salt of its encryption. */
const COOKIE = 'authjs.session-token';

/** The session token the recipe keeps: the provider's tokens and when the access token expires (epoch seconds). */
interface RecipeToken {
  sub?: string;
  access_token?: string;
  refresh_token?: string;
  expires_at?: number;
  error?: string;
  [key: string]: unknown;
}

/** What one storm did at the token endpoint and to the requests. */
export interface StormCount {
  /** refresh_token grants the token endpoint received. */
  readonly refreshes: number;
  /** Of those, the ones it refused (a rotated-away token: the session is over at Cognito for that request). */
  readonly refused: number;
  /** Requests whose answer still carried a session without the recipe's error mark. */
  readonly served: number;
  /** Requests in the storm. */
  readonly requests: number;
}

/** The recipe, in the `jwt` callback, against the pool's token endpoint with the client's secret. */
function recipeConfig(emu: CognitoEmulator, pool: SetupResult, secret: string): AuthConfig {
  const tokenEndpoint = `${emu.endpoint}/oauth2/token`;
  return {
    basePath: '/auth',
    secret,
    trustHost: true,
    session: { strategy: 'jwt' },
    logger: { error: () => undefined, warn: () => undefined, debug: () => undefined },
    providers: [Cognito({ clientId: pool.clientId, clientSecret: pool.clientSecret ?? '', issuer: `${emu.endpoint}/${pool.userPoolId}` })],
    callbacks: {
      async jwt({ token, account }) {
        const held = token as RecipeToken;
        if (account) return { ...held, access_token: account.access_token, refresh_token: account.refresh_token, expires_at: account.expires_at };
        if (held.expires_at !== undefined && Date.now() < held.expires_at * 1000) return held;
        if (!held.refresh_token) return { ...held, error: 'RefreshTokenError' };
        try {
          const response = await fetch(tokenEndpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ client_id: pool.clientId, client_secret: pool.clientSecret ?? '', grant_type: 'refresh_token', refresh_token: held.refresh_token }),
          });
          const answer = (await response.json()) as { access_token?: string; expires_in?: number; refresh_token?: string };
          if (!response.ok || !answer.access_token) return { ...held, error: 'RefreshTokenError' };
          return { ...held, access_token: answer.access_token, expires_at: Math.floor(Date.now() / 1000 + (answer.expires_in ?? 3600)), refresh_token: answer.refresh_token ?? held.refresh_token, error: undefined };
        } catch {
          return { ...held, error: 'RefreshTokenError' };
        }
      },
      session({ session, token }) {
        return { ...session, error: (token as RecipeToken).error };
      },
    },
  };
}

/**
 * One storm: the browser's cookie holds tokens whose access token has expired; `requests` GET
 * /auth/session arrive at once. `tokens` are a real session of `pool` (signed in beforehand).
 */
export async function authjsStorm(emu: CognitoEmulator, pool: SetupResult, tokens: { readonly accessToken: string; readonly refreshToken: string }, requests: number): Promise<StormCount> {
  const secret = 'bench-only-secret-of-32-characters!!';
  const cookie = await encode({ salt: COOKIE, secret, token: { sub: pool.username, access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_at: Math.floor(Date.now() / 1000) - 60 } });
  const config = recipeConfig(emu, pool, secret);
  const before = emu.requests.length;
  const answers = await Promise.all(
    Array.from({ length: requests }, () => Auth(new Request('http://127.0.0.1/auth/session', { headers: { cookie: `${COOKIE}=${cookie}` } }), config).then((response) => response.json() as Promise<{ error?: string } | null>)),
  );
  const grants = emu.requests.slice(before).filter((record) => record.operation === 'oauth2/token');
  return {
    refreshes: grants.length,
    refused: grants.filter((record) => record.status !== 200).length,
    served: answers.filter((answer) => answer !== null && answer.error === undefined).length,
    requests,
  };
}
