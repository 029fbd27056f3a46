// The TOTP setup in a real browser (issue 21, "Done when"): the page signs in, calls setUpTotp(),
// and shows its setup URI; the test scans it as an authenticator app would (the secret parsed out
// of the otpauth URI, the code computed here), the page verifies the code and prefers TOTP, signs
// out, and signs in again answering the TOTP step with a code the test computes. The page's script
// is authchart/fetch with authchart/account, bundled here by esbuild and added to the test page
// (pages.ts), so that both share one createAuth instance. Set-up as in smoke.browser.test.ts.
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import type { Account } from '../../src/account/index.js';
import type { Auth, FetchAuthConfig } from '../../src/fetch/index.js';
import type { CognitoEmulator, SetupResult } from '../../src/testing/index.js';
import { describeInBrowser } from '../support/browser/chromium.js';
import { browserPerFile } from '../support/browser/perFile.js';
import { isLoopbackUrl, openPage, type OpenedPage, type PageServer } from '../support/browser/pages.js';
import { sdkClient } from '../support/sdk.js';
import { totpCode } from '../support/totp.js';

/** What the added script puts on `window`: authchart/fetch's createAuth and authchart/account's createAccount from one bundle. */
interface MfaPage {
  readonly createAuth: (config: FetchAuthConfig) => Auth;
  readonly createAccount: (auth: Auth) => Account;
  app?: { readonly auth: Auth; readonly account: Account };
}

declare global {
  interface Window {
    authchartMfa: MfaPage;
  }
}

/** authchart/fetch and authchart/account, bundled together for the browser. */
async function bundleAccount(): Promise<string> {
  const result = await build({
    stdin: {
      contents: ["import { createAuth } from '../../src/fetch/index';", "import { createAccount } from '../../src/account/index';", 'window.authchartMfa = { createAuth, createAccount };'].join('\n'),
      resolveDir: __dirname,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
  });
  return result.outputFiles[0]!.text;
}

describeInBrowser('the TOTP setup in Chromium', () => {
  let browser: Browser;
  let pages: PageServer;
  let emu: CognitoEmulator;
  let pool: SetupResult;
  let script: string;
  let opened: OpenedPage | undefined;

  browserPerFile((started) => {
    ({ browser, pages, emu } = started);
    pool = emu.setup({ username: 'jane' });
  });

  beforeAll(async () => {
    script = await bundleAccount();
  }, 30_000);

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('setUpTotp() on the page, its URI scanned by the test, the code verified and TOTP preferred: the next sign-in asks for TOTP and a computed code signs in', async () => {
    const sdk = sdkClient(emu.endpoint);
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    sdk.destroy();
    opened = await openPage(browser, pages, { endpoint: emu.endpoint, userPoolId: pool.userPoolId, clientId: pool.clientId });
    const { page } = opened;
    await page.addScriptTag({ content: script });
    emu.resetRequests();

    // The page signs in and sets up TOTP: the user sees the URI (as a QR code).
    const uri = await page.evaluate(
      async ({ username, password, config }) => {
        const { createAuth, createAccount } = window.authchartMfa;
        const auth = createAuth({ userPoolId: config.userPoolId, userPoolClientId: config.clientId, endpoint: config.endpoint, storage: localStorage });
        const account = createAccount(auth);
        window.authchartMfa.app = { auth, account };
        await auth.signIn({ username, password });
        const details = await account.setUpTotp();
        return details.getSetupUri('Acme Shop').href;
      },
      { username: pool.username, password: pool.password, config: { userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: emu.endpoint } },
    );

    // The authenticator app scans it.
    const scanned = new URL(uri);
    expect(scanned.protocol).toBe('otpauth:');
    expect(scanned.host).toBe('totp');
    expect(decodeURIComponent(scanned.pathname.slice(1))).toBe('Acme Shop:jane');
    expect(scanned.searchParams.get('issuer')).toBe('Acme Shop');
    const secret = scanned.searchParams.get('secret')!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    // The page verifies the code the app shows, prefers TOTP, signs out and in again.
    const step = await page.evaluate(
      async ({ code, username, password }) => {
        const { auth, account } = window.authchartMfa.app!;
        await account.verifyTotpSetup({ code, options: { friendlyDeviceName: 'phone' } });
        await account.updateMFAPreference({ totp: 'PREFERRED' });
        const preference = await account.fetchMFAPreference();
        await auth.signOut();
        const signIn = await auth.signIn({ username, password });
        return { preference, signIn };
      },
      { code: totpCode(secret, Date.now()), username: pool.username, password: pool.password },
    );
    expect(step).toEqual({ preference: { enabled: ['TOTP'], preferred: 'TOTP' }, signIn: { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } } });

    // A fresh code (the next 30 s step's, which the emulator accepts with one step of skew) answers the TOTP step.
    const done = await page.evaluate(async (code) => {
      const { auth } = window.authchartMfa.app!;
      const confirmed = await auth.confirmSignIn({ challengeResponse: code });
      const session = await auth.getSession();
      await auth.stop();
      return { confirmed, username: session.username };
    }, totpCode(secret, Date.now() + 30_000));
    expect(done).toEqual({ confirmed: { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, username: 'jane' });

    const operations = emu.requests.map((r) => r.operation).filter((operation) => operation !== '' && operation !== 'OPTIONS');
    expect(operations).toEqual(expect.arrayContaining(['GetUser', 'AssociateSoftwareToken', 'VerifySoftwareToken', 'SetUserMFAPreference', 'RespondToAuthChallenge']));
    expect(opened.errors).toEqual([]);
    expect(opened.requests.filter((url) => !isLoopbackUrl(url))).toEqual([]);
  });
});
