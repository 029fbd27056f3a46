// Unit tests of the sign-out statechart on its own: services are in-process fakes, the deadline
// runs on XState's SimulatedClock, so nothing here touches the network or the wall clock.
import { createActor, fromPromise, SimulatedClock, toPromise } from 'xstate';
import { signOutMachine, type SignOutInput } from '../machines/signOutMachine';
import type { SignOutOutcome } from '../machines/types';

type Call = 'ok' | 'hang' | { name: string; message: string };

function run(input: Partial<SignOutInput>, calls: { revoke?: Call; global?: Call; clear?: Call } = {}) {
  const started: string[] = [];
  const aborted: string[] = [];
  const fake = (name: string, behaviour: Call = 'ok') =>
    fromPromise<void>(({ signal }) => {
      started.push(name);
      signal.addEventListener('abort', () => aborted.push(name));
      if (behaviour === 'ok') return Promise.resolve();
      if (behaviour === 'hang') return new Promise<void>(() => {});
      return Promise.reject(behaviour);
    });
  const clock = new SimulatedClock();
  const machine = signOutMachine.provide({
    actors: { revokeToken: fake('revokeToken', calls.revoke), globalSignOut: fake('globalSignOut', calls.global), clearTokens: fake('clearTokens', calls.clear) },
  });
  const actor = createActor(machine, { input: { global: false, revocable: true, networkTimeoutMs: 3000, ...input }, clock });
  const states: string[] = [];
  actor.subscribe((s) => states.push(JSON.stringify(s.value)));
  actor.start();
  return { actor, clock, started, aborted, states, done: toPromise(actor) as Promise<SignOutOutcome> };
}

const refused = { name: 'NotAuthorizedException', message: 'Access Token has expired' };
const network = { name: 'NetworkError', message: 'connection refused' };

describe('local sign-out', () => {
  test('revokes, then clears: complete', async () => {
    const r = run({});
    await expect(r.done).resolves.toEqual({ type: 'complete' });
    expect(r.started).toEqual(['revokeToken', 'clearTokens']);
  });

  test('RevokeToken fails: partial with revokeTokenError, cache still cleared', async () => {
    const r = run({}, { revoke: network });
    await expect(r.done).resolves.toEqual({ type: 'partial', revokeTokenError: network });
    expect(r.started).toContain('clearTokens');
  });

  test('no origin_jti: RevokeToken skipped, TokenRevocationNotEnabled, partial', async () => {
    const r = run({ revocable: false });
    const outcome = await r.done;
    expect(outcome).toMatchObject({ type: 'partial', revokeTokenError: { name: 'TokenRevocationNotEnabled' } });
    expect(r.started).toEqual(['clearTokens']);
  });

  test('the deadline aborts RevokeToken and records TimeoutError', async () => {
    const r = run({ networkTimeoutMs: 3000 }, { revoke: 'hang' });
    r.clock.increment(2999);
    expect(r.actor.getSnapshot().value).toBe('revoking');
    r.clock.increment(1);
    const outcome = await r.done;
    expect(outcome).toMatchObject({ type: 'partial', revokeTokenError: { name: 'TimeoutError' } });
    expect(r.aborted).toEqual(['revokeToken']);
  });
});

describe('global sign-out', () => {
  test('GlobalSignOut and RevokeToken start together (one round trip)', () => {
    const r = run({ global: true }, { revoke: 'hang', global: 'hang' });
    expect(r.started).toEqual(expect.arrayContaining(['globalSignOut', 'revokeToken']));
    expect(r.actor.getSnapshot().value).toEqual({ signingOutGlobally: { everywhere: 'invalidatingSessions', thisDevice: 'revoking' } });
    r.actor.stop();
  });

  test('GlobalSignOut succeeds: complete without waiting for RevokeToken, which is aborted', async () => {
    const r = run({ global: true }, { revoke: 'hang' });
    await expect(r.done).resolves.toEqual({ type: 'complete' });
    expect(r.aborted).toEqual(['revokeToken']);
  });

  test('GlobalSignOut succeeds after RevokeToken failed: still complete', async () => {
    let answer!: () => void;
    const machine = signOutMachine.provide({
      actors: {
        revokeToken: fromPromise<void>(() => Promise.reject(network)),
        globalSignOut: fromPromise<void>(() => new Promise<void>((resolve) => (answer = resolve))),
        clearTokens: fromPromise<void>(() => Promise.resolve()),
      },
    });
    const actor = createActor(machine, { input: { global: true, revocable: true, networkTimeoutMs: 3000 } }).start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(actor.getSnapshot().value).toMatchObject({ signingOutGlobally: { thisDevice: 'revokeFailed' } });
    answer();
    await expect(toPromise(actor)).resolves.toEqual({ type: 'complete' });
  });

  test('GlobalSignOut fails, RevokeToken succeeds: partial with globalSignOutError only', async () => {
    const r = run({ global: true }, { global: refused });
    await expect(r.done).resolves.toEqual({ type: 'partial', globalSignOutError: refused });
  });

  test('both fail: partial with both errors', async () => {
    const r = run({ global: true }, { global: refused, revoke: network });
    await expect(r.done).resolves.toEqual({ type: 'partial', globalSignOutError: refused, revokeTokenError: network });
  });

  test('no origin_jti: GlobalSignOut alone decides; success is complete', async () => {
    const r = run({ global: true, revocable: false });
    await expect(r.done).resolves.toEqual({ type: 'complete' });
    expect(r.started).toEqual(['globalSignOut', 'clearTokens']);
  });

  test('no origin_jti and GlobalSignOut fails: partial with both errors', async () => {
    const r = run({ global: true, revocable: false }, { global: refused });
    const outcome = await r.done;
    expect(outcome).toMatchObject({ type: 'partial', globalSignOutError: refused, revokeTokenError: { name: 'TokenRevocationNotEnabled' } });
  });

  test('the deadline ends both calls at once', async () => {
    const r = run({ global: true, networkTimeoutMs: 500 }, { revoke: 'hang', global: 'hang' });
    r.clock.increment(500);
    const outcome = await r.done;
    expect(outcome).toMatchObject({ type: 'partial', globalSignOutError: { name: 'TimeoutError' }, revokeTokenError: { name: 'TimeoutError' } });
    expect(r.aborted.sort()).toEqual(['globalSignOut', 'revokeToken']);
  });

  test('RevokeToken done early, GlobalSignOut hangs: one deadline from the start of the phase', async () => {
    const r = run({ global: true, networkTimeoutMs: 500 }, { global: 'hang' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.actor.getSnapshot().value).toMatchObject({ signingOutGlobally: { thisDevice: 'revoked' } });
    r.clock.increment(500);
    await expect(r.done).resolves.toMatchObject({ type: 'partial', globalSignOutError: { name: 'TimeoutError' } });
  });
});

describe('clearing the cache', () => {
  test('a failed clear is the only failed outcome', async () => {
    const storage = { name: 'StorageError', message: 'quota' };
    const r = run({ global: true }, { global: refused, clear: storage });
    await expect(r.done).resolves.toEqual({ type: 'failed', error: storage });
    expect(r.actor.getSnapshot().value).toBe('failed');
  });

  test('visits signedIn → revoking → clearingCache → signedOut', async () => {
    const r = run({});
    await r.done;
    expect(r.states).toEqual(['"revoking"', '"clearingCache"', '"signedOut"']);
  });
});

test('an actor that was not provided fails loudly, naming itself', async () => {
  const actor = createActor(signOutMachine, { input: { global: false, revocable: true, networkTimeoutMs: 10 } }).start();
  await expect(toPromise(actor)).resolves.toMatchObject({ type: 'failed', error: { name: 'ActorNotProvided' } });
});
