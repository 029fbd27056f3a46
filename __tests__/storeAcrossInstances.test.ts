// The token store under createAuth, over HTTP to the emulator: two instances sharing one storage
// (two tabs, two processes), storages that do not keep strings, and a userPoolId that is not the
// app client's pool.
import { waitFor } from 'xstate';
import { createAuth } from '../src/createAuth';
import type { AuthHubEvent, StorageLike } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { inspectableStorage } from './support/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: CognitoEmulator;
beforeAll(async () => (emu = await startCognitoEmulator()));
afterAll(() => emu.close());
afterEach(() => emu.faults.clear());

const sessionKeys = (items: ReadonlyMap<string, unknown>) => [...items.keys()].filter((key) => key.endsWith('.session'));

test("a refresh answered after the OTHER instance's sign-out does not write the session back", async () => {
  // Without revocation the sign-out is local only, so the refresh token stays good at the server
  // and the held refresh really answers with fresh tokens.
  const setup = emu.setup({ enableTokenRevocation: false });
  const storage = inspectableStorage();
  const config = { userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage };
  const a = createAuth(config);
  await a.signIn({ username: setup.username, password: setup.password });
  const b = createAuth(config);
  await expect(b.getSession()).resolves.toMatchObject({ username: setup.username }); // restored from the shared storage
  emu.resetRequests();

  emu.faults.set('InitiateAuth', { type: 'latency', ms: 2000 }); // long enough for B's whole sign-out on a loaded machine
  const refreshing = a.getSession({ forceRefresh: true }).catch((error: unknown) => error);
  await waitFor(a.actor, (snapshot) => snapshot.matches({ signedIn: 'refreshing' }));
  await expect(b.signOut()).resolves.toMatchObject({ signedOutLocally: true }); // partial: nothing to revoke
  expect(sessionKeys(storage.items)).toEqual([]);
  // The order this test is about: A's refresh had not answered when B's sign-out ended.
  expect(a.actor.getSnapshot().matches({ signedIn: 'refreshing' })).toBe(true);

  await refreshing; // the refresh has answered and its actor is done
  expect(emu.requests).toContainEqual(expect.objectContaining({ operation: 'InitiateAuth', status: 200 }));
  expect(sessionKeys(storage.items)).toEqual([]);
  await a.stop();
  await b.stop();
});

/** Keeps what it is given parsed: getItem hands back objects, not strings. */
function parsingStorage() {
  const items = new Map<string, unknown>();
  const storage: StorageLike = {
    getItem: (key) => (items.get(key) ?? null) as string | null,
    setItem: (key, value) => void items.set(key, JSON.parse(value)),
    removeItem: (key) => void items.delete(key),
  };
  return { items, storage };
}

test('a storage that returns objects: signIn rejects with StorageError instead of claiming a session it cannot read', async () => {
  const setup = emu.setup();
  const { items, storage } = parsingStorage();
  const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage });
  const error = await auth.signIn({ username: setup.username, password: setup.password }).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ name: 'StorageError', message: 'Storage did not keep the session as written (it returned a object instead of a string); the write was taken back: nothing is stored' });
  expect(JSON.stringify(error)).not.toContain('eyJ');
  expect(sessionKeys(items)).toEqual([]); // no tokens left at rest
  await expect(auth.getSession()).resolves.toEqual({});
  await auth.stop();
});

test('a storage that returns a number at start-up: signedOut and a StorageError event that names the type', async () => {
  const storage: StorageLike = { getItem: () => 42 as never, setItem() {}, removeItem() {} };
  const auth = createAuth({ userPoolId: 'us-east-1_Mine', userPoolClientId: 'c1', endpoint: emu.endpoint, storage });
  const events: AuthHubEvent[] = [];
  auth.on('storageError', (event) => events.push(event));
  await expect(auth.getSession()).resolves.toEqual({});
  expect(events).toEqual([{ type: 'storageError', error: { name: 'StorageError', message: 'Storage returned a number instead of a string when asked to read the session' } }]);
  await auth.stop();
});

test('a userPoolId that is not the app client pool: signIn rejects with TokensFromAnotherPool and nothing is stored', async () => {
  const setup = emu.setup();
  const { userPoolId: otherPool } = emu.createUserPool();
  const storage = inspectableStorage();
  const auth = createAuth({ userPoolId: otherPool, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage });
  const error = await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' }).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ name: 'TokensFromAnotherPool', message: expect.stringContaining(`iss claim does not end with the configured userPoolId ${otherPool}`) });
  expect((error as Error).message).not.toContain(setup.userPoolId);
  expect(storage.items.size).toBe(0);
  expect(auth.actor.getSnapshot().value).toBe('signedOut');
  await expect(auth.getSession()).resolves.toEqual({});
  await auth.stop();
});
