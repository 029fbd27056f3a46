// Transitions of the auth and outbox charts that the whole suite did not take (docs/transition-coverage.md,
// issue 18 item 4), each taken here on purpose with in-process actors and checked for where it leads.
// Each is reachable in an app: other tabs' signals, a global sign-out landing mid-step, storage
// failures at awkward moments. The integration tests that reach them run in Chromium or in child
// processes, which the coverage does not record.
import { createActor, fromCallback, fromPromise, waitFor, type AnyEventObject } from 'xstate';
import { authMachine, type RedirectOutcome, type SignInStepOutput, type StoredSession, type StoredSessionRecord } from '../machines/authMachine';
import type { SessionSummary } from '../machines/types';
import { signOutMachine, type IntentSource, type RecordedIntent, type SettleInput, type StoreAfterClear } from '../machines/signOutMachine';
import { outboxMachine, type PickedIntent } from '../machines/outboxMachine';

const session: SessionSummary = { username: 'alice', revocable: true, expiresAt: 10_000_000_000_000, signedInWith: 'password' };
const never = <T>() => new Promise<T>(() => {});
const fail = (name: string) => Promise.reject({ name, message: name });

interface Fakes {
  /** What is stored: a session no sign-out holds, or (StoredSessionRecord) one the outbox holds. */
  load?: () => Promise<SessionSummary | StoredSessionRecord | null>;
  /** Other tabs share the store: the refresh turn says so, and readStoredRefresh reads what they stored. */
  readStored?: () => Promise<SessionSummary | null>;
  /** false: the refresh turn is this tab's alone (the default turn), while readStored still answers the look after a lost race. */
  sharedTurn?: boolean;
  storageTimeoutMs?: number;
  answer?: () => Promise<SignInStepOutput>;
  refresh?: () => Promise<SessionSummary>;
  completeRedirect?: () => Promise<RedirectOutcome>;
  clearSession?: () => Promise<void>;
  queueRotated?: () => Promise<void>;
  confirmClear?: () => Promise<StoreAfterClear>;
  /** A sign-in's new device confirmed (confirmingDevice). */
  confirmDevice?: () => Promise<void>;
  recordIntent?: () => Promise<RecordedIntent>;
  pickIntent?: () => Promise<PickedIntent>;
}

// Every actor a test starts is stopped after it: the charts' deadlines here are up to 4 minutes
// (networkTimeoutMs and storageTimeoutMs of 60 s), and a running actor's pending delayed
// transition is a live timer that kept jest's process from exiting for that long after the run.
const running = new Set<{ stop(): void }>();
afterEach(() => {
  for (const actor of running) actor.stop();
  running.clear();
});

function start(fakes: Fakes = {}) {
  const signOut = signOutMachine.provide({
    actors: {
      recordIntent: fromPromise<RecordedIntent, { source: IntentSource; global: boolean }>(() => (fakes.recordIntent ?? (async () => ({ intentId: 'i1', revocable: true, scope: 'admin' as const })))()),
      revokeToken: fromPromise<void, { intentId: string }>(async () => {}),
      globalSignOut: fromPromise<void, { intentId: string }>(async () => {}),
      clearTokens: fromPromise<void>(async () => {}),
      settleIntent: fromPromise<{ queued: boolean }, SettleInput>(async () => ({ queued: false })),
    },
  });
  const machine = authMachine.provide({
    actors: {
      loadSession: fromPromise(async (): Promise<StoredSession | null> => { const stored = await (fakes.load ?? (async () => null))(); return stored && ('heldByOutbox' in stored ? stored : { session: stored, heldByOutbox: null }); }),
      signIn: fromPromise(async (): Promise<SignInStepOutput> => ({ kind: 'challenge', challenge: { name: 'SOFTWARE_TOKEN_MFA', username: 'alice', sessionRef: 'ref#1' } })),
      answerChallenge: fromPromise(() => (fakes.answer ?? never<SignInStepOutput>)()),
      confirmDevice: fromPromise(() => (fakes.confirmDevice ?? never<void>)()),
      refreshTokens: fromPromise(() => (fakes.refresh ?? never<SessionSummary>)()),
      completeRedirect: fromPromise(() => (fakes.completeRedirect ?? never<RedirectOutcome>)()),
      clearSession: fromPromise(() => (fakes.clearSession ?? (async () => {}))()),
      queueRotatedToken: fromPromise(() => (fakes.queueRotated ?? (async () => {}))()),
      confirmClear: fromPromise(() => (fakes.confirmClear ?? (async (): Promise<StoreAfterClear> => 'stored'))()),
      ...(fakes.readStored && {
        takeRefreshTurn: fromCallback(({ sendBack }) => sendBack({ type: 'REFRESH_TURN_TAKEN', shared: fakes.sharedTurn ?? true, waited: false })),
        readStoredRefresh: fromPromise<SessionSummary | null, { held: SessionSummary | null; watch: boolean }>(fakes.readStored),
      }),
      signOut,
      outbox: outboxMachine.provide({
        actors: {
          pickIntent: fromPromise<PickedIntent, { everyEntry: boolean; tried: readonly string[]; take: boolean }>(() => (fakes.pickIntent ?? (async () => ({ intent: null, pending: 0 })))()),
          watchBackoff: fromCallback(() => {}),
          signOut,
        },
      }),
    },
  });
  const actor = createActor(machine, { input: { networkTimeoutMs: 60_000, storageTimeoutMs: fakes.storageTimeoutMs ?? 60_000, refreshSkewMs: 0, queueing: true } });
  const emitted: AnyEventObject[] = [];
  actor.on('*', (event) => emitted.push(event));
  running.add(actor);
  actor.start();
  const at = (value: unknown) => waitFor(actor, (s) => JSON.stringify(s.value) === JSON.stringify(value), { timeout: 5000 });
  return { actor, emitted, at };
}

/** A promise the test settles when it chooses. */
function gate<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('other tabs while the store is read', () => {
  test('loadingSession: another tab signed out while this one read the store: signedOut', async () => {
    const { actor, at } = start({ load: never });
    await at('loadingSession');
    actor.send({ type: 'SIGNED_OUT_ELSEWHERE' });
    await at('signedOut');
  });

  test('adoptingSession: another tab signed out before the adoption read finished: signedOut', async () => {
    let loads = 0;
    const { actor, at } = start({ load: () => (loads++ === 0 ? Promise.resolve(null) : never()) });
    await at('signedOut');
    actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
    await at('adoptingSession');
    actor.send({ type: 'SIGNED_OUT_ELSEWHERE' });
    await at('signedOut');
  });

  test('adoptingSession: the read fails: signedOut, and storageError says why', async () => {
    let loads = 0;
    const { actor, at, emitted } = start({ load: () => (loads++ === 0 ? Promise.resolve(null) : fail('StorageError')) });
    await at('signedOut');
    actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
    await waitFor(actor, () => emitted.some((e) => e.type === 'storageError'));
    expect(actor.getSnapshot().value).toBe('signedOut');
  });
});

describe('a sign-in step whose tokens the store took back (issue 18, item 3)', () => {
  test('answeringChallenge: revokingUnstored revokes them (a global sign-out landing meanwhile changes nothing), then the confirmSignIn() hears the StorageError, signed out', async () => {
    const recorded = gate<RecordedIntent>();
    const unstored = { name: 'StorageError', message: 'The quota has been exceeded', unstoredTokensRef: 'ref#t' };
    const { actor, at, emitted } = start({ answer: () => Promise.reject(unstored), recordIntent: () => recorded.promise });
    await at('signedOut');
    actor.send({ type: 'SIGN_IN', id: 1, username: 'alice', authFlow: 'USER_SRP_AUTH', credential: 'ref#p' });
    await at('awaitingChallengeAnswer');
    actor.send({ type: 'CONFIRM_SIGN_IN', id: 2, credential: 'ref#c', userAttributes: {} });
    await at('revokingUnstored');
    expect(emitted).toContainEqual({ type: 'signInFailed', error: { name: 'StorageError', message: 'The quota has been exceeded' } });
    expect(emitted.some((e) => e.type === 'answered' && e.id === 2)).toBe(false); // the caller waits for the revocation
    actor.send({ type: 'GLOBAL_SIGN_OUT_LANDED' });
    recorded.resolve({ intentId: 'i1', revocable: true, scope: 'other' });
    await at('signedOut');
    expect(emitted).toContainEqual({ type: 'answered', id: 2, answer: { kind: 'refused', error: { name: 'StorageError', message: 'The quota has been exceeded' } } });
    expect(actor.getSnapshot().context.challenge).toBeNull();
  });
});

describe('a global sign-out the outbox finished lands mid-step: the session it brings is checked', () => {
  test('adoptingSession: the adopted session is checked with a refresh once signed in', async () => {
    let loads = 0;
    const adopted = gate<SessionSummary | null>();
    const { actor, at } = start({ load: () => (loads++ === 0 ? Promise.resolve(null) : adopted.promise) });
    await at('signedOut');
    actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
    await at('adoptingSession');
    actor.send({ type: 'GLOBAL_SIGN_OUT_LANDED' });
    adopted.resolve(session);
    await waitFor(actor, (s) => s.matches({ signedIn: 'refreshing' }), { timeout: 5000 });
  });

  test('answeringChallenge: the tokens the answer brings are checked with a refresh', async () => {
    const answered = gate<SignInStepOutput>();
    const { actor, at } = start({ answer: () => answered.promise });
    await at('signedOut');
    actor.send({ type: 'SIGN_IN', id: 1, username: 'alice', authFlow: 'USER_SRP_AUTH', credential: 'ref#p' });
    await at('awaitingChallengeAnswer');
    actor.send({ type: 'CONFIRM_SIGN_IN', id: 2, credential: 'ref#c', userAttributes: {} });
    await at('answeringChallenge');
    actor.send({ type: 'GLOBAL_SIGN_OUT_LANDED' });
    answered.resolve({ kind: 'signedIn', session });
    await waitFor(actor, (s) => s.matches({ signedIn: 'refreshing' }), { timeout: 5000 });
  });

  test('confirmingDevice: the session stored before the device is confirmed is checked with a refresh once signed in', async () => {
    const confirmed = gate<void>();
    const { actor, at, emitted } = start({ answer: async () => ({ kind: 'signedIn', session, device: 'ref#d' }), confirmDevice: () => confirmed.promise });
    await at('signedOut');
    actor.send({ type: 'SIGN_IN', id: 1, username: 'alice', authFlow: 'USER_SRP_AUTH', credential: 'ref#p' });
    await at('awaitingChallengeAnswer');
    actor.send({ type: 'CONFIRM_SIGN_IN', id: 2, credential: 'ref#c', userAttributes: {} });
    await at('confirmingDevice');
    actor.send({ type: 'GLOBAL_SIGN_OUT_LANDED' });
    confirmed.resolve();
    await waitFor(actor, (s) => s.matches({ signedIn: 'refreshing' }), { timeout: 5000 });
    expect(emitted).toContainEqual({ type: 'answered', id: 2, answer: { kind: 'signedIn', deviceConfirmed: true } });
  });

  test('completingRedirect: the tokens the code brings are checked with a refresh', async () => {
    const completed = gate<RedirectOutcome>();
    const { actor, at } = start({ completeRedirect: () => completed.promise });
    await at('signedOut');
    actor.send({ type: 'HANDLE_REDIRECT', id: 1, credential: 'ref#u' });
    await at('completingRedirect');
    actor.send({ type: 'GLOBAL_SIGN_OUT_LANDED' });
    completed.resolve({ kind: 'signedIn', session: { ...session, signedInWith: 'hostedUi' } });
    await waitFor(actor, (s) => s.matches({ signedIn: 'refreshing' }), { timeout: 5000 });
  });

  test('signedIn.refreshing: the refresh in flight starts again (its tokens may predate the sign-out)', async () => {
    let refreshes = 0;
    const { actor } = start({ load: async () => ({ ...session, expiresAt: 0 }), refresh: () => (refreshes++, never()) });
    await waitFor(actor, (s) => s.matches({ signedIn: 'active' }), { timeout: 5000 });
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: Date.now() });
    await waitFor(actor, () => refreshes === 1, { timeout: 5000 });
    actor.send({ type: 'GLOBAL_SIGN_OUT_LANDED' });
    await waitFor(actor, () => refreshes === 2, { timeout: 5000 });
    expect(actor.getSnapshot().matches({ signedIn: 'refreshing' })).toBe(true);
  });
});

describe('sign-outs over an awkward store', () => {
  test('checkingStore: what was stored was corrupt (already removed): complete, and storageError says why', async () => {
    let loads = 0;
    const { actor, at, emitted } = start({ load: () => (loads++ === 0 ? Promise.resolve(null) : fail('CorruptSession')) });
    await at('signedOut');
    actor.send({ type: 'SIGN_OUT', id: 1, global: false });
    await waitFor(actor, () => emitted.some((e) => e.type === 'answered'));
    expect(emitted).toContainEqual({ type: 'answered', id: 1, answer: { kind: 'signOut', outcome: { type: 'complete' } } });
    expect(emitted.some((e) => e.type === 'storageError')).toBe(true);
    expect(actor.getSnapshot().value).toBe('signedOut');
  });

  test('endingSession: a signOut() joins the clear of an ended hosted-UI session, with no oauth to end its cookie: partial, HostedUiNotConfigured', async () => {
    const cleared = gate<void>();
    const { actor, emitted } = start({ load: async () => ({ ...session, signedInWith: 'hostedUi', expiresAt: 0 }), refresh: () => fail('NotAuthorizedException'), clearSession: () => cleared.promise });
    await waitFor(actor, (s) => s.matches({ signedIn: 'active' }), { timeout: 5000 });
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: Date.now() });
    await waitFor(actor, (s) => s.matches('endingSession'), { timeout: 5000 });
    actor.send({ type: 'SIGN_OUT', id: 2, global: false });
    cleared.resolve();
    await waitFor(actor, () => emitted.some((e) => e.type === 'answered' && e.id === 2));
    const answer = emitted.find((e) => e.type === 'answered' && e.id === 2)?.answer;
    expect(answer).toMatchObject({ kind: 'signOut', outcome: { type: 'partial', hostedUiError: { name: 'HostedUiNotConfigured' } } });
    expect(actor.getSnapshot().value).toBe('signedOut');
  });
});

describe('the outbox while a retry runs', () => {
  test('retrying: a second retrySignOut() and a flush wait for it, then run in turn', async () => {
    const recorded = gate<RecordedIntent>();
    let records = 0;
    const { actor, emitted } = start({ recordIntent: () => (records++ === 0 ? recorded.promise : Promise.resolve({ intentId: 'i2', revocable: true, scope: 'admin' })) });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    await waitFor(actor, (s) => JSON.stringify(s.children.outbox?.getSnapshot().value) === '"idle"', { timeout: 5000 });
    actor.send({ type: 'RETRY_SIGN_OUT', id: 1, credential: 'ref#r1', global: false });
    await waitFor(actor, (s) => s.children.outbox?.getSnapshot().value === 'retrying', { timeout: 5000 });
    actor.send({ type: 'RETRY_SIGN_OUT', id: 2, credential: 'ref#r2', global: false });
    actor.send({ type: 'FLUSH_REVOCATIONS', id: 3 });
    expect(emitted.filter((e) => e.type === 'answered')).toEqual([]);
    recorded.resolve({ intentId: 'i1', revocable: true, scope: 'admin' });
    await waitFor(actor, () => [1, 2, 3].every((id) => emitted.some((e) => e.type === 'answered' && e.id === id)), { timeout: 5000 });
    expect(records).toBe(2);
  });
});

describe('tabs that share the store take turns to refresh', () => {
  const expired = { ...session, expiresAt: 0, tokenId: 'jti-old' };

  test('lookingForTabsRefresh: another tab stored a refreshed session: adopted, no refresh of its own', async () => {
    let refreshes = 0;
    const { actor, emitted } = start({ load: async () => expired, readStored: async () => ({ ...session, tokenId: 'jti-new' }), refresh: () => (refreshes++, never()) });
    await waitFor(actor, (s) => s.matches({ signedIn: 'active' }), { timeout: 5000 });
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: Date.now() });
    await waitFor(actor, () => emitted.some((e) => e.type === 'answered' && e.id === 1), { timeout: 5000 });
    expect(actor.getSnapshot().context.session?.tokenId).toBe('jti-new');
    expect(emitted).toContainEqual({ type: 'tokenRefreshed', username: 'alice' });
    expect(refreshes).toBe(0);
  });

  test('lookingForTabsRefresh: the store cannot be read: this tab refreshes itself', async () => {
    let refreshes = 0;
    const { actor } = start({ load: async () => expired, readStored: () => fail('StorageError'), refresh: () => (refreshes++, never()) });
    await waitFor(actor, (s) => s.matches({ signedIn: 'active' }), { timeout: 5000 });
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: Date.now() });
    await waitFor(actor, (s) => s.matches({ signedIn: { refreshing: 'refreshingTokens' } }), { timeout: 5000 });
    await waitFor(actor, () => refreshes === 1, { timeout: 5000 });
  });
});

describe('revokedButStored: the tokens are dead, the store could not be cleared', () => {
  async function revokedButStored() {
    const started = start({ load: async () => ({ ...session, expiresAt: 0 }), refresh: () => fail('NotAuthorizedException'), clearSession: () => fail('StorageError') });
    await waitFor(started.actor, (s) => s.matches({ signedIn: 'active' }), { timeout: 5000 });
    started.actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: Date.now() });
    await waitFor(started.actor, (s) => s.matches('revokedButStored'), { timeout: 5000 });
    return started;
  }

  test('another tab cleared the store: nothing dead is left here, signedOut', async () => {
    const { actor, emitted } = await revokedButStored();
    actor.send({ type: 'SIGNED_OUT_ELSEWHERE' });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    expect(actor.getSnapshot().context.session).toBeNull();
    expect(emitted).toContainEqual({ type: 'signedOutElsewhere' });
  });

  test('another tab stored a new session over it: adopted', async () => {
    const { actor } = await revokedButStored();
    actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
    await waitFor(actor, (s) => s.matches('adoptingSession') || s.matches('signedIn'), { timeout: 5000 });
  });
});

describe('the session region after the fixes of symptoms 2 and 3', () => {
  test('adoptingSession: the session another tab points at is one a sign-out revoked: it is cleared, never adopted', async () => {
    let loads = 0;
    let clears = 0;
    const { actor } = start({ load: () => Promise.resolve(loads++ === 0 ? null : { session, heldByOutbox: 'revoked' }), clearSession: async () => void clears++ });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
    await waitFor(actor, () => clears === 1, { timeout: 5000 });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    expect(actor.getSnapshot().context.session).toBeNull();
  });

  test('lookingForTabsRefresh after a lost rotation race: no newer session shows up in time, so this session ends', async () => {
    const { actor, emitted } = start({ load: async () => ({ ...session, expiresAt: 0, tokenId: 'jti-old' }), refresh: () => fail('RefreshTokenReuseException'), readStored: never, sharedTurn: false, storageTimeoutMs: 50 });
    await waitFor(actor, (s) => s.matches({ signedIn: 'active' }), { timeout: 5000 });
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: Date.now() });
    await waitFor(actor, () => emitted.some((e) => e.type === 'answered' && e.id === 1), { timeout: 5000 });
    expect(emitted.find((e) => e.type === 'answered' && e.id === 1)?.answer).toMatchObject({ kind: 'refused', error: { name: 'RefreshTokenReuseException' } });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
  });
});

describe('the outbox while a drain runs (deterministic, not left to timing)', () => {
  test('draining: a sign-out that settles meanwhile, and a retrySignOut(), wait for the drain; then both are served', async () => {
    const picked = gate<PickedIntent>();
    let picks = 0;
    const { actor, emitted } = start({ load: async () => session, pickIntent: () => (picks++ === 0 ? picked.promise : Promise.resolve({ intent: null, pending: 0 })) });
    await waitFor(actor, (s) => s.matches({ signedIn: 'active' }) && JSON.stringify(s.children.outbox?.getSnapshot().value) === '{"draining":"pickingIntent"}', { timeout: 5000 });
    actor.send({ type: 'SIGN_OUT', id: 1, global: false }); // settles while the drain runs: INTENTS_QUEUED reaches a draining outbox
    await waitFor(actor, () => emitted.some((e) => e.type === 'answered' && e.id === 1), { timeout: 5000 });
    actor.send({ type: 'RETRY_SIGN_OUT', id: 2, credential: 'ref#r', global: false });
    expect(emitted.some((e) => e.type === 'answered' && e.id === 2)).toBe(false);
    picked.resolve({ intent: null, pending: 0 });
    await waitFor(actor, () => emitted.some((e) => e.type === 'answered' && e.id === 2), { timeout: 5000 });
  });
});

describe('a rotated refresh token the refresh could not store', () => {
  test('queueingRotatedToken: the outbox could not take it: still signed in, the refresh’s own error answered, and the outbox not told INTENTS_QUEUED', async () => {
    const { actor, at } = start({ load: async () => session, refresh: () => Promise.reject({ name: 'StorageError', message: 'quota', rotatedTokenRef: 'secret#1' }), queueRotated: () => fail('StorageError') });
    await at({ signedIn: 'active' });
    const told: string[] = [];
    actor.system.inspect((e) => void (e.type === '@xstate.event' && e.event.type === 'INTENTS_QUEUED' && told.push(e.event.type)));
    const answers: unknown[] = [];
    actor.on('answered', (e) => void answers.push(e.answer));
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 });
    await waitFor(actor, (s) => s.matches({ signedIn: { refreshing: 'queueingRotatedToken' } }), { timeout: 5000 });
    await at({ signedIn: 'active' });
    expect(answers).toEqual([{ kind: 'refused', error: { name: 'StorageError', message: 'quota' } }]);
    expect(told).toEqual([]);
  });
});

describe('confirmingClear: the clear of an ended session failed, and the store, read back, decides', () => {
  /** Signed in, a refresh refused for good, its clear failing: the engine reads the store back with `confirm`. */
  async function endedWithFailedClear(confirm: () => Promise<StoreAfterClear>, signedInWith: SessionSummary['signedInWith'] = 'password') {
    const read = gate<StoreAfterClear>();
    const r = start({ load: async () => ({ ...session, signedInWith, expiresAt: 0 }), refresh: () => fail('NotAuthorizedException'), clearSession: () => fail('StorageError'), confirmClear: () => read.promise });
    await waitFor(r.actor, (s) => s.matches({ signedIn: 'active' }), { timeout: 5000 });
    r.actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: Date.now() });
    await waitFor(r.actor, (s) => s.matches('confirmingClear'), { timeout: 5000 });
    return { ...r, settle: () => confirm().then(read.resolve, read.reject) };
  }
  const answerTo = (emitted: AnyEventObject[], id: number) => emitted.find((e) => e.type === 'answered' && e.id === id)?.answer;

  test('still stored: revokedButStored, the clear’s error reported, a signOut() that joined hears failed (tokens revoked)', async () => {
    const { actor, emitted, settle } = await endedWithFailedClear(async () => 'stored');
    actor.send({ type: 'SIGN_OUT', id: 2, global: false });
    await settle();
    await waitFor(actor, (s) => s.matches('revokedButStored'), { timeout: 5000 });
    expect(answerTo(emitted, 2)).toEqual({ kind: 'signOut', outcome: { type: 'failed', error: { name: 'StorageError', message: 'StorageError' }, tokensRevoked: true } });
    expect(emitted).toContainEqual({ type: 'storageError', error: { name: 'StorageError', message: 'StorageError' } });
  });

  test('the read-back fails: revokedButStored', async () => {
    const { actor, settle } = await endedWithFailedClear(() => fail('StorageError'));
    await settle();
    await waitFor(actor, (s) => s.matches('revokedButStored'), { timeout: 5000 });
  });

  test('gone after all, a hosted-UI session whose signOut() joined with /logout to visit: recordingHostedUiSignOut', async () => {
    const { actor, settle } = await endedWithFailedClear(async () => 'removed', 'hostedUi');
    actor.send({ type: 'SIGN_OUT', id: 2, global: false, hostedUi: { logoutUrl: 'https://auth.example.com/logout', returnTo: 'app://out' } });
    const visited: string[] = [];
    actor.subscribe((s) => void visited.push(JSON.stringify(s.value)));
    await settle();
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    expect(visited).toContain('"recordingHostedUiSignOut"');
  });

  test('gone after all, a hosted-UI session whose signOut() joined with no oauth: partial, HostedUiNotConfigured', async () => {
    const { actor, emitted, settle } = await endedWithFailedClear(async () => 'gone', 'hostedUi');
    actor.send({ type: 'SIGN_OUT', id: 2, global: false });
    await settle();
    await waitFor(actor, () => answerTo(emitted, 2) !== undefined, { timeout: 5000 });
    expect(answerTo(emitted, 2)).toMatchObject({ kind: 'signOut', outcome: { type: 'partial', hostedUiError: { name: 'HostedUiNotConfigured' } } });
    expect(actor.getSnapshot().value).toBe('signedOut');
  });
});

describe('a stored session a sign-out holds: loadSession says how, the chart decides', () => {
  const queued: StoredSession = { session, heldByOutbox: 'queued' };
  test('clearingQueuedSession: its clear fails: signedOut, storageError says why (never restored)', async () => {
    const { actor, emitted } = start({ load: async () => queued, clearSession: () => fail('StorageError') });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    expect(emitted).toContainEqual({ type: 'storageError', error: { name: 'StorageError', message: 'StorageError' } });
    expect(actor.getSnapshot().context.session).toBeNull();
  });

  test('checkingStore finds a queued session (another instance’s sign-out did not end): cleared, and the signOut() is complete', async () => {
    let loads = 0;
    const { actor, emitted } = start({ load: async () => (loads++ === 0 ? null : queued) });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    const visited: string[] = [];
    actor.subscribe((s) => void visited.push(JSON.stringify(s.value)));
    actor.send({ type: 'SIGN_OUT', id: 1, global: false });
    await waitFor(actor, () => emitted.some((e) => e.type === 'answered' && e.id === 1), { timeout: 5000 });
    expect(visited).toContain('"clearingQueuedSession"');
    expect(emitted.find((e) => e.type === 'answered' && e.id === 1)?.answer).toEqual({ kind: 'signOut', outcome: { type: 'complete' } });
  });

  test('checkingStore finds a revoked session: endingSession clears it', async () => {
    let loads = 0;
    const { actor, emitted } = start({ load: async () => (loads++ === 0 ? null : { session, heldByOutbox: 'revoked' }) });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    const visited: string[] = [];
    actor.subscribe((s) => void visited.push(JSON.stringify(s.value)));
    actor.send({ type: 'SIGN_OUT', id: 1, global: false });
    await waitFor(actor, () => emitted.some((e) => e.type === 'answered' && e.id === 1), { timeout: 5000 });
    expect(visited).toContain('"endingSession"');
  });

  test('adoptingSession: the session another tab points at is queued for a sign-out: cleared, never adopted', async () => {
    let loads = 0;
    const { actor } = start({ load: async () => (loads++ === 0 ? null : queued) });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
    const visited: string[] = [];
    actor.subscribe((s) => void visited.push(JSON.stringify(s.value)));
    actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
    await waitFor(actor, () => visited.includes('"clearingQueuedSession"'), { timeout: 5000 });
    await waitFor(actor, (s) => s.matches('signedOut'), { timeout: 5000 });
  });
});
