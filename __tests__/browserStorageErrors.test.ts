// What a browser's Web Storage throws, met in Node: a full quota (QuotaExceededError) and a page
// that may not use storage (SecurityError), as DOMExceptions thrown by getItem/setItem/removeItem
// or by the `window.localStorage` getter itself (webStorage()). Each becomes a StorageError that
// says why; a sign-in whose session could not be stored leaves nothing behind. The same failures
// in a real Chromium: __tests__/browser/storage.browser.test.ts.
import { createAuth, createMemoryStorage, StorageError, webStorage, type Auth, type AuthHubEvent, type StorageLike } from '../src/index';
import { storageFailureKind, storageFailureMessage } from '../services/storage/queue';
import { createTokenStore } from '../services/storage/tokenStore';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/index';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const quotaExceeded = () => new DOMException("Failed to execute 'setItem' on 'Storage': Setting the value of 'k' exceeded the quota.", 'QuotaExceededError');
const securityError = () => new DOMException('Access is denied for this document.', 'SecurityError');
const jwt = (claims: object) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const tokens = { accessToken: jwt({ username: 'a', exp: 9e9, client_id: 'c1' }), idToken: 'i', refreshToken: 'r' };

type Method = 'getItem' | 'setItem' | 'removeItem';
/** A Map-backed storage whose chosen methods throw what `fault` makes, before touching the Map. */
function failingStorage(fault: () => unknown, ...methods: Method[]): StorageLike & { items: Map<string, string>; calls: Method[] } {
  const items = new Map<string, string>();
  const calls: Method[] = [];
  const guard = (method: Method) => {
    calls.push(method);
    if (methods.includes(method)) throw fault();
  };
  return {
    items,
    calls,
    getItem: (key) => (guard('getItem'), items.get(key) ?? null),
    setItem: (key, value) => (guard('setItem'), void items.set(key, value)),
    removeItem: (key) => (guard('removeItem'), void items.delete(key)),
  };
}

describe('recognising what Web Storage throws', () => {
  test.each([
    ['a DOMException named QuotaExceededError (code 22)', quotaExceeded(), 'quotaExceeded'],
    ["Firefox's old NS_ERROR_DOM_QUOTA_REACHED", Object.assign(new Error('quota'), { name: 'NS_ERROR_DOM_QUOTA_REACHED', code: 1014 }), 'quotaExceeded'],
    ['a DOMException-like object with the legacy code 22 only', { name: 'Whatever', code: 22 }, 'quotaExceeded'],
    ['a DOMException named SecurityError (code 18)', securityError(), 'unavailable'],
    ['a plain TypeError', new TypeError('x'), undefined],
    ['a string', 'QuotaExceededError', undefined],
  ])('%s', (_, error, kind) => {
    expect(storageFailureKind(error)).toBe(kind);
  });

  test('the messages say what happened and what to do, and never quote the storage’s own message', () => {
    const full = storageFailureMessage('write the session', quotaExceeded());
    expect(full).toBe('Could not write the session in storage (QuotaExceededError): the storage is full, so it refused the write. Free some of its space or pass another storage');
    const blocked = storageFailureMessage('read the session', securityError());
    expect(blocked).toMatch(/^Could not read the session in storage \(SecurityError\): storage is unavailable: this page may not use it \(a sandboxed iframe.*\)\. Leave storage out to keep the session in memory$/);
    for (const message of [full, blocked]) expect(message).not.toMatch(/exceeded the quota|Access is denied|'k'/);
    // A thrown non-Error is named only when recognised: its `name` could be anything.
    expect(storageFailureMessage('read the session', { name: 'eyJsecret' })).toBe('Could not read the session in storage (unknown error)');
    expect(storageFailureMessage('read the session', { name: 'eyJsecret', code: 22 })).toContain('(QuotaExceededError): the storage is full');
    expect(storageFailureMessage('read the session', new TypeError('x'))).toBe('Could not read the session in storage (TypeError)');
  });
});

describe('the token store', () => {
  test('a full storage: save rejects with StorageError naming the quota, nothing is stored, and the store still works', async () => {
    const storage = failingStorage(quotaExceeded, 'setItem');
    const store = createTokenStore(storage, { clientId: 'c1' });
    const failed = await store.save(tokens).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(failed).toMatchObject({ name: 'StorageError', message: expect.stringContaining('(QuotaExceededError): the storage is full') });
    expect(storage.items.size).toBe(0);
    await expect(store.read()).resolves.toBeNull();
  });

  test('a storage that writes, then throws: the failed sign-in takes its own record back', async () => {
    // Web Storage refuses a write whole; an app's own storage (say, one mirroring to two places) may not.
    const items = new Map<string, string>();
    const halfway: StorageLike = {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => {
        items.set(key, value);
        throw quotaExceeded();
      },
      removeItem: (key) => void items.delete(key),
    };
    const store = createTokenStore(halfway, { clientId: 'c1' });
    await expect(store.save(tokens)).rejects.toMatchObject({ name: 'StorageError', message: expect.stringContaining('full') });
    expect(items.size).toBe(0);
  });

  test('the take-back removes only its own record: a session another instance stored stays', async () => {
    const items = new Map<string, string>();
    const other = createTokenStore({ getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) }, { clientId: 'c1' });
    await other.save(tokens);
    const before = [...items.entries()];
    const refusing: StorageLike = { getItem: (key) => items.get(key) ?? null, setItem: () => { throw quotaExceeded(); }, removeItem: (key) => void items.delete(key) };
    await expect(createTokenStore(refusing, { clientId: 'c1' }).save(tokens)).rejects.toMatchObject({ name: 'StorageError' });
    expect([...items.entries()]).toEqual(before);
  });

  test('a refresh whose write is refused keeps the stored session as it was', async () => {
    const items = new Map<string, string>();
    let full = false;
    const storage: StorageLike = {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => {
        if (full) throw quotaExceeded();
        items.set(key, value);
      },
      removeItem: (key) => void items.delete(key),
    };
    const store = createTokenStore(storage, { clientId: 'c1' });
    await store.save(tokens);
    full = true;
    const refreshed = { ...tokens, idToken: 'i2' };
    await expect(store.save(refreshed, { expectedGeneration: await store.generation() })).rejects.toMatchObject({ message: expect.stringContaining('full') });
    await expect(store.load()).resolves.toEqual(tokens);
  });
});

describe('webStorage()', () => {
  const host = globalThis as Record<string, unknown>;
  afterEach(() => {
    delete host.localStorage;
    delete host.sessionStorage;
  });

  test('looks the storage up at each call, and works like it', () => {
    const backing = createMemoryStorage();
    const storage = webStorage('sessionStorage');
    Object.defineProperty(host, 'sessionStorage', { value: backing, configurable: true });
    storage.setItem('k', 'v');
    expect(backing.getItem('k')).toBe('v');
    expect(storage.getItem('k')).toBe('v');
    storage.removeItem('k');
    expect(backing.getItem('k')).toBeNull();
  });

  test('a getter that throws SecurityError (a sandboxed iframe) and a missing or null storage are StorageErrors that say it is unavailable', () => {
    Object.defineProperty(host, 'localStorage', { get: () => { throw securityError(); }, configurable: true });
    expect(() => webStorage('localStorage').getItem('k')).toThrow(expect.objectContaining({ name: 'StorageError', message: expect.stringMatching(/^localStorage is unavailable \(SecurityError\): this page may not use it \(a sandboxed iframe.*Leave storage out/) }));
    delete host.localStorage;
    expect(() => webStorage('localStorage').setItem('k', 'v')).toThrow(expect.objectContaining({ name: 'StorageError', message: expect.stringContaining('localStorage is unavailable (it is missing') }));
    Object.defineProperty(host, 'localStorage', { value: null, configurable: true });
    expect(() => webStorage('localStorage').removeItem('k')).toThrow(expect.objectContaining({ message: expect.stringContaining('(it is null') }));
    expect(() => webStorage('indexedDB' as 'localStorage')).toThrow(TypeError);
  });
});

describe('createAuth over a browser storage that fails (emulator)', () => {
  let emu: CognitoEmulator;
  let pool: SetupResult;
  const auths: Auth[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const make = (storage: StorageLike | undefined) => {
    const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, ...(storage && { storage }) });
    auths.push(auth);
    return auth;
  };
  const sessionKey = () => `authchart.${pool.clientId}.session`;

  beforeAll(async () => {
    emu = await startCognitoEmulator();
    pool = emu.setup();
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await Promise.all(auths.splice(0).map((auth) => auth.stop()));
    expect(unhandled).toEqual([]);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await emu.close();
  });

  test('setItem throws QuotaExceededError: the sign-in rejects with StorageError, nothing is stored, nobody is signed in, not even after a restart', async () => {
    const storage = failingStorage(quotaExceeded, 'setItem');
    const auth = make(storage);
    emu.resetRequests();
    const failed = await auth.signIn({ username: pool.username, password: pool.password }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StorageError);
    expect(failed).toMatchObject({ name: 'StorageError', message: expect.stringContaining('Could not write the session in storage (QuotaExceededError): the storage is full') });
    // Cognito did sign the user in: the failure is the save, after both SRP round trips. The
    // tokens it issued were never stored, so they are revoked rather than left live.
    expect(emu.requests.map((r) => r.operation)).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RevokeToken']);
    expect(storage.items.size).toBe(0);
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    await expect(auth.getSession()).resolves.toEqual({});
    const restarted = make(storage); // an app restart over the same storage
    await expect(restarted.getSession()).resolves.toEqual({});
    expect(restarted.actor.getSnapshot().value).toBe('signedOut');
  });

  test('once there is room again, the same instance signs in', async () => {
    let full = true;
    const base = failingStorage(quotaExceeded);
    const storage: StorageLike = { ...base, setItem: (key, value) => (full ? (() => { throw quotaExceeded(); })() : base.setItem(key, value)) };
    const auth = make(storage);
    await expect(auth.signIn({ username: pool.username, password: pool.password })).rejects.toBeInstanceOf(StorageError);
    full = false;
    await expect(auth.signIn({ username: pool.username, password: pool.password })).resolves.toMatchObject({ isSignedIn: true });
    expect(base.items.has(sessionKey())).toBe(true);
  });

  test('a refresh whose write meets a full storage: getSession rejects with the StorageError, the user stays signed in with the stored tokens', async () => {
    let full = false;
    const base = failingStorage(quotaExceeded);
    const storage: StorageLike = { ...base, setItem: (key, value) => (full ? (() => { throw quotaExceeded(); })() : base.setItem(key, value)) };
    const auth = make(storage);
    await auth.signIn({ username: pool.username, password: pool.password });
    const before = await auth.getSession();
    const stored = base.items.get(sessionKey());
    full = true;
    const failed = await auth.getSession({ forceRefresh: true }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StorageError);
    expect(failed).toMatchObject({ message: expect.stringContaining('(QuotaExceededError): the storage is full') });
    expect(auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
    expect(base.items.get(sessionKey())).toBe(stored);
    await expect(auth.getSession()).resolves.toEqual(before);
  });

  test('signInWithRedirect() with a full storage: rejects with the StorageError before the hosted UI is opened', async () => {
    const storage = failingStorage(quotaExceeded, 'setItem');
    const opener = jest.fn(async () => ({ type: 'navigating' as const }));
    const auth = createAuth({
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.clientId,
      endpoint: emu.endpoint,
      storage,
      oauth: { domain: emu.endpoint, redirectSignIn: 'http://localhost/callback', redirectSignOut: 'http://localhost/', opener },
    });
    auths.push(auth);
    const failed = await auth.signInWithRedirect().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StorageError);
    expect(failed).toMatchObject({ message: expect.stringContaining('(QuotaExceededError): the storage is full') });
    expect(opener).not.toHaveBeenCalled();
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(storage.items.size).toBe(0);
  });

  test('SecurityError from every method: start-up reports it (storageError) and starts signed out; the sign-in rejects with StorageError "unavailable"', async () => {
    const storage = failingStorage(securityError, 'getItem', 'setItem', 'removeItem');
    const events: AuthHubEvent[] = [];
    const auth = make(storage);
    auth.on('storageError', (event) => events.push(event));
    await expect(auth.getSession()).resolves.toEqual({});
    expect(events).toEqual([{ type: 'storageError', error: { name: 'StorageError', message: expect.stringContaining('Could not read the session in storage (SecurityError): storage is unavailable') } }]);
    const failed = await auth.signIn({ username: pool.username, password: pool.password }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StorageError);
    expect(failed).toMatchObject({ message: expect.stringMatching(/^Could not write the session in storage \(SecurityError\): storage is unavailable: .*Leave storage out to keep the session in memory$/) });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    expect(storage.items.size).toBe(0);
  });

  test.each([['getItem'], ['removeItem']] as const)('SecurityError from %s alone, once signed in: getSession() or signOut() reports a typed StorageError', async (method) => {
    const base = failingStorage(securityError);
    let blocked = false;
    const storage: StorageLike = { ...base, [method]: (key: string) => (blocked ? (() => { throw securityError(); })() : base[method](key)) };
    const auth = make(storage);
    await auth.signIn({ username: pool.username, password: pool.password });
    blocked = true;
    if (method === 'getItem') {
      // getSession reads the tokens from storage: the read is refused, with a typed error.
      const failed = await auth.getSession().catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(StorageError);
      expect(failed).toMatchObject({ message: expect.stringContaining('(SecurityError): storage is unavailable') });
    } else {
      // The sign-out revokes the tokens but cannot clear this device: failed, with the typed error inside.
      const result = await auth.signOut();
      expect(result).toMatchObject({ type: 'failed', error: { name: 'StorageError', message: expect.stringContaining('(SecurityError)') } });
    }
    blocked = false;
  });

  test('webStorage() where the getter throws SecurityError: the same typed errors, and nothing thrown from createAuth', async () => {
    const host = globalThis as Record<string, unknown>;
    Object.defineProperty(host, 'localStorage', { get: () => { throw securityError(); }, configurable: true });
    try {
      const events: AuthHubEvent[] = [];
      const auth = make(webStorage('localStorage'));
      auth.on('storageError', (event) => events.push(event));
      await expect(auth.getSession()).resolves.toEqual({});
      expect(events).toMatchObject([{ error: { name: 'StorageError', message: expect.stringMatching(/^localStorage is unavailable \(SecurityError\)/) } }]);
      const failed = await auth.signIn({ username: pool.username, password: pool.password }).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(StorageError);
      expect(failed).toMatchObject({ message: expect.stringMatching(/^localStorage is unavailable \(SecurityError\)/) });
      expect(auth.actor.getSnapshot().value).toBe('signedOut');
    } finally {
      delete host.localStorage;
    }
  });

  test('storage: null (window.localStorage where Web Storage is disabled) is an AuthConfigError that says so', () => {
    expect(() => createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, storage: null as unknown as StorageLike })).toThrow(
      expect.objectContaining({ name: 'AuthConfigError', field: 'storage', message: 'Invalid authchart config: storage is null: Web Storage is disabled. Leave storage out to keep the session in memory' }),
    );
  });

  test('the default storage is memory in Node: nothing is read from globalThis, even a localStorage that throws', async () => {
    const host = globalThis as Record<string, unknown>;
    const getter = jest.fn(() => {
      throw securityError();
    });
    Object.defineProperty(host, 'localStorage', { get: getter, configurable: true });
    Object.defineProperty(host, 'sessionStorage', { get: getter, configurable: true });
    try {
      const auth = make(undefined);
      await expect(auth.signIn({ username: pool.username, password: pool.password })).resolves.toMatchObject({ isSignedIn: true });
      await expect(auth.getSession()).resolves.toMatchObject({ username: pool.username });
      expect(getter).not.toHaveBeenCalled();
    } finally {
      delete host.localStorage;
      delete host.sessionStorage;
    }
  });
});
