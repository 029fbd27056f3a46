// The refresh before a global sign-out, a state of the sign-out chart, over real HTTP to the
// emulator: on an app client that rotates refresh tokens it must use GetTokensFromRefreshToken
// (the session's own refresh method), because such a client refuses REFRESH_TOKEN_AUTH. Both a new
// sign-out and the outbox's retry of a queued global intent go through it. The emulator's clock
// runs two hours behind while the users sign in, so their access tokens have expired, for the
// emulator and for the library alike, when the clock is set to now.
import type { InspectionEvent } from 'xstate';
import { createAuth } from '../src/index';
import type { CognitoEmulator, SetupResult } from '../src/testing/index';
import { emulatorPerFile, expectSignedOutStore, inspectableStorage, type InspectableStorage } from './support/harness';

let emu!: CognitoEmulator;
let clock = Date.now();
const auths = emulatorPerFile((started) => (emu = started), { now: () => clock });

const TWO_HOURS = 2 * 3600_000;
const outboxKey = (pool: SetupResult) => `authchart.${pool.clientId}.revocationOutbox`;
const sessionKey = (pool: SetupResult) => `authchart.${pool.clientId}.session`;
const storedTokens = (storage: InspectableStorage, pool: SetupResult) => JSON.parse(storage.items.get(sessionKey(pool)) ?? '{}') as { accessToken: string; idToken: string; refreshToken: string };
const queuedEntries = (storage: InspectableStorage, pool: SetupResult) =>
  (JSON.parse(storage.items.get(outboxKey(pool)) ?? '{"entries":[]}') as { entries: { global: boolean; tokens: { accessToken?: string; refreshToken?: string } }[] }).entries;

/** A rotating app client, and one user signed in on two devices (two instances, two storages) two hours ago. */
async function twoDevices() {
  clock = Date.now() - TWO_HOURS;
  const pool = emu.setup({ refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } });
  const device = async () => {
    const storage = inspectableStorage();
    const observed: unknown[] = [];
    const auth = createAuth({
      inspect: (event: InspectionEvent) => observed.push(event),
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.clientId,
      endpoint: emu.endpoint,
      storage,
      refreshTokenRotation: true,
      revocationOutbox: { retryBaseMs: 600_000 }, // no retry in the background: the test flushes
    });
    auths.push(auth);
    await auth.signIn({ username: pool.username, password: pool.password });
    auth.actor.on('*', (event) => observed.push(event));
    return { auth, storage, observed, tokens: storedTokens(storage, pool) };
  };
  const [a, b] = [await device(), await device()];
  clock = Date.now(); // both devices' access tokens expired an hour ago
  emu.resetRequests();
  return { pool, a, b };
}

test('a global sign-out with an expired access token on a rotating client: GetTokensFromRefreshToken, then GlobalSignOut; complete, and the other device is signed out', async () => {
  const { pool, a, b } = await twoDevices();
  await expect(a.auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  expect(emu.requests.map((r) => r.operation)).toEqual(['GetTokensFromRefreshToken', 'GlobalSignOut']);
  expectSignedOutStore(a.storage, a.tokens);
  expect(a.storage.items.has(outboxKey(pool))).toBe(false); // nothing left to finish: every token of the user is dead
  // Every token of the user is dead at Cognito, the other device's too.
  expect(emu.tokenRevoked(b.tokens.refreshToken)).toBe(true);
  await expect(b.auth.getSession({ forceRefresh: true })).resolves.toEqual({}); // refused: the session is over
  expect(b.auth.actor.getSnapshot().value).toBe('signedOut');
});

test('the outbox retries a queued global intent on a rotating client through the same refresh: the rotated tokens wait in the outbox, and the retry ends every session', async () => {
  const { pool, a, b } = await twoDevices();
  // Still two hours ago for the emulator: the access token the refresh gets expires an hour before now.
  clock = Date.now() - TWO_HOURS;
  emu.faults.set('GlobalSignOut', { type: 'reset' }); // offline for GlobalSignOut: the intent stays queued, global
  const result = await a.auth.signOut({ global: true });
  expect(result).toMatchObject({ type: 'partial', signedOutLocally: true, globalSignOutError: { name: 'NetworkError' }, finishedBy: 'outbox' });
  expect(emu.requests[0]).toMatchObject({ operation: 'GetTokensFromRefreshToken', status: 200 });
  // The refresh rotated the refresh token: the new one is live, so the outbox holds it, never the retired one alone.
  const [entry, ...others] = queuedEntries(a.storage, pool);
  expect(others).toEqual([]);
  expect(entry).toMatchObject({ global: true, tokens: { refreshToken: expect.any(String), accessToken: expect.any(String) } });
  const rotated = entry!.tokens.refreshToken!;
  expect(rotated).not.toBe(a.tokens.refreshToken);
  expect(emu.tokenRevoked(rotated)).toBe(false);
  expectSignedOutStore(a.storage, a.tokens);

  // Now: the refreshed access token has expired too, and Cognito answers again.
  emu.faults.clear();
  clock = Date.now();
  emu.resetRequests();
  await expect(a.auth.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
  expect(emu.requests.map((r) => r.operation)).toEqual(['GetTokensFromRefreshToken', 'GlobalSignOut']);
  expect(a.storage.items.has(outboxKey(pool))).toBe(false);
  expect(emu.tokenRevoked(rotated)).toBe(true);
  expect(emu.tokenRevoked(b.tokens.refreshToken)).toBe(true);
  await expect(b.auth.getSession({ forceRefresh: true })).resolves.toEqual({});
  expect(b.auth.actor.getSnapshot().value).toBe('signedOut');
  // The refreshed tokens never reached the chart: not its events, snapshots or inspection.
  expect(a.observed.length).toBeGreaterThan(20);
  const seen = JSON.stringify(a.observed);
  for (const secret of [rotated, entry!.tokens.accessToken!, a.tokens.refreshToken, a.tokens.accessToken]) expect(seen.includes(secret)).toBe(false);
  expect(seen).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
});

test('GlobalSignOut refused for good after the refresh: RevokeToken is sent with the rotated refresh token, so no token of this device is left live', async () => {
  const { pool, a } = await twoDevices();
  emu.faults.set('GlobalSignOut', { type: 'error', name: 'NotAuthorizedException', message: 'Access Token has been revoked' }, { times: 1 });
  const result = await a.auth.signOut({ global: true });
  expect(result).toMatchObject({ type: 'partial', globalSignOutError: { name: 'NotAuthorizedException' }, finishedBy: 'nothing' });
  expect(result).not.toHaveProperty('revokeTokenError');
  expect(emu.requests.map((r) => r.operation)).toEqual(['GetTokensFromRefreshToken', 'GlobalSignOut', 'RevokeToken']);
  expect(emu.tokenRevoked(a.tokens.refreshToken)).toBe(true);
  expect(a.storage.items.has(outboxKey(pool))).toBe(false);
});
