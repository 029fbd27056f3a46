// Two tabs of one origin in real Chromium, sharing localStorage: a sign-in in one signs the other in,
// a sign-out in one signs the other out (signedOut with reason 'otherTab'), and the signed-out tab
// cannot bring the old tokens back. The page is authchart/fetch bundled by esbuild, against the
// emulator over 127.0.0.1. See docs/tabs.md; the chart's side in jest: __tests__/tabs.test.ts.
import type { Browser, Page } from 'playwright-core';
import type { Auth, AuthHubEvent } from '../../src/fetch/index.js';
import type { CognitoEmulator, SetupResult } from '../../src/testing/index.js';
import { describeInBrowser } from '../support/browser/chromium.js';
import { browserPerFile } from '../support/browser/perFile.js';
import { openPage, type OpenedPage, type PageServer } from '../support/browser/pages.js';

/** What each tab keeps on `window` for the test: its instance and the events it heard. */
type TabWindow = { tab: { auth: Auth; events: AuthHubEvent[] } };

describeInBrowser('tabs that agree (Chromium, one localStorage)', () => {
  let browser: Browser;
  let pages: PageServer;
  let emu: CognitoEmulator;
  let opened: OpenedPage | undefined;

  browserPerFile((started) => ({ browser, pages, emu } = started));
  afterEach(async () => {
    const errors = opened?.errors ?? [];
    await opened?.close();
    opened = undefined;
    expect(errors).toEqual([]);
  });
  /** Two tabs of the test page in one browser context, each with a running instance over localStorage. */
  async function twoTabs(pool: SetupResult): Promise<[Page, Page]> {
    const config = { endpoint: emu.endpoint, userPoolId: pool.userPoolId, clientId: pool.clientId };
    opened = await openPage(browser, pages, config);
    const second = await opened.context.newPage();
    second.on('pageerror', (error) => opened?.errors.push(`pageerror (tab B): ${error.message}`));
    await second.goto(pages.pageUrl(config));
    await second.waitForFunction(() => document.body.dataset['ready'] === 'true');
    const tabs: [Page, Page] = [opened.page, second];
    for (const page of tabs) {
      await page.evaluate(() => {
        const auth = window.authchartPage.createAuth({ storage: localStorage });
        const events: AuthHubEvent[] = [];
        auth.on('signedIn', (event) => events.push(event));
        auth.on('signedOut', (event) => events.push(event));
        (window as unknown as TabWindow).tab = { auth, events };
      });
    }
    return tabs;
  }
  const heard = (page: Page) => page.evaluate(() => (window as unknown as TabWindow).tab.events);
  const session = (page: Page) => page.evaluate(() => (window as unknown as TabWindow).tab.auth.getSession());
  const waitToHear = (page: Page, type: string, reason?: string) =>
    page.waitForFunction(([t, r]) => (window as unknown as TabWindow).tab.events.some((e) => e.type === t && (r === undefined || ('reason' in e && e.reason === r))), [type, reason] as const);

  it('a sign-in in tab A signs tab B in, with the same session; a sign-out in A signs B out (otherTab), and B brings nothing back', async () => {
    const pool = emu.setup();
    const [a, b] = await twoTabs(pool);
    await expect(session(b)).resolves.toEqual({});

    await a.evaluate(({ username, password }) => (window as unknown as TabWindow).tab.auth.signIn({ username, password }), { username: pool.username, password: pool.password });
    await waitToHear(b, 'signedIn');
    const inA = await session(a);
    const inB = await session(b);
    expect(inB).toMatchObject({ username: pool.username });
    expect(inB.tokens).toEqual(inA.tokens);
    // One user at a time across tabs: B refuses a second sign-in.
    await expect(b.evaluate(({ username, password }) => (window as unknown as TabWindow).tab.auth.signIn({ username, password }).then(() => 'signed in', (e: Error) => e.name), { username: pool.username, password: pool.password })).resolves.toBe('UserAlreadyAuthenticatedException');

    await expect(a.evaluate(() => (window as unknown as TabWindow).tab.auth.signOut())).resolves.toEqual({ type: 'complete', signedOutLocally: true });
    await waitToHear(b, 'signedOut', 'otherTab');
    expect(await heard(b)).toEqual([{ type: 'signedIn', username: pool.username }, { type: 'signedOut', reason: 'otherTab' }]);
    await expect(session(b)).resolves.toEqual({});
    await expect(b.evaluate(() => (window as unknown as TabWindow).tab.auth.getSession({ forceRefresh: true }))).resolves.toEqual({});
    expect(await b.evaluate(() => Object.keys(localStorage).filter((key) => key.endsWith('.session')))).toEqual([]);
    expect(emu.tokenRevoked(inA.tokens!.refreshToken!)).toBe(true);
  }, 30_000);

  it('a refresh in flight in tab B when tab A signs out is dropped: the store stays empty', async () => {
    const pool = emu.setup();
    const [a, b] = await twoTabs(pool);
    await a.evaluate(({ username, password }) => (window as unknown as TabWindow).tab.auth.signIn({ username, password }), { username: pool.username, password: pool.password });
    await waitToHear(b, 'signedIn');
    emu.faults.set('InitiateAuth', { type: 'latency', ms: 300 }); // B's refresh is slow to answer
    const refreshing = b.evaluate(() => (window as unknown as TabWindow).tab.auth.getSession({ forceRefresh: true }).then((s) => s, (e: Error) => ({ error: e.name })));
    await b.waitForFunction(() => (window as unknown as TabWindow).tab.auth.actor.getSnapshot().matches({ signedIn: { refreshing: 'refreshingTokens' } }));
    await a.evaluate(() => (window as unknown as TabWindow).tab.auth.signOut());
    await waitToHear(b, 'signedOut', 'otherTab');
    await expect(refreshing).resolves.toEqual({});
    emu.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, 400)); // past the slow answer: it must not have been written
    expect(await b.evaluate(() => Object.keys(localStorage).filter((key) => key.endsWith('.session')))).toEqual([]);
  }, 30_000);

  describe('one refresh for many tabs (Web Locks)', () => {
    /** `count` tabs of one context, each with an instance over localStorage; the first signs in and the others follow. */
    async function tabsSignedIn(pool: SetupResult, count: number, extra: Record<string, unknown> = {}): Promise<Page[]> {
      const config = { endpoint: emu.endpoint, userPoolId: pool.userPoolId, clientId: pool.clientId };
      opened = await openPage(browser, pages, config);
      const tabs = [opened.page];
      for (let i = 1; i < count; i++) {
        const page = await opened.context.newPage();
        page.on('pageerror', (error) => opened?.errors.push(`pageerror (tab ${i}): ${error.message}`));
        await page.goto(pages.pageUrl(config));
        await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
        tabs.push(page);
      }
      for (const page of tabs) {
        await page.evaluate((more) => {
          const auth = window.authchartPage.createAuth({ storage: localStorage, ...more });
          const events: AuthHubEvent[] = [];
          auth.on('signedIn', (event) => events.push(event));
          (window as unknown as TabWindow).tab = { auth, events };
        }, extra);
      }
      await tabs[0]!.evaluate(({ username, password }) => (window as unknown as TabWindow).tab.auth.signIn({ username, password }), { username: pool.username, password: pool.password });
      for (const page of tabs.slice(1)) await page.waitForFunction(() => (window as unknown as TabWindow).tab.events.some((e) => e.type === 'signedIn'));
      return tabs;
    }
    const refreshAll = (tabs: Page[]) =>
      Promise.all(tabs.map((page) => page.evaluate(() => (window as unknown as TabWindow).tab.auth.getSession({ forceRefresh: true }).then((s) => s.tokens?.accessToken ?? 'none', (e: Error) => e.name))));
    const refreshCalls = () => emu.requests.filter((r) => r.operation === 'InitiateAuth' || r.operation === 'GetTokensFromRefreshToken').length;

    it.each([1, 2, 3, 4, 5])('5 tabs refresh at once: one refresh request between them, and every tab ends with the same new session (trial %i)', async () => {
      const pool = emu.setup();
      const tabs = await tabsSignedIn(pool, 5);
      const before = await tabs[0]!.evaluate(() => (window as unknown as TabWindow).tab.auth.getSession().then((s) => s.tokens!.accessToken));
      emu.resetRequests();
      // "At once" made sure on a loaded machine: the refresh is answered after 1 s, so every tab's call
      // arrives while it is out. A call that began after the refresh had ended would rightly refresh again.
      emu.faults.set('InitiateAuth', { type: 'latency', ms: 1_000 });
      const after = await refreshAll(tabs);
      expect(refreshCalls()).toBe(1);
      expect(new Set(after).size).toBe(1);
      expect(after[0]).not.toBe(before);
    }, 60_000);

    it('a tab that dies holding the refresh lock does not block the others: the browser releases it, and the next tab refreshes', async () => {
      const pool = emu.setup();
      const tabs = await tabsSignedIn(pool, 2, { storageTimeoutMs: 500 });
      const [dying, waiting] = tabs as [Page, Page];
      emu.faults.set('InitiateAuth', { type: 'blackhole' }, { times: 1 }); // the dying tab's refresh never comes back
      emu.resetRequests();
      void dying.evaluate(() => void (window as unknown as TabWindow).tab.auth.getSession({ forceRefresh: true }).catch(() => undefined));
      await dying.waitForFunction(() => (window as unknown as TabWindow).tab.auth.actor.getSnapshot().matches({ signedIn: { refreshing: 'refreshingTokens' } }));
      const refreshed = waiting.evaluate(() => (window as unknown as TabWindow).tab.auth.getSession({ forceRefresh: true }).then((s) => s.tokens?.accessToken ?? 'none', (e: Error) => e.name));
      // The chart shows the wait: the other tab holds the turn.
      await waiting.waitForFunction(() => (window as unknown as TabWindow).tab.auth.actor.getSnapshot().matches({ signedIn: { refreshing: 'waitingForTurn' } }));
      await dying.close(); // the tab dies with the lock
      await expect(refreshed).resolves.toMatch(/^eyJ/);
      expect(emu.requests.filter((r) => r.operation === 'InitiateAuth').length).toBe(2); // the dead tab's, then the waiting tab's own
    }, 60_000);

    it('with refresh-token rotation: 5 tabs, one GetTokensFromRefreshToken, and the new refresh token is the one stored', async () => {
      const pool = emu.setup({ refreshTokenRotation: { feature: 'ENABLED', retryGracePeriodSeconds: 0 } });
      const tabs = await tabsSignedIn(pool, 5, { refreshTokenRotation: true });
      const oldRefresh = await tabs[0]!.evaluate(() => (window as unknown as TabWindow).tab.auth.getSession().then((s) => s.tokens!.refreshToken!));
      emu.resetRequests();
      emu.faults.set('GetTokensFromRefreshToken', { type: 'latency', ms: 1_000 }); // every tab's call arrives while the refresh is out
      const after = await refreshAll(tabs);
      expect(emu.requests.map((r) => r.operation).filter((op) => op === 'GetTokensFromRefreshToken' || op === 'InitiateAuth')).toEqual(['GetTokensFromRefreshToken']);
      expect(new Set(after).size).toBe(1);
      const stored = await tabs[4]!.evaluate(() => (window as unknown as TabWindow).tab.auth.getSession().then((s) => s.tokens!.refreshToken!));
      expect(stored).not.toBe(oldRefresh);
    }, 60_000);
  });
});
