// Unit tests of the token store over storages that misbehave: writes that must not outlive another
// instance's sign-out, storages that hand back non-strings or drop writes, tokens of another pool,
// and a clear() that must say what it really knows.
import { createMemoryStorage, type StorageLike } from '../services/storage/storage';
import { ClearError, createTokenStore, StaleWriteError, StorageFailure, StorageTimeoutError, StorageValueError, TOKEN_MISMATCH, UnstoredError } from '../services/storage/tokenStore';

const jwt = (claims: object) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const ISS = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Mine';
const session = (claims: object = {}, id: object = {}) => ({
  accessToken: jwt({ username: 'a', exp: 9e9, client_id: 'c1', iss: ISS, ...claims }),
  idToken: jwt({ 'cognito:username': 'a', aud: 'c1', iss: ISS, ...id }),
  refreshToken: 'refresh-secret',
});
const tokens = session();
const options = { clientId: 'c1', userPoolId: 'us-east-1_Mine', timeoutMs: 50 };
const KEY = 'authchart.c1.session';

/** A promise and the function that settles it. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

describe('stale writes across instances (one storage, two stores)', () => {
  test("a refresh that began before the OTHER instance's clear is refused, and the storage stays empty", async () => {
    const storage = createMemoryStorage();
    const a = createTokenStore(storage, options);
    const b = createTokenStore(storage, options);
    await a.save(tokens);
    const generation = await a.generation();
    expect(generation).toBeGreaterThan(0);
    await expect(b.generation()).resolves.toBe(generation); // read from storage, not from memory
    await b.clear();
    await expect(a.save(session({ jti: 'fresh' }), { expectedGeneration: generation })).rejects.toBeInstanceOf(StaleWriteError);
    expect(storage.getItem(KEY)).toBeNull();
  });

  test('a refresh that began before the other instance signed out and in again does not overwrite the new session', async () => {
    const storage = createMemoryStorage();
    const a = createTokenStore(storage, options);
    const b = createTokenStore(storage, options);
    await a.save(tokens);
    const generation = await a.generation();
    await b.clear();
    const next = session({ username: 'b' });
    await b.save(next);
    await expect(a.save(session({ jti: 'fresh' }), { expectedGeneration: generation })).rejects.toMatchObject({ name: 'StaleWriteError' });
    await expect(a.load()).resolves.toEqual(next);
  });

  test('a refresh of the stored session keeps its generation, so a later refresh in the other instance still lands', async () => {
    const storage = createMemoryStorage();
    const a = createTokenStore(storage, options);
    const b = createTokenStore(storage, options);
    await a.save(tokens);
    const generation = await b.generation();
    await a.save(session({ jti: 'a-refresh' }), { expectedGeneration: await a.generation() });
    const fresh = session({ jti: 'b-refresh' });
    await b.save(fresh, { expectedGeneration: generation });
    await expect(a.load()).resolves.toEqual(fresh);
    await expect(a.generation()).resolves.toBe(generation);
  });

  test('no stored session: generation 0, and a refresh has nothing to write into', async () => {
    const store = createTokenStore(createMemoryStorage(), options);
    await expect(store.generation()).resolves.toBe(0);
    await expect(store.save(tokens, { expectedGeneration: 0 })).rejects.toBeInstanceOf(StaleWriteError);
  });

  test('a session stored before generations existed is generation 0 and can be refreshed', async () => {
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify({ version: 1, ...tokens }));
    const store = createTokenStore(storage, options);
    await expect(store.generation()).resolves.toBe(0);
    const fresh = session({ jti: 'fresh' });
    await store.save(fresh, { expectedGeneration: 0 });
    await expect(store.load()).resolves.toEqual(fresh);
  });
});

describe('a storage that does not keep strings', () => {
  /** Hands back what it was given, parsed: a common wrapper that "helpfully" stores objects. */
  function parsingStorage(): StorageLike & { items: Map<string, unknown> } {
    const items = new Map<string, unknown>();
    return {
      items,
      getItem: (key) => (items.get(key) ?? null) as string | null,
      setItem: (key, value) => void items.set(key, JSON.parse(value)),
      removeItem: (key) => void items.delete(key),
    };
  }

  test('save() rejects with StorageError naming the type, never the value, and takes its write back', async () => {
    const storage = parsingStorage();
    const store = createTokenStore(storage, options);
    const error = await store.save(tokens).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageFailure);
    expect(error).toMatchObject({ name: 'StorageError', message: 'Storage did not keep the session as written (it returned a object instead of a string); the write was taken back: nothing is stored', stored: 'nothing' });
    expect(storage.items.size).toBe(0);
  });

  test.each([
    ['an object', { accessToken: tokens.accessToken, idToken: tokens.idToken }, 'object'],
    ['a number', 42, 'number'],
    ['a boolean', true, 'boolean'],
  ])('read() of %s rejects with a StorageValueError that says which type', async (_, value, type) => {
    const storage: StorageLike = { getItem: () => value as never, setItem() {}, removeItem() {} };
    const store = createTokenStore(storage, options);
    const error = await store.load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageValueError);
    expect(error).toMatchObject({ name: 'StorageError', type, message: `Storage returned a ${type} instead of a string when asked to read the session` });
    expect(String((error as Error).message)).not.toContain('eyJ');
    await expect(store.generation()).rejects.toMatchObject({ name: 'StorageError' });
  });

  test('a storage that drops writes: save() rejects instead of claiming the session is stored', async () => {
    const store = createTokenStore({ getItem: () => null, setItem() {}, removeItem() {} }, options);
    await expect(store.save(tokens)).rejects.toMatchObject({ name: 'StorageError', message: 'Storage did not keep the session as written (reading it back found nothing); the write was taken back: nothing is stored' });
  });

  test('a sign-in whose read-back fails and whose take-back fails too: save() says the session may still be stored', async () => {
    const items = new Map<string, string>();
    let reads = 0;
    const storage: StorageLike = {
      getItem: (key) => (++reads === 1 ? Promise.reject(new Error('EIO')) : items.get(key) ?? null),
      setItem: (key, value) => void items.set(key, value),
      removeItem: () => Promise.reject(new Error('EIO')),
    };
    const error = await createTokenStore(storage, options).save(tokens).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnstoredError);
    expect(error).toMatchObject({ name: 'StorageError', stored: 'unknown', message: expect.stringContaining('the session may still be stored') });
    expect(items.size).toBe(1); // what it says is what is true
  });

  test('a storage that mangles writes: save() rejects, and the mangled value is removed', async () => {
    const items = new Map<string, string>();
    const store = createTokenStore({ getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value.slice(0, 20)), removeItem: (key) => void items.delete(key) }, options);
    await expect(store.save(tokens)).rejects.toMatchObject({ name: 'StorageError', message: expect.stringContaining('did not keep the session as written') });
    expect(items.size).toBe(0);
  });
});

describe('tokens of another user pool or app client', () => {
  test.each([
    ["the access token's iss is another pool", session({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }), 'iss', 'us-east-1_Mine'],
    ["the access token's client_id is another client", session({ client_id: 'c2' }), 'client_id', 'c1'],
    ["the ID token's aud is another client", session({}, { aud: 'c2' }), 'aud', 'c1'],
    ["the ID token's iss is another pool", session({}, { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }), 'iss', 'us-east-1_Mine'],
  ])('%s: save() refuses them before writing, naming the claim and the configured id', async (_, mismatched, claim, configured) => {
    const writes: string[] = [];
    const store = createTokenStore({ getItem: () => null, setItem: (key) => void writes.push(key), removeItem() {} }, options);
    const error = await store.save(mismatched).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: TOKEN_MISMATCH, message: expect.stringContaining(`${claim} claim`) });
    expect((error as Error).message).toContain(configured);
    expect((error as Error).message).not.toMatch(/eyJ|refresh-secret|us-east-1_Other|c2/);
    expect(writes).toEqual([]);
  });

  test('a refresh answered with tokens of another pool is refused the same way, and the session stays as it was', async () => {
    const storage = createMemoryStorage();
    const store = createTokenStore(storage, options);
    await store.save(tokens);
    const generation = await store.generation();
    await expect(store.save(session({ iss: 'https://x/us-east-1_Other' }), { expectedGeneration: generation })).rejects.toMatchObject({ name: TOKEN_MISMATCH });
    await expect(store.load()).resolves.toEqual(tokens);
  });

  test('TOKEN_MISMATCH is TokensFromAnotherPool', () => expect(TOKEN_MISMATCH).toBe('TokensFromAnotherPool'));
});

describe('clear() says what it really knows', () => {
  function controllable() {
    const items = new Map<string, string>();
    const storage = {
      items,
      getItem: (key: string): string | null | Promise<string | null> => items.get(key) ?? null,
      setItem: (key: string, value: string): void | Promise<void> => void items.set(key, value),
      removeItem: (key: string): void | Promise<void> => void items.delete(key),
    };
    return storage;
  }

  test('a removeItem that lands only after the timeout: ClearError unknown (not "kept"), and the session is indeed gone later', async () => {
    const storage = controllable();
    const store = createTokenStore(storage, options);
    await store.save(tokens);
    const late = gate();
    storage.removeItem = (key) => late.promise.then(() => void storage.items.delete(key));
    const error = await store.clear().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClearError);
    expect(error).toMatchObject({ name: 'StorageError', state: 'unknown', message: 'The storage did not confirm the removal within 100 ms; the session may or may not still be stored' });
    late.open();
    await late.promise;
    expect(storage.items.has(KEY)).toBe(false);
  });

  test('removeItem done, the read-back hangs once: one more read confirms, and clear() resolves', async () => {
    const storage = controllable();
    const store = createTokenStore(storage, options);
    await store.save(tokens);
    const base = storage.getItem;
    let hangs = 1;
    storage.getItem = (key) => (hangs-- > 0 ? new Promise<never>(() => {}) : base(key));
    // The clock is the test's: a loaded machine's stall past the clear's bound must not decide the result.
    jest.useFakeTimers();
    try {
      const cleared = store.clear();
      await jest.advanceTimersByTimeAsync(options.timeoutMs);
      await expect(cleared).resolves.toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
    expect(storage.items.size).toBe(0);
  });

  test('removeItem done, every read-back hangs: ClearError unknown', async () => {
    const storage = controllable();
    const store = createTokenStore(storage, options);
    await store.save(tokens);
    storage.getItem = () => new Promise<never>(() => {});
    await expect(store.clear()).rejects.toMatchObject({ name: 'StorageError', state: 'unknown' });
  });

  test('removeItem throws and a read shows the session: ClearError kept, without the stored values', async () => {
    const storage = controllable();
    const store = createTokenStore(storage, options);
    await store.save(tokens);
    storage.removeItem = () => {
      throw new Error(`quota ${tokens.refreshToken}`);
    };
    const error = await store.clear().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'StorageError', state: 'kept', message: 'Could not remove the session in storage (Error); the session is still stored' });
    expect(storage.items.has(KEY)).toBe(true);
  });

  test('removeItem that silently does nothing: ClearError kept', async () => {
    const storage = controllable();
    const store = createTokenStore(storage, options);
    await store.save(tokens);
    storage.removeItem = () => undefined;
    await expect(store.clear()).rejects.toMatchObject({ name: 'StorageError', state: 'kept', message: 'Storage still holds the session after removeItem' });
  });

  test('a removeItem that hangs while a read shows the session: unknown, since the removal may still land', async () => {
    const storage = controllable();
    const store = createTokenStore(storage, options);
    await store.save(tokens);
    storage.removeItem = () => new Promise<never>(() => {});
    await expect(store.clear()).rejects.toMatchObject({ state: 'unknown' });
  });

  test('symptoms 9, 10: afterClear() reports what the store holds after a clear that did not confirm (the chart decides)', async () => {
    // A removal that lands late: afterClear() lets it land, then reads the store empty.
    const late = controllable();
    const lateStore = createTokenStore(late, options);
    await lateStore.save(tokens);
    const landing = gate();
    late.removeItem = (key) => landing.promise.then(() => void late.items.delete(key));
    await expect(lateStore.clear()).rejects.toMatchObject({ state: 'unknown' });
    setTimeout(landing.open, 10);
    await expect(lateStore.afterClear()).resolves.toBe('gone');
    // removeItem worked, every read hangs: nothing says the session is still there.
    const silent = controllable();
    const silentStore = createTokenStore(silent, options);
    await silentStore.save(tokens);
    silent.getItem = () => new Promise<never>(() => {});
    await expect(silentStore.clear()).rejects.toMatchObject({ state: 'unknown' });
    await expect(silentStore.afterClear()).resolves.toBe('removed');
    // removeItem hangs, and so does every read: nothing is known.
    silent.removeItem = () => new Promise<never>(() => {});
    await expect(silentStore.clear()).rejects.toMatchObject({ state: 'unknown' });
    await expect(silentStore.afterClear()).resolves.toBe('unknown');
    // removeItem that does nothing: still stored.
    const kept = controllable();
    const keptStore = createTokenStore(kept, options);
    await keptStore.save(tokens);
    kept.removeItem = () => undefined;
    await expect(keptStore.clear()).rejects.toMatchObject({ state: 'kept' });
    await expect(keptStore.afterClear()).resolves.toBe('stored');
  });

  test('everything hangs: clear() settles once 2 x timeoutMs have passed (fake clock)', async () => {
    jest.useFakeTimers();
    try {
      const storage = controllable();
      const store = createTokenStore(storage, options);
      await store.save(tokens);
      storage.removeItem = () => new Promise<never>(() => {});
      storage.getItem = () => new Promise<never>(() => {});
      let settled: unknown;
      void store.clear().catch((error: unknown) => (settled = error));
      await jest.advanceTimersByTimeAsync(2 * options.timeoutMs - 1);
      expect(settled).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(settled).toMatchObject({ name: 'StorageError', state: 'unknown' });
    } finally {
      jest.useRealTimers();
    }
  });
});

test('every storage failure is named StorageError', () => {
  for (const error of [new StorageFailure('x'), new StorageTimeoutError('x'), new StorageValueError('number', 'read'), new ClearError('kept', 'x')]) {
    expect(error.name).toBe('StorageError');
    expect(error).toBeInstanceOf(StorageFailure);
  }
});
