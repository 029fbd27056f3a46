// Refresh-token rotation on the client, over real HTTP to the emulator (whose app client rotates,
// with RetryGracePeriodSeconds): GetTokensFromRefreshToken, the new refresh token stored with the
// session, a rotated token that cannot be stored queued for revocation (never a superseded one
// alone), and a refresh that lost the race to another instance adopting that instance's session.
import { waitFor } from 'xstate';
import { createAuth, type Auth } from '../src/index';
import type { CognitoEmulator } from '../src/testing/index';
import { inspectableStorage, type InspectableStorage, emulatorPerFile } from './support/harness';

let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

function rotatingPool(grace = 0) {
  return emu.setup({ refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: grace } });
}
function start(pool: ReturnType<typeof rotatingPool>, storage: InspectableStorage, rotation = true) {
  const auth = createAuth({
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    endpoint: emu.endpoint,
    storage,
    refreshTokenRotation: rotation,
    revocationOutbox: { retryBaseMs: 600_000 },
  });
  auths.push(auth);
  return auth;
}
const stored = (auth: Auth) => auth.getSession().then((session) => session.tokens!);

/** Two instances over one storage (two processes, or tabs without the tab signals), the first signed in. */
async function twoInstancesSignedIn() {
  const pool = rotatingPool();
  const storage = inspectableStorage();
  const a = start(pool, storage);
  await a.signIn({ username: pool.username, password: pool.password });
  const b = start(pool, storage);
  await waitFor(b.actor, (s) => s.matches('signedIn'));
  return { pool, storage, a, b };
}

test('a refresh on a rotating client: GetTokensFromRefreshToken, and the new refresh token is stored with the session', async () => {
  const pool = rotatingPool();
  const auth = start(pool, inspectableStorage());
  await auth.signIn({ username: pool.username, password: pool.password });
  const before = await stored(auth);
  emu.resetRequests();
  const after = (await auth.getSession({ forceRefresh: true })).tokens!;
  expect(emu.requests.map((r) => r.operation)).toEqual(['GetTokensFromRefreshToken']);
  expect(after.refreshToken).not.toBe(before.refreshToken);
  await expect(stored(auth)).resolves.toEqual(after);
  // The old one is retired (grace 0): a second refresh uses the stored, newer one and works.
  await expect(auth.getSession({ forceRefresh: true })).resolves.toMatchObject({ username: pool.username });
});

test('without refreshTokenRotation on a rotating client, Cognito refuses REFRESH_TOKEN_AUTH: the session is kept and the error says why', async () => {
  const pool = rotatingPool();
  const auth = start(pool, inspectableStorage(), false);
  await auth.signIn({ username: pool.username, password: pool.password });
  await expect(auth.getSession({ forceRefresh: true })).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('GetTokensFromRefreshToken') });
  expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
});

test('a sign-out by another instance began while this one rotated: the write is taken back, and the rotated token is queued for revocation', async () => {
  const { pool, storage, a, b } = await twoInstancesSignedIn();
  emu.faults.set('RevokeToken', { type: 'latency', ms: 300 }, { times: 1 }); // b's sign-out: intent recorded, RevokeToken slow
  const signingOut = b.signOut();
  // b's intent is written ahead of its calls: once it is in the outbox, the sign-out has begun.
  for (let i = 0; i < 200 && !storage.items.has(`authchart.${pool.clientId}.revocationOutbox`); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  emu.resetRequests();
  // a rotates now: Cognito issues a new refresh token, but a sign-out of this session has begun.
  await expect(a.getSession({ forceRefresh: true })).rejects.toMatchObject({ name: 'StaleWriteError' });
  const issued = emu.requests.filter((r) => r.operation === 'GetTokensFromRefreshToken');
  expect(issued).toEqual([expect.objectContaining({ status: 200 })]);
  const queued = JSON.parse(storage.items.get(`authchart.${pool.clientId}.revocationOutbox`) ?? '{}') as { entries?: unknown[] };
  expect(queued.entries).toHaveLength(2); // b's intent (the old token), and the rotated token a could not store
  await expect(signingOut).resolves.toMatchObject({ type: 'complete' });
  // The rotated token is queued for a later drain, held by no flow (outbox.queue): a's flush sends it.
  await expect(a.flushRevocations()).resolves.toMatchObject({ pending: 0 });
  expect(emu.requests.filter((r) => r.operation === 'RevokeToken' && r.status === 200)).toHaveLength(2); // b's, then the rotated one
  expect(storage.items.has(`authchart.${pool.clientId}.revocationOutbox`)).toBe(false);
  expect(storage.items.has(`authchart.${pool.clientId}.session`)).toBe(false); // never written back
});

test('two instances refresh with one rotating token: the loser gets RefreshTokenReuseException, finds the winner’s session refreshed elsewhere in the store and adopts it, still signed in', async () => {
  const { pool, storage, a, b } = await twoInstancesSignedIn();
  emu.faults.set('GetTokensFromRefreshToken', { type: 'latency', ms: 200 }, { times: 1 }); // a's call waits; b's goes first
  const states: string[] = [];
  a.actor.subscribe((s) => states.push(JSON.stringify(s.value)));
  const aRefresh = a.getSession({ forceRefresh: true }).catch((error: Error) => error);
  await new Promise((resolve) => setTimeout(resolve, 30));
  const bTokens = (await b.getSession({ forceRefresh: true })).tokens!;
  const adopted = await aRefresh;
  await waitFor(a.actor, (s) => s.matches({ signedIn: 'active' }));
  expect(states).toContain(JSON.stringify({ signedIn: { refreshing: 'lookingForTabsRefresh' } })); // the store is read for the winner's session
  expect(adopted).toMatchObject({ tokens: bTokens }); // the loser's caller gets the winner's session, not its own spent one
  await expect(stored(a)).resolves.toEqual(bTokens);
  expect(a.actor.getSnapshot().context.lastRefreshError?.name).toBe('RefreshTokenReuseException');
});
