// What loads on first use rather than up front (issue 13, item 6): the sign-in flow (SRP, its
// crypto, the challenges) at the first sign-in, so a page whose user is signed in already never
// loads it; SECRET_HASH's HMAC (in the sign-in flow's chunk, beside SRP's HMAC) only where a client
// secret is configured. And what a load that
// fails becomes (for the hosted UI's flows too): a NetworkError naming what could not be loaded,
// tried again at the next use.
// (jest's transform turns import() into require(), so jest.doMock sees these loads.)
import { onFirstUse } from '../services/cognito/onFirstUse';
import { createMemoryStorage, type Auth } from '../src/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';
import { withoutSubtle } from './support/hashes';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: CognitoEmulator;
beforeAll(async () => (emu = await startCognitoEmulator()));
afterAll(() => emu.close());

/**
 * A fresh copy of the library (a new module registry: as a page loaded again) in which loading
 * `path` is counted, and fails while `failing()` says so. Not jest.isolateModules: the lazy loads
 * happen after its callback has returned.
 */
function libraryCounting(path: string, failing: () => boolean = () => false) {
  const counter = { loads: 0 };
  jest.resetModules();
  jest.doMock(path, () => {
    counter.loads += 1;
    if (failing()) throw new TypeError('Failed to fetch dynamically imported module');
    return jest.requireActual(path);
  });
  return {
    counter,
    createAuth: (require('../src/index') as typeof import('../src/index')).createAuth,
    createParameterSigner: (require('../services/cognito/authParameters') as typeof import('../services/cognito/authParameters')).createParameterSigner,
    done: () => jest.dontMock(path),
  };
}

describe('onFirstUse', () => {
  test('a load that fails is a NetworkError naming what; the next use loads again', async () => {
    const load = jest.fn<Promise<{ ok: true }>, []>().mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module')).mockResolvedValue({ ok: true });
    const module = onFirstUse(load, 'The sign-in flow');
    await expect(module()).rejects.toMatchObject({ name: 'NetworkError', message: 'The sign-in flow could not be loaded (Failed to fetch dynamically imported module)' });
    await expect(module()).resolves.toEqual({ ok: true });
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('the sign-in flow loads at the first sign-in', () => {
  test('a signed-in instance restored from storage reads its session and signs out without loading it; its first signIn() does', async () => {
    const pool = emu.setup();
    const storage = createMemoryStorage();
    const lib = libraryCounting('../services/actors/signInFlow');
    const auths: Auth[] = [];
    try {
      const first = lib.createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage });
      auths.push(first);
      await first.signIn({ username: pool.username, password: pool.password });
      expect(lib.counter.loads).toBe(1);

      // A page loaded again, its user signed in.
      const page = libraryCounting('../services/actors/signInFlow');
      const restored = page.createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage });
      auths.push(restored);
      expect((await restored.getSession()).username).toBe(pool.username);
      await expect(restored.signOut()).resolves.toMatchObject({ type: 'complete' });
      expect(page.counter.loads).toBe(0);
      await expect(restored.signIn({ username: pool.username, password: pool.password })).resolves.toMatchObject({ isSignedIn: true });
      expect(page.counter.loads).toBe(1);
      page.done();
    } finally {
      lib.done();
      await Promise.all(auths.map((auth) => auth.stop()));
    }
  });

  test('when it cannot be loaded, signIn() rejects with a NetworkError and nothing changes; the next signIn() loads it and signs in', async () => {
    const sent = await signInWhileUnloadable('../services/actors/signInFlow', /^The sign-in flow could not be loaded/);
    expect(sent).toEqual([]);
  });
});

/**
 * signIn() while `path` cannot be loaded (inside `around`): a NetworkError matching `message`, the
 * chart still signedOut and nothing stored; then, loadable again, signIn() loads it and signs in.
 * Returns what reached the emulator before the failed load.
 */
async function signInWhileUnloadable(path: string, message: RegExp, around: <T>(body: () => Promise<T>) => Promise<T> = (body) => body()) {
  const pool = emu.setup();
  let offline = true;
  const lib = libraryCounting(path, () => offline);
  const storage = createMemoryStorage();
  const auth = lib.createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage });
  try {
    return await around(async () => {
      emu.resetRequests();
      await expect(auth.signIn({ username: pool.username, password: pool.password })).rejects.toMatchObject({ name: 'NetworkError', message: expect.stringMatching(message) });
      const sent = [...emu.requests];
      expect(auth.actor.getSnapshot().value).toBe('signedOut');
      expect(storage.getItem(`authchart.${pool.clientId}.session`)).toBeNull();
      offline = false;
      await expect(auth.signIn({ username: pool.username, password: pool.password })).resolves.toMatchObject({ isSignedIn: true });
      expect(lib.counter.loads).toBe(2);
      return sent;
    });
  } finally {
    lib.done();
    await auth.stop();
  }
}

test("when the hosted UI's flows cannot be loaded, signInWithRedirect() rejects with a NetworkError before anything is opened", async () => {
  const pool = emu.setup({ callbackUrls: ['http://localhost:3000/callback'], logoutUrls: ['http://localhost:3000/out'] });
  const lib = libraryCounting('../services/actors/hostedUiFlows', () => true);
  const opener = jest.fn(async () => ({ type: 'cancelled' as const }));
  const auth = lib.createAuth({
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    endpoint: emu.endpoint,
    oauth: { domain: emu.endpoint, redirectSignIn: 'http://localhost:3000/callback', redirectSignOut: 'http://localhost:3000/out', opener },
  });
  try {
    await expect(auth.signInWithRedirect()).rejects.toMatchObject({ name: 'NetworkError', message: expect.stringMatching(/^The hosted UI's flows could not be loaded/) });
    expect(opener).not.toHaveBeenCalled();
    expect(auth.actor.getSnapshot().value).toBe('signedOut');
  } finally {
    lib.done();
    await auth.stop();
  }
});

describe("SECRET_HASH's HMAC loads only where a client secret is configured", () => {
  test('no secret: never loaded; a secret: loaded when the signer is made, once', async () => {
    const lib = libraryCounting('../services/crypto/secretHash');
    try {
      const unsigned = lib.createParameterSigner('client1', undefined);
      await expect(unsigned({ USERNAME: 'alice' })).resolves.toEqual([{ USERNAME: 'alice' }, []]);
      expect(lib.counter.loads).toBe(0);
      const signed = lib.createParameterSigner('client1', 'the-secret');
      await Promise.resolve(); // the load starts with the signer, not at the first call
      expect(lib.counter.loads).toBe(1);
      const [parameters] = await signed({ USERNAME: 'alice' });
      expect(parameters.SECRET_HASH).toEqual(expect.any(String));
      await signed({ USERNAME: 'bob' });
      expect(lib.counter.loads).toBe(1);
    } finally {
      lib.done();
    }
  });

  test('a load that failed is a NetworkError at the first call that needs it, and is tried again at the next', async () => {
    let offline = true;
    const lib = libraryCounting('../services/crypto/secretHash', () => offline);
    try {
      const sign = lib.createParameterSigner('client1', 'the-secret');
      await expect(sign({ USERNAME: 'alice' })).rejects.toMatchObject({ name: 'NetworkError', message: expect.stringMatching(/^The SECRET_HASH code could not be loaded/) });
      offline = false;
      const [parameters, secrets] = await sign({ USERNAME: 'alice' });
      expect(parameters.SECRET_HASH).toEqual(expect.any(String));
      expect(secrets).toContain(parameters.SECRET_HASH);
    } finally {
      lib.done();
    }
  });
});

describe('@noble/hashes loads only where crypto.subtle is missing (React Native without a polyfill, an insecure browser context)', () => {
  test('with Web Crypto, an SRP sign-in, a client secret and a sign-out never load it; without, the same calls load it once and sign in alike', async () => {
    const pool = emu.setup({ generateSecret: true });
    const config = { userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, clientSecret: pool.clientSecret!, endpoint: emu.endpoint };
    const lib = libraryCounting('../services/crypto/nobleHashes');
    try {
      const auth = lib.createAuth(config);
      await expect(auth.signIn({ username: pool.username, password: pool.password })).resolves.toMatchObject({ isSignedIn: true });
      await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
      await auth.stop();
      expect(lib.counter.loads).toBe(0);
      await withoutSubtle(async () => {
        const native = lib.createAuth(config);
        await expect(native.signIn({ username: pool.username, password: pool.password })).resolves.toMatchObject({ isSignedIn: true });
        await expect(native.signOut()).resolves.toMatchObject({ type: 'complete' });
        await native.stop();
      });
      expect(lib.counter.loads).toBeGreaterThan(0);
    } finally {
      lib.done();
    }
  });

  test('when it cannot be loaded, signIn() rejects with a NetworkError naming it and nothing is stored; the next signIn() loads it and signs in', async () => {
    const sent = await signInWhileUnloadable('../services/crypto/nobleHashes', /^@noble\/hashes .* could not be loaded/, withoutSubtle);
    expect(sent.map((r) => r.operation)).toEqual(['InitiateAuth']); // SRP_A needs no hash; the answer to PASSWORD_VERIFIER does
  });
});
