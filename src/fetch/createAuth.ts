// createAuth over `fetch` (the `authchart/fetch` entry): the same Auth as `authchart`, with no
// AWS SDK in the bundle. See docs/transport.md.
// authCore first, and authRuntime first in it: their first import reaches xstate, so a bundler lays
// xstate out before our modules and gzip's 32 KB window sees our code in one run (docs/performance.md;
// __tests__/fetchEntry.test.ts checks the layout).
import { createAuthCore, type Auth } from '../authCore.js';
import { createFetchCognito, type FetchLike } from '../../services/cognito/fetchTransport.js';
import { describe, resolveConfig, type AuthConfig } from '../config.js';
import { AuthConfigError } from '../errors.js';

/** What `authchart/fetch`'s createAuth() takes: AuthConfig without `client` (an SDK client), plus `fetch`. */
export interface FetchAuthConfig extends Omit<AuthConfig, 'client'> {
  /**
   * The fetch to use, for Cognito's API and the hosted UI's token endpoint. Default:
   * globalThis.fetch, looked up at each call. With `transport`, only the token endpoint uses it.
   * Anything but a function throws AuthConfigError.
   */
  readonly fetch?: FetchLike;
}

/**
 * Starts an authchart instance over plain `fetch` (no AWS SDK in the bundle): the same Auth as
 * `authchart`'s createAuth. Throws AuthConfigError for a config it cannot use, or an SDK `client`.
 */
export function createAuth(config: FetchAuthConfig): Auth {
  const settings = resolveConfig(config);
  if (settings.client) throw new AuthConfigError('client', "is an AWS SDK client: use createAuth from 'authchart' for it");
  const { fetch } = config;
  if (fetch !== undefined && typeof fetch !== 'function') throw new AuthConfigError('fetch', `must be a fetch function, got ${describe(fetch)}`);
  const cognito =
    settings.transport ??
    createFetchCognito({
      region: settings.region,
      clientId: settings.clientId,
      callTimeoutMs: settings.networkTimeoutMs,
      ...(settings.endpoint && { endpoint: settings.endpoint }),
      ...(settings.clientSecret && { clientSecret: settings.clientSecret }),
      ...(fetch && { fetch }),
    });
  return createAuthCore(fetch ? { ...settings, fetch } : settings, cognito);
}
