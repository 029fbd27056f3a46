// Two tabs of one origin in real Chromium, sharing localStorage: a sign-in in one signs the other in,
// a sign-out in one signs the other out (signedOut with reason 'otherTab'), and the signed-out tab
// cannot bring the old tokens back. The page is authchart/fetch bundled by esbuild, against the
// emulator over 127.0.0.1. See docs/tabs.md; the chart's side in jest: __tests__/tabs.test.ts.
import type { Browser, Page } from 'playwright-core';
import type { Auth, AuthHubEvent } from '../../src/fetch/index.js';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../../src/testing/index.js';
import { describeInBrowser, launchChromium } from '../support/browser/chromium.js';
import { openPage, servePages, type OpenedPage, type PageServer } from '../support/browser/pages.js';

/** What each tab keeps on `window` for the test: its instance and the events it heard. */
type TabWindow = { tab: { auth: Auth; events: AuthHubEvent[] } };

describeInBrowser('tabs that agree (Chromium, one localStorage)', () => {
  let browser: Browser;
  let pages: PageServer;
  let emu: CognitoEmulator;
  let opened: OpenedPage | undefined;

  beforeAll(async () => {
    [browser, pages, emu] = await Promise.all([launchChromium(), servePages(), startCognitoEmulator()]);
  }, 45_000);
  afterEach(async () => {
    const errors = opened?.errors ?? [];
    await opened?.close();
    opened = undefined;
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await Promise.allSettled([browser?.close(), pages?.close(), emu?.close()]);
  }, 20_000);

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
    await b.waitForFunction(() => JSON.stringify((window as unknown as TabWindow).tab.auth.actor.getSnapshot().value) === '{"signedIn":"refreshing"}');
    await a.evaluate(() => (window as unknown as TabWindow).tab.auth.signOut());
    await waitToHear(b, 'signedOut', 'otherTab');
    await expect(refreshing).resolves.toEqual({});
    emu.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, 400)); // past the slow answer: it must not have been written
    expect(await b.evaluate(() => Object.keys(localStorage).filter((key) => key.endsWith('.session')))).toEqual([]);
  }, 30_000);
});
