// The hosted-UI client (services/cognito/hostedUi.ts) and the pending sign-in record
// (services/storage/pendingSignIn.ts); the code exchange against the emulator over real HTTP.
import { createHash } from 'node:crypto';
import { authorizeUrl, createPkce, exchangeCode, parseRedirect, randomState } from '../services/cognito/hostedUi.js';
import { CognitoCallError } from '../services/cognito/errors.js';
import { lazyKit } from '../services/actors/lazyKit.js';
import { createPendingSignInStore, PENDING_SIGN_IN_MAX_AGE_MS, type PendingSignIn } from '../services/storage/pendingSignIn.js';
import { storageKeys } from '../services/storage/keys.js';
import { createMemoryStorage } from '../services/storage/storage.js';
import { decodeJwtPayload, startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/emulator.js';
import { Browser, hidden, location } from './support/oauthBrowser.js';
import { hashPaths } from './support/hashes.js';

const { hash } = hashPaths()[0]!;

const CB = 'http://localhost:3000/callback';
const B64URL = /^[A-Za-z0-9_-]+$/;

describe('PKCE and state', () => {
  it.each(hashPaths())('the challenge is base64url(SHA-256(verifier)), hashing with $name; 86-character verifier, 43-character challenge', (path) =>
    path.run(async () => {
      for (let i = 0; i < 20; i++) {
        const { verifier, challenge } = await createPkce(path.hash);
        expect(verifier).toMatch(B64URL);
        expect(verifier).toHaveLength(86);
        expect(challenge).toMatch(B64URL);
        expect(challenge).toHaveLength(43);
        expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
      }
      expect(path.loads() > 0).toBe(!path.name.startsWith('Web Crypto')); // the path really ran
    }),
  );

  it('fresh values each time; state is 32 bytes base64url', async () => {
    expect((await createPkce(hash)).verifier).not.toBe((await createPkce(hash)).verifier);
    const state = randomState();
    expect(state).toMatch(B64URL);
    expect(state).toHaveLength(43);
    expect(randomState()).not.toBe(state);
  });
});

describe('authorizeUrl', () => {
  const base = { domain: 'https://auth.example.com/', clientId: 'client-1', redirectUri: 'myapp://callback', scopes: ['openid', 'email'], state: 'st', challenge: 'ch', kit: lazyKit };

  it('the code flow with S256, the domain without its trailing slash, scopes space-joined', () => {
    const url = new URL(authorizeUrl(base));
    expect(`${url.origin}${url.pathname}`).toBe('https://auth.example.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'myapp://callback',
      scope: 'openid email',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('identity_provider, prompt and login_hint only when given', () => {
    const url = new URL(authorizeUrl({ ...base, provider: 'Google', prompt: 'login', loginHint: 'a+b@example.com' }));
    expect(url.searchParams.get('identity_provider')).toBe('Google');
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(url.searchParams.get('login_hint')).toBe('a+b@example.com');
    expect(new URL(authorizeUrl(base)).searchParams.has('identity_provider')).toBe(false);
  });
});

describe('parseRedirect', () => {
  it('a code with its state', () => {
    expect(parseRedirect(`${CB}?code=abc&state=st`, CB)).toEqual({ kind: 'code', code: 'abc', state: 'st' });
  });

  it('an error, with its description and state when present', () => {
    expect(parseRedirect(`${CB}?error=access_denied&error_description=User+cancelled&state=st`, CB)).toEqual({ kind: 'error', error: 'access_denied', description: 'User cancelled', state: 'st' });
    expect(parseRedirect(`${CB}?error=server_error`, CB)).toEqual({ kind: 'error', error: 'server_error' });
  });

  it('none: another path, host or scheme, nothing to read, or not a URL', () => {
    expect(parseRedirect('http://localhost:3000/other?code=abc&state=st', CB)).toEqual({ kind: 'none' });
    expect(parseRedirect('http://localhost:4000/callback?code=abc&state=st', CB)).toEqual({ kind: 'none' });
    expect(parseRedirect('myapp://other?code=abc', 'myapp://callback')).toEqual({ kind: 'none' });
    expect(parseRedirect(`${CB}?foo=1`, CB)).toEqual({ kind: 'none' });
    expect(parseRedirect('not a url', CB)).toEqual({ kind: 'none' });
  });

  it('a custom scheme, and a fragment ignored', () => {
    expect(parseRedirect('myapp://callback?code=c&state=s#x', 'myapp://callback')).toEqual({ kind: 'code', code: 'c', state: 's' });
  });
});

describe('pending sign-in store', () => {
  const pending: PendingSignIn = { state: 'st', verifier: 'v'.repeat(86), redirectUri: CB, customState: 'back-to=/cart', createdAt: 1_000_000 };

  it('round trip under authchart.<clientId>.pendingSignIn, then clear', async () => {
    const storage = createMemoryStorage();
    const store = createPendingSignInStore(storage, { clientId: 'c1', timeoutMs: 100, kit: lazyKit, now: () => 1_000_000 + 60_000 });
    await store.write(pending);
    expect(await storage.getItem(storageKeys('c1').pendingSignIn)).toBeTruthy();
    expect(await store.read()).toEqual(pending);
    await store.clear();
    expect(await store.read()).toBeNull();
  });

  it('older than 10 minutes: null', async () => {
    let clock = pending.createdAt + PENDING_SIGN_IN_MAX_AGE_MS;
    const store = createPendingSignInStore(createMemoryStorage(), { clientId: 'c1', timeoutMs: 100, kit: lazyKit, now: () => clock });
    await store.write(pending);
    expect(await store.read()).toEqual(pending);
    clock += 1;
    expect(await store.read()).toBeNull();
  });

  it('junk: null', async () => {
    const storage = createMemoryStorage();
    const store = createPendingSignInStore(storage, { clientId: 'c1', timeoutMs: 100, kit: lazyKit, now: () => pending.createdAt });
    const key = storageKeys('c1').pendingSignIn;
    for (const junk of ['{', 'null', '[]', '42', JSON.stringify({ ...pending, verifier: 7 }), JSON.stringify({ ...pending, createdAt: 'now' }), JSON.stringify({ ...pending, customState: {} })]) {
      await storage.setItem(key, junk);
      expect(await store.read()).toBeNull();
    }
  });

  it('a refused write and a failing storage never show the verifier', async () => {
    const verifier = 'secret-verifier-value';
    const store = createPendingSignInStore(createMemoryStorage(), { clientId: 'c1', timeoutMs: 100, kit: lazyKit });
    const bad = await store.write({ ...pending, verifier, state: '' }).catch((e: Error) => e);
    expect(bad).toBeInstanceOf(TypeError);
    expect(String((bad as Error).message)).not.toContain(verifier);
    const failing = createPendingSignInStore(
      {
        getItem: () => null,
        setItem: (_k, v) => {
          throw new Error(`quota exceeded writing ${v}`);
        },
        removeItem: () => undefined,
      },
      { clientId: 'c1', timeoutMs: 100, kit: lazyKit },
    );
    const err = await failing.write({ ...pending, verifier }).catch((e: Error) => e);
    expect((err as Error).name).toBe('StorageError');
    expect((err as Error).message).not.toContain(verifier);
  });
});

describe('exchangeCode against the emulator', () => {
  let emu: CognitoEmulator;
  beforeAll(async () => {
    emu = await startCognitoEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });
  afterEach(() => {
    emu.faults.clear();
  });

  /** The hosted UI driven like a browser, from authorizeUrl to the redirect back, parsed. */
  async function signIn(s: SetupResult, challenge: string, state: string): Promise<string> {
    const b = new Browser(emu.endpoint);
    const page = await b.get(authorizeUrl({ domain: emu.endpoint, clientId: s.clientId, redirectUri: CB, scopes: ['openid', 'email'], state, challenge, kit: lazyKit }));
    expect(page.status).toBe(200);
    const back = await b.post('/login', { flow: hidden(await page.text(), 'flow'), username: s.username, password: s.password });
    expect(back.status).toBe(302);
    const parsed = parseRedirect(location(back).toString(), CB);
    if (parsed.kind !== 'code') throw new Error(`no code: ${JSON.stringify(parsed)}`);
    expect(parsed.state).toBe(state);
    return parsed.code;
  }

  async function failure(promise: Promise<unknown>): Promise<CognitoCallError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CognitoCallError);
    return error as CognitoCallError;
  }

  it('tokens for the code; the same code again is invalid_grant', async () => {
    const s = emu.setup({ callbackUrls: [CB] });
    const p = await createPkce(hash);
    const code = await signIn(s, p.challenge, randomState());
    const options = { domain: `${emu.endpoint}/`, clientId: s.clientId, redirectUri: CB, code, verifier: p.verifier, kit: lazyKit };
    const tokens = await exchangeCode(options);
    expect(decodeJwtPayload(tokens.idToken)?.sub).toBeTruthy();
    expect(decodeJwtPayload(tokens.accessToken)?.client_id).toBe(s.clientId);
    expect(typeof tokens.refreshToken).toBe('string');

    const again = await failure(exchangeCode(options));
    expect(again.name).toBe('OAuthError');
    expect(again.message).toBe('The token endpoint refused the code: invalid_grant');
  });

  it('a client with a secret: client_secret_basic', async () => {
    const s = emu.setup({ callbackUrls: [CB], generateSecret: true });
    const p = await createPkce(hash);
    const code = await signIn(s, p.challenge, 'st');
    const tokens = await exchangeCode({ domain: emu.endpoint, clientId: s.clientId, clientSecret: s.clientSecret!, redirectUri: CB, code, verifier: p.verifier, kit: lazyKit });
    expect(tokens.accessToken).toBeTruthy();
  });

  it('a wrong verifier: OAuthError, with neither the code nor the verifier in the message', async () => {
    const s = emu.setup({ callbackUrls: [CB] });
    const p = await createPkce(hash);
    const code = await signIn(s, p.challenge, 'st');
    const wrong = (await createPkce(hash)).verifier;
    const error = await failure(exchangeCode({ domain: emu.endpoint, clientId: s.clientId, redirectUri: CB, code, verifier: wrong, kit: lazyKit }));
    expect(error.name).toBe('OAuthError');
    expect(error.message).toContain('invalid_grant');
    expect(error.message).not.toContain(code);
    expect(error.message).not.toContain(wrong);
  });

  it('a 3xx is refused, not followed: UnexpectedRedirect', async () => {
    const s = emu.setup({ callbackUrls: [CB] });
    const p = await createPkce(hash);
    const code = await signIn(s, p.challenge, 'st');
    emu.faults.set('oauth2/token', { type: 'redirect', location: 'http://127.0.0.1:9/steal' });
    const error = await failure(exchangeCode({ domain: emu.endpoint, clientId: s.clientId, redirectUri: CB, code, verifier: p.verifier, kit: lazyKit }));
    expect(error.name).toBe('UnexpectedRedirect');
    expect(error.message).toBe('oauth2/token: HTTP 307 redirect refused');
  });

  it('an error_description is redacted of the code and verifier and capped', async () => {
    const o = { domain: 'https://auth.example.com', clientId: 'c', redirectUri: CB, code: 'the-code-123', verifier: 'the-verifier-456', kit: lazyKit };
    const body = JSON.stringify({ error: 'invalid_grant', error_description: `bad the-verifier-456 for the-code-123 ${'x'.repeat(2000)}` });
    const spy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(body, { status: 400, headers: { 'content-type': 'application/json' } }));
    try {
      const error = await failure(exchangeCode(o));
      expect(error.name).toBe('OAuthError');
      expect(error.message).toMatch(/^The token endpoint refused the code: invalid_grant \(bad \[redacted\] for \[redacted\] x+…\)$/);
      expect(error.message.length).toBeLessThan(600);
      const init = spy.mock.calls[0]![1]!;
      expect(init.redirect).toBe('manual');
      expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({ grant_type: 'authorization_code', client_id: 'c', code: o.code, code_verifier: o.verifier, redirect_uri: CB });
    } finally {
      spy.mockRestore();
    }
  });

  it('no server: NetworkError; a deadline: TimeoutError; an abort: AbortError', async () => {
    const o = { domain: 'http://127.0.0.1:9', clientId: 'c', redirectUri: CB, code: 'the-code', verifier: 'the-verifier', kit: lazyKit };
    const network = await failure(exchangeCode(o));
    expect(network.name).toBe('NetworkError');
    expect(network.message).not.toContain('the-verifier');

    emu.faults.set('oauth2/token', { type: 'blackhole' });
    const timeout = await failure(exchangeCode({ ...o, domain: emu.endpoint, signal: AbortSignal.timeout(100) }));
    expect(timeout.name).toBe('TimeoutError');
    const controller = new AbortController();
    const aborted = exchangeCode({ ...o, domain: emu.endpoint, signal: controller.signal });
    controller.abort();
    expect((await failure(aborted)).name).toBe('AbortError');
  });
});
