// The inspector leak scenario: sign-ins (SRP with a TOTP challenge, wrong then right code, a
// forced refresh; USER_PASSWORD_AUTH) and every sign-out branch, against the emulator, with an
// inspection observer attached. Collects everything observable and every secret to search for.
import type { InspectionEvent, Observer } from 'xstate';
import { createAuth, type Auth, type StorageLike } from '../../src/index';
import type { CognitoEmulator } from '../../src/testing/index';

export type Inspect = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

export interface ScenarioRun {
  /** Captured events, persisted snapshots, logs, errors: everything observable. */
  observed: unknown[];
  /** Every token, password, code and client secret used. */
  secrets: string[];
  /** Short secrets (6-digit codes), searched as whole words. */
  codes: string[];
  /** State values reached, to check the run went where it should have. */
  states: string[];
}

const SIGN_OUTS: Array<{ title: string; global: boolean; revocation?: boolean; fault?: (emu: CognitoEmulator) => void; readOnly?: boolean; expected: string }> = [
  { title: 'local', global: false, expected: 'complete' },
  { title: 'global', global: true, expected: 'complete' },
  { title: 'GlobalSignOut failing', global: true, fault: (emu) => emu.faults.set('GlobalSignOut', { type: 'httpStatus', status: 503 }), expected: 'partial' },
  { title: 'blackholed', global: false, fault: (emu) => emu.faults.set('*', { type: 'blackhole' }), expected: 'partial' },
  { title: 'no revocation', global: false, revocation: false, expected: 'partial' },
  { title: 'store cannot be cleared', global: false, readOnly: true, expected: 'failed' },
];

function tokensIn(items: Map<string, string>): string[] {
  const found: string[] = [];
  for (const value of items.values()) {
    try {
      // Every long string stored is taken for a secret, but an outbox entry's `id` (an opaque intent id, in the statechart by design).
      const walk = (v: unknown): void => {
        if (typeof v === 'string' && v.length > 20) found.push(v);
        else if (v && typeof v === 'object') Object.entries(v).forEach(([key, child]) => key !== 'id' && walk(child));
      };
      walk(JSON.parse(value));
    } catch {
      /* not JSON */
    }
  }
  return found;
}

export async function runInspectorScenario(emu: CognitoEmulator, makeInspect: (capture: (event: unknown) => void) => Inspect): Promise<ScenarioRun> {
  const observed: unknown[] = [];
  const secrets: string[] = [];
  const codes: string[] = [];
  const states: string[] = [];
  const capture = (event: unknown) => observed.push(event);
  const catching = <T>(promise: Promise<T>) =>
    promise.then(
      (value) => (observed.push(value), value),
      (error: Error) => (observed.push(error, String(error), error?.stack), undefined),
    );
  const step = (auth: Auth, items: Map<string, string>) => {
    observed.push(auth.actor.getPersistedSnapshot());
    states.push(JSON.stringify(auth.actor.getSnapshot().value));
    secrets.push(...tokensIn(items));
  };
  const storageOf = (items: Map<string, string>, readOnly = false): StorageLike => ({
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => {
      if (readOnly) throw new Error('read-only storage');
      items.delete(k);
    },
  });

  // 1. SRP sign-in with a client secret and TOTP MFA: wrong code, right code, forced refresh, sign-out.
  {
    const setup = emu.setup({ generateSecret: true, mfa: 'SOFTWARE_TOKEN_MFA', username: 'inspected-mfa' });
    secrets.push(setup.password, setup.clientSecret!);
    const items = new Map<string, string>();
    const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, clientSecret: setup.clientSecret!, endpoint: emu.endpoint, storage: storageOf(items), inspect: makeInspect(capture) });
    try {
      await catching(auth.signIn({ username: setup.username, password: 'Wr0ng-Inspected-Passw0rd!' }));
      secrets.push('Wr0ng-Inspected-Passw0rd!');
      step(auth, items);
      await catching(auth.signIn({ username: setup.username, password: setup.password }));
      step(auth, items);
      const right = emu.mfaCode(setup.userPoolId, setup.username);
      const wrong = right === '000000' ? '111111' : '000000';
      codes.push(right, wrong);
      await catching(auth.confirmSignIn({ challengeResponse: wrong }));
      step(auth, items);
      await catching(auth.confirmSignIn({ challengeResponse: right }));
      step(auth, items);
      await catching(auth.getSession({ forceRefresh: true }).then(() => 'refreshed'));
      step(auth, items);
      await catching(auth.signOut().then((r) => r.type));
      step(auth, items);
    } finally {
      await auth.stop();
    }
  }

  // 2. USER_PASSWORD_AUTH sign-ins, then every sign-out branch.
  for (const branch of SIGN_OUTS) {
    const setup = emu.setup({ generateSecret: true, enableTokenRevocation: branch.revocation ?? true, username: `inspected-${SIGN_OUTS.indexOf(branch)}` });
    secrets.push(setup.password, setup.clientSecret!);
    const items = new Map<string, string>();
    const auth = createAuth({
      userPoolId: setup.userPoolId,
      userPoolClientId: setup.clientId,
      clientSecret: setup.clientSecret!,
      endpoint: emu.endpoint,
      storage: storageOf(items, branch.readOnly),
      networkTimeoutMs: 300,
      revocationOutbox: { retryBaseMs: 600_000 },
      inspect: makeInspect(capture),
    });
    try {
      await catching(auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' }));
      step(auth, items);
      branch.fault?.(emu);
      const result = await auth.signOut({ global: branch.global });
      emu.faults.clear();
      // The result carries retry tokens by design: only its type and errors are observable.
      observed.push(result.type, result.type === 'partial' ? [result.globalSignOutError?.name, result.globalSignOutError?.message, result.revokeTokenError?.name, result.revokeTokenError?.message] : null);
      if (result.type === 'failed') observed.push(result.error?.name, result.error?.message);
      if (result.type !== branch.expected) throw new Error(`${branch.title}: ${result.type}, expected ${branch.expected}`);
      step(auth, items);
    } finally {
      emu.faults.clear();
      await auth.stop();
    }
  }
  return { observed, secrets: [...new Set(secrets)], codes: [...new Set(codes)], states };
}

/** Everything in `text` that is a secret, a code (as a whole word) or shaped like a JWT/JWE. */
export function findLeaks(text: string, run: Pick<ScenarioRun, 'secrets' | 'codes'>): string[] {
  const leaks = run.secrets.filter((secret) => text.includes(secret)).map((s) => `secret ${s.slice(0, 12)}…`);
  for (const code of run.codes) if (new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`).test(text)) leaks.push(`code ${code}`);
  const jose = text.match(/eyJ[\w-]+\.[\w-]+\.[\w-]*/);
  if (jose) leaks.push(`JWT-shaped ${jose[0].slice(0, 16)}…`);
  return leaks;
}

/** JSON of everything observed (toJSON semantics, what an inspector sends), errors included. */
export function serializeObserved(observed: unknown[]): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(observed, (_key, value: unknown) => {
    if (value instanceof Error) return { ...value, name: value.name, message: value.message, stack: value.stack };
    if (value && typeof value === 'object') {
      if (seen.has(value)) return '[seen]';
      seen.add(value);
    }
    return value;
  });
}
