// The session store not answering while a request's engine loads the session's record (Redis
// restarting: LOADING, a dropped connection): the request is answered 503 StorageError, never 401
// "nobody signed in", which would clear the browser's session cookie of a session that is still
// stored and live. Found by the fleet's AOF test under load (a 401 in 1 run of 3). A memory store
// whose reads fail while `down`, so that the failure is where the test puts it, not where timing does.
import { memorySessionStore, type SessionStore } from '../src/server/index';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/index';
import { cookieOf, startBff, type Bff } from './support/bff';

let emu!: CognitoEmulator;
let pool!: SetupResult;
beforeAll(async () => {
  emu = await startCognitoEmulator();
  pool = emu.setup();
});
afterAll(() => emu.close());

/** A memory store whose reads (the stamp and the record's fields) fail while `state.down`. */
function flakyStore(state: { down: boolean }): SessionStore {
  const store = memorySessionStore();
  const refuse = () => Promise.reject(Object.assign(new Error('LOADING Redis is loading the dataset in memory'), { name: 'Error' }));
  return {
    ...store,
    ...(store.stamp && { stamp: (hash: string) => (state.down ? refuse() : store.stamp!(hash)) }),
    storageFor(hash) {
      const storage = store.storageFor(hash);
      return {
        refreshLock: storage.refreshLock,
        getItem: (key) => (state.down ? refuse() : storage.getItem(key)),
        setItem: (key, value) => storage.setItem(key, value),
        removeItem: (key) => storage.removeItem(key),
      };
    },
    rename: (from, to) => store.rename(from, to),
    destroy: (hash) => store.destroy(hash),
    expire: (hash, ttl) => store.expire(hash, ttl),
    outbox: store.outbox,
    close: () => store.close(),
  };
}

describe.each([
  ['kept engines (the default)', {}],
  ['an engine per request (keptEngines: 0)', { keptEngines: 0 }],
])('%s', (_, config) => {
  const bffs: Bff[] = [];
  afterEach(async () => {
    await Promise.all(bffs.splice(0).map((b) => b.close()));
  });

  test('GET /session while the store does not answer: 503 StorageError, the cookie kept; once it answers again, 200', async () => {
    const state = { down: false };
    const store = flakyStore(state);
    const first = await startBff(emu, pool, { storageTimeoutMs: 200, ...config }, store);
    bffs.push(first);
    const signedIn = await first.call('POST', '/auth/sign-in', { json: { username: pool.username, password: pool.password } });
    const id = cookieOf(signedIn)!;
    expect(id).toBeDefined();
    // Another process over the same store: it keeps no engine for the session, so its request loads the record.
    const bff = await startBff(emu, pool, { storageTimeoutMs: 200, ...config }, store);
    bffs.push(bff);
    state.down = true;
    const down = await bff.call('GET', '/auth/session', { cookie: id });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ error: { name: 'StorageError' } });
    expect(down.headers['set-cookie'] ?? []).toEqual([]); // the browser keeps its session cookie
    state.down = false;
    const up = await bff.call('GET', '/auth/session', { cookie: id });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ user: { username: pool.username } });
  });
});
