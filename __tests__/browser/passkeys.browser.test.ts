// Passkey management with the library's own calls in real Chromium (issue 22, "Real Chromium"):
// the test page (support/browser/pageEntry.ts: authchart/fetch and authchart/account bundled by
// esbuild) on http://localhost:<port> signs in, and createAccount(auth) with the browser's default
// authenticator (navigator.credentials through WebAuthn Level 3's JSON methods, loaded with
// import() as the ceremony begins) registers, lists and deletes passkeys against the emulator,
// which verifies them with @simplewebauthn/server. The authenticator is Chromium's virtual one,
// added through the DevTools protocol (WebAuthn.enable, WebAuthn.addVirtualAuthenticator) as in
// webauthn.browser.test.ts. A pool whose relying party is not the page's domain: the browser
// refuses, and the app sees PasskeyRelyingPartyNotThisOrigin with nothing stored. The passkey
// sign-in (preferred, and chosen) and passkey autofill (conditional mediation on an
// <input autocomplete="username webauthn">, answered by the virtual authenticator; and, with its
// automatic presence off, left waiting and cancelled by a password signIn()) run there too.
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, CDPSession } from 'playwright-core';
import type { CognitoEmulator, SetupResult } from '../../src/testing/index.js';
import { describeInBrowser } from '../support/browser/chromium.js';
import { browserPerFile } from '../support/browser/perFile.js';
import { isLoopbackUrl, openPage, type OpenedPage, type PageServer } from '../support/browser/pages.js';
import { sdkClient } from '../support/sdk.js';

/** What a page call settled with, made serializable: a value, or an error's class, name and message. */
type Outcome = { ok: true; value: unknown } | { ok: false; error: { kind: string; name: string; message: string } };

describeInBrowser('passkey management in Chromium: the library’s own calls with the browser’s authenticator', () => {
  let browser: Browser;
  let pages: PageServer;
  let emu: CognitoEmulator;
  const opened: OpenedPage[] = [];

  browserPerFile((started) => {
    ({ browser, pages, emu } = started);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((page) => page.close()));
  });

  /** A pool allowing PASSWORD and WEB_AUTHN first, with `rpId` as its relying party, and a user. */
  async function pool(rpId: string): Promise<SetupResult> {
    const made = emu.setup({ explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], userPool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } } });
    const sdk = sdkClient(emu.endpoint);
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: made.userPoolId, WebAuthnConfiguration: { RelyingPartyId: rpId } }));
    sdk.destroy();
    return made;
  }

  /** The test page on http://localhost:<port> (a WebAuthn relying party must be a domain), with a virtual platform authenticator, signed in. */
  async function signedInPage(made: SetupResult): Promise<{ page: OpenedPage; cdp: CDPSession; authenticatorId: string }> {
    const onLocalhost: PageServer = { ...pages, pageUrl: (config) => pages.pageUrl(config).replace('//127.0.0.1:', '//localhost:') };
    const page = await openPage(browser, onLocalhost, { endpoint: emu.endpoint, userPoolId: made.userPoolId, clientId: made.clientId });
    opened.push(page);
    const cdp = await page.context.newCDPSession(page.page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true } });
    await page.page.evaluate(async ({ username, password }) => {
      const auth = window.authchartPage.createAuth();
      await auth.signIn({ username, password });
      (window.authchartPage.results as Record<string, unknown>).account = window.authchartPage.account.createAccount(auth);
    }, { username: made.username, password: made.password });
    return { page, cdp, authenticatorId };
  }

  /** Runs one account call in the page, by name, with `arg`. */
  const call = (page: OpenedPage, method: 'associateWebAuthnCredential' | 'listWebAuthnCredentials' | 'deleteWebAuthnCredential', arg?: unknown): Promise<Outcome> =>
    page.page.evaluate(
      async ({ method, arg }) => {
        const account = window.authchartPage.results.account as Record<string, (arg?: unknown) => Promise<unknown>>;
        try {
          const value = await account[method]!(arg);
          // Dates are not serializable by evaluate's JSON: ISO strings.
          return { ok: true as const, value: JSON.parse(JSON.stringify(value ?? null)) as unknown };
        } catch (error) {
          const e = error as Error & { constructor: { name: string } };
          return { ok: false as const, error: { kind: e.constructor.name, name: e.name, message: e.message } };
        }
      },
      { method, arg },
    );

  /** The virtual authenticator's credentials, ids in base64url as WebAuthn's JSON names them. */
  async function held(cdp: CDPSession, authenticatorId: string): Promise<Array<{ id: string; rpId: string; resident: boolean }>> {
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    return credentials.map((c) => ({ id: Buffer.from(c.credentialId, 'base64').toString('base64url'), rpId: c.rpId ?? '', resident: c.isResidentCredential }));
  }

  test('associateWebAuthnCredential() makes a passkey on the virtual authenticator that Cognito stores; listWebAuthnCredentials() lists it; a second one on the same authenticator is PasskeyAlreadyRegistered; deleteWebAuthnCredential() removes it', async () => {
    const made = await pool('localhost');
    const { page, cdp, authenticatorId } = await signedInPage(made);
    const associated = await call(page, 'associateWebAuthnCredential');
    expect(associated).toEqual({ ok: true, value: { credentialId: expect.any(String) } });
    const credentialId = (associated as { value: { credentialId: string } }).value.credentialId;
    expect(await held(cdp, authenticatorId)).toEqual([{ id: credentialId, rpId: 'localhost', resident: true }]);

    const listed = await call(page, 'listWebAuthnCredentials');
    expect(listed).toEqual({
      ok: true,
      value: { credentials: [{ credentialId, friendlyCredentialName: 'Passkey 1', relyingPartyId: 'localhost', authenticatorAttachment: 'platform', authenticatorTransports: ['internal'], createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }] },
    });

    // The authenticator holds a passkey the options exclude: the browser's InvalidStateError, as its typed error; nothing more is sent.
    const mark = emu.requests.length;
    expect(await call(page, 'associateWebAuthnCredential')).toEqual({ ok: false, error: { kind: 'AuthStateError', name: 'PasskeyAlreadyRegistered', message: expect.any(String) } });
    expect(emu.requests.slice(mark).map((r) => r.operation)).toEqual(['StartWebAuthnRegistration']);

    expect(await call(page, 'deleteWebAuthnCredential', { credentialId })).toEqual({ ok: true, value: null });
    expect(await call(page, 'listWebAuthnCredentials')).toEqual({ ok: true, value: { credentials: [] } });
    expect(page.errors).toEqual([]);
    expect(await page.page.evaluate(() => window.authchartPage.problems)).toEqual([]);
    expect(page.requests.filter((url) => !isLoopbackUrl(url))).toEqual([]);
  });

  test('a pool whose relying party is not the page’s domain: the browser refuses before any prompt (SecurityError), the app gets PasskeyRelyingPartyNotThisOrigin, and nothing is stored', async () => {
    const made = await pool('app.localhost');
    const { page, cdp, authenticatorId } = await signedInPage(made);
    const mark = emu.requests.length;
    expect(await call(page, 'associateWebAuthnCredential')).toEqual({ ok: false, error: { kind: 'AuthStateError', name: 'PasskeyRelyingPartyNotThisOrigin', message: expect.stringContaining('relying party') } });
    expect(emu.requests.slice(mark).map((r) => r.operation)).toEqual(['StartWebAuthnRegistration']);
    expect(await held(cdp, authenticatorId)).toEqual([]);
    expect(await call(page, 'listWebAuthnCredentials')).toEqual({ ok: true, value: { credentials: [] } });
    expect(await page.page.evaluate(() => window.authchartPage.problems)).toEqual([]);
  });

  test('a passkey sign-in in the page (createAuth’s default authenticator): signIn with preferredChallenge WEB_AUTHN, then chosen from SELECT_CHALLENGE, each signed in with the passkey the virtual authenticator holds', async () => {
    const made = await pool('localhost');
    const { page } = await signedInPage(made);
    expect(await call(page, 'associateWebAuthnCredential')).toMatchObject({ ok: true });
    const outcome = await page.page.evaluate(async ({ username }) => {
      const auth = window.authchartPage.createAuth();
      await auth.signOut();
      const preferred = await auth.signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });
      const session = (await auth.getSession()).username;
      await auth.signOut();
      const choice = await auth.signIn({ username, options: { authFlowType: 'USER_AUTH' } });
      const chosen = await auth.confirmSignIn({ challengeResponse: 'WEB_AUTHN' });
      return { preferred, session, choice: choice.nextStep, chosen };
    }, { username: made.username });
    expect(outcome).toEqual({
      preferred: { isSignedIn: true, nextStep: { signInStep: 'DONE' } },
      session: made.username,
      choice: { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', availableChallenges: expect.arrayContaining(['WEB_AUTHN']) },
      chosen: { isSignedIn: true, nextStep: { signInStep: 'DONE' } },
    });
    expect(await page.page.evaluate(() => window.authchartPage.problems)).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  /** The page's login form: a username field marked for passkey autofill. */
  const addLoginForm = (page: OpenedPage) =>
    page.page.evaluate(() => {
      const input = document.createElement('input');
      input.autocomplete = 'username webauthn';
      input.id = 'username';
      document.body.append(input);
    });

  test('passkey autofill (conditional mediation): available in Chromium, and the virtual authenticator answers the conditional request: signed in with the passkey', async () => {
    const made = await pool('localhost');
    const { page } = await signedInPage(made);
    expect(await call(page, 'associateWebAuthnCredential')).toMatchObject({ ok: true });
    await addLoginForm(page);
    const outcome = await page.page.evaluate(async ({ username }) => {
      const available = await (PublicKeyCredential as unknown as { isConditionalMediationAvailable(): Promise<boolean> }).isConditionalMediationAvailable();
      const auth = window.authchartPage.createAuth();
      await auth.signOut();
      const result = await auth.signInWithPasskeyAutofill({ username });
      return { available, result, session: (await auth.getSession()).username };
    }, { username: made.username });
    expect(outcome).toEqual({ available: true, result: { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, session: made.username });
    expect(await page.page.evaluate(() => window.authchartPage.problems)).toEqual([]);
  });

  test('passkey autofill waiting (no passkey picked yet) is cancelled cleanly by a password signIn(): the autofill resolves cancelled, no unhandled rejection, the password signs in', async () => {
    const made = await pool('localhost');
    const { page, cdp, authenticatorId } = await signedInPage(made);
    expect(await call(page, 'associateWebAuthnCredential')).toMatchObject({ ok: true });
    await addLoginForm(page);
    // The user does not pick the passkey: the virtual authenticator stops answering by itself.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    await page.page.evaluate(async ({ username }) => {
      const auth = window.authchartPage.createAuth();
      await auth.signOut();
      const results = window.authchartPage.results;
      results.auth = auth;
      void auth.signInWithPasskeyAutofill({ username }).then((result) => (results.autofill = result));
    }, { username: made.username });
    await page.page.waitForFunction(() => (window.authchartPage.results.auth as { actor: { getSnapshot(): { context: { challenge: unknown } } } }).actor.getSnapshot().context.challenge !== null);
    const mark = emu.requests.length;
    const outcome = await page.page.evaluate(async ({ username, password }) => {
      const results = window.authchartPage.results;
      const auth = results.auth as ReturnType<typeof window.authchartPage.createAuth>;
      const signedIn = await auth.signIn({ username, password });
      for (let i = 0; i < 50 && results.autofill === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      return { signedIn, autofill: results.autofill };
    }, { username: made.username, password: made.password });
    expect(outcome).toEqual({ signedIn: { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, autofill: { isSignedIn: false, autofill: 'cancelled' } });
    // The password's SRP (InitiateAuth, PASSWORD_VERIFIER): no answer to the passkey challenge was sent.
    expect(emu.requests.slice(mark).map((r) => r.operation)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    expect(await page.page.evaluate(() => window.authchartPage.problems)).toEqual([]);
    expect(page.errors).toEqual([]);
  });
});
