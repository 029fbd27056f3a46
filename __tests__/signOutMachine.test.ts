// Unit tests of the sign-out statechart on its own: services are in-process fakes, the deadline
// runs on XState's SimulatedClock, so nothing here touches the network or the wall clock.
import { createActor, fromPromise, SimulatedClock, toPromise, waitFor } from 'xstate';
import { clearedAfterAll, signOutMachine, type AccessScope, type IntentSource, type RecordedIntent, type SettleInput, type SignOutInput, type StoreAfterClear } from '../machines/signOutMachine';
import type { SignOutOutcome } from '../machines/types';

type Call = 'ok' | 'hang' | { name: string; message: string };

interface Calls {
  record?: Call;
  revoke?: Call;
  global?: Call;
  /** refreshAccessToken, the refresh before GlobalSignOut. */
  refresh?: Call;
  clear?: Call;
  /** confirmClear, after a clear that did not confirm: what the store holds now. */
  confirm?: StoreAfterClear | 'hang';
  /** settleIntent: whether the outbox kept the intent, or a failure. */
  settle?: { queued: boolean } | 'hang' | { name: string; message: string };
  /** What recordIntent finds on the tokens (origin_jti). Default: revocable. */
  recordRevocable?: boolean;
  /** What recordIntent finds in the access token's scope claim. Default: the admin scope. */
  recordScope?: AccessScope;
  /** How long recordIntent finds the access token has left, in ms. Default: not known (no exp). */
  recordExpiresInMs?: number;
}

const BASE: SignOutInput = { global: false, revocable: true, scope: 'admin', source: { kind: 'session' }, queueing: false, networkTimeoutMs: 3000, storageTimeoutMs: 1000 };

function run(input: Partial<SignOutInput>, calls: Calls = {}) {
  const started: string[] = [];
  const aborted: string[] = [];
  const inputs: Record<string, unknown> = {};
  const behave = <T>(name: string, behaviour: Call | { queued: boolean } | undefined, value: T, signal: AbortSignal, input: unknown): Promise<T> => {
    started.push(name);
    inputs[name] = input;
    signal.addEventListener('abort', () => aborted.push(name));
    if (behaviour === undefined || behaviour === 'ok') return Promise.resolve(value);
    if (behaviour === 'hang') return new Promise<T>(() => {});
    if ('queued' in behaviour) return Promise.resolve(behaviour as T);
    return Promise.reject(behaviour);
  };
  const fake = (name: string, behaviour?: Call) => fromPromise<void, { intentId: string }>(({ signal, input }) => behave(name, behaviour, undefined, signal, input));
  const clock = new SimulatedClock();
  const machine = signOutMachine.provide({
    actors: {
      recordIntent: fromPromise<RecordedIntent, { source: IntentSource; global: boolean }>(({ signal, input }) =>
        behave(
          'recordIntent',
          calls.record,
          { intentId: 'i1', revocable: calls.recordRevocable ?? true, scope: calls.recordScope ?? 'admin', ...(calls.recordExpiresInMs !== undefined && { accessTokenExpiresInMs: calls.recordExpiresInMs }) },
          signal,
          input,
        ),
      ),
      refreshAccessToken: fake('refreshAccessToken', calls.refresh),
      revokeToken: fake('revokeToken', calls.revoke),
      globalSignOut: fake('globalSignOut', calls.global),
      clearTokens: fromPromise<void>(({ signal, input }) => behave('clearTokens', calls.clear, undefined, signal, input)),
      confirmClear: fromPromise<StoreAfterClear>(({ signal, input }) => (calls.confirm === 'hang' ? behave<StoreAfterClear>('confirmClear', 'hang', 'stored', signal, input) : behave('confirmClear', 'ok', calls.confirm ?? 'stored', signal, input))),
      settleIntent: fromPromise<{ queued: boolean }, SettleInput>(({ signal, input }) => behave('settleIntent', calls.settle, { queued: false }, signal, input)),
    },
  });
  const actor = createActor(machine, { input: { ...BASE, ...input }, clock });
  const states: string[] = [];
  actor.subscribe((s) => states.push(JSON.stringify(s.value)));
  actor.start();
  /** Waits until the flow reaches `value` (the storage steps resolve on later ticks). */
  const reach = (value: unknown) => waitFor(actor, (s) => JSON.stringify(s.value) === JSON.stringify(value));
  return { actor, clock, started, aborted, inputs, states, reach, done: toPromise(actor) as Promise<SignOutOutcome> };
}

const refused = { name: 'NotAuthorizedException', message: 'Access Token has expired' };
const network = { name: 'NetworkError', message: 'connection refused' };
const i1 = { intentId: 'i1' };

describe('local sign-out', () => {
  test('records the intent, revokes, clears, settles: complete', async () => {
    const r = run({});
    await expect(r.done).resolves.toEqual({ type: 'complete', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'revokeToken', 'clearTokens', 'settleIntent']);
    expect(r.inputs.recordIntent).toEqual({ source: { kind: 'session' }, global: false });
    expect(r.inputs.revokeToken).toEqual(i1);
    expect(r.inputs.settleIntent).toEqual({ intentId: 'i1', settlement: 'remove' });
  });

  test('RevokeToken fails: partial with revokeTokenError, cache still cleared', async () => {
    const r = run({}, { revoke: network });
    await expect(r.done).resolves.toEqual({ type: 'partial', global: false, revokeTokenError: network, finishedBy: 'retrySignOut', ...i1 });
    expect(r.started).toContain('clearTokens');
  });

  test('RevokeToken fails, the outbox keeps the intent: finishedBy outbox', async () => {
    const r = run({ queueing: true }, { revoke: network, settle: { queued: true } });
    await expect(r.done).resolves.toEqual({ type: 'partial', global: false, revokeTokenError: network, finishedBy: 'outbox', ...i1 });
  });

  test('RevokeToken refused for good: finishedBy nothing', async () => {
    const unsupported = { name: 'UnsupportedOperationException', message: 'no' };
    const r = run({}, { revoke: unsupported });
    await expect(r.done).resolves.toEqual({ type: 'partial', global: false, revokeTokenError: unsupported, finishedBy: 'nothing', ...i1 });
  });

  test('no origin_jti: RevokeToken skipped, TokenRevocationNotEnabled, partial', async () => {
    const r = run({ revocable: false }, { recordRevocable: false });
    const outcome = await r.done;
    expect(outcome).toMatchObject({ type: 'partial', revokeTokenError: { name: 'TokenRevocationNotEnabled' }, finishedBy: 'nothing' });
    expect(r.started).toEqual(['recordIntent', 'clearTokens', 'settleIntent']);
  });

  test('the tokens decide revocability: recordIntent can turn it off', async () => {
    const r = run({ revocable: true }, { recordRevocable: false });
    await expect(r.done).resolves.toMatchObject({ type: 'partial', revokeTokenError: { name: 'TokenRevocationNotEnabled' } });
    expect(r.started).not.toContain('revokeToken');
  });

  test('the deadline aborts RevokeToken and records TimeoutError', async () => {
    const r = run({ networkTimeoutMs: 3000 }, { revoke: 'hang' });
    await r.reach({ callingCognito: 'revoking' });
    r.clock.increment(2999);
    expect(r.actor.getSnapshot().value).toEqual({ callingCognito: 'revoking' });
    r.clock.increment(1);
    const outcome = await r.done;
    expect(outcome).toMatchObject({ type: 'partial', revokeTokenError: { name: 'TimeoutError' }, finishedBy: 'retrySignOut' });
    expect(r.aborted).toEqual(['revokeToken']);
  });
});

describe('global sign-out', () => {
  test('GlobalSignOut succeeds: complete in one call; RevokeToken is not needed', async () => {
    const r = run({ global: true });
    await expect(r.done).resolves.toEqual({ type: 'complete', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'clearTokens', 'settleIntent']);
    expect(r.inputs.settleIntent).toEqual({ intentId: 'i1', settlement: 'remove' }); // GlobalSignOut succeeded: every token is dead
  });

  test('GlobalSignOut goes alone first: RevokeToken would revoke the access token it uses', async () => {
    const r = run({ global: true }, { global: 'hang' });
    await r.reach({ callingCognito: { signingOutGlobally: 'invalidatingSessions' } });
    expect(r.started).toEqual(['recordIntent', 'globalSignOut']);
    r.actor.stop();
  });

  test('GlobalSignOut fails, RevokeToken succeeds: partial with globalSignOutError only', async () => {
    const r = run({ global: true }, { global: refused });
    await expect(r.done).resolves.toEqual({ type: 'partial', global: true, globalSignOutError: refused, finishedBy: 'nothing', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'revokeToken', 'clearTokens', 'settleIntent']);
  });

  test('both fail: partial with both errors', async () => {
    const r = run({ global: true }, { global: refused, revoke: network });
    await expect(r.done).resolves.toEqual({ type: 'partial', global: true, globalSignOutError: refused, revokeTokenError: network, finishedBy: 'retrySignOut', ...i1 });
  });

  test('no origin_jti: GlobalSignOut alone decides; success is complete', async () => {
    const r = run({ global: true, revocable: false }, { recordRevocable: false });
    await expect(r.done).resolves.toEqual({ type: 'complete', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'clearTokens', 'settleIntent']);
  });

  test('no origin_jti and GlobalSignOut fails: partial with both errors, no RevokeToken call', async () => {
    const r = run({ global: true, revocable: false }, { global: refused, recordRevocable: false });
    const outcome = await r.done;
    expect(outcome).toMatchObject({ type: 'partial', globalSignOutError: refused, revokeTokenError: { name: 'TokenRevocationNotEnabled' }, finishedBy: 'nothing' });
    expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'clearTokens', 'settleIntent']);
  });

  test('GlobalSignOut pending at the deadline: aborted; RevokeToken reported as not sent, both TimeoutError', async () => {
    const r = run({ global: true, networkTimeoutMs: 500 }, { global: 'hang' });
    await r.reach({ callingCognito: { signingOutGlobally: 'invalidatingSessions' } });
    r.clock.increment(499);
    expect(r.actor.getSnapshot().value).toEqual({ callingCognito: { signingOutGlobally: 'invalidatingSessions' } });
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
    await r.reach({ callingCognito: { signingOutGlobally: 'revoking' } });
    r.clock.increment(500);
    await expect(r.done).resolves.toEqual({
      type: 'partial',
      global: true,
      globalSignOutError: network,
      revokeTokenError: expect.objectContaining({ name: 'TimeoutError', message: expect.stringContaining('RevokeToken had not answered') }),
      finishedBy: 'retrySignOut',
      ...i1,
    });
    expect(r.aborted).toEqual(['revokeToken']);
  });

  test('no origin_jti, GlobalSignOut pending at the deadline: TimeoutError and TokenRevocationNotEnabled', async () => {
    const r = run({ global: true, revocable: false, networkTimeoutMs: 500 }, { global: 'hang', recordRevocable: false });
    await r.reach({ callingCognito: { signingOutGlobally: 'invalidatingSessions' } });
    r.clock.increment(500);
    await expect(r.done).resolves.toMatchObject({ globalSignOutError: { name: 'TimeoutError' }, revokeTokenError: { name: 'TokenRevocationNotEnabled' } });
  });
});

describe('global sign-out with a token lacking the admin scope (a hosted-UI sign-in)', () => {
  test('GlobalSignOut is not sent (it is sure to fail): GlobalSignOutNotSupported, and RevokeToken signs out this device', async () => {
    const r = run({ global: true }, { recordScope: 'other' });
    const outcome = await r.done;
    expect(outcome).toEqual({ type: 'partial', global: true, globalSignOutError: { name: 'GlobalSignOutNotSupported', message: expect.stringContaining('aws.cognito.signin.user.admin') }, finishedBy: 'nothing', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'revokeToken', 'clearTokens', 'settleIntent']);
    expect(r.inputs.settleIntent).toEqual({ intentId: 'i1', settlement: 'remove' }); // revoked
  });

  test('no origin_jti either: nothing can be sent; both reasons reported', async () => {
    const r = run({ global: true, revocable: false }, { recordScope: 'other', recordRevocable: false });
    await expect(r.done).resolves.toMatchObject({ type: 'partial', globalSignOutError: { name: 'GlobalSignOutNotSupported' }, revokeTokenError: { name: 'TokenRevocationNotEnabled' }, finishedBy: 'nothing' });
    expect(r.started).toEqual(['recordIntent', 'clearTokens', 'settleIntent']);
  });

  test('its RevokeToken failing retryably stays queued for RevokeToken (the global half cannot ever work)', async () => {
    const r = run({ global: true, queueing: true }, { recordScope: 'other', revoke: network, settle: { queued: true } });
    await expect(r.done).resolves.toMatchObject({ type: 'partial', globalSignOutError: { name: 'GlobalSignOutNotSupported' }, revokeTokenError: network, finishedBy: 'outbox' });
  });
});

describe('global sign-out with a token that has no scope claim (the chart\'s isGlobalWithoutScopeClaim decides)', () => {
  test('GlobalSignOut is sent: only Cognito can tell what such a token may do, and its success signs out every device', async () => {
    const r = run({ global: true }, { recordScope: 'absent' });
    await expect(r.done).resolves.toEqual({ type: 'complete', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'clearTokens', 'settleIntent']);
  });

  test('Cognito refuses it: a final answer, so RevokeToken follows and this device is signed out', async () => {
    const scopes = { name: 'NotAuthorizedException', message: 'Access Token does not have required scopes' };
    const r = run({ global: true }, { recordScope: 'absent', global: scopes });
    await expect(r.done).resolves.toEqual({ type: 'partial', global: true, globalSignOutError: scopes, finishedBy: 'nothing', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'revokeToken', 'clearTokens', 'settleIntent']);
  });

  test('a queued global intent whose token has no scope claim is sent the same way', async () => {
    const r = run({ global: true, scope: 'absent', source: { kind: 'queued', intentId: 'q1' } });
    await expect(r.done).resolves.toEqual({ type: 'complete', intentId: 'q1' });
    expect(r.started).toEqual(['globalSignOut', 'settleIntent']);
  });
});

describe('global sign-out with an expired access token (the chart\'s isAccessTokenExpired decides)', () => {
  const expired = { recordExpiresInMs: -60_000 };
  const refreshing = { callingCognito: { signingOutGlobally: 'refreshingAccessToken' } };

  test('the access token is refreshed first, then GlobalSignOut is sent: complete', async () => {
    const r = run({ global: true }, expired);
    await expect(r.done).resolves.toEqual({ type: 'complete', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'refreshAccessToken', 'globalSignOut', 'clearTokens', 'settleIntent']);
    expect(r.inputs.refreshAccessToken).toEqual(i1);
  });

  test('one that expires within networkTimeoutMs counts as expired; one that outlives it, or whose expiry is not known, does not', async () => {
    const soon = run({ global: true }, { recordExpiresInMs: 3000 });
    await soon.done;
    expect(soon.started).toContain('refreshAccessToken');
    for (const calls of [{ recordExpiresInMs: 3001 }, {}]) {
      const r = run({ global: true }, calls);
      await r.done;
      expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'clearTokens', 'settleIntent']);
    }
  });

  test('a local sign-out never refreshes: RevokeToken needs no access token', async () => {
    const r = run({}, expired);
    await r.done;
    expect(r.started).toEqual(['recordIntent', 'revokeToken', 'clearTokens', 'settleIntent']);
  });

  test('a queued global intent refreshes by the facts the outbox read', async () => {
    const r = run({ global: true, queueing: true, accessTokenExpiresInMs: 0, source: { kind: 'queued', intentId: 'q1' } });
    await expect(r.done).resolves.toEqual({ type: 'complete', intentId: 'q1' });
    expect(r.started).toEqual(['refreshAccessToken', 'globalSignOut', 'settleIntent']);
  });

  test('the refresh fails for good: GlobalSignOut is not sent, RevokeToken follows; the error keeps its name', async () => {
    const reuse = { name: 'RefreshTokenReuseException', message: 'Refresh token has already been used and rotated' };
    const r = run({ global: true, queueing: true }, { ...expired, refresh: reuse });
    const outcome = await r.done;
    expect(outcome).toEqual({
      type: 'partial',
      global: true,
      globalSignOutError: { name: reuse.name, message: expect.stringContaining('GlobalSignOut was not sent') },
      finishedBy: 'nothing',
      ...i1,
    });
    expect(r.started).toEqual(['recordIntent', 'refreshAccessToken', 'revokeToken', 'clearTokens', 'settleIntent']);
    expect(r.inputs.settleIntent).toEqual({ intentId: 'i1', settlement: 'remove' });
  });

  test('the refresh fails for a reason a retry can fix: with the outbox, the intent stays queued as a global one', async () => {
    const r = run({ global: true, queueing: true }, { ...expired, refresh: network, settle: { queued: true } });
    await expect(r.done).resolves.toMatchObject({ type: 'partial', globalSignOutError: { name: 'NetworkError' }, finishedBy: 'outbox' });
    expect(r.started).toEqual(['recordIntent', 'refreshAccessToken', 'clearTokens', 'settleIntent']);
    expect(r.inputs.settleIntent).toEqual({ intentId: 'i1', settlement: 'keepGlobal' });
  });

  test('the refresh has half of networkTimeoutMs (refreshDeadline); without an outbox RevokeToken gets the other half', async () => {
    const r = run({ global: true, networkTimeoutMs: 500 }, { ...expired, refresh: 'hang', revoke: 'hang' });
    await r.reach(refreshing);
    r.clock.increment(249);
    expect(r.actor.getSnapshot().value).toEqual(refreshing);
    r.clock.increment(1);
    await r.reach({ callingCognito: { signingOutGlobally: 'revoking' } });
    expect(r.aborted).toEqual(['refreshAccessToken']);
    r.clock.increment(250);
    await expect(r.done).resolves.toMatchObject({
      type: 'partial',
      globalSignOutError: { name: 'TimeoutError', message: expect.stringContaining('refresh') },
      revokeTokenError: { name: 'TimeoutError', message: expect.stringContaining('RevokeToken had not answered') },
      finishedBy: 'retrySignOut',
    });
  });

  test('the refresh silent past its deadline with the outbox: queued as a global intent, nothing else sent', async () => {
    const r = run({ global: true, queueing: true, networkTimeoutMs: 500 }, { ...expired, refresh: 'hang', settle: { queued: true } });
    await r.reach(refreshing);
    r.clock.increment(250);
    await expect(r.done).resolves.toMatchObject({ type: 'partial', globalSignOutError: { name: 'TimeoutError' }, finishedBy: 'outbox' });
    expect(r.started).toEqual(['recordIntent', 'refreshAccessToken', 'clearTokens', 'settleIntent']);
  });
});

describe('global sign-out with an outbox (queueing)', () => {
  test.each([network, { name: 'TimeoutError', message: 't' }, { name: 'UnexpectedResponse', message: '503' }, { name: 'TooManyRequestsException', message: 'slow down' }, { name: 'InternalErrorException', message: '500' }])(
    'a retryable GlobalSignOut failure (%j) stays queued as a global intent: no RevokeToken, finishedBy outbox',
    async (error) => {
      const r = run({ global: true, queueing: true }, { global: error, settle: { queued: true } });
      await expect(r.done).resolves.toEqual({ type: 'partial', global: true, globalSignOutError: error, finishedBy: 'outbox', ...i1 });
      expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'clearTokens', 'settleIntent']);
      expect(r.inputs.settleIntent).toEqual({ intentId: 'i1', settlement: 'keepGlobal' }); // finished later as a global sign-out
    },
  );

  test('without queueing, a retryable GlobalSignOut failure is followed by RevokeToken at once', async () => {
    const r = run({ global: true, queueing: false }, { global: network });
    await expect(r.done).resolves.toEqual({ type: 'partial', global: true, globalSignOutError: network, finishedBy: 'retrySignOut', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'revokeToken', 'clearTokens', 'settleIntent']);
    expect(r.inputs.settleIntent).toEqual({ intentId: 'i1', settlement: 'remove' });
  });

  test('a non-retryable GlobalSignOut failure is followed by RevokeToken, even with queueing', async () => {
    const r = run({ global: true, queueing: true }, { global: refused });
    await expect(r.done).resolves.toEqual({ type: 'partial', global: true, globalSignOutError: refused, finishedBy: 'nothing', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'globalSignOut', 'revokeToken', 'clearTokens', 'settleIntent']);
  });

  test('queued, but the outbox did not keep it: the app must retry (finishedBy retrySignOut)', async () => {
    const r = run({ global: true, queueing: true }, { global: network, settle: { queued: false } });
    await expect(r.done).resolves.toMatchObject({ type: 'partial', finishedBy: 'retrySignOut' });
    expect(r.started).not.toContain('revokeToken');
  });

  test('settleIntent failing or silent: the intent counts as queued when queueing', async () => {
    const failing = run({ global: true, queueing: true }, { global: network, settle: { name: 'StorageError', message: 'quota' } });
    await expect(failing.done).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
    const silent = run({ global: true, queueing: true, storageTimeoutMs: 100 }, { global: network, settle: 'hang' });
    await silent.reach('settlingIntent');
    silent.clock.increment(100);
    await expect(silent.done).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
  });
});

describe('intent sources', () => {
  test('a queued intent skips recording and clearing: its tokens are in the outbox already', async () => {
    const r = run({ global: true, queueing: true, source: { kind: 'queued', intentId: 'q7' } });
    await expect(r.done).resolves.toEqual({ type: 'complete', intentId: 'q7' });
    expect(r.started).toEqual(['globalSignOut', 'settleIntent']);
    expect(r.inputs.globalSignOut).toEqual({ intentId: 'q7' });
  });

  test('a retry records its tokens but does not clear the (already cleared) session', async () => {
    const r = run({ source: { kind: 'retry', credential: 'secret#3' } });
    await expect(r.done).resolves.toEqual({ type: 'complete', ...i1 });
    expect(r.started).toEqual(['recordIntent', 'revokeToken', 'settleIntent']);
    expect(r.inputs.recordIntent).toEqual({ source: { kind: 'retry', credential: 'secret#3' }, global: false });
  });

  test('recordIntent fails: nothing is sent; both calls reported as not sent; the cache is still cleared', async () => {
    const r = run({ global: true }, { record: { name: 'StorageError', message: 'unreadable' } });
    const outcome = await r.done;
    // No intent holds the tokens, so nothing could retry with them.
    expect(outcome).toMatchObject({ type: 'partial', globalSignOutError: { name: 'NotSent' }, revokeTokenError: { name: 'NotSent' }, finishedBy: 'nothing' });
    expect(outcome).not.toHaveProperty('intentId');
    expect(r.started).toEqual(['recordIntent', 'clearTokens', 'settleIntent']);
    expect(r.inputs.settleIntent).not.toHaveProperty('intentId');
  });

  test('recordIntent silent past storageTimeoutMs: nothing is sent', async () => {
    const r = run({ storageTimeoutMs: 200 }, { record: 'hang' });
    r.clock.increment(200);
    await expect(r.done).resolves.toMatchObject({ type: 'partial', revokeTokenError: { name: 'NotSent', message: expect.stringContaining('storageTimeoutMs') } });
    expect(r.started).not.toContain('revokeToken');
  });
});

describe('clearing the cache', () => {
  const storage = { name: 'StorageError', message: 'quota' };

  test('a failed clear is the only failed outcome; tokensRevoked says whether the server calls killed them', async () => {
    const revoked = run({ global: true }, { global: refused, clear: storage });
    await expect(revoked.done).resolves.toEqual({ type: 'failed', error: storage, tokensRevoked: true, globalSignOutError: refused, ...i1 });
    expect(revoked.actor.getSnapshot().value).toBe('failed');
    const notRevoked = run({}, { revoke: network, clear: storage });
    await expect(notRevoked.done).resolves.toEqual({ type: 'failed', error: storage, tokensRevoked: false, revokeTokenError: network, ...i1 });
  });

  test('a clear silent past twice storageTimeoutMs fails the flow', async () => {
    const r = run({ storageTimeoutMs: 100 }, { clear: 'hang' });
    await r.reach('clearingCache');
    r.clock.increment(199);
    expect(r.actor.getSnapshot().value).toBe('clearingCache');
    r.clock.increment(1);
    await expect(r.done).resolves.toMatchObject({ type: 'failed', error: { name: 'StorageError' }, tokensRevoked: true });
  });

  test('symptoms 9, 10: a clear not confirmed is checked again (verifyingClear); the store read empty, or removed with no read to say otherwise, is a clear after all', async () => {
    expect((['gone', 'removed', 'stored', 'unknown'] as const).filter(clearedAfterAll)).toEqual(['gone', 'removed']);
    for (const confirm of ['gone', 'removed'] as const) {
      const r = run({ queueing: true }, { clear: storage, confirm });
      await expect(r.done).resolves.toEqual({ type: 'complete', ...i1 });
      expect(r.states).toContain('"verifyingClear"');
      expect(r.inputs.settleIntent).toEqual({ ...i1, settlement: 'remove' });
    }
  });

  test('symptom 3: the store still holds the revoked session: failed, and the outbox keeps the entry marked revoked (keepRevoked)', async () => {
    const r = run({ queueing: true }, { clear: storage, confirm: 'stored' });
    await expect(r.done).resolves.toEqual({ type: 'failed', error: storage, tokensRevoked: true, ...i1 });
    expect(r.inputs.settleIntent).toEqual({ ...i1, settlement: 'keepRevoked' });
  });

  test('a store that does not answer confirmClear either: verifyingClear ends at 3 × storageTimeoutMs, and the clear\'s failure stands', async () => {
    const r = run({ storageTimeoutMs: 100 }, { clear: storage, confirm: 'hang' });
    await r.reach('verifyingClear');
    r.clock.increment(299);
    expect(r.actor.getSnapshot().value).toBe('verifyingClear');
    r.clock.increment(1);
    await expect(r.done).resolves.toMatchObject({ type: 'failed', error: storage });
    expect(r.aborted).toContain('confirmClear');
  });

  test('visits recordingIntent → callingCognito.revoking → clearingCache → settlingIntent → done', async () => {
    const r = run({});
    await r.done;
    expect([...new Set(r.states)]).toEqual(['"recordingIntent"', '{"callingCognito":"revoking"}', '"clearingCache"', '"settlingIntent"', '"done"']);
  });
});

test('an actor that was not provided fails loudly, naming itself', async () => {
  const actor = createActor(signOutMachine, { input: { ...BASE, networkTimeoutMs: 10 } }).start();
  await expect(toPromise(actor)).resolves.toMatchObject({ type: 'failed', error: { name: 'ActorNotProvided', message: expect.stringContaining('clearTokens') } });
});
