// The sign-out outbox across instances and clocks, over HTTP to the emulator (issue 18, symptoms 5,
// 6 and 11): what `pending` counts, what a stopped or dead instance leaves to the next one, and
// that only Cognito's answer, never the device clock, removes a queued refresh token.
import { createAuth, type AuthConfig } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { eventually, inspectableStorage, serverView, type InspectableStorage } from './support/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// The emulator keeps the real time: only the device's clock (Date.now in this process) is moved.
const realNow = Date.now.bind(Date);
const DAY = 24 * 3600_000;
let emu: CognitoEmulator;
let server: ReturnType<typeof serverView>;
beforeAll(async () => {
  emu = await startCognitoEmulator({ now: realNow });
  server = serverView(emu);
});
afterAll(async () => {
  server.destroy();
  await emu.close();
});
afterEach(() => {
  emu.faults.clear();
  jest.restoreAllMocks();
});

/** What Cognito says of a refresh token now: 'accepted', or the error's name. */
const refreshes = (clientId: string, refreshToken: string) => server.refreshWith(clientId, refreshToken);

/** Short bounds, so that a lease (networkTimeoutMs + 4 × storageTimeoutMs) ends within a test. */
const bounds = { networkTimeoutMs: 1000, storageTimeoutMs: 200 } as const;

async function signedIn(config: Partial<AuthConfig> = {}) {
  const setup = emu.setup();
  const storage = inspectableStorage();
  const base = { userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, ...bounds, ...config };
  const auth = createAuth({ ...base, storage });
  await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
  const { refreshToken } = JSON.parse(storage.getItem(`authchart.${setup.clientId}.session`)!) as { refreshToken: string };
  /** Another instance (a restart, another process) over the given storage. */
  const next = (over: InspectableStorage = storage) => createAuth({ ...base, storage: over });
  return { auth, storage, setup, refreshToken, next };
}

/** A sign-out whose RevokeToken has been sent and hangs. */
async function signOutHanging(auth: ReturnType<typeof createAuth>) {
  emu.faults.set('RevokeToken', { type: 'blackhole' });
  emu.resetRequests();
  const signingOut = auth.signOut().catch((error: unknown) => error);
  await eventually(async () => emu.requests.some((r) => r.operation === 'RevokeToken' && r.status === 'blackholed'));
  return { signingOut }; // wrapped: awaiting this must not wait for the sign-out itself
}

/** What a process killed now leaves in its storage, for the next process to start over. */
function copyOf(storage: InspectableStorage): InspectableStorage {
  const copy = inspectableStorage();
  for (const [key, value] of storage.items) copy.items.set(key, value);
  return copy;
}

test('symptom 5: an entry leased by a dead instance counts as pending, and is revoked once its lease ends', async () => {
  // The device clock stands still until the test moves it, so the lease cannot end while we look, however slow the machine.
  let deviceNow = realNow();
  jest.spyOn(Date, 'now').mockImplementation(() => deviceNow);
  const { auth, setup, refreshToken, storage, next } = await signedIn();
  await signOutHanging(auth);
  const leftBehind = copyOf(storage); // the process died here: its entry is leased, its request unanswered
  emu.faults.clear();
  const restarted = next(leftBehind);
  // Its lease has not ended: the entry is not sent yet, but it is still queued.
  const report = await restarted.flushRevocations();
  expect(report).toEqual({ revoked: 0, dropped: 0, pending: 1 });
  expect(await refreshes(setup.clientId, refreshToken)).toBe('accepted');
  // The dead instance's lease (networkTimeoutMs + 4 × storageTimeoutMs) ends: the restarted one
  // revokes the token on its own, when its backoff timer fires.
  deviceNow += 60_000;
  await eventually(async () => (await refreshes(setup.clientId, refreshToken)) === 'NotAuthorizedException');
  await eventually(async () => leftBehind.items.size === 0);
  await expect(restarted.flushRevocations()).resolves.toEqual({ revoked: 0, dropped: 0, pending: 0 });
  await restarted.stop();
  await auth.stop();
});

test('symptom 6: stop() while RevokeToken hangs releases the lease: the next instance revokes the token at once', async () => {
  // A long network budget: the sign-out is surely still hanging when stop() comes, and its lease
  // (networkTimeoutMs + 4 × storageTimeoutMs) would outlast the test if stop() left it in place.
  const { auth, setup, refreshToken, storage, next } = await signedIn({ networkTimeoutMs: 60_000 });
  const { signingOut } = await signOutHanging(auth);
  await auth.stop();
  await expect(signingOut).resolves.toMatchObject({ name: 'AuthStoppedError' });
  emu.faults.clear();
  expect(await refreshes(setup.clientId, refreshToken)).toBe('accepted');
  const restarted = next();
  await expect(restarted.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
  expect(await refreshes(setup.clientId, refreshToken)).toBe('NotAuthorizedException');
  await expect(restarted.getSession()).resolves.toEqual({}); // its sign-out had begun: not restored
  await eventually(async () => storage.items.size === 0);
  await restarted.stop();
});

test('symptom 11: the device clock jumps 31 days ahead: the queued refresh token is revoked, never dropped unsent', async () => {
  const { auth, setup, refreshToken, storage, next } = await signedIn({ revocationOutbox: { retryBaseMs: 600_000 } });
  emu.faults.set('RevokeToken', { type: 'reset' });
  await expect(auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
  await auth.stop();
  emu.faults.clear();
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 31 * DAY);
  const restarted = next();
  await expect(restarted.flushRevocations()).resolves.toEqual({ revoked: 1, dropped: 0, pending: 0 });
  expect(await refreshes(setup.clientId, refreshToken)).toBe('NotAuthorizedException');
  expect(storage.items.size).toBe(0);
  await restarted.stop();
});
