// An app of the account-flow tests: createAuth (fetch, or the AWS SDK with a `client`, whose
// commands then carry the account calls too) and createAccount over the emulator of an accountHarness, watched whole (inspection, emitted events,
// snapshots, results, errors) so that a test can check no secret reached any of it.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { InspectionEvent } from 'xstate';
import { createAccount, type Account, type AccountOptions } from '../../src/account/index';
import { createAuth as createFetchAuth } from '../../src/fetch/index';
import { createAuth, type Auth, type AuthConfig } from '../../src/index';
import { sdkAccountWire } from '../../services/cognito/accountSdk';
import type { AccountHarness } from './accountEmulator';
import { inspectableStorage, type InspectableStorage } from './harness';

export interface AccountApp {
  readonly auth: Auth;
  readonly account: Account;
  readonly storage: InspectableStorage;
  /** Everything observable: inspection events, emitted events, snapshots, results and errors. */
  readonly observed: unknown[];
  /** Resolves the call's result or its error, recording it in `observed`. */
  settle<T>(promise: Promise<T>): Promise<T | Error>;
  /** The secrets of `candidates` found in anything observed (an error's message and stack included). */
  leaked(candidates: readonly string[]): string[];
  /** A new createAuth and createAccount over the same storage: a reload of the page. */
  reload(): AccountApp;
  stop(): Promise<void>;
}

/** The pool and client an app is configured with. */
export interface AppPool {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
}

export type Transport = 'fetch' | 'sdk';

export function accountApp(h: AccountHarness, pool: AppPool, options: { readonly transport?: Transport; readonly storage?: InspectableStorage; readonly config?: Partial<AuthConfig>; readonly account?: AccountOptions; readonly observed?: unknown[] } = {}): AccountApp {
  const { transport = 'fetch' } = options;
  const storage = options.storage ?? inspectableStorage();
  const observed = options.observed ?? [];
  const base: AuthConfig = {
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    ...(pool.clientSecret && { clientSecret: pool.clientSecret }),
    endpoint: h.emu.endpoint,
    storage,
    inspect: (event: InspectionEvent) => observed.push(event),
    ...options.config,
  };
  const sdk = transport === 'sdk' ? new CognitoIdentityProviderClient({ region: h.emu.region, endpoint: h.emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }) : undefined;
  const auth = sdk ? createAuth({ ...base, client: sdk }) : createFetchAuth(base);
  auth.actor.on('*', (event) => observed.push(event));
  auth.actor.subscribe((snapshot) => observed.push(snapshot, auth.actor.getPersistedSnapshot()));
  // Over the SDK, the account calls go through the SDK's commands too (by default they go over fetch).
  const account = createAccount(auth, { ...(sdk && { wire: sdkAccountWire({ client: sdk, ...(pool.clientSecret && { clientSecret: pool.clientSecret }) }) }), ...options.account });
  const app: AccountApp = {
    auth,
    account,
    storage,
    observed,
    settle: (promise) =>
      promise.then(
        (value) => (observed.push(value), value),
        (error: Error) => (observed.push(error, String(error), error.stack), error),
      ),
    leaked(candidates) {
      const text = JSON.stringify(observed, (_key, value) => (value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value));
      return candidates.filter((secret) => secret.length > 0 && text.includes(secret));
    },
    reload: () => accountApp(h, pool, { ...options, storage, observed }),
    async stop() {
      await auth.stop();
      sdk?.destroy();
    },
  };
  return app;
}
