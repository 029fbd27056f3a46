// The live statechart page (`npm run demo -- --web`, scripts/demo/web/) in real Chromium: it loads
// with no errors, draws both charts with `signedOut` highlighted, and follows a sign-in with SRP and
// a sign-out on its charts and its timeline. UPDATE_SCREENSHOT=1 rewrites docs/live-page.png.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startWebDemo, type WebDemo } from '../../scripts/demo/web/server.js';
import { describeInBrowser, launchChromium } from '../support/browser/chromium.js';
import { isLoopbackUrl } from '../support/browser/pages.js';

describeInBrowser('the live statechart page (Chromium)', () => {
  let browser: Browser;
  let demo: WebDemo;

  beforeAll(async () => {
    [browser, demo] = await Promise.all([launchChromium(), startWebDemo()]);
  }, 45_000);
  afterAll(async () => {
    await Promise.allSettled([browser?.close(), demo?.close()]);
  }, 20_000);

  const active = (page: Page, machine: string) =>
    page.$$eval(`[data-machine="${machine}"] .state.active`, (boxes) => boxes.map((box) => (box as HTMLElement).dataset['state']));
  const timeline = (page: Page) => page.$eval('#timeline', (list) => (list as HTMLElement).innerText);
  const waitForActive = (page: Page, machine: string, state: string) =>
    page.waitForSelector(`[data-machine="${machine}"] .state.active[data-state="${state}"]`);

  it('draws both charts, then follows a sign-in with SRP and a sign-out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(`console.error: ${message.text()}`)));
    page.on('request', (request) => requests.push(request.url()));
    try {
      await page.goto(demo.url);
      await page.waitForFunction(() => document.body.dataset['ready'] === 'true');

      // Both charts, drawn from the definitions: the auth chart in signedOut, the sign-out chart not running.
      await waitForActive(page, 'auth', 'signedOut');
      expect(await active(page, 'auth')).toEqual(['signedOut']);
      expect(await page.$$eval('[data-machine="signOut"] .state', (boxes) => boxes.length)).toBeGreaterThan(5);
      expect(await active(page, 'signOut')).toEqual([]);
      expect(await timeline(page)).toMatch(/auth\s+loadingSession → signedOut/);
      expect(await timeline(page)).toMatch(/handleRedirect\(\)\s+none/);

      await page.getByRole('button', { name: 'Sign in (SRP)', exact: true }).click();
      await waitForActive(page, 'auth', 'signedIn.active');
      expect(await active(page, 'auth')).toEqual(['signedIn', 'signedIn.active']);
      await page.waitForFunction(() => /signIn\(\)\s+signed in/.test(document.getElementById('timeline')?.innerText ?? ''));
      const afterSignIn = await timeline(page);
      expect(afterSignIn).toMatch(/auth\s+signedOut → signingIn\s+SIGN_IN/);
      expect(afterSignIn).toMatch(/auth\s+signingIn → signedIn\.active/);
      if (process.env.UPDATE_SCREENSHOT === '1') writeFileSync(join(__dirname, '../../docs/live-page.png'), await page.locator('body').screenshot());

      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.waitForFunction(() => /signOut\(\)\s+complete:/.test(document.getElementById('timeline')?.innerText ?? ''));
      await waitForActive(page, 'auth', 'signedOut');
      expect(await active(page, 'signOut')).toEqual(['done']);
      const afterSignOut = await timeline(page);
      expect(afterSignOut).toMatch(/auth\s+signedIn\.active → signingOut\s+SIGN_OUT/);
      expect(afterSignOut).toMatch(/signOut\s+\(start\) → recordingIntent/);
      expect(afterSignOut).toMatch(/auth\s+signingOut → signedOut/);

      // No token is ever on the page, and nothing left 127.0.0.1.
      const stored = await page.evaluate(() => Object.keys(localStorage));
      expect(afterSignOut).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // a JWT's header
      expect(stored.filter((key) => key.endsWith('.session'))).toEqual([]);
      expect(requests.filter((url) => !isLoopbackUrl(url))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);
});
