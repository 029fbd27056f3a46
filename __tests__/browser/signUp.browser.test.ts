// Sign-up with an auto sign-in in a real Chromium (docs/account-flows.md, "Sign-up and auto
// sign-in"): authchart/fetch and authchart/account bundled into the test page over localStorage.
// signUp, confirmSignUp, a reload, then autoSignIn() completes on the reloaded page, and the record
// in localStorage never held the password. With two tabs, the one that did not sign in hears of it
// (BroadcastChannel) and holds the same session. Set-up as in smoke.browser.test.ts; see
// docs/testing.md, "Tests in a real browser".
import type { Browser, Page } from 'playwright-core';
import type { AuthHubEvent } from '../../src/fetch/index.js';
import type { CognitoEmulator, SetupResult } from '../../src/testing/index.js';
import { describeInBrowser } from '../support/browser/chromium.js';
import { browserPerFile } from '../support/browser/perFile.js';
import { openPage, type OpenedPage, type PageServer } from '../support/browser/pages.js';

const PASSWORD = 'Sign-up-pw1!';
const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'];
/** What each tab keeps on `window`: the hub events its instance heard. */
type TabWindow = { heard: AuthHubEvent[] };

describeInBrowser('sign-up and auto sign-in in Chromium (localStorage)', () => {
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

  const configOf = (pool: SetupResult) => ({ endpoint: emu.endpoint, userPoolId: pool.userPoolId, clientId: pool.clientId });
  const codeOf = (pool: SetupResult, username: string) => [...emu.inbox(username, { userPoolId: pool.userPoolId })].reverse().find((m) => m.purpose === 'signUp')!.code;
  const ready = (page: Page) => page.waitForFunction(() => document.body.dataset['ready'] === 'true');
  const stored = (page: Page) => page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key) ?? ''])));
  /** One call on a fresh auth and account over localStorage, stopped after. */
  const signUpStep = (page: Page, step: 'signUp' | 'confirmSignUp', args: { username: string; password?: string; code?: string }) =>
    page.evaluate(
      async ({ step, username, password, code }) => {
        const auth = window.authchartPage.createAuth();
        const account = window.authchartPage.account.createAccount(auth);
        try {
          return step === 'signUp'
            ? await account.signUp({ username, password: password!, options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: true } })
            : await account.confirmSignUp({ username, confirmationCode: code! });
        } finally {
          await auth.stop();
        }
      },
      { step, ...args },
    );

  it('signUp, confirmSignUp, a reload, then autoSignIn() signs in on the reloaded page; localStorage never held the password', async () => {
    const pool = emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] }, explicitAuthFlows: FLOWS });
    opened = await openPage(browser, pages, configOf(pool));
    const { page } = opened;
    const username = 'browser-new-user';
    await expect(signUpStep(page, 'signUp', { username, password: PASSWORD })).resolves.toMatchObject({ nextStep: { signUpStep: 'CONFIRM_SIGN_UP' } });
    const code = codeOf(pool, username);
    await expect(signUpStep(page, 'confirmSignUp', { username, code })).resolves.toEqual({ isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
    const before = await stored(page);
    const record = JSON.parse(before[`authchart.${pool.clientId}.autoSignIn`]!) as Record<string, unknown>;
    expect(record).toMatchObject({ stage: 'confirmed', username, session: expect.any(String) });
    for (const value of Object.values(before)) expect(value).not.toContain(PASSWORD);

    await page.reload();
    await ready(page);
    const after = await page.evaluate(async () => {
      const auth = window.authchartPage.createAuth();
      const account = window.authchartPage.account.createAccount(auth);
      const heard: AuthHubEvent[] = [];
      auth.on('signedIn', (event) => heard.push(event));
      try {
        const pending = await account.pendingAutoSignIn();
        const result = await account.autoSignIn();
        const session = await auth.getSession();
        return { pending, result, username: session.username, hasTokens: typeof session.tokens?.accessToken === 'string', heard, left: await account.pendingAutoSignIn() };
      } finally {
        await auth.stop();
      }
    });
    expect(after).toEqual({ pending: { username, deadline: record.deadline }, result: { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, username, hasTokens: true, heard: [expect.objectContaining({ type: 'signedIn', username })], left: null });
    const left = await stored(page);
    expect(left[`authchart.${pool.clientId}.autoSignIn`]).toBeUndefined();
    expect(left[`authchart.${pool.clientId}.session`]).toEqual(expect.any(String));
    for (const value of Object.values(left)) expect(value).not.toContain(PASSWORD);
    expect(JSON.stringify(left)).not.toContain(code);
  });

  it('two tabs: tab B completes the auto sign-in tab A confirmed, and tab A hears of it and holds the same session', async () => {
    const pool = emu.setup({ userPool: { AutoVerifiedAttributes: ['email'] }, explicitAuthFlows: FLOWS });
    const config = configOf(pool);
    opened = await openPage(browser, pages, config);
    const a = opened.page;
    const b = await opened.context.newPage();
    b.on('pageerror', (error) => opened?.errors.push(`pageerror (tab B): ${error.message}`));
    await b.goto(pages.pageUrl(config));
    await ready(b);
    const username = 'browser-tab-user';
    // Tab A signs up and stays open, its instance running.
    await a.evaluate(
      async ({ username, password }) => {
        const auth = window.authchartPage.createAuth();
        const heard: AuthHubEvent[] = [];
        auth.on('signedIn', (event) => heard.push(event));
        (window as unknown as TabWindow).heard = heard;
        const account = window.authchartPage.account.createAccount(auth);
        window.authchartPage.results['a'] = { auth, account };
        await account.signUp({ username, password, options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: true } });
      },
      { username, password: PASSWORD },
    );
    const code = codeOf(pool, username);
    await a.evaluate(async ({ username, code }) => {
      const { account } = window.authchartPage.results['a'] as { account: ReturnType<typeof window.authchartPage.account.createAccount> };
      await account.confirmSignUp({ username, confirmationCode: code });
    }, { username, code });
    const inB = await b.evaluate(async () => {
      const auth = window.authchartPage.createAuth();
      const account = window.authchartPage.account.createAccount(auth);
      await account.autoSignIn();
      return (await auth.getSession()).tokens?.accessToken;
    });
    expect(inB).toEqual(expect.any(String));
    await a.waitForFunction(() => (window as unknown as TabWindow).heard.length > 0);
    const inA = await a.evaluate(async () => {
      const { auth } = window.authchartPage.results['a'] as { auth: ReturnType<typeof window.authchartPage.createAuth> };
      return { heard: (window as unknown as TabWindow).heard, accessToken: (await auth.getSession()).tokens?.accessToken };
    });
    expect(inA).toEqual({ heard: [expect.objectContaining({ type: 'signedIn', username })], accessToken: inB });
  });
});
