// Browser storage in a real Chromium (docs/browser-storage.md): a session kept in localStorage or
// sessionStorage after an SRP sign-in (BigInt, Web Crypto), restored by a reload; a full quota and
// a page that may not use storage at all (a sandboxed iframe), each a StorageError that says so,
// with nothing stored, nobody signed in and nothing thrown at the page. Set-up as in
// smoke.browser.test.ts; see docs/testing.md, "Tests in a real browser".
import type { Browser, Frame, Page } from 'playwright-core';
import type { CognitoEmulator, SetupResult } from '../../src/testing/index.js';
import { describeInBrowser } from '../support/browser/chromium.js';
import { browserPerFile } from '../support/browser/perFile.js';
import { isLoopbackUrl, openPage, type OpenedPage, type PageServer } from '../support/browser/pages.js';

const ready = (target: Page | Frame) => target.waitForFunction(() => document.body.dataset['ready'] === 'true');

describeInBrowser('browser storage in Chromium', () => {
  let browser: Browser;
  let pages: PageServer;
  let emu: CognitoEmulator;
  let pool: SetupResult;
  let opened: OpenedPage | undefined;
  const sessionKey = () => `authchart.${pool.clientId}.session`;
  const operations = () => emu.requests.filter((r) => r.operation !== '' && r.operation !== 'OPTIONS').map((r) => r.operation);

  browserPerFile((started) => {
    ({ browser, pages, emu } = started);
    pool = emu.setup();
  });

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  const open = async () => {
    emu.resetRequests();
    opened = await openPage(browser, pages, { endpoint: emu.endpoint, userPoolId: pool.userPoolId, clientId: pool.clientId });
    return opened;
  };
  /** Everything the page's Web Storage of that kind holds. */
  const storedIn = (page: Page, kind: 'localStorage' | 'sessionStorage') =>
    page.evaluate((name) => Object.fromEntries(Object.keys(window[name]).map((key) => [key, window[name].getItem(key) ?? ''])), kind);
  /** A new auth over `kind` on the (re)loaded page: where it lands, and what getSession() says. */
  const restore = (page: Page, kind: 'localStorage' | 'sessionStorage') =>
    page.evaluate(async (name) => {
      const auth = window.authchartPage.createAuth({ storage: window[name] });
      try {
        const session = await auth.getSession(); // waits for loadingSession
        return { state: auth.actor.getSnapshot().value, session };
      } finally {
        await auth.stop();
      }
    }, kind);

  describe.each(['localStorage', 'sessionStorage'] as const)('storage: %s', (kind) => {
    it(`SRP sign-in keeps the session in ${kind} under authchart.<clientId>.session; a reload restores it without a call`, async () => {
      const { page, errors, requests } = await open();
      const seen = await page.evaluate(
        async ({ username, password, name }) => {
          // SRP draws its private value from Web Crypto and computes with BigInt: count the draws.
          let draws = 0;
          const getRandomValues = crypto.getRandomValues.bind(crypto);
          crypto.getRandomValues = ((array: Uint8Array) => ((draws += 1), getRandomValues(array))) as typeof crypto.getRandomValues;
          const auth = window.authchartPage.createAuth({ storage: window[name] });
          try {
            const signIn = await auth.signIn({ username, password, authFlow: 'USER_SRP_AUTH' });
            const session = await auth.getSession();
            return { signIn, session, draws, bigint: typeof BigInt(1) };
          } finally {
            await auth.stop();
          }
        },
        { username: pool.username, password: pool.password, name: kind },
      );
      expect(seen.signIn).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      expect(seen.draws).toBeGreaterThan(0);
      expect(seen.bigint).toBe('bigint');
      expect(operations()).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
      const { tokens } = seen.session;
      expect(seen.session.username).toBe(pool.username);
      expect(typeof tokens?.refreshToken).toBe('string');

      // One key, in the storage that was passed, holding exactly the session getSession() returned.
      const stored = await storedIn(page, kind);
      expect(Object.keys(stored)).toEqual([sessionKey()]);
      expect(JSON.parse(stored[sessionKey()]!)).toMatchObject({ accessToken: tokens!.accessToken, idToken: tokens!.idToken, refreshToken: tokens!.refreshToken });
      const other = kind === 'localStorage' ? 'sessionStorage' : 'localStorage';
      expect(await storedIn(page, other)).toEqual({});

      // A reload: a new instance over the same storage is signed in at once, with the same tokens.
      emu.resetRequests();
      await page.reload();
      await ready(page);
      const restored = await restore(page, kind);
      expect(restored.state).toEqual({ signedIn: 'active' });
      expect(restored.session).toEqual(seen.session);
      expect(operations()).toEqual([]); // restoring is offline

      // Another tab of the same origin: localStorage is shared with it, sessionStorage is not.
      const tab = await page.context().newPage();
      await tab.goto(page.url());
      await ready(tab);
      const inTab = await restore(tab, kind);
      if (kind === 'localStorage') expect(inTab.session).toEqual(seen.session);
      else expect(inTab).toEqual({ state: 'signedOut', session: {} });

      expect(errors).toEqual([]);
      expect(await page.evaluate(() => window.authchartPage.problems)).toEqual([]);
      expect(requests.filter((url) => !isLoopbackUrl(url))).toEqual([]);
    }, 30_000);
  });

  it('a full localStorage: the sign-in rejects with a StorageError naming the quota, nothing is stored, nobody is signed in, nothing thrown at the page', async () => {
    const { page, errors } = await open();
    const filled = await page.evaluate(() => {
      // The largest filler that fits, so that no session (a few KB) can: doubling, then bisecting.
      const fits = (length: number) => {
        try {
          localStorage.setItem('filler', 'x'.repeat(length));
          return true;
        } catch (error) {
          if ((error as Error).name !== 'QuotaExceededError') throw error;
          return false;
        }
      };
      let low = 1 << 16;
      while (fits(low * 2)) low *= 2;
      let high = low * 2;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (fits(middle)) low = middle;
        else high = middle;
      }
      if (!fits(low)) throw new Error('the filler no longer fits');
      let probe: string;
      try {
        localStorage.setItem('probe', 'x'.repeat(256));
        probe = 'stored';
      } catch (error) {
        probe = (error as Error).name;
      }
      return { length: low, probe };
    });
    expect(filled.length).toBeGreaterThan(1 << 20);
    expect(filled.probe).toBe('QuotaExceededError'); // not even 256 characters fit

    const seen = await page.evaluate(
      async ({ username, password }) => {
        const { StorageError } = window.authchartPage.authchart;
        const auth = window.authchartPage.createAuth({ storage: localStorage, networkTimeoutMs: 15_000 }) // a storage test: the network deadline is not what is measured, and a cold page under load must not hit it;
        try {
          const failure = await auth.signIn({ username, password }).then(
            () => null,
            (error: Error) => ({ name: error.name, message: error.message, isStorageError: error instanceof StorageError }),
          );
          await new Promise((resolve) => setTimeout(resolve, 0)); // a stray rejection would be reported by now
          return { failure, state: auth.actor.getSnapshot().value, session: await auth.getSession(), keys: Object.keys(localStorage) };
        } finally {
          await auth.stop();
        }
      },
      { username: pool.username, password: pool.password },
    );
    expect(seen.failure).toEqual({
      name: 'StorageError',
      message: 'Could not write the session in storage (QuotaExceededError): the storage is full, so it refused the write. Free some of its space or pass another storage',
      isStorageError: true,
    });
    // Cognito signed the user in; the save is what failed, and it left nothing behind: not in the
    // storage, and not at Cognito either, since the refresh token nobody holds is revoked at once.
    expect(operations()).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'RevokeToken']);
    expect(seen.keys).toEqual(['filler']);
    expect(seen.state).toBe('signedOut');
    expect(seen.session).toEqual({});
    // A reload finds nobody signed in either.
    await page.reload();
    await ready(page);
    expect(await restore(page, 'localStorage')).toEqual({ state: 'signedOut', session: {} });

    // With room again, a sign-in stores its session.
    const again = await page.evaluate(
      async ({ username, password }) => {
        localStorage.removeItem('filler');
        const auth = window.authchartPage.createAuth({ storage: localStorage, networkTimeoutMs: 15_000 });
        try {
          return { signIn: await auth.signIn({ username, password }), keys: Object.keys(localStorage) };
        } finally {
          await auth.stop();
        }
      },
      { username: pool.username, password: pool.password },
    );
    expect(again).toEqual({ signIn: { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, keys: [sessionKey()] });

    expect(errors).toEqual([]);
    expect(await page.evaluate(() => window.authchartPage.problems)).toEqual([]);
  }, 60_000);

  it('a sandboxed iframe, where reading localStorage throws SecurityError: webStorage() turns it into StorageErrors, and memory storage works there', async () => {
    const { page, errors, requests } = await open();
    // The iframe's origin is opaque ("null"), and the emulator answers CORS for loopback origins
    // only, so the frame's Cognito calls go through its parent (postMessage, then the parent's
    // fetch). The storage it is refused is the frame's own: that is what this test is about.
    await page.evaluate(() => {
      window.addEventListener('message', (event: MessageEvent) => {
        const asked = event.data as { relay?: number; url: string; method: string; headers: Record<string, string>; body: string };
        if (typeof asked?.relay !== 'number' || !event.source) return;
        const source = event.source as Window;
        fetch(asked.url, { method: asked.method, headers: asked.headers, body: asked.body, cache: 'no-store', redirect: 'manual' })
          .then(async (response) => source.postMessage({ answer: asked.relay, status: response.status, headers: [...(response.headers as unknown as Iterable<[string, string]>)], body: await response.text() }, '*'))
          .catch((error: Error) => source.postMessage({ answer: asked.relay, failed: error.message }, '*'));
      });
    });
    await page.evaluate(
      (src) =>
        new Promise<void>((resolve, reject) => {
          const frame = document.createElement('iframe');
          frame.sandbox.add('allow-scripts'); // no allow-same-origin: an opaque origin, no storage
          frame.addEventListener('load', () => resolve(), { once: true });
          frame.addEventListener('error', () => reject(new Error('the iframe did not load')), { once: true });
          frame.src = src;
          document.body.append(frame);
        }),
      page.url(),
    );
    const frame = page.frames().find((f) => f !== page.mainFrame());
    if (!frame) throw new Error('no iframe');
    await ready(frame);

    emu.resetRequests();
    const seen = await frame.evaluate(
      async ({ username, password }) => {
        const { StorageError, webStorage } = window.authchartPage.authchart;
        let next = 0;
        const relay = (url: string, init: RequestInit) =>
          new Promise<Response>((resolve, reject) => {
            const id = (next += 1);
            const onAnswer = (event: MessageEvent) => {
              const answer = event.data as { answer?: number; status: number; headers: [string, string][]; body: string; failed?: string };
              if (answer?.answer !== id) return;
              window.removeEventListener('message', onAnswer);
              if (answer.failed !== undefined) reject(new TypeError(answer.failed));
              else resolve(new Response(answer.body, { status: answer.status, headers: answer.headers }));
            };
            window.addEventListener('message', onAnswer);
            window.parent.postMessage({ relay: id, url, method: init.method, headers: init.headers, body: init.body }, '*');
          });
        const nameOf = (run: () => unknown) => {
          try {
            run();
            return 'no error';
          } catch (error) {
            return (error as Error).name;
          }
        };
        const describeError = (error: Error) => ({ name: error.name, message: error.message, isStorageError: error instanceof StorageError });

        // What an app meets: reading localStorage throws, so `storage: localStorage` throws in its own code.
        const origin = self.origin; // the document's origin (location.origin is the URL's)
        const readingLocalStorage = nameOf(() => window.localStorage);
        const readingSessionStorage = nameOf(() => window.sessionStorage);
        const createAuthWithLocalStorage = nameOf(() => window.authchartPage.createAuth({ fetch: relay }));

        // webStorage('localStorage'): createAuth() succeeds; start-up reports the storage, the sign-in fails typed.
        const storageErrors: { name: string; message: string }[] = [];
        const auth = window.authchartPage.createAuth({ storage: webStorage('localStorage'), fetch: relay });
        auth.on('storageError', (event) => storageErrors.push(event.error));
        const before = await auth.getSession();
        const failure = await auth.signIn({ username, password }).then(() => null, describeError);
        const state = auth.actor.getSnapshot().value;
        const after = await auth.getSession();
        await auth.stop();

        // The advice: leave storage out, and the session lives in memory, for this page.
        const inMemory = window.authchartPage.createAuth({ storage: undefined, fetch: relay });
        const memorySignIn = await inMemory.signIn({ username, password });
        const memorySession = await inMemory.getSession();
        await inMemory.stop();
        await new Promise((resolve) => setTimeout(resolve, 0));
        return { origin, readingLocalStorage, readingSessionStorage, createAuthWithLocalStorage, storageErrors, before, failure, state, after, memorySignIn, memoryUser: memorySession.username, problems: window.authchartPage.problems };
      },
      { username: pool.username, password: pool.password },
    );

    expect(seen.origin).toBe('null');
    expect(seen.readingLocalStorage).toBe('SecurityError');
    expect(seen.readingSessionStorage).toBe('SecurityError');
    expect(seen.createAuthWithLocalStorage).toBe('SecurityError');
    const unavailable = /^localStorage is unavailable \(SecurityError\): this page may not use it \(a sandboxed iframe, .*\)\. Leave storage out to keep the session in memory$/;
    expect(seen.storageErrors).toEqual([{ name: 'StorageError', message: expect.stringMatching(unavailable) }]);
    expect(seen.before).toEqual({});
    expect(seen.failure).toEqual({ name: 'StorageError', message: expect.stringMatching(unavailable), isStorageError: true });
    expect(seen.state).toBe('signedOut');
    expect(seen.after).toEqual({});
    expect(seen.memorySignIn).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(seen.memoryUser).toBe(pool.username);
    // Both sign-ins reached Cognito through the relay: the first failed at its save, after it.
    expect(operations()).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'InitiateAuth', 'RespondToAuthChallenge']);

    expect(seen.problems).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => window.authchartPage.problems)).toEqual([]);
    expect(requests.filter((url) => !isLoopbackUrl(url))).toEqual([]);
  }, 30_000);
});
