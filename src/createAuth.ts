// createAuth over the AWS SDK (the default entry, `authchart`). For a bundle without the SDK, the
// same function over fetch is `authchart/fetch` (src/fetch/createAuth.ts).
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
// authCore first, and authRuntime first in it: their first import reaches xstate, so a bundler lays
// xstate out before our modules and gzip's 32 KB window sees our code in one run (docs/performance.md;
// __tests__/fetchEntry.test.ts checks the layout).
import { createAuthCore, type Auth } from './authCore.js';
import { createCognitoClient, createSdkCognito } from '../services/cognito/sdkTransport.js';
import { resolveConfig, type AuthConfig } from './config.js';

export type { Auth, AuthActor } from './authCore.js';

/**
 * Starts an authchart instance over the AWS SDK's Cognito client: the auth statechart, restored
 * from `storage` at once (no network call). Throws AuthConfigError for a config it cannot use.
 * See the README's configuration table; `authchart/fetch` has the same createAuth without the SDK.
 */
export function createAuth(config: AuthConfig): Auth {
  const settings = resolveConfig(config);
  // A caller's transport (e.g. the fetch one) replaces the SDK client altogether.
  if (settings.transport) return createAuthCore(settings, settings.transport);
  // Built at the first Cognito call, not here: an instance restored from storage that stays idle
  // costs no SDK client (about 23 KB each).
  let built: CognitoIdentityProviderClient | undefined;
  // config.ts knows the client by its shape only (so fetch users need no SDK types); it is the SDK's.
  const given = settings.client as CognitoIdentityProviderClient | undefined;
  const client = given ?? (() => (built ??= createCognitoClient(settings.region, settings.endpoint)));
  const cognito = createSdkCognito({ client, clientId: settings.clientId, callTimeoutMs: settings.networkTimeoutMs, ...(settings.clientSecret && { clientSecret: settings.clientSecret }) });
  return createAuthCore(settings, cognito, () => built?.destroy()); // only the client built here
}
