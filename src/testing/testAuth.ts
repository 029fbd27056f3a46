// The app developer's testing kit: a real createAuth() wired to a fresh Cognito emulator, with
// users, faults, inspectable storage, and helpers that drive the engine into a named state.
import { randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createAuth, type Auth } from '../createAuth.js';
import type { AuthConfig } from '../config.js';
import type { SignInResult, SignOutResult } from '../results.js';
import { startCognitoEmulator } from './emulator/start.js';
import type { CognitoEmulator, CognitoEmulatorOptions, EmulatorFaults, EmulatorMfaType, Fault, FaultTarget } from './emulator/types.js';
import { isRetryable } from '../../machines/errorInfo.js';
import { installGate } from './kit/gate.js';
import { createTestStorage, type TestStorage } from './kit/storage.js';

export type { StorageMethod, TestStorage } from './kit/storage.js';

/** A user to create in the pool. */
export interface TestUserSpec {
  readonly username: string;
  /** Default: a generated one (read it back from `kit.users`). */
  readonly password?: string;
  /** Every sign-in of this user then needs the MFA code (`kit.mfaCode(username)`). */
  readonly mfa?: EmulatorMfaType;
  /** false: FORCE_CHANGE_PASSWORD, so a sign-in asks for a new password. Default true. */
  readonly permanent?: boolean;
  readonly attributes?: Readonly<Record<string, string>>;
  /** E.164; SMS_MFA users default to '+15555550100'. */
  readonly phoneNumber?: string;
}

/** A user that exists in the pool, with the password to sign in with. */
export interface TestUser {
  readonly username: string;
  readonly password: string;
  readonly mfa?: EmulatorMfaType;
  readonly permanent: boolean;
}

/** Faults the emulator applies from the start, per operation ('*' for any). */
export type TestFaults = Partial<Record<FaultTarget, Fault | { readonly fault: Fault; readonly times?: number }>>;

export interface TestAuthOptions {
  /** Users to create. Default: one CONFIRMED user, `test-user`, without MFA. */
  readonly users?: ReadonlyArray<TestUserSpec>;
  /** Faults set on the emulator before createAuth() runs. Sign-in goes over HTTP too, so mind '*'. */
  readonly faults?: TestFaults;
  /** The app client. Default: no secret, token revocation on. */
  readonly client?: {
    readonly generateSecret?: boolean;
    readonly enableTokenRevocation?: boolean;
    readonly accessTokenTtlSeconds?: number;
  };
  /**
   * The rest of createAuth()'s config. Pool, client, endpoint, SDK client and storage are the
   * kit's. networkTimeoutMs defaults to 10000 here (3000 in the library), so that a held state
   * stays held while a UI test looks at it.
   */
  readonly config?: Omit<Partial<AuthConfig>, 'userPoolId' | 'userPoolClientId' | 'region' | 'endpoint' | 'client' | 'clientSecret' | 'storage'>;
  /** Options of the emulator (its clock, token lifetime). */
  readonly emulator?: CognitoEmulatorOptions;
  /** How the kit's helpers sign in. Default 'USER_SRP_AUTH', as an app does. */
  readonly authFlow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
}

/** A sign-out held open in a network state. */
export interface HeldSignOut {
  /** The pending auth.signOut() promise: it settles after release() (or at the deadline, or close()). */
  readonly result: Promise<SignOutResult>;
  /**
   * Lets the held call go: it is sent again and answered normally, or by `answer` when given
   * (e.g. `{ type: 'error', name: 'InternalErrorException' }`). Resolves with the sign-out's result.
   */
  release(answer?: Fault): Promise<SignOutResult>;
}

export type PartialSignOutResult = Extract<SignOutResult, { type: 'partial' }>;
export type FailedSignOutResult = Extract<SignOutResult, { type: 'failed' }>;

/** What driveTo() resolves with, per named state. */
export interface TestAuthStates {
  /** Nobody is signed in. */
  signedOut: void;
  /** `auth.actor` in signedIn.active; resolves with the user signed in. */
  signedIn: TestUser;
  /** A FORCE_CHANGE_PASSWORD user's sign-in waits for confirmSignIn({ challengeResponse: newPassword }). */
  awaitingNewPassword: TestUser;
  /** A SOFTWARE_TOKEN_MFA user's sign-in waits for the TOTP code (`kit.mfaCode(username)`). */
  awaitingTotpCode: TestUser;
  /** An SMS_MFA user's sign-in waits for the SMS code (`kit.mfaCode(username)`). */
  awaitingSmsCode: TestUser;
  /** A local sign-out with RevokeToken blackholed: `signingOut`, child `signOut` in `callingCognito.revoking`. */
  revoking: HeldSignOut;
  /** A global sign-out with GlobalSignOut blackholed: child in `callingCognito.signingOutGlobally.invalidatingSessions`. */
  'signingOutGlobally.invalidatingSessions': HeldSignOut;
  /**
   * A global sign-out whose GlobalSignOut failed for good (default NotAuthorizedException, a
   * non-retryable failure: only those are followed by RevokeToken), RevokeToken blackholed:
   * child in `callingCognito.signingOutGlobally.revoking`.
   */
  'signingOutGlobally.revoking': HeldSignOut;
  /**
   * A finished global sign-out: GlobalSignOut failed, `auth.actor` is in signedOut. With the default
   * fault (NotAuthorizedException, non-retryable) RevokeToken follows and succeeds: `finishedBy: 'nothing'`.
   * With a retryable `globalSignOutFault` (InternalErrorException, 5xx, throttling, …) and the outbox on,
   * no RevokeToken is sent: the intent stays queued, `finishedBy: 'outbox'`, and `globalSignOutError`
   * carries the refresh token too.
   */
  partial: PartialSignOutResult;
  /**
   * A finished local sign-out whose storage could not be cleared (removeItem throws). RevokeToken
   * succeeded, so the tokens are dead: `auth.actor` is in `revokedButStored`, not signed in.
   * getSession() rejects with RevokedSessionNotCleared; the session is still stored; the next
   * signOut() retries the clear. (Had the server calls failed too, it would be back in `signedIn.active`.)
   */
  failed: FailedSignOutResult;
  /** The same as `failed`, by the engine's state name: `auth.actor` is in `revokedButStored`. */
  revokedButStored: FailedSignOutResult;
}

export type TestAuthState = keyof TestAuthStates;

export const TEST_AUTH_STATES: readonly TestAuthState[] = [
  'signedOut',
  'signedIn',
  'awaitingNewPassword',
  'awaitingTotpCode',
  'awaitingSmsCode',
  'revoking',
  'signingOutGlobally.invalidatingSessions',
  'signingOutGlobally.revoking',
  'partial',
  'failed',
  'revokedButStored',
];

export interface DriveOptions {
  /** The user to sign in. Default: the first fitting user, created on demand for the challenge states. */
  readonly username?: string;
  /**
   * partial: how GlobalSignOut fails. Default NotAuthorizedException ('Access Token has expired'),
   * non-retryable, so RevokeToken follows. A retryable fault leaves the intent to the outbox instead.
   * signingOutGlobally.revoking: the same default; the fault must be non-retryable, or RevokeToken
   * is never sent and the state is never reached.
   */
  readonly globalSignOutFault?: Fault;
  /** How long to wait for the state. Default 5000 ms. */
  readonly timeoutMs?: number;
}

export interface TestAuth {
  /** A real createAuth() instance, wired to the emulator. */
  readonly auth: Auth;
  readonly emulator: CognitoEmulator;
  /** The emulator's faults, for faults set mid-test. */
  readonly faults: EmulatorFaults;
  readonly storage: TestStorage;
  /** Every user in the pool, the ones created on demand included. The first is the default. */
  readonly users: ReadonlyArray<TestUser>;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** Drives the engine into `state` and resolves once `auth.actor` (or its signOut child) is there. */
  driveTo<S extends TestAuthState>(state: S, options?: DriveOptions): Promise<TestAuthStates[S]>;
  /** Whether the engine is now in `state`. */
  is(state: TestAuthState): boolean;
  /** Where the engine is, as a dotted path: 'signedIn.active', 'signingOut.callingCognito.revoking', 'revokedButStored', …. */
  currentState(): string;
  /** The user `username` (default: the first). Throws for an unknown user. */
  user(username?: string): TestUser;
  /** The MFA code `username` would type now (TOTP, or the last SMS). */
  mfaCode(username: string): string;
  /** Stops the auth (pending calls reject with AuthStoppedError), its SDK client and the emulator. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_USERS: readonly TestUserSpec[] = [{ username: 'test-user' }];
const KIT_NETWORK_TIMEOUT_MS = 10_000;
const HELD: Partial<Record<TestAuthState, { operation: 'RevokeToken' | 'GlobalSignOut'; global: boolean; child: string }>> = {
  revoking: { operation: 'RevokeToken', global: false, child: 'callingCognito.revoking' },
  'signingOutGlobally.invalidatingSessions': { operation: 'GlobalSignOut', global: true, child: 'callingCognito.signingOutGlobally.invalidatingSessions' },
  'signingOutGlobally.revoking': { operation: 'RevokeToken', global: true, child: 'callingCognito.signingOutGlobally.revoking' },
};
const CHALLENGES: Record<'awaitingNewPassword' | 'awaitingTotpCode' | 'awaitingSmsCode', { step: string; spec: TestUserSpec }> = {
  awaitingNewPassword: { step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', spec: { username: 'new-password-user', permanent: false } },
  awaitingTotpCode: { step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', spec: { username: 'totp-user', mfa: 'SOFTWARE_TOKEN_MFA' } },
  awaitingSmsCode: { step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', spec: { username: 'sms-user', mfa: 'SMS_MFA' } },
};
/** Non-retryable: the sign-out chart follows it with RevokeToken (a retryable one is left to the outbox). */
const DEFAULT_GLOBAL_FAULT: Fault = { type: 'error', name: 'NotAuthorizedException', message: 'Access Token has expired (injected by authchart/testing)' };

/** A fresh emulator, pool, app client and users, and a real createAuth() wired to them. */
export async function createTestAuth(options: TestAuthOptions = {}): Promise<TestAuth> {
  const emulator = await startCognitoEmulator(options.emulator);
  try {
    return await assemble(emulator, options);
  } catch (error) {
    await emulator.close();
    throw error;
  }
}

async function assemble(emulator: CognitoEmulator, options: TestAuthOptions): Promise<TestAuth> {
  const { userPoolId } = emulator.createUserPool('authchart-testing');
  const { clientId, clientSecret } = emulator.createUserPoolClient({
    userPoolId,
    clientName: 'authchart-testing',
    generateSecret: options.client?.generateSecret ?? false,
    enableTokenRevocation: options.client?.enableTokenRevocation ?? true,
    ...(options.client?.accessTokenTtlSeconds !== undefined && { accessTokenTtlSeconds: options.client.accessTokenTtlSeconds }),
  });
  const users: TestUser[] = [];
  const addUser = (spec: TestUserSpec): TestUser => {
    const password = spec.password ?? `Pw-${randomBytes(9).toString('base64url')}1!`;
    emulator.createUser({
      userPoolId,
      username: spec.username,
      password,
      permanent: spec.permanent ?? true,
      ...(spec.mfa && { mfa: spec.mfa }),
      ...(spec.attributes && { attributes: { ...spec.attributes } }),
      ...(spec.phoneNumber && { phoneNumber: spec.phoneNumber }),
    });
    const user: TestUser = { username: spec.username, password, permanent: spec.permanent ?? true, ...(spec.mfa && { mfa: spec.mfa }) };
    users.push(user);
    return user;
  };
  for (const spec of options.users ?? DEFAULT_USERS) addUser(spec);

  for (const [target, entry] of Object.entries(options.faults ?? {}) as Array<[FaultTarget, NonNullable<TestFaults[FaultTarget]>]>) {
    const { fault, times } = 'fault' in entry ? entry : { fault: entry, times: undefined };
    emulator.faults.set(target, fault, times === undefined ? undefined : { times });
  }

  const client = new CognitoIdentityProviderClient({ region: emulator.region, endpoint: emulator.endpoint });
  const gate = installGate(client);
  const storage = createTestStorage(clientId);
  const auth = createAuth({
    networkTimeoutMs: KIT_NETWORK_TIMEOUT_MS,
    ...options.config,
    region: emulator.region,
    userPoolId,
    userPoolClientId: clientId,
    endpoint: emulator.endpoint,
    client,
    storage,
    ...(clientSecret && { clientSecret }),
  });
  const authFlow = options.authFlow ?? 'USER_SRP_AUTH';
  const held = new Set<Promise<SignOutResult>>();
  let closed = false;

  const snapshot = () => auth.actor.getSnapshot();
  const childPath = (): string | undefined => {
    const child = (snapshot().children as Record<string, { getSnapshot(): { value: unknown } } | undefined>).signOut;
    return child ? dotted(child.getSnapshot().value) : undefined;
  };
  const currentState = () => {
    const path = dotted(snapshot().value);
    const child = path === 'signingOut' ? childPath() : undefined;
    return child ? `${path}.${child}` : path;
  };
  const is = (state: TestAuthState): boolean => {
    const path = currentState();
    switch (state) {
      case 'signedIn':
        return path.startsWith('signedIn');
      case 'partial':
        return path === 'signedOut' && snapshot().context.lastSignOut?.type === 'partial';
      case 'failed':
        return (path === 'revokedButStored' || path.startsWith('signedIn')) && snapshot().context.lastSignOut?.type === 'failed';
      default: {
        const child = HELD[state]?.child;
        return child ? path === `signingOut.${child}` : path === state;
      }
    }
  };

  const user = (username?: string): TestUser => {
    const found = username === undefined ? users[0] : users.find((candidate) => candidate.username === username);
    if (!found) throw new Error(`authchart/testing: no user ${username === undefined ? 'at all' : JSON.stringify(username)} in the pool`);
    return found;
  };
  /** The named user, or the first that fits, created when none does. */
  const pick = (username: string | undefined, fits: (user: TestUser) => boolean, fallback: TestUserSpec): TestUser => {
    if (username !== undefined) return user(username);
    return users.find(fits) ?? users.find((candidate) => candidate.username === fallback.username) ?? addUser(fallback);
  };
  const plain = (candidate: TestUser) => !candidate.mfa && candidate.permanent;

  function assertOpen() {
    if (closed) throw new Error('authchart/testing: this kit is closed');
  }

  /** Back to signedOut from wherever the engine rests. */
  async function toSignedOut(): Promise<void> {
    if (held.size > 0) throw new Error('authchart/testing: a held sign-out is pending: release() it first');
    if (currentState() !== 'signedOut') await auth.signOut();
    if (currentState() !== 'signedOut') throw new Error(`authchart/testing: could not sign out (engine in ${currentState()})`);
  }

  /** Signs `who` in, through any challenge, with the codes the emulator knows. */
  async function signIn(who: TestUser): Promise<TestUser> {
    let current = who;
    let step: SignInResult = await auth.signIn({ username: who.username, password: who.password, authFlow });
    while (!step.isSignedIn) {
      switch (step.nextStep.signInStep) {
        case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED': {
          const password = `Pw-${randomBytes(9).toString('base64url')}2!`;
          step = await auth.confirmSignIn({ challengeResponse: password });
          // The user is CONFIRMED now, with the new password.
          const index = users.indexOf(current);
          current = { ...current, password, permanent: true };
          if (index >= 0) users[index] = current;
          break;
        }
        default:
          step = await auth.confirmSignIn({ challengeResponse: emulator.mfaCode(userPoolId, who.username) });
      }
    }
    return current;
  }

  async function until(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (closed) throw new Error(`authchart/testing: closed while waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`authchart/testing: ${what} not reached within ${timeoutMs} ms (engine in ${currentState()})`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  async function holdSignOut(state: TestAuthState, driveOptions: DriveOptions): Promise<HeldSignOut> {
    const { operation, global, child } = HELD[state]!;
    await drive('signedIn', driveOptions);
    const timeoutMs = driveOptions.timeoutMs ?? 5000;
    const before = emulator.requests.length;
    if (state === 'signingOutGlobally.revoking') {
      const fault = driveOptions.globalSignOutFault ?? DEFAULT_GLOBAL_FAULT;
      // Only a GlobalSignOut that failed for good is followed by RevokeToken (a retryable failure is left to the outbox).
      if (fault.type !== 'error' || isRetryable(fault.name)) {
        throw new Error(`authchart/testing: signingOutGlobally.revoking needs a non-retryable globalSignOutFault (e.g. NotAuthorizedException); ${fault.type === 'error' ? fault.name : fault.type} is left to the outbox, without RevokeToken`);
      }
      emulator.faults.set('GlobalSignOut', fault);
    }
    emulator.faults.set(operation, { type: 'blackhole' });
    const hold = gate.hold(operation);
    const result = auth.signOut({ global });
    held.add(result);
    result.catch(() => {}).finally(() => held.delete(result)); // close() rejects it; the test may never await it
    await until(
      `${state} (${operation} blackholed)`,
      () => is(state) && emulator.requests.slice(before).some((record) => record.operation === operation && record.status === 'blackholed'),
      timeoutMs,
    );
    await hold.sent;
    let release: Promise<SignOutResult> | undefined;
    return {
      result,
      release(answer) {
        release ??= (async () => {
          emulator.faults.clear(operation);
          if (state === 'signingOutGlobally.revoking') emulator.faults.clear('GlobalSignOut');
          if (answer) emulator.faults.set(operation, answer);
          hold.release();
          try {
            return await result;
          } finally {
            if (answer) emulator.faults.clear(operation);
          }
        })();
        return release;
      },
    };
  }

  async function drive(state: TestAuthState, driveOptions: DriveOptions = {}): Promise<unknown> {
    assertOpen();
    if (!TEST_AUTH_STATES.includes(state)) throw new Error(`authchart/testing: unknown state ${JSON.stringify(state)}; one of ${TEST_AUTH_STATES.join(', ')}`);
    switch (state) {
      case 'signedOut':
        return toSignedOut();
      case 'signedIn': {
        const who = pick(driveOptions.username, plain, { username: 'test-user' });
        const session = snapshot().context.session;
        if (is('signedIn') && held.size === 0 && session?.username === who.username) return who;
        await toSignedOut();
        return signIn(who);
      }
      case 'awaitingNewPassword':
      case 'awaitingTotpCode':
      case 'awaitingSmsCode': {
        const { step, spec } = CHALLENGES[state];
        const fits = (candidate: TestUser) => (spec.mfa ? candidate.mfa === spec.mfa && candidate.permanent : !candidate.permanent && !candidate.mfa);
        const who = pick(driveOptions.username, fits, spec);
        await toSignedOut();
        const result = await auth.signIn({ username: who.username, password: who.password, authFlow });
        if (result.nextStep.signInStep !== step) throw new Error(`authchart/testing: ${who.username}'s sign-in went to ${result.nextStep.signInStep}, not ${step}`);
        return who;
      }
      case 'revoking':
      case 'signingOutGlobally.invalidatingSessions':
      case 'signingOutGlobally.revoking':
        return holdSignOut(state, driveOptions);
      case 'partial': {
        await drive('signedIn', driveOptions);
        emulator.faults.set('GlobalSignOut', driveOptions.globalSignOutFault ?? DEFAULT_GLOBAL_FAULT);
        try {
          const result = await auth.signOut({ global: true });
          if (result.type !== 'partial' || !result.globalSignOutError) throw new Error(`authchart/testing: expected a partial sign-out with globalSignOutError, got ${result.type}`);
          return result;
        } finally {
          emulator.faults.clear('GlobalSignOut');
        }
      }
      case 'failed':
      case 'revokedButStored': {
        await drive('signedIn', driveOptions);
        storage.fail('removeItem');
        try {
          const result = await auth.signOut();
          if (result.type !== 'failed') throw new Error(`authchart/testing: expected a failed sign-out, got ${result.type}`);
          if (currentState() !== 'revokedButStored') throw new Error(`authchart/testing: expected revokedButStored after the failed clear, engine in ${currentState()}`);
          return result;
        } finally {
          storage.heal('removeItem');
        }
      }
    }
  }

  // Resolve once the (empty) store has been read: the engine rests in signedOut.
  await until('the end of loadingSession', () => currentState() !== 'loadingSession', 5000);

  return {
    auth,
    emulator,
    faults: emulator.faults,
    storage,
    users,
    userPoolId,
    clientId,
    ...(clientSecret && { clientSecret }),
    driveTo: (state, driveOptions) => drive(state, driveOptions) as Promise<never>,
    is,
    currentState,
    user,
    mfaCode: (username) => emulator.mfaCode(userPoolId, username),
    async close() {
      if (closed) return;
      closed = true;
      await auth.stop();
      client.destroy(); // rejects a held request: its socket is destroyed
      await emulator.close();
    },
  };
}

/** 'a' or { a: 'b' } or { a: { b: 'c' } } → 'a', 'a.b', 'a.b.c'. */
function dotted(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value)[0] ?? [];
    if (key === undefined) return '';
    const rest = dotted(inner);
    return rest ? `${key}.${rest}` : key;
  }
  return '';
}

