// The live statechart page (`npm run demo -- --web`, scripts/demo/web/) in real Chromium: it loads
// with no errors, draws both charts (states nested in their compound states, and one arrow per
// pair of states a transition links, labelled with its events, exactly as the definitions say)
// with `signedOut` highlighted, and follows a sign-in with SRP and a sign-out on its charts (the
// current states and the arrows just taken) and its timeline. The page is served at
// http://localhost:PORT/ (a WebAuthn relying party must be a domain): a passkey registered after a
// sign-in with SRP, with Chromium's virtual authenticator (DevTools protocol), signs the user in
// again after a sign-out; and the hosted UI's round trip (its login form, back to the page, and
// through its /logout) works at that origin. UPDATE_SCREENSHOT=1 rewrites docs/live-page.png.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { authMachine, signOutMachine } from '../../machines/index.js';
import { chartModel, type ChartModel } from '../../scripts/demo/web/chartModel.js';
import { startWebDemo, type WebDemo } from '../../scripts/demo/web/server.js';
import { describeInBrowser, launchChromium } from '../support/browser/chromium.js';
import { isLoopbackUrl } from '../support/browser/pages.js';

describeInBrowser('the live statechart page (Chromium)', () => {
  let browser: Browser;
  let demo: WebDemo;

  beforeAll(async () => {
    [browser, demo] = await Promise.all([launchChromium(), startWebDemo()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([browser?.close(), demo?.close()]);
  }, 20_000);

  const active = (page: Page, machine: string) =>
    page.$$eval(`[data-machine="${machine}"] .state.active`, (boxes) => boxes.map((box) => (box as HTMLElement).dataset['state']));
  const timeline = (page: Page) => page.$eval('#timeline', (list) => (list as HTMLElement).innerText);
  const waitForActive = (page: Page, machine: string, state: string) =>
    page.waitForSelector(`[data-machine="${machine}"] .state.active[data-state="${state}"]`);
  /** The arrows drawn: 'source -> target: label lines', by state path. */
  const arrows = (page: Page, machine: string, which = '') =>
    page.$$eval(`[data-machine="${machine}"] g.arrow[data-arrow]${which}`, (groups) =>
      groups.map((group) => {
        const element = group as SVGGElement;
        const lines = Array.from(element.querySelectorAll('.label tspan')).map((line) => line.textContent);
        return `${element.dataset['source']} -> ${element.dataset['target']}: ${lines.join(' | ')}`;
      }),
    );
  /** What the definition says must be drawn, in the same form. */
  const expectedArrows = (model: ChartModel) => {
    const paths = new Map<string, string>();
    const walk = (state: ChartModel['root']): void => {
      paths.set(state.id, state.path);
      state.children.forEach(walk);
    };
    walk(model.root);
    return model.arrows.map((arrow) => `${paths.get(arrow.source)} -> ${paths.get(arrow.target)}: ${arrow.labels.join(' | ')}`);
  };
  /** Every drawn state whose box is not inside its parent's box (should be none), and how many states have a parent box. */
  const nesting = (page: Page, machine: string) =>
    page.$$eval(`[data-machine="${machine}"] g.state`, (groups) => {
      const boxes = new Map(groups.map((group) => [(group as SVGGElement).dataset['state'] ?? '', (group.querySelector('rect') as SVGRectElement).getBBox()]));
      const outside: string[] = [];
      let nested = 0;
      for (const [path, box] of boxes) {
        if (path === '') continue;
        const parent = boxes.get(path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '');
        if (!parent) {
          outside.push(`${path}: no parent box`);
          continue;
        }
        if (path.includes('.')) nested++;
        if (box.x <= parent.x || box.y <= parent.y || box.x + box.width >= parent.x + parent.width || box.y + box.height >= parent.y + parent.height) outside.push(path);
      }
      return { outside, nested, compound: groups.filter((group) => group.classList.contains('compound')).map((group) => (group as SVGGElement).dataset['state']) };
    });

  it('draws both charts, then follows a sign-in with SRP and a sign-out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(30_000); // elkjs lays the charts out in the page: seconds on a busy machine
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    let apiRefusals = 0; // Chromium logs the API's intended 401 (the old token after sign-out) as an error
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (message.location().url.endsWith('/api/orders') && message.text().includes('401')) return void apiRefusals++;
      errors.push(`console.error: ${message.text()}`);
    });
    page.on('request', (request) => requests.push(request.url()));
    try {
      await page.goto(demo.url);
      await page.waitForFunction(() => document.body.dataset['ready'] === 'true');

      // Both charts, drawn from the definitions: the auth chart in signedOut, the sign-out chart not running.
      await waitForActive(page, 'auth', 'signedOut');
      expect(await active(page, 'auth')).toEqual(['signedOut']);
      expect(await page.$$eval('[data-machine="signOut"] .state', (boxes) => boxes.length)).toBeGreaterThan(5);
      expect(await active(page, 'signOut')).toEqual([]);

      // Real statecharts: every transition of the definitions is an arrow labelled with its events,
      // and a compound state is a box around its children (the root is the machine's own box).
      for (const machine of [authMachine, signOutMachine]) {
        const drawn = await arrows(page, machine.id);
        expect(drawn.sort()).toEqual(expectedArrows(chartModel(machine)).sort());
        expect(drawn.length).toBeGreaterThan(10);
        const { outside, nested, compound } = await nesting(page, machine.id);
        expect(outside).toEqual([]);
        expect(nested).toBeGreaterThan(1);
        expect(compound).toContain('');
      }
      expect(await arrows(page, 'auth')).toContain('signedOut -> finishingGlobalSignOut: SIGN_IN | SIGN_IN_WITH_REDIRECT'); // one arrow per pair of states, labelled by every event it takes
      expect((await nesting(page, 'auth')).compound).toEqual(expect.arrayContaining(['signedIn', 'signedIn.refreshing']));
      expect((await nesting(page, 'signOut')).compound).toEqual(expect.arrayContaining(['callingCognito', 'callingCognito.signingOutGlobally']));
      expect(await page.$$eval('[data-machine="auth"] path[marker-end]', (paths) => paths.length)).toBeGreaterThan(20);
      expect(await timeline(page)).toMatch(/auth\s+loadingSession → signedOut/);
      expect(await timeline(page)).toMatch(/handleRedirect\(\)\s+none/);

      await page.getByRole('button', { name: 'Sign in (SRP)', exact: true }).click();
      await waitForActive(page, 'auth', 'signedIn.active');
      expect(await active(page, 'auth')).toEqual(['signedIn', 'signedIn.active']);
      await page.waitForFunction(() => /signIn\(\)\s+signed in/.test(document.getElementById('timeline')?.innerText ?? ''));
      const afterSignIn = await timeline(page);
      // A sign-in first has the outbox finish any queued global sign-out (none here), then signs in.
      expect(afterSignIn).toMatch(/auth\s+signedOut → finishingGlobalSignOut\s+SIGN_IN/);
      expect(afterSignIn).toMatch(/auth\s+finishingGlobalSignOut → signingIn\s+GLOBAL_SIGN_OUTS_FINISHED/);
      expect(afterSignIn).toMatch(/auth\s+signingIn → signedIn\.active/);
      // The last step is highlighted: Cognito's answer took signingIn's onDone arrow into signedIn.
      expect(await arrows(page, 'auth', '.taken')).toEqual(['signingIn -> signedIn: done']);
      expect(await arrows(page, 'auth', '.last')).toEqual(['signingIn -> signedIn: done']);
      // The demo app's API (on the page's server) serves the signed-in token.
      await page.getByRole('button', { name: 'Call the API', exact: true }).click();
      await page.waitForFunction(() => /GET \/api\/orders\s+200 served/.test(document.getElementById('timeline')?.innerText ?? ''));
      if (process.env.UPDATE_SCREENSHOT === '1') writeFileSync(join(__dirname, '../../docs/live-page.png'), await page.locator('body').screenshot());

      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.waitForFunction(() => /signOut\(\)\s+complete:/.test(document.getElementById('timeline')?.innerText ?? ''));
      await waitForActive(page, 'auth', 'signedOut');
      expect(await active(page, 'signOut')).toEqual(['done']);
      // The sign-out told the API (revocationEndpoint): it refuses the old token at once.
      await page.getByRole('button', { name: 'Call the API', exact: true }).click();
      await page.waitForFunction(() => /GET \/api\/orders\s+401 to the old token TokenRevoked \(reason session\)/.test(document.getElementById('timeline')?.innerText ?? ''));
      const afterSignOut = await timeline(page);
      expect(afterSignOut).toMatch(/auth\s+signedIn\.active → signingOut\s+SIGN_OUT/);
      expect(afterSignOut).toMatch(/signOut\s+\(start\) → recordingIntent/);
      expect(afterSignOut).toMatch(/auth\s+signingOut → signedOut/);
      // The auth chart's last step: the sign-out child finished, so signingOut's onDone went to signedOut;
      // the sign-out chart's: the intent was settled, and eventless transitions ended the run in done.
      expect(await arrows(page, 'auth', '.last')).toEqual([expect.stringMatching(/^signingOut -> signedOut: /)]);
      expect(await arrows(page, 'signOut', '.last')).toEqual([expect.stringMatching(/^settled -> done: always$/)]);
      expect(await arrows(page, 'signOut', '.taken')).toEqual([expect.stringMatching(/^settlingIntent -> settled: /), expect.stringMatching(/^settled -> done: /)]);

      // No token is ever on the page, and nothing left 127.0.0.1.
      const stored = await page.evaluate(() => Object.keys(localStorage));
      expect(afterSignOut).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // a JWT's header
      expect(stored.filter((key) => key.endsWith('.session'))).toEqual([]);
      expect(requests.filter((url) => !isLoopbackUrl(url))).toEqual([]);
      expect(errors).toEqual([]);
      expect(apiRefusals).toBe(1);
    } finally {
      await context.close();
    }
  }, 120_000);

  /** A new page with its console errors and requests recorded (none expected), opened at the demo's URL and ready. */
  async function openLivePage(withAuthenticator = false) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(`console.error: ${message.text()}`)));
    page.on('request', (request) => requests.push(request.url()));
    const cdp = await context.newCDPSession(page);
    let authenticatorId = '';
    if (withAuthenticator) {
      await cdp.send('WebAuthn.enable');
      ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } }));
    }
    await page.goto(demo.url);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
    await waitForActive(page, 'auth', 'signedOut');
    return { context, page, errors, requests, cdp, authenticatorId };
  }
  /** Waits until the timeline has a line matching `pattern` (its source, as page.waitForFunction takes strings of code). */
  const waitForLine = (page: Page, pattern: RegExp) =>
    page.waitForFunction((source) => new RegExp(source).test(document.getElementById('timeline')?.innerText ?? ''), pattern.source);

  it('is served at http://localhost:PORT/, and a 127.0.0.1 address is sent there', async () => {
    expect(demo.url).toMatch(/^http:\/\/localhost:\d+\/$/);
    const port = new URL(demo.url).port;
    const response = await fetch(`http://127.0.0.1:${port}/?inspect`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`http://localhost:${port}/?inspect`);
  });

  it('with a virtual authenticator: no passkey yet, then one registered after a sign-in with SRP signs in after a sign-out; registration refused signed out, and twice', async () => {
    const { context, page, errors, requests, cdp, authenticatorId } = await openLivePage(true);
    try {
      // No passkey yet: Cognito does not offer WEB_AUTHN, and the page says so (the chart holds the first-factor choice; a new signIn() starts over).
      await page.getByRole('button', { name: 'Sign in (passkey)', exact: true }).click();
      await waitForLine(page, /signIn\(\{ USER_AUTH, WEB_AUTHN \}\)\s+no passkey yet: Cognito offers PASSWORD, PASSWORD_SRP only/);
      // Signed out, registration is refused before anything is sent.
      await page.getByRole('button', { name: 'Register a passkey', exact: true }).click();
      await waitForLine(page, /associateWebAuthnCredential\(\)\s+rejected: UserUnAuthenticatedException/);
      await page.getByRole('button', { name: 'Sign in (SRP)', exact: true }).click();
      await waitForActive(page, 'auth', 'signedIn.active');
      await waitForLine(page, /signIn\(\)\s+signed in/);

      await page.getByRole('button', { name: 'Register a passkey', exact: true }).click();
      await waitForLine(page, /associateWebAuthnCredential\(\)\s+(registered|rejected)/);
      expect(await timeline(page)).toMatch(/associateWebAuthnCredential\(\)\s+registered: /);
      // The authenticator holds the one passkey, for the relying party 'localhost'.
      const held = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(held.credentials.map((credential) => credential.rpId)).toEqual(['localhost']);

      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await waitForLine(page, /signOut\(\)\s+complete:/);
      await waitForActive(page, 'auth', 'signedOut');

      await page.getByRole('button', { name: 'Sign in (passkey)', exact: true }).click();
      await waitForLine(page, /signIn\(\{ USER_AUTH, WEB_AUTHN \}\)\s+(signed in|rejected|not yet)/);
      const afterPasskey = await timeline(page);
      expect(afterPasskey).toMatch(/signIn\(\{ USER_AUTH, WEB_AUTHN \}\)\s+signed in with the passkey/);
      await waitForActive(page, 'auth', 'signedIn.active');
      expect(await active(page, 'auth')).toEqual(['signedIn', 'signedIn.active']);
      // A second registration on this authenticator: the browser refuses the excluded credential.
      await page.getByRole('button', { name: 'Register a passkey', exact: true }).click();
      await waitForLine(page, /associateWebAuthnCredential\(\)\s+rejected: PasskeyAlreadyRegistered/);
      expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1);
      // The auth chart held Cognito's WEB_AUTHN challenge, and the engine answered it with the passkey's assertion.
      const passkeySteps = afterPasskey.slice(afterPasskey.lastIndexOf('signOut()'));
      expect(passkeySteps).toMatch(/auth\s+signingIn → awaitingChallengeAnswer\s+done/);
      expect(passkeySteps).toMatch(/auth\s+awaitingChallengeAnswer → answeringChallenge\s+CONFIRM_SIGN_IN/);
      expect(passkeySteps).toMatch(/auth\s+answeringChallenge → signedIn\.active/);

      expect(afterPasskey).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
      expect(requests.filter((url) => !isLoopbackUrl(url))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the hosted UI round trip at the localhost origin: the login form, back to the page signed in, and a sign-out through /logout', async () => {
    const { context, page, errors } = await openLivePage();
    try {
      const atLoginForm = page.waitForURL((url) => url.pathname === '/oauth2/authorize');
      await page.getByRole('button', { name: 'Sign in (hosted UI)', exact: true }).click();
      await atLoginForm;
      expect(new URL(page.url()).hostname).toBe('127.0.0.1'); // the emulator stays on 127.0.0.1
      await page.fill('input[name=username]', demo.user.username);
      await page.fill('input[name=password]', demo.user.password);
      await page.click('button[type=submit]');
      await page.waitForURL((url) => url.origin === new URL(demo.url).origin);
      await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
      await waitForLine(page, /handleRedirect\(\)\s+back from the hosted UI: signed in/);
      await waitForActive(page, 'auth', 'signedIn.active');

      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await waitForLine(page, /handleRedirect\(\)\s+back from \/logout: complete/);
      expect(new URL(page.url()).origin).toBe(new URL(demo.url).origin);
      await waitForActive(page, 'auth', 'signedOut');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
