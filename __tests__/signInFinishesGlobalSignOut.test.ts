// KB6's last residual: a global sign-out whose GlobalSignOut got no answer is queued; a sign-in made
// before it is finished could be ended by that request landing late. A sign-in therefore first has
// the outbox send the queued global intents (finishingGlobalSignOut): all settled, it goes on; one
// still queued, it is refused with GlobalSignOutPendingException and InitiateAuth is never sent.
// Real HTTP to the emulator, which (like Cognito) authenticates a request when it acts on it, so a
// late GlobalSignOut presenting a token an earlier one already revoked is refused and ends nothing.
import { waitFor } from 'xstate';
import { createAuth, type Auth, type StorageLike } from '../src/index';
import { signInAtHostedUi, type CognitoEmulator, type SetupResult } from '../src/testing/index';
import { emulatorPerFile, inspectableStorage } from './support/harness';

let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

const THROTTLED = { type: 'error', name: 'TooManyRequestsException', message: 'Rate exceeded', status: 400 } as const;
/** Past the 150 ms deadline below: the request times out here, and the emulator still acts on it afterwards. */
const LATE = { type: 'latency', ms: 300 } as const;

/** An instance with a short network deadline, whose outbox only retries when asked. */
function start(pool: SetupResult, storage: StorageLike = inspectableStorage()): Auth {
  const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage, networkTimeoutMs: 150, revocationOutbox: { retryBaseMs: 600_000 } });
  auths.push(auth);
  return auth;
}

const operations = () => emu.requests.map((request) => request.operation);
const answered = (operation: string) => emu.requests.filter((request) => request.operation === operation).length;
const signIn = (auth: Auth, pool: SetupResult) => auth.signIn({ username: pool.username, password: pool.password, authFlow: 'USER_PASSWORD_AUTH' });

/** Waits until the emulator has answered `count` requests of `operation` (the late ones included). */
async function untilAnswered(operation: string, count: number): Promise<void> {
  while (answered(operation) < count) await new Promise((resolve) => setTimeout(resolve, 20));
}

test('a global sign-out that timed out: signIn() is refused until it is finished, then finishes it first, and the late request ends nothing', async () => {
  const pool = emu.setup();
  const auth = start(pool);
  await signIn(auth, pool);
  const old = (await auth.getSession()).tokens!;
  emu.faults.set('GlobalSignOut', LATE);
  await expect(auth.signOut({ global: true })).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox', globalSignOutError: { name: 'TimeoutError' } });
  emu.resetRequests();

  // Still no answer: refused, retryable, and no InitiateAuth is sent.
  const refused = (await signIn(auth, pool).then(() => new Error('resolved'), (error: unknown) => error)) as Error;
  expect(refused).toMatchObject({ name: 'GlobalSignOutPendingException' });
  expect(refused.message).toMatch(/flushRevocations\(\)/);
  expect(refused.message).not.toContain(pool.password);
  expect(operations()).not.toContain('InitiateAuth');
  expect(auth.actor.getSnapshot().value).toBe('signedOut');

  // Cognito answers again: the queued GlobalSignOut goes first, then the sign-in.
  emu.faults.clear();
  await untilAnswered('GlobalSignOut', 1); // the refused sign-in's own attempt, answered late
  emu.resetRequests();
  await expect(signIn(auth, pool)).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  // (RevokeToken too: the timed-out sign-out left it to the intent.)
  expect(operations()).toEqual(['GlobalSignOut', 'RevokeToken', 'InitiateAuth']);
  expect(emu.tokenRevoked(old.accessToken)).toBe(true);

  // The sign-out's own request, sent first and answered last: refused (its token is dead), it ends nothing.
  await waitFor(auth.actor, (snapshot) => snapshot.matches({ signedIn: 'active' }));
  const session = await auth.getSession({ forceRefresh: true });
  expect(emu.tokenRevoked(session.tokens!.accessToken)).toBe(false);
  expect(emu.tokenRevoked(session.tokens!.refreshToken!)).toBe(false);
  expect(await auth.flushRevocations()).toMatchObject({ pending: 0 });
});

test('nothing queued: signIn() sends no GlobalSignOut, InitiateAuth alone', async () => {
  const pool = emu.setup();
  const auth = start(pool);
  emu.resetRequests();
  await signIn(auth, pool);
  expect(operations()).toEqual(['InitiateAuth']);
});

test('a signOut() or getSession() while the sign-in finishes the queued global sign-out waits for the sign-in', async () => {
  const pool = emu.setup();
  const auth = start(pool);
  await signIn(auth, pool);
  emu.faults.set('GlobalSignOut', THROTTLED);
  await auth.signOut({ global: true });
  emu.faults.set('GlobalSignOut', { type: 'latency', ms: 50 }, { times: 1 });
  const signingIn = signIn(auth, pool);
  await waitFor(auth.actor, (snapshot) => snapshot.matches('finishingGlobalSignOut'));
  const [session, again] = await Promise.all([auth.getSession(), signIn(auth, pool).catch((error: Error) => error.name)]);
  await signingIn;
  expect(session).toMatchObject({ username: pool.username });
  expect(again).toBe('SignInInProgressException');
});

test('a retrySignOut() running when signIn() is called: the outbox finishes it, then the queued global sign-out, then the sign-in', async () => {
  const pool = emu.setup();
  const auth = start(pool);
  await signIn(auth, pool);
  emu.faults.set('RevokeToken', THROTTLED);
  const partial = await auth.signOut();
  expect(partial).toMatchObject({ type: 'partial' });
  await signIn(auth, pool);
  emu.faults.set('GlobalSignOut', THROTTLED);
  await expect(auth.signOut({ global: true })).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
  emu.faults.clear();
  emu.faults.set('RevokeToken', { type: 'latency', ms: 50 }, { times: 1 });
  emu.resetRequests();
  const retrying = auth.retrySignOut(partial);
  await waitFor(auth.actor.getSnapshot().children.outbox!, (snapshot) => snapshot.matches('retrying'));
  await expect(signIn(auth, pool)).resolves.toMatchObject({ isSignedIn: true });
  await expect(retrying).resolves.toMatchObject({ type: 'complete' });
  const sent = operations();
  expect(sent.indexOf('GlobalSignOut')).toBeLessThan(sent.indexOf('InitiateAuth'));
});

describe('two instances over one storage', () => {
  test('B signs in where A queued the global intent: B finishes it first, or is refused while Cognito does not answer', async () => {
    const pool = emu.setup();
    const storage = inspectableStorage();
    const a = start(pool, storage);
    await signIn(a, pool);
    const old = (await a.getSession()).tokens!;
    emu.faults.set('GlobalSignOut', THROTTLED);
    await expect(a.signOut({ global: true })).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
    const b = start(pool, storage);
    await waitFor(b.actor, (snapshot) => snapshot.matches('signedOut'));

    await expect(signIn(b, pool)).rejects.toMatchObject({ name: 'GlobalSignOutPendingException' });
    emu.faults.clear();
    emu.resetRequests();
    await signIn(b, pool);
    expect(operations()).toEqual(['GlobalSignOut', 'InitiateAuth']);
    expect(emu.tokenRevoked(old.accessToken)).toBe(true);
    const session = await b.getSession({ forceRefresh: true });
    expect(emu.tokenRevoked(session.tokens!.accessToken)).toBe(false);
    await expect(a.flushRevocations()).resolves.toMatchObject({ pending: 0 });
  });

  test('the late counterexample: B\'s GlobalSignOut timed out, B signs in again, the late request ends neither instance\'s session', async () => {
    const pool = emu.setup();
    const storage = inspectableStorage();
    const a = start(pool, storage);
    await signIn(a, pool);
    const b = start(pool, storage);
    await waitFor(b.actor, (snapshot) => snapshot.matches({ signedIn: 'active' }));
    emu.faults.set('GlobalSignOut', LATE);
    await expect(b.signOut({ global: true })).resolves.toMatchObject({ type: 'partial', globalSignOutError: { name: 'TimeoutError' } });
    await expect(signIn(b, pool)).rejects.toMatchObject({ name: 'GlobalSignOutPendingException' });
    emu.faults.clear();
    await signIn(b, pool);
    await untilAnswered('GlobalSignOut', 3); // the sign-out's, the refused sign-in's, and the one that landed
    const session = await b.getSession({ forceRefresh: true });
    expect(emu.tokenRevoked(session.tokens!.accessToken)).toBe(false);
  });
});

describe('signInWithRedirect() finishes it first too', () => {
  const CALLBACK = 'http://localhost:3000/callback';
  const OUT = 'http://localhost:3000/signed-out';

  test('refused while the GlobalSignOut goes unanswered (the hosted UI never opened); then sent before the hosted UI opens, and the sign-in ends signed in', async () => {
    const pool = emu.setup({ callbackUrls: [CALLBACK], logoutUrls: [OUT] });
    const opened: string[] = [];
    const opener = async (url: string) => {
      opened.push(operations().join());
      return { type: 'returned' as const, url: await signInAtHostedUi(url, pool) };
    };
    const auth = createAuth({
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.clientId,
      endpoint: emu.endpoint,
      storage: inspectableStorage(),
      // A deadline no busy CI machine reaches by itself (150 ms did, once, with Chromium tests beside it), and a fault well past it.
      networkTimeoutMs: 1000,
      revocationOutbox: { retryBaseMs: 600_000 },
      oauth: { domain: emu.endpoint, redirectSignIn: CALLBACK, redirectSignOut: OUT, opener },
    });
    auths.push(auth);
    await signIn(auth, pool);
    emu.faults.set('GlobalSignOut', { type: 'latency', ms: 2000 });
    await expect(auth.signOut({ global: true })).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox', globalSignOutError: { name: 'TimeoutError' } });

    await expect(auth.signInWithRedirect()).rejects.toMatchObject({ name: 'GlobalSignOutPendingException' });
    expect(opened).toEqual([]);
    expect(auth.actor.getSnapshot().value).toBe('signedOut');

    emu.faults.clear();
    await untilAnswered('GlobalSignOut', 2); // the sign-out's and the refused sign-in's, answered late
    emu.resetRequests();
    await expect(auth.signInWithRedirect()).resolves.toMatchObject({ isSignedIn: true });
    // GlobalSignOut (and the RevokeToken the timed-out sign-out left to the intent) answered before the hosted UI opened.
    expect(opened).toEqual(['GlobalSignOut,RevokeToken']);
    await expect(auth.getSession()).resolves.toMatchObject({ username: pool.username });
    expect(await auth.flushRevocations()).toMatchObject({ pending: 0 });
  });
});
