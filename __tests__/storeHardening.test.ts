// The token store under bad storage: writes that must not outlive a sign-out, calls that hang,
// and data that is not a usable session. Unit tests of the store, then createAuth over it.
import { createAuth, type AuthHubEvent, type StorageLike } from '../src/index';
import { createTokenStore } from '../services/storage/tokenStore';
import { createMemoryStorage } from '../services/storage/storage';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { inspectableStorage } from './support/harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const jwt = (claims: object) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const tokens = { accessToken: jwt({ username: 'a', exp: 9e9, client_id: 'c1' }), idToken: 'i', refreshToken: 'r' };

describe('token store', () => {
  test('a write begun before a clear is refused (StaleWriteError), even when it reaches storage later', async () => {
    const store = createTokenStore(createMemoryStorage(), { clientId: 'c1' });
    await store.save(tokens);
    const generation = await store.generation();
    await store.clear();
    await expect(store.save(tokens, { expectedGeneration: generation })).rejects.toMatchObject({ name: 'StaleWriteError' });
    await expect(store.load()).resolves.toBeNull();
    await store.save(tokens); // a new sign-in writes a new generation
    await store.save(tokens, { expectedGeneration: await store.generation() }); // and a refresh that began after it is fine
    await expect(store.load()).resolves.toEqual(tokens);
  });

  test('calls run in order: a clear queued behind a slow save still wins', async () => {
    const items = new Map<string, string>();
    const slow: StorageLike = {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => new Promise<void>((resolve) => setTimeout(() => (items.set(key, value), resolve()), 30)),
      removeItem: (key) => void items.delete(key),
    };
    const store = createTokenStore(slow, { clientId: 'c1' });
    const saving = store.save(tokens);
    await store.clear();
    await saving;
    expect(items.size).toBe(0);
  });

  test('a storage call that hangs fails with StorageError after timeoutMs, and the store keeps working', async () => {
    const items = new Map<string, string>();
    let hang = true;
    const storage: StorageLike = {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, value),
      removeItem: (key) => (hang ? new Promise<void>(() => {}) : void items.delete(key)),
    };
    const store = createTokenStore(storage, { clientId: 'c1', timeoutMs: 50 });
    await store.save(tokens);
    await expect(store.clear()).rejects.toMatchObject({ name: 'StorageError', state: 'unknown', message: expect.stringContaining('within 100 ms') });
    await expect(store.load()).resolves.toEqual(tokens); // whole, consistent
    hang = false;
    await store.clear();
    await expect(store.load()).resolves.toBeNull();
  });

  test.each([
    ['bad JSON', '{"accessToken":'],
    ['half a session', JSON.stringify({ accessToken: tokens.accessToken })],
    ['a non-JWT access token', JSON.stringify({ accessToken: 'opaque', idToken: 'i' })],
    ['tokens of another client', JSON.stringify({ ...tokens, accessToken: jwt({ username: 'a', exp: 9e9, client_id: 'someone-else' }) })],
    ['tokens of another user pool', JSON.stringify({ ...tokens, accessToken: jwt({ username: 'a', exp: 9e9, client_id: 'c1', iss: 'https://x/us-east-1_Other' }) })],
  ])('%s reads as corrupt, with a reason', async (_, raw) => {
    const storage = createMemoryStorage();
    storage.setItem('authchart.c1.session', raw);
    await expect(createTokenStore(storage, { clientId: 'c1', userPoolId: 'us-east-1_Mine' }).read()).resolves.toEqual({ corrupt: expect.any(String) });
  });
});

describe('createAuth over bad storage', () => {
  let emu: CognitoEmulator;
  beforeAll(async () => (emu = await startCognitoEmulator()));
  afterAll(() => emu.close());

  test.each([
    ['bad JSON', () => '{"accessToken":'],
    ['half a session', () => JSON.stringify({ idToken: 'x' })],
    ['a non-JWT access token', () => JSON.stringify({ accessToken: 'opaque', idToken: 'i' })],
    ['tokens of another client', () => JSON.stringify({ ...tokens, accessToken: jwt({ username: 'a', exp: 9e9, client_id: 'someone-else' }) })],
  ])('%s: starts signedOut, removes the junk, emits storageError CorruptSession', async (_, junk) => {
    const storage = inspectableStorage();
    storage.setItem('authchart.c1.session', junk());
    const auth = createAuth({ userPoolId: 'us-east-1_Mine', userPoolClientId: 'c1', endpoint: emu.endpoint, storage });
    const events: AuthHubEvent[] = [];
    auth.on('storageError', (event) => events.push(event));
    await expect(auth.getSession()).resolves.toEqual({});
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(storage.items.size).toBe(0);
    expect(events).toEqual([{ type: 'storageError', error: { name: 'CorruptSession', message: expect.stringContaining('Removed a stored session') } }]);
    await auth.stop();
  });

  test('storage that throws on read: signedOut and a StorageError event, nothing thrown; signOut() cannot claim an empty store', async () => {
    const storage: StorageLike = { getItem: () => { throw new Error('SecurityError'); }, setItem() {}, removeItem() {} };
    const auth = createAuth({ userPoolId: 'us-east-1_Mine', userPoolClientId: 'c1', endpoint: emu.endpoint, storage });
    const events: AuthHubEvent[] = [];
    auth.on('storageError', (event) => events.push(event));
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'failed', signedOutLocally: false, error: { name: 'StorageError' } });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(events).toMatchObject([{ type: 'storageError', error: { name: 'StorageError' } }, { type: 'storageError', error: { name: 'StorageError' } }]);
    await auth.stop();
  });

  test('a store that hangs on removeItem: sign-out is failed (not hung), the session kept whole; a retry later succeeds', async () => {
    const setup = emu.setup();
    const base = inspectableStorage();
    let hang = false;
    const storage: StorageLike = { getItem: base.getItem, setItem: base.setItem, removeItem: (key) => (hang ? new Promise<void>(() => {}) : base.removeItem(key)) };
    const auth = createAuth({ userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage, storageTimeoutMs: 100 });
    await auth.signIn({ username: setup.username, password: setup.password });
    hang = true;
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'failed', signedOutLocally: false, error: { name: 'StorageError' } });
    expect([...base.items.keys()].filter((key) => key.endsWith('.session'))).toHaveLength(1);
    // RevokeToken succeeded, so the kept tokens are dead: never handed out as a session.
    expect(auth.actor.getSnapshot().value).toBe('revokedButStored');
    hang = false;
    await expect(auth.signOut()).resolves.toMatchObject({ signedOutLocally: true });
    expect([...base.items.keys()].filter((key) => key.endsWith('.session'))).toHaveLength(0);
    await auth.stop();
  });

  test('storageTimeoutMs is validated', () => {
    expect(() => createAuth({ userPoolId: 'us-east-1_Mine', userPoolClientId: 'c1', storageTimeoutMs: -1 })).toThrow(expect.objectContaining({ name: 'AuthConfigError', field: 'storageTimeoutMs' }));
  });
});
