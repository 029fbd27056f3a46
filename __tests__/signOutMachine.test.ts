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
  test('GlobalSignOut succeeds: complete in one call; RevokeToken is not needed', async () => {
    const r = run({ global: true });
    await expect(r.done).resolves.toEqual({ type: 'complete' });
    expect(r.started).toEqual(['globalSignOut', 'clearTokens']);
  });

  test('GlobalSignOut goes alone first: RevokeToken would revoke the access token it uses', () => {
    const r = run({ global: true }, { global: 'hang' });
    expect(r.started).toEqual(['globalSignOut']);
    expect(r.actor.getSnapshot().value).toEqual({ signingOutGlobally: 'invalidatingSessions' });
    r.actor.stop();
  });

  test('GlobalSignOut fails, RevokeToken succeeds: partial with globalSignOutError only', async () => {
    const r = run({ global: true }, { global: refused });
    await expect(r.done).resolves.toEqual({ type: 'partial', globalSignOutError: refused });
    expect(r.started).toEqual(['globalSignOut', 'revokeToken', 'clearTokens']);
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

  test('no origin_jti and GlobalSignOut fails: partial with both errors, no RevokeToken call', async () => {
    const r = run({ global: true, revocable: false }, { global: refused });
    const outcome = await r.done;
    expect(outcome).toMatchObject({ type: 'partial', globalSignOutError: refused, revokeTokenError: { name: 'TokenRevocationNotEnabled' } });
    expect(r.started).toEqual(['globalSignOut', 'clearTokens']);
  });

  test('GlobalSignOut pending at the deadline: aborted; RevokeToken reported as not sent, both TimeoutError', async () => {
    const r = run({ global: true, networkTimeoutMs: 500 }, { global: 'hang' });
    r.clock.increment(499);
    expect(r.actor.getSnapshot().value).toEqual({ signingOutGlobally: 'invalidatingSessions' });
    r.clock.increment(1);
    const outcome = await r.done;
    expect(outcome).toMatchObject({
      type: 'partial',
      globalSignOutError: { name: 'TimeoutError' },
      revokeTokenError: { name: 'TimeoutError', message: expect.stringContaining('not sent') },
    });
    expect(r.aborted).toEqual(['globalSignOut']);
  });

  test('RevokeToken after a failed GlobalSignOut shares the one deadline of the phase', async () => {
    const r = run({ global: true, networkTimeoutMs: 500 }, { global: network, revoke: 'hang' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.actor.getSnapshot().value).toEqual({ signingOutGlobally: 'revoking' });
    r.clock.increment(500);
    await expect(r.done).resolves.toEqual({
      type: 'partial',
      globalSignOutError: network,
      revokeTokenError: expect.objectContaining({ name: 'TimeoutError', message: expect.stringContaining('RevokeToken had not answered') }),
    });
    expect(r.aborted).toEqual(['revokeToken']);
  });

  test('no origin_jti, GlobalSignOut pending at the deadline: TimeoutError and TokenRevocationNotEnabled', async () => {
    const r = run({ global: true, revocable: false, networkTimeoutMs: 500 }, { global: 'hang' });
    r.clock.increment(500);
    await expect(r.done).resolves.toMatchObject({ globalSignOutError: { name: 'TimeoutError' }, revokeTokenError: { name: 'TokenRevocationNotEnabled' } });
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
