// Unit tests of the auth statechart's transitions on their own: every actor is an in-process fake.
import { createActor, fromCallback, fromPromise, SimulatedClock, waitFor, type AnyEventObject } from 'xstate';
import { authMachine, type CallAnswer, type ChallengeName, type SignInStepOutput, type StoredSession } from '../machines/authMachine';
import type { SessionSummary } from '../machines/types';
import { signOutMachine, type IntentSource, type RecordedIntent, type SettleInput, type StoreAfterClear } from '../machines/signOutMachine';
import { outboxMachine, type PickedIntent } from '../machines/outboxMachine';
import { REFUSALS } from '../machines/refusals';

const session: SessionSummary = { username: 'alice', revocable: true, expiresAt: 1, signedInWith: 'password' };
const challenge = (name: ChallengeName): SignInStepOutput => ({ kind: 'challenge', challenge: { name, username: 'alice', sessionRef: 'secret#9' } });
const signedIn: SignInStepOutput = { kind: 'signedIn', session };
/** What a refresh returns by default: a session far from expiring. */
const refreshed: SessionSummary = { ...session, expiresAt: 10_000_000 };
const fail = (name: string) => Promise.reject({ name, message: name });

interface Fakes {
  load?: () => Promise<SessionSummary | null>;
  /** What loadSession reads, whole (a stored challenge, say); takes the place of `load`. */
  loaded?: () => Promise<StoredSession | null>;
  signIn?: () => Promise<SignInStepOutput>;
  answer?: () => Promise<SignInStepOutput>;
  refresh?: (signal: AbortSignal) => Promise<SessionSummary>;
  /** RevokeToken of the sign-out child. */
  revoke?: () => Promise<void>;
  /** The sign-out child's clearTokens. */
  clear?: () => Promise<void>;
  /** The clear of an ended (or revoked) session. */
  clearSession?: () => Promise<void>;
  /** The outbox's pick (the drain a sign-in asks for first). */
  pick?: () => Promise<PickedIntent>;
}

function start(fakes: Fakes = {}, clock?: SimulatedClock) {
  const signOut = signOutMachine.provide({
    actors: {
      recordIntent: fromPromise<RecordedIntent, { source: IntentSource; global: boolean }>(async () => ({ intentId: 'i1', revocable: true, scope: 'admin' })),
      revokeToken: fromPromise<void, { intentId: string }>(() => (fakes.revoke ?? (() => Promise.resolve()))()),
      globalSignOut: fromPromise<void, { intentId: string }>(() => Promise.resolve()),
      clearTokens: fromPromise<void>(() => (fakes.clear ?? (() => Promise.resolve()))()),
      settleIntent: fromPromise<{ queued: boolean }, SettleInput>(async () => ({ queued: false })),
    },
  });
  const machine = authMachine.provide({
    actors: {
      loadSession: fromPromise(async (): Promise<StoredSession | null> => { if (fakes.loaded) return fakes.loaded(); const session = await (fakes.load ?? (() => Promise.resolve(null)))(); return session && { session, heldByOutbox: null }; }),
      signIn: fromPromise(() => (fakes.signIn ?? (() => Promise.resolve(signedIn)))()),
      answerChallenge: fromPromise(() => (fakes.answer ?? (() => Promise.resolve(signedIn)))()),
      refreshTokens: fromPromise(({ signal }) => (fakes.refresh ?? (() => Promise.resolve(refreshed)))(signal)),
      clearSession: fromPromise(() => (fakes.clearSession ?? (() => Promise.resolve()))()),
      confirmClear: fromPromise(async (): Promise<StoreAfterClear> => 'stored'), // a clear that failed left the session stored
      signOut,
      outbox: outboxMachine.provide({
        actors: {
          pickIntent: fromPromise<PickedIntent, { everyEntry: boolean; tried: readonly string[]; take: boolean }>(() => (fakes.pick ?? (async () => ({ intent: null, pending: 0 })))()),
          watchBackoff: fromCallback(() => {}),
          signOut,
        },
      }),
    },
  });
  const actor = createActor(machine, { input: { networkTimeoutMs: 1000, storageTimeoutMs: 1000, refreshSkewMs: 60_000, queueing: true }, ...(clock && { clock }) });
  const emitted: AnyEventObject[] = [];
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const settle = (predicate: (value: unknown) => boolean) => waitFor(actor, (snapshot) => predicate(snapshot.value));
  /** The announcements, without the per-call answers. */
  const announced = () => emitted.filter((e) => e.type !== 'answered');
  const answersTo = (id: number) => emitted.filter((e) => e.type === 'answered' && e.id === id).map((e) => e.answer as CallAnswer);
  /** Exactly one answer for `id`: returns it. */
  const answerOf = (id: number) => {
    const answers = answersTo(id);
    expect(answers).toHaveLength(1);
    return answers[0]!;
  };
  /** Waits for `id`'s answer. */
  const answered = async (id: number) => {
    for (let i = 0; i < 200 && answersTo(id).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
    return answerOf(id);
  };
  return { actor, emitted, settle, announced, answerOf, answered, answersTo };
}
const is = (state: unknown) => (value: unknown) => JSON.stringify(value) === JSON.stringify(state);
const signIn = (id: number) => ({ type: 'SIGN_IN', id, username: 'alice', authFlow: 'USER_SRP_AUTH', credential: 'secret#1' }) as const;
const confirm = (id: number) => ({ type: 'CONFIRM_SIGN_IN', id, credential: 'secret#2', userAttributes: {} }) as const;
/** A getSession() at a time past the session's expiry (expiresAt: 1): it refreshes. */
const getSession = (id: number, at = Date.now()) => ({ type: 'GET_SESSION', id, forceRefresh: false, at }) as const;
const signOutCall = (id: number, global = false) => ({ type: 'SIGN_OUT', id, global }) as const;
/** Lets pending answers out (the answers of deferred calls arrive on later ticks). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

test.each([
  ['a stored session', () => Promise.resolve(session), { signedIn: 'active' }],
  ['nothing stored', () => Promise.resolve(null), 'signedOut'],
  ['unreadable storage', () => fail('StorageError'), 'signedOut'],
])('starts from %s in the right state', async (_, load, state) => {
  const { settle } = start({ load: load as Fakes['load'] });
  await settle(is(state));
});

test('a call made while the session loads waits for it, then gets one answer', async () => {
  const { actor, settle, answered } = start({ load: () => Promise.resolve(refreshed) });
  actor.send(getSession(1, 0));
  await settle(is({ signedIn: 'active' }));
  expect(await answered(1)).toEqual({ kind: 'session', username: 'alice', expiresAt: 10_000_000 });
});

test.each(['NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA', 'SMS_MFA'] as const)('%s waits in awaitingChallengeAnswer, then a right answer signs in', async (name) => {
  const { actor, announced, settle, answerOf } = start({ signIn: () => Promise.resolve(challenge(name)) });
  await settle(is('signedOut'));
  actor.send(signIn(1));
  await settle(is('awaitingChallengeAnswer'));
  expect(actor.getSnapshot().context.challenge).toMatchObject({ name });
  expect(answerOf(1)).toMatchObject({ kind: 'challenge', challenge: { name } });
  actor.send(confirm(2));
  await settle(is({ signedIn: 'active' }));
  expect(actor.getSnapshot().context.challenge).toBeNull();
  expect(announced().map((e) => e.type)).toEqual(['challengeRequired', 'signedIn']);
  expect(answerOf(2)).toEqual({ kind: 'signedIn' });
  expect(answerOf(1)).toMatchObject({ kind: 'challenge' }); // still exactly one
});

test('a wrong code returns to the same challenge; another failure ends the sign-in', async () => {
  let answers = [() => fail('CodeMismatchException'), () => fail('NotAuthorizedException')];
  const { actor, announced, settle, answerOf } = start({ signIn: () => Promise.resolve(challenge('SMS_MFA')), answer: () => answers.shift()!() });
  await settle(is('signedOut'));
  actor.send(signIn(1));
  await settle(is('awaitingChallengeAnswer'));
  actor.send(confirm(2));
  await settle((value) => value === 'awaitingChallengeAnswer' && announced().length === 2);
  expect(announced()[1]).toEqual({ type: 'challengeAnswerRejected', error: { name: 'CodeMismatchException', message: 'CodeMismatchException' } });
  expect(answerOf(2)).toEqual({ kind: 'refused', error: { name: 'CodeMismatchException', message: 'CodeMismatchException' } });
  actor.send(confirm(3));
  await settle(is('signedOut'));
  expect(actor.getSnapshot().context.lastSignInError).toMatchObject({ name: 'NotAuthorizedException' });
  expect(answerOf(3)).toEqual({ kind: 'refused', error: { name: 'NotAuthorizedException', message: 'NotAuthorizedException' } });
  expect(answerOf(1)).toMatchObject({ kind: 'challenge' });
  answers = [];
});

describe('durableChallenges: a challenge another instance stored', () => {
  const stored = (deadline: number): StoredSession | null => ({ challenge: { name: 'SOFTWARE_TOKEN_MFA', username: 'alice', sessionRef: 'secret#7', deadline } });

  test('loaded with no session: awaitingChallengeAnswer with it (isChallengeStored); an answer before the deadline is sent', async () => {
    const { actor, settle, answerOf } = start({ loaded: () => Promise.resolve(stored(5000)) });
    actor.send({ ...confirm(1), at: 4999 }); // made while loading: deferred, then answered there
    await settle(is({ signedIn: 'active' }));
    expect(answerOf(1)).toEqual({ kind: 'signedIn' });
  });

  test('an answer at or past the deadline is refused with SignInSessionExpired, nothing sent, the challenge dropped', async () => {
    let sent = 0;
    const { actor, settle, answerOf, announced } = start({ loaded: () => Promise.resolve(stored(5000)), answer: () => (sent++, Promise.resolve(signedIn)) });
    await settle(is('awaitingChallengeAnswer'));
    expect(actor.getSnapshot().context.challenge).toMatchObject({ name: 'SOFTWARE_TOKEN_MFA', deadline: 5000 });
    actor.send({ ...confirm(1), at: 5000 });
    await settle(is('signedOut'));
    expect(answerOf(1)).toEqual({ kind: 'refused', error: REFUSALS.signInSessionExpired });
    expect(sent).toBe(0);
    expect(actor.getSnapshot().context.challenge).toBeNull();
    expect(announced()).toEqual([{ type: 'challengeCancelled', challenge: expect.objectContaining({ sessionRef: 'secret#7' }) }]);
  });

  test('without `at` (a bare machine of its own) the deadline is not checked here: Cognito decides', async () => {
    const { actor, settle, answerOf } = start({ loaded: () => Promise.resolve(stored(0)) });
    await settle(is('awaitingChallengeAnswer'));
    actor.send(confirm(1));
    await settle(is({ signedIn: 'active' }));
    expect(answerOf(1)).toEqual({ kind: 'signedIn' });
  });

  test('a failure for good drops the challenge (challengeCancelled); a wrong code keeps it', async () => {
    const answers = [() => fail('CodeMismatchException'), () => fail('NotAuthorizedException')];
    const { actor, settle, announced } = start({ loaded: () => Promise.resolve(stored(Number.MAX_SAFE_INTEGER)), answer: () => answers.shift()!() });
    await settle(is('awaitingChallengeAnswer'));
    actor.send({ ...confirm(1), at: 1 });
    await settle((value) => value === 'awaitingChallengeAnswer' && announced().length === 1);
    expect(announced().map((e) => e.type)).toEqual(['challengeAnswerRejected']);
    actor.send({ ...confirm(2), at: 2 });
    await settle(is('signedOut'));
    expect(announced().map((e) => e.type)).toEqual(['challengeAnswerRejected', 'signInFailed', 'challengeCancelled']);
  });
});

test('SIGN_OUT during a challenge abandons the sign-in', async () => {
  const { actor, settle, answerOf } = start({ signIn: () => Promise.resolve(challenge('SOFTWARE_TOKEN_MFA')) });
  await settle(is('signedOut'));
  actor.send(signIn(1));
  await settle(is('awaitingChallengeAnswer'));
  actor.send(signOutCall(2));
  await settle(is('signedOut'));
  expect(actor.getSnapshot().context.challenge).toBeNull();
  expect(answerOf(2)).toEqual({ kind: 'signOut', outcome: { type: 'complete' } });
});

test('calls a state cannot run are refused with a typed error, once each', async () => {
  const { actor, settle, answerOf } = start({ load: () => Promise.resolve(session) });
  await settle(is({ signedIn: 'active' }));
  actor.send(signIn(1));
  actor.send(confirm(2));
  expect(answerOf(1)).toEqual({ kind: 'refused', error: REFUSALS.alreadyAuthenticated });
  expect(answerOf(2)).toEqual({ kind: 'refused', error: REFUSALS.noPendingChallenge });
});

describe('refresh (GET_SESSION past expiresAt - refreshSkewMs)', () => {
  test('a session not yet expiring is answered without a refresh', async () => {
    const { actor, settle, answerOf } = start({ load: () => Promise.resolve({ ...session, expiresAt: 10_000_000 }) });
    await settle(is({ signedIn: 'active' }));
    actor.send(getSession(1, 10_000_000 - 60_001));
    expect(actor.getSnapshot().value).toEqual({ signedIn: 'active' });
    expect(answerOf(1)).toEqual({ kind: 'session', username: 'alice', expiresAt: 10_000_000 });
    actor.send({ type: 'GET_SESSION', id: 2, forceRefresh: true, at: 0 });
    expect(actor.getSnapshot().matches({ signedIn: 'refreshing' })).toBe(true);
  });

  test('success: back to active with the new summary, tokenRefreshed announced; joined calls share it', async () => {
    const fresh = { ...session, expiresAt: 10_000_000 };
    const { actor, announced, settle, answered } = start({ load: () => Promise.resolve(session), refresh: () => Promise.resolve(fresh) });
    await settle(is({ signedIn: 'active' }));
    actor.send(getSession(1));
    expect(actor.getSnapshot().matches({ signedIn: 'refreshing' })).toBe(true);
    actor.send(getSession(2));
    await settle((value) => is({ signedIn: 'active' })(value) && announced().length === 1);
    expect(actor.getSnapshot().context.session).toEqual(fresh);
    expect(announced()).toEqual([{ type: 'tokenRefreshed', username: 'alice' }]);
    const expected = { kind: 'session', username: 'alice', expiresAt: 10_000_000 };
    expect(await answered(1)).toEqual(expected);
    expect(await answered(2)).toEqual(expected);
  });

  test('refused (NotAuthorizedException): endingSession, then signedOut; tokenRefreshFailed and sessionEnded', async () => {
    const { actor, announced, settle, answered } = start({ load: () => Promise.resolve(session), refresh: () => fail('NotAuthorizedException') });
    await settle(is({ signedIn: 'active' }));
    actor.send(getSession(1));
    await settle(is('signedOut'));
    expect(announced().map((e) => e.type)).toEqual(['tokenRefreshFailed', 'sessionEnded']);
    expect(actor.getSnapshot().context.session).toBeNull();
    expect(await answered(1)).toEqual({ kind: 'noSession' });
  });

  test('offline (NetworkError): still signed in, tokenRefreshFailed only', async () => {
    const { actor, announced, settle, answered } = start({ load: () => Promise.resolve(session), refresh: () => fail('NetworkError') });
    await settle(is({ signedIn: 'active' }));
    actor.send(getSession(1));
    await settle((value) => is({ signedIn: 'active' })(value) && announced().length === 1);
    expect(announced()).toEqual([{ type: 'tokenRefreshFailed', error: { name: 'NetworkError', message: 'NetworkError' } }]);
    expect(actor.getSnapshot().context.session).toEqual(session);
    expect(await answered(1)).toEqual({ kind: 'refused', error: { name: 'NetworkError', message: 'NetworkError' } });
  });

  test('SIGN_OUT while refreshing aborts the refresh', async () => {
    let aborted = false;
    const { actor, settle, answered } = start({
      load: () => Promise.resolve(session),
      refresh: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted'))))),
    });
    await settle(is({ signedIn: 'active' }));
    actor.send(getSession(1));
    actor.send(signOutCall(2));
    expect(aborted).toBe(true);
    await settle(is('signedOut'));
    expect(await answered(2)).toEqual({ kind: 'signOut', outcome: { type: 'complete', intentId: 'i1' } });
    expect(await answered(1)).toEqual({ kind: 'noSession' });
  });
});

describe('sign-out', () => {
  test('success: signedOut, signedOut announced; a second SIGN_OUT joins the running one', async () => {
    const { actor, announced, settle, answered } = start({ load: () => Promise.resolve(session) });
    await settle(is({ signedIn: 'active' }));
    actor.send(signOutCall(1));
    actor.send(signOutCall(2));
    await settle(is('signedOut'));
    const outcome = { type: 'complete', intentId: 'i1' };
    expect(await answered(1)).toEqual({ kind: 'signOut', outcome });
    expect(await answered(2)).toEqual({ kind: 'signOut', outcome });
    expect(announced()).toEqual([{ type: 'signedOut', outcome }]);
  });

  test('a failed clear with the tokens not revoked returns to signedIn', async () => {
    const { actor, announced, settle, answered } = start({
      load: () => Promise.resolve(session),
      revoke: () => fail('NetworkError'),
      clear: () => fail('StorageError'),
    });
    await settle(is({ signedIn: 'active' }));
    actor.send(signOutCall(1));
    await settle((value) => is({ signedIn: 'active' })(value) && announced().length === 1);
    expect(announced()[0]).toMatchObject({ type: 'signOutFailed', outcome: { type: 'failed', tokensRevoked: false } });
    expect(await answered(1)).toMatchObject({ kind: 'signOut', outcome: { type: 'failed', error: { name: 'StorageError' } } });
  });

  test('a failed clear after a successful revoke lands in revokedButStored; signOut() retries the clear', async () => {
    let clears = 0;
    const { actor, announced, settle, answered, answerOf } = start({
      load: () => Promise.resolve(session),
      clear: () => fail('StorageError'),
      clearSession: () => (++clears === 1 ? fail('StorageError') : Promise.resolve()),
    });
    await settle(is({ signedIn: 'active' }));
    actor.send(signOutCall(1));
    await settle(is('revokedButStored'));
    expect(announced()[0]).toMatchObject({ type: 'signOutFailed', outcome: { type: 'failed', tokensRevoked: true } });
    expect(await answered(1)).toMatchObject({ kind: 'signOut', outcome: { type: 'failed', tokensRevoked: true } });

    // The tokens are dead: they are not handed out, and signing in waits for the clear.
    actor.send(getSession(2));
    actor.send(signIn(3));
    expect(answerOf(2)).toEqual({ kind: 'refused', error: REFUSALS.revokedSessionNotCleared });
    expect(answerOf(3)).toEqual({ kind: 'refused', error: REFUSALS.revokedSessionNotCleared });

    // The first retry of the clear fails again: still revokedButStored.
    actor.send(signOutCall(4));
    await settle(is('revokedButStored'));
    expect(await answered(4)).toMatchObject({ kind: 'signOut', outcome: { type: 'failed', tokensRevoked: true } });

    actor.send(signOutCall(5));
    await settle(is('signedOut'));
    expect(await answered(5)).toEqual({ kind: 'signOut', outcome: { type: 'complete' } });
    await tick();
    for (const id of [1, 2, 3, 4, 5]) answerOf(id);
  });

  test('SIGN_OUT when signed out checks the store: complete once it is seen empty, no flow run', async () => {
    const { actor, settle, answered } = start();
    await settle(is('signedOut'));
    actor.send(signOutCall(1, true));
    expect(actor.getSnapshot().value).toBe('checkingStore');
    await expect(answered(1)).resolves.toEqual({ kind: 'signOut', outcome: { type: 'complete' } });
    expect(actor.getSnapshot().value).toBe('signedOut');
  });

  test('SIGN_OUT when signed out, but another instance stored a session: that session is signed out', async () => {
    let stored: SessionSummary | null = null;
    const { actor, settle, answered } = start({ load: () => Promise.resolve(stored) });
    await settle(is('signedOut'));
    stored = session;
    actor.send(signOutCall(1, false));
    await expect(answered(1)).resolves.toEqual({ kind: 'signOut', outcome: { type: 'complete', intentId: 'i1' } });
    expect(actor.getSnapshot().value).toBe('signedOut');
  });
});

test('FLUSH_REVOCATIONS is answered by the outbox child, through the auth machine', async () => {
  const { actor, settle, answered } = start();
  actor.send({ type: 'FLUSH_REVOCATIONS', id: 7 });
  await settle(is('signedOut'));
  expect(await answered(7)).toEqual({ kind: 'flush', report: { revoked: 0, dropped: 0, pending: 0 } });
  await tick();
  expect(await answered(7)).toBeDefined(); // still one answer
});

describe('deadlines: a state that waits on I/O gives up at its bound, and every waiting call is answered', () => {
  const never = <T>() => new Promise<T>(() => {});
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

  test('loadingSession: storage silent past 3 × storageTimeoutMs → signedOut, storageError, deferred calls answered', async () => {
    const clock = new SimulatedClock();
    const { actor, answered, announced } = start({ load: never }, clock);
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: false, at: 0 });
    clock.increment(2999);
    expect(actor.getSnapshot().value).toBe('loadingSession');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('signedOut');
    expect(announced().map((e) => e.type)).toEqual(['storageError']);
    await expect(answered(1)).resolves.toEqual({ kind: 'noSession' });
  });

  test('signingIn: no answer within N + 3S → signedOut, the caller refused with TimeoutError', async () => {
    const clock = new SimulatedClock();
    const { actor, settle, answered } = start({ signIn: never }, clock);
    await settle(is('signedOut'));
    actor.send(signIn(1));
    await settle(is('signingIn')); // the outbox had no global intent to send first
    clock.increment(3999);
    expect(actor.getSnapshot().value).toBe('signingIn');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('signedOut');
    await expect(answered(1)).resolves.toMatchObject({ kind: 'refused', error: { name: 'TimeoutError' } });
  });

  test('finishingGlobalSignOut: the outbox\'s drain cannot read the outbox within its deadline → it cannot say what is queued: refused with GlobalSignOutPendingException', async () => {
    const clock = new SimulatedClock();
    const { actor, settle, answered } = start({ pick: never }, clock);
    await settle(is('signedOut'));
    actor.send(signIn(1));
    await flush();
    clock.increment(2999);
    expect(actor.getSnapshot().value).toBe('finishingGlobalSignOut');
    clock.increment(1); // the drain's deadline, N + 2S
    expect(actor.getSnapshot().value).toBe('signedOut');
    await expect(answered(1)).resolves.toMatchObject({ kind: 'refused', error: { name: 'GlobalSignOutPendingException' } });
  });

  test('signedIn.refreshing: no answer within N + 3S → active, tokens kept, every waiting getSession refused with TimeoutError', async () => {
    const clock = new SimulatedClock();
    let signal: AbortSignal | undefined;
    const { actor, settle, answered } = start({ load: () => Promise.resolve(session), refresh: (s) => ((signal = s), never()) }, clock);
    await settle(is({ signedIn: 'active' }));
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 });
    actor.send({ type: 'GET_SESSION', id: 2, forceRefresh: false, at: 0 });
    await flush();
    clock.increment(4000);
    expect(actor.getSnapshot().value).toEqual({ signedIn: 'active' });
    expect(actor.getSnapshot().context.session).toEqual(session);
    expect(signal?.aborted).toBe(true); // its tokens, if they ever come, are never stored
    await expect(answered(1)).resolves.toMatchObject({ kind: 'refused', error: { name: 'TimeoutError' } });
    await expect(answered(2)).resolves.toMatchObject({ kind: 'refused', error: { name: 'TimeoutError' } });
  });

  test('endingSession: the clear silent past 2 × storageTimeoutMs → read back, still stored → revokedButStored; a joined signOut() hears failed', async () => {
    const clock = new SimulatedClock();
    const { actor, settle, answered } = start({ load: () => Promise.resolve(session), refresh: () => fail('NotAuthorizedException'), clearSession: never }, clock);
    await settle(is({ signedIn: 'active' }));
    actor.send({ type: 'GET_SESSION', id: 1, forceRefresh: true, at: 0 });
    await settle(is('endingSession'));
    actor.send({ type: 'SIGN_OUT', id: 2, global: false });
    clock.increment(2000);
    await settle(is('revokedButStored'));
    await expect(answered(2)).resolves.toMatchObject({ kind: 'signOut', outcome: { type: 'failed', tokensRevoked: true, error: { name: 'StorageError' } } });
    await expect(answered(1)).resolves.toMatchObject({ kind: 'refused', error: { name: 'RevokedSessionNotCleared' } });
  });
});
