// What the tests of the signed-in account flows (updatePassword, the attributes) share: a fresh
// pool and user per test (its password recorded as a secret), an app signed in as that user, the
// tokens an app holds (to look for them in what was observed), and the operations sent since a point.
import type { SetupOptions, SetupResult } from '../../src/testing/index';
import type { AccountHarness } from './accountEmulator';
import { accountApp, type AccountApp, type Transport } from './accountApp';
import type { AccountOptions } from '../../src/account/index';

/** A pool with one CONFIRMED user of a random name (email `<username>@example.com`, verified). */
export function freshUser(h: AccountHarness, options: SetupOptions = {}): SetupResult {
  const made = h.emu.setup({ username: `u${Math.random().toString(36).slice(2, 10)}`, ...options });
  h.secrets.push(made.password);
  return made;
}

/** An app over `made`'s pool, signed in as its user with the password. */
export async function signedInApp(h: AccountHarness, made: SetupResult, options: { readonly transport?: Transport; readonly account?: AccountOptions } = {}): Promise<AccountApp> {
  const app = accountApp(h, made, options);
  const result = await app.auth.signIn({ username: made.username, password: made.password });
  if (!result.isSignedIn) throw new Error(`the test user did not sign in: ${result.nextStep.signInStep}`);
  return app;
}

/** The tokens an app holds now. */
export async function tokensOf(app: AccountApp): Promise<string[]> {
  const { tokens } = await app.auth.getSession();
  return tokens ? [tokens.accessToken, tokens.idToken, tokens.refreshToken ?? ''] : [];
}

/** The operations the emulator received since the request log had `from` entries. */
export const operationsSince = (h: AccountHarness, from: number): string[] => h.emu.requests.slice(from).map((r) => r.operation);
