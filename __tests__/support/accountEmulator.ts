// The account-flow emulator tests' shared harness (emulator.signUp and emulator.password): an
// emulator on a movable clock and an SDK client, started and stopped around the file, which checks
// at the end that none of the secrets the tests used (codes, passwords, sessions) is in the request
// log; and `failure()`, a rejection's name and message, checked to hold none of the given secrets.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startCognitoEmulator, type CognitoEmulator, type SetupOptions } from '../../src/testing/index';

export interface AccountHarness {
  emu: CognitoEmulator;
  sdk: CognitoIdentityProviderClient;
  /** The emulator's clock (epoch ms): move it forward to expire codes and sessions. */
  clock: number;
  /** Codes, passwords and sessions the tests used: none may reach `emu.requests`. */
  readonly secrets: string[];
  /** A pool with email auto-verified (codes go to `<username>@example.com`), its client and a user, whose password is kept among the secrets. */
  pool(options?: SetupOptions): ReturnType<CognitoEmulator['setup']>;
  /** The newest code of `purpose` sent to `username`, kept among the secrets. */
  newestCode(userPoolId: string, username: string, purpose: 'signUp' | 'resetPassword' | 'attribute' | 'mfa' | 'signIn'): string;
}

/** Registers beforeAll/afterAll; the fields are set once beforeAll has run. */
export function accountHarness(): AccountHarness {
  const h = {
    clock: Date.UTC(2026, 0, 1),
    secrets: [] as string[],
    pool(options: SetupOptions = {}) {
      const made = h.emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] }, ...options });
      h.secrets.push(made.password);
      return made;
    },
    newestCode(userPoolId: string, username: string, purpose: 'signUp' | 'resetPassword' | 'attribute' | 'mfa' | 'signIn') {
      const code = h.emu.inbox(username, { userPoolId }).filter((m) => m.purpose === purpose).at(-1)!.code;
      h.secrets.push(code);
      return code;
    },
  } as AccountHarness;
  beforeAll(async () => {
    h.emu = await startCognitoEmulator({ now: () => h.clock });
    h.sdk = new CognitoIdentityProviderClient({ region: h.emu.region, endpoint: h.emu.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    const log = JSON.stringify(h.emu.requests);
    for (const secret of h.secrets) expect(log).not.toContain(secret);
    h.sdk.destroy();
    await h.emu.close();
  });
  return h;
}

/** The call's error name and message, after checking that the message holds none of `secretsInPlay`. */
export async function failure(promise: Promise<unknown>, ...secretsInPlay: string[]): Promise<{ name: string; message: string }> {
  const error = (await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  )) as Error;
  for (const secret of secretsInPlay) expect(error.message).not.toContain(secret);
  return { name: error.name, message: error.message };
}
