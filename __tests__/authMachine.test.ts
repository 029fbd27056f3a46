// Unit tests of the auth statechart's transitions on their own: every actor is an in-process fake.
import { createActor, fromPromise, waitFor, type AnyEventObject } from 'xstate';
import { authMachine, type ChallengeName, type SignInStepOutput } from '../machines/authMachine';
import type { SessionSummary, SignOutOutcome } from '../machines/types';
import { signOutMachine } from '../machines/signOutMachine';

const session: SessionSummary = { username: 'alice', revocable: true, expiresAt: 1 };
const challenge = (name: ChallengeName): SignInStepOutput => ({ kind: 'challenge', challenge: { name, username: 'alice', sessionRef: 'secret#9' } });
const signedIn: SignInStepOutput = { kind: 'signedIn', session };
const fail = (name: string) => Promise.reject({ name, message: name });

interface Fakes {
  load?: () => Promise<SessionSummary | null>;
  signIn?: () => Promise<SignInStepOutput>;
  answer?: () => Promise<SignInStepOutput>;
  refresh?: (signal: AbortSignal) => Promise<SessionSummary>;
  signOut?: () => Promise<SignOutOutcome>;
}

function start(fakes: Fakes = {}) {
  const machine = authMachine.provide({
    actors: {
      loadSession: fromPromise(() => (fakes.load ?? (() => Promise.resolve(null)))()),
      signIn: fromPromise(() => (fakes.signIn ?? (() => Promise.resolve(signedIn)))()),
      answerChallenge: fromPromise(() => (fakes.answer ?? (() => Promise.resolve(signedIn)))()),
      refreshTokens: fromPromise(({ signal }) => (fakes.refresh ?? (() => Promise.resolve(session)))(signal)),
      clearSession: fromPromise(() => Promise.resolve()),
      signOut: signOutMachine.provide({
        actors: {
          revokeToken: fromPromise(() => Promise.resolve()),
          globalSignOut: fromPromise(() => Promise.resolve()),
          clearTokens: fromPromise(() => (fakes.signOut ? fakes.signOut().then(() => undefined) : Promise.resolve())),
        },
      }),
    },
  });
  const actor = createActor(machine, { input: { networkTimeoutMs: 1000 } });
  const emitted: AnyEventObject[] = [];
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const settle = (predicate: (value: unknown) => boolean) => waitFor(actor, (snapshot) => predicate(snapshot.value));
  return { actor, emitted, settle };
}
const is = (state: unknown) => (value: unknown) => JSON.stringify(value) === JSON.stringify(state);
const signIn = { type: 'SIGN_IN', username: 'alice', authFlow: 'USER_SRP_AUTH', credential: 'secret#1' } as const;
const confirm = { type: 'CONFIRM_SIGN_IN', credential: 'secret#2', userAttributes: {} } as const;

test.each([
  ['a stored session', () => Promise.resolve(session), { signedIn: 'active' }],
  ['nothing stored', () => Promise.resolve(null), 'signedOut'],
  ['unreadable storage', () => fail('StorageError'), 'signedOut'],
])('starts from %s in the right state', async (_, load, state) => {
  const { settle } = start({ load: load as Fakes['load'] });
  await settle(is(state));
});

test.each([
  ['NEW_PASSWORD_REQUIRED', 'awaitingNewPassword'],
  ['SOFTWARE_TOKEN_MFA', 'awaitingTotpCode'],
  ['SMS_MFA', 'awaitingSmsCode'],
] as const)('%s waits in %s, then a right answer signs in', async (name, state) => {
  const { actor, emitted, settle } = start({ signIn: () => Promise.resolve(challenge(name)) });
  await settle(is('signedOut'));
  actor.send(signIn);
  await settle(is(state));
  expect(actor.getSnapshot().context.challenge).toMatchObject({ name });
  actor.send(confirm);
  await settle(is({ signedIn: 'active' }));
  expect(actor.getSnapshot().context.challenge).toBeNull();
  expect(emitted.map((e) => e.type)).toEqual(['challengeRequired', 'signedIn']);
});

test('a wrong code returns to the same challenge; another failure ends the sign-in', async () => {
  let answers = [() => fail('CodeMismatchException'), () => fail('NotAuthorizedException')];
  const { actor, emitted, settle } = start({ signIn: () => Promise.resolve(challenge('SMS_MFA')), answer: () => answers.shift()!() });
  await settle(is('signedOut'));
  actor.send(signIn);
  await settle(is('awaitingSmsCode'));
  actor.send(confirm);
  await settle((value) => value === 'awaitingSmsCode' && emitted.length === 2);
  expect(emitted[1]).toEqual({ type: 'challengeAnswerRejected', error: { name: 'CodeMismatchException', message: 'CodeMismatchException' } });
  actor.send(confirm);
  await settle(is('signedOut'));
  expect(actor.getSnapshot().context.lastSignInError).toMatchObject({ name: 'NotAuthorizedException' });
  answers = [];
});

test('SIGN_OUT during a challenge abandons the sign-in', async () => {
  const { actor, settle } = start({ signIn: () => Promise.resolve(challenge('SOFTWARE_TOKEN_MFA')) });
  await settle(is('signedOut'));
  actor.send(signIn);
  await settle(is('awaitingTotpCode'));
  actor.send({ type: 'SIGN_OUT', global: false });
  await settle(is('signedOut'));
  expect(actor.getSnapshot().context.challenge).toBeNull();
});

describe('refresh', () => {
  test('success: back to active with the new summary, tokenRefreshed announced', async () => {
    const fresh = { ...session, expiresAt: 99 };
    const { actor, emitted, settle } = start({ load: () => Promise.resolve(session), refresh: () => Promise.resolve(fresh) });
    await settle(is({ signedIn: 'active' }));
    actor.send({ type: 'REFRESH' });
    expect(actor.getSnapshot().value).toEqual({ signedIn: 'refreshing' });
    await settle((value) => is({ signedIn: 'active' })(value) && emitted.length === 1);
    expect(actor.getSnapshot().context.session).toEqual(fresh);
    expect(emitted).toEqual([{ type: 'tokenRefreshed', username: 'alice' }]);
  });

  test('refused (NotAuthorizedException): endingSession, then signedOut; tokenRefreshFailed and sessionEnded', async () => {
    const { actor, emitted, settle } = start({ load: () => Promise.resolve(session), refresh: () => fail('NotAuthorizedException') });
    await settle(is({ signedIn: 'active' }));
    actor.send({ type: 'REFRESH' });
    await settle(is('signedOut'));
    expect(emitted.map((e) => e.type)).toEqual(['tokenRefreshFailed', 'sessionEnded']);
    expect(actor.getSnapshot().context.session).toBeNull();
  });

  test('offline (NetworkError): still signed in, tokenRefreshFailed only', async () => {
    const { actor, emitted, settle } = start({ load: () => Promise.resolve(session), refresh: () => fail('NetworkError') });
    await settle(is({ signedIn: 'active' }));
    actor.send({ type: 'REFRESH' });
    await settle((value) => is({ signedIn: 'active' })(value) && emitted.length === 1);
    expect(emitted).toEqual([{ type: 'tokenRefreshFailed', error: { name: 'NetworkError', message: 'NetworkError' } }]);
    expect(actor.getSnapshot().context.session).toEqual(session);
  });

  test('SIGN_OUT while refreshing aborts the refresh', async () => {
    let aborted = false;
    const { actor, settle } = start({
      load: () => Promise.resolve(session),
      refresh: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted'))))),
    });
    await settle(is({ signedIn: 'active' }));
    actor.send({ type: 'REFRESH' });
    actor.send({ type: 'SIGN_OUT', global: false });
    expect(aborted).toBe(true);
    await settle(is('signedOut'));
  });
});

test('a failed sign-out (store not cleared) returns to signedIn', async () => {
  const { actor, emitted, settle } = start({ load: () => Promise.resolve(session), signOut: () => fail('StorageError') });
  await settle(is({ signedIn: 'active' }));
  actor.send({ type: 'SIGN_OUT', global: false });
  await settle((value) => is({ signedIn: 'active' })(value) && emitted.length === 1);
  expect(emitted[0]).toMatchObject({ type: 'signOutFailed', outcome: { type: 'failed' } });
});
