// Issue 18's symptoms 4, 7 and 8, and the retry's recorded intent: what a call resolves with must be
// what is true of the store and of the server. Real HTTP to the emulator on 127.0.0.1, through the
// real SDK transport; each storage below fails in one precise way.
import { createAuth, type Auth, type SignOutResult, type StorageLike } from '../src/index';
import type { CognitoEmulator } from '../src/testing/index';
import { retryIsGlobal } from '../machines/signOutMachine';
import { emulatorPerFile, inspectableStorage } from './support/harness';

let emu: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

const SESSION = /\.session$/;
const sessionKeys = (items: ReadonlyMap<string, unknown>) => [...items.keys()].filter((key) => SESSION.test(key));
const revokes = () => emu.requests.filter((request) => request.operation === 'RevokeToken');

/**
 * A Map-backed storage that records the session's refresh token as it is written, with one switch
 * for each way its session reads can go wrong right after a write.
 */
function faultyStorage() {
  const items = new Map<string, string>();
  const faults = { readBackThrows: false, readBackHangs: false, readBackStale: false };
  let written: string | undefined;
  /** The refresh token of the last session written. */
  const refreshTokenWritten = () => (written ? (JSON.parse(written) as { refreshToken: string }).refreshToken : '');
  let justWritten = false;
  let before: string | null = null;
  const storage: StorageLike = {
    getItem(key) {
      if (SESSION.test(key) && justWritten) {
        justWritten = false;
        if (faults.readBackThrows) throw new Error('EIO');
        if (faults.readBackHangs) return new Promise<string | null>(() => {});
        if (faults.readBackStale) return before; // what was there before the write
      }
      return items.get(key) ?? null;
    },
    setItem(key, value) {
      if (SESSION.test(key)) {
        before = items.get(key) ?? null;
        justWritten = true;
        written = value;
      }
      items.set(key, value);
    },
    removeItem: (key) => void items.delete(key),
  };
  return { items, faults, storage, refreshTokenWritten };
}

function start(storage: StorageLike, options: { storageTimeoutMs?: number } = {}) {
  const setup = emu.setup();
  const config = { userPoolId: setup.userPoolId, userPoolClientId: setup.clientId, endpoint: emu.endpoint, storage, revocationOutbox: { retryBaseMs: 600_000 }, ...options };
  const open = (): Auth => {
    const auth = createAuth(config);
    auths.push(auth);
    return auth;
  };
  const auth = open();
  emu.resetRequests();
  const signIn = () => auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
  return { auth, setup, signIn, open };
}

describe('symptom 4: a read-back that fails after sign-in writes the session', () => {
  test.each([
    ['throws on that one call', 'readBackThrows', {}],
    ['hangs past storageTimeoutMs on that one call', 'readBackHangs', { storageTimeoutMs: 200 }],
  ] as const)('symptom 4a: a storage that %s: signIn rejects with StorageError, the write is taken back, and a restart is signed out', async (_, fault, options) => {
    const { items, faults, storage } = faultyStorage();
    const { auth, signIn, open } = start(storage, options);
    faults[fault] = true;
    const error = await signIn().catch((caught: unknown) => caught);
    expect(sessionKeys(items)).toEqual([]);
    expect(error).toMatchObject({ name: 'StorageError', message: expect.stringContaining('taken back') });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    const restarted = open();
    await expect(restarted.getSession()).resolves.toEqual({});
    expect(restarted.actor.getSnapshot().value).toBe('signedOut');
  });

  test('symptom 4b: a storage whose first read after the write is stale: signIn never says "nothing is stored" while the session is stored', async () => {
    const { items, faults, storage } = faultyStorage();
    const { auth, signIn, open } = start(storage);
    faults.readBackStale = true;
    const error = await signIn().catch((caught: unknown) => caught);
    // The read-back did not confirm the write: the write is taken back, so "nothing is stored" is true.
    expect(sessionKeys(items)).toEqual([]);
    expect(error).toMatchObject({ name: 'StorageError', message: expect.stringContaining('nothing is stored') });
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
    await expect(open().getSession()).resolves.toEqual({});
  });
});

describe('symptom 7: calls after stop()', () => {
  test('symptom 7: after stop(), retrySignOut(result) rejects with AuthStoppedError, a complete result too', async () => {
    const { auth, signIn } = start(inspectableStorage());
    await signIn();
    const result = await auth.signOut();
    expect(result).toEqual({ type: 'complete', signedOutLocally: true });
    await auth.stop();
    await expect(auth.retrySignOut(result)).rejects.toMatchObject({ name: 'AuthStoppedError' });
    const partial: SignOutResult = { type: 'partial', signedOutLocally: true, global: false, revokeTokenError: { name: 'NetworkError', message: 'offline', refreshToken: 'x' }, finishedBy: 'retrySignOut' };
    await expect(auth.retrySignOut(partial)).rejects.toMatchObject({ name: 'AuthStoppedError' });
  });

  test('symptom 7: after stop(), no call answers from the façade alone: each rejects with AuthStoppedError', async () => {
    const { auth } = start(inspectableStorage());
    await auth.stop();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['retrySignOut of junk', () => auth.retrySignOut({} as never)],
      ['handleRedirect without oauth', () => auth.handleRedirect('https://app.example/')],
      ['signInWithRedirect without oauth', () => auth.signInWithRedirect()],
      ['signIn with bad arguments', () => auth.signIn({} as never)],
      ['getSession', () => auth.getSession()],
      ['flushRevocations', () => auth.flushRevocations()],
    ];
    for (const [what, call] of calls) await expect(call().catch((error: unknown) => ({ what, name: (error as Error).name }))).resolves.toEqual({ what, name: 'AuthStoppedError' });
  });
});

describe('symptom 8: a storage that hands back parsed objects instead of strings', () => {
  /** Keeps what it is given parsed: getItem hands back objects, not strings. */
  function parsingStorage() {
    const items = new Map<string, unknown>();
    let refreshToken = '';
    const storage: StorageLike = {
      getItem: (key) => (items.get(key) ?? null) as string | null,
      setItem(key, value) {
        const parsed = JSON.parse(value) as { refreshToken?: string };
        if (SESSION.test(key)) refreshToken = parsed.refreshToken ?? '';
        items.set(key, parsed);
      },
      removeItem: (key) => void items.delete(key),
    };
    return { items, storage, refreshTokenWritten: () => refreshToken };
  }

  test('symptom 8: signIn rejects with StorageError and revokes the tokens it could not store, so the signOut() after it is truly complete', async () => {
    const { items, storage, refreshTokenWritten } = parsingStorage();
    const { auth, signIn } = start(storage);
    await expect(signIn()).rejects.toMatchObject({ name: 'StorageError', message: expect.stringContaining('instead of a string') });
    expect(sessionKeys(items)).toEqual([]);
    // The tokens Cognito issued never reached the app: they must not stay live on the server.
    expect(revokes()).toEqual([expect.objectContaining({ status: 200 })]);
    expect(emu.tokenRevoked(refreshTokenWritten())).toBe(true);
    await expect(auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  });

  test('symptom 8: a storage that starts handing back objects while signed in: signOut() says RevokeToken was not sent, never complete', async () => {
    const base = inspectableStorage();
    let parse = false;
    const storage: StorageLike = { ...base, getItem: (key) => (parse && base.items.has(key) ? (JSON.parse(base.items.get(key)!) as string) : base.getItem(key)) };
    const { auth, signIn } = start(storage);
    await signIn();
    parse = true;
    emu.resetRequests();
    const result = await auth.signOut();
    expect(result).toMatchObject({ type: 'partial', revokeTokenError: { name: 'NotSent' } });
    expect(revokes()).toEqual([]);
  });

  test('symptom 4a with 8: a read-back that fails revokes the tokens it took back', async () => {
    const { faults, storage, refreshTokenWritten } = faultyStorage();
    const { signIn } = start(storage);
    faults.readBackThrows = true;
    await expect(signIn()).rejects.toMatchObject({ name: 'StorageError' });
    expect(emu.tokenRevoked(refreshTokenWritten())).toBe(true);
  });

  test('symptom 8: when that RevokeToken fails offline, the refresh token waits in the outbox until flushRevocations() revokes it', async () => {
    const { items, faults, storage, refreshTokenWritten } = faultyStorage();
    const { auth, signIn } = start(storage);
    faults.readBackThrows = true;
    emu.faults.set('RevokeToken', { type: 'reset' });
    await expect(signIn()).rejects.toMatchObject({ name: 'StorageError' });
    expect(emu.tokenRevoked(refreshTokenWritten())).toBe(false);
    expect([...items].find(([key]) => key.endsWith('.revocationOutbox'))?.[1]).toContain(refreshTokenWritten());
    emu.faults.clear();
    await expect(auth.flushRevocations()).resolves.toMatchObject({ revoked: 1, pending: 0 });
    expect(emu.tokenRevoked(refreshTokenWritten())).toBe(true);
  });
});

describe("the retry's intent is the one the result recorded", () => {
  test('a partial result records what the sign-out asked for (global or not), and retrySignOut() asks the same', async () => {
    const { auth, signIn } = start(inspectableStorage());
    await signIn();
    emu.faults.set('GlobalSignOut', { type: 'reset' });
    const result = await auth.signOut({ global: true });
    expect(result).toMatchObject({ type: 'partial', global: true, globalSignOutError: { name: 'NetworkError' } });
    emu.faults.clear();
    emu.resetRequests();
    // A copy that went through JSON (kept by the app, or handed to another instance) still says global.
    await expect(auth.retrySignOut(JSON.parse(JSON.stringify(result)) as SignOutResult)).resolves.toMatchObject({ type: 'complete' });
    expect(emu.requests.map((request) => request.operation)).toContain('GlobalSignOut');
  });

  test('a local partial result records global: false, and its retry sends RevokeToken only', async () => {
    const { auth, signIn } = start(inspectableStorage());
    await signIn();
    emu.faults.set('RevokeToken', { type: 'reset' });
    const result = await auth.signOut();
    expect(result).toMatchObject({ type: 'partial', global: false, revokeTokenError: { name: 'NetworkError' } });
    emu.faults.clear();
    emu.resetRequests();
    await expect(auth.retrySignOut(result)).resolves.toMatchObject({ type: 'complete' });
    expect(emu.requests.map((request) => request.operation)).toEqual(['RevokeToken']);
  });

  test('retryIsGlobal reads the recorded intent first, and what the result carries only when nothing was recorded', () => {
    const failed = { name: 'NotAuthorizedException', message: 'm' };
    expect(retryIsGlobal({ global: false, globalSignOutError: failed })).toBe(false);
    expect(retryIsGlobal({ global: true })).toBe(true);
    expect(retryIsGlobal({ globalSignOutError: failed })).toBe(true);
    expect(retryIsGlobal({})).toBe(false);
  });
});
