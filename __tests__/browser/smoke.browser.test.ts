// End to end in a real browser: Debian's Chromium opens a page served on 127.0.0.1, whose script
// is authchart/fetch (src/fetch/index) bundled by esbuild; it signs in with SRP against the Cognito
// emulator (on another port, so every call is a CORS request), reads the session, and signs out.
// See docs/testing.md, "Tests in a real browser".
import type { Browser } from 'playwright-core';
import type { CognitoEmulator, SetupResult } from '../../src/testing/index.js';
import { describeInBrowser } from '../support/browser/chromium.js';
import { browserPerFile } from '../support/browser/perFile.js';
import { isLoopbackUrl, openPage, type OpenedPage, type PageServer } from '../support/browser/pages.js';

describeInBrowser('authchart/fetch in Chromium', () => {
  let browser: Browser;
  let pages: PageServer;
  let emu: CognitoEmulator;
  let pool: SetupResult;
  let opened: OpenedPage | undefined;

  browserPerFile((started) => {
    ({ browser, pages, emu } = started);
    pool = emu.setup();
  });

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('signs in with USER_SRP_AUTH, reads the session and signs out, with the session in localStorage', async () => {
    emu.resetRequests();
    opened = await openPage(browser, pages, { endpoint: emu.endpoint, userPoolId: pool.userPoolId, clientId: pool.clientId });

    const seen = await opened.page.evaluate(
      async ({ username, password }) => {
        const stored = () => Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key) ?? '']));
        const auth = window.authchartPage.createAuth();
        try {
          const signIn = await auth.signIn({ username, password, authFlow: 'USER_SRP_AUTH' });
          const session = await auth.getSession();
          const storedWhileSignedIn = stored();
          const signOut = await auth.signOut();
          const after = await auth.getSession();
          return { signIn, session, storedWhileSignedIn, signOut, after, storedAfter: stored() };
        } finally {
          await auth.stop();
        }
      },
      { username: pool.username, password: pool.password },
    );

    expect(opened.errors).toEqual([]);
    expect(seen.signIn).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(seen.session.username).toBe(pool.username);
    const refreshToken = seen.session.tokens?.refreshToken;
    expect(typeof refreshToken).toBe('string');
    expect(typeof seen.session.tokens?.accessToken).toBe('string');

    // The page really kept its session in localStorage, under authchart's key.
    const sessionKey = `authchart.${pool.clientId}.session`;
    expect(seen.storedWhileSignedIn[sessionKey]).toContain(refreshToken);

    // Signed out: Cognito revoked the refresh token, and the page holds no session any more.
    expect(seen.signOut).toEqual({ type: 'complete', signedOutLocally: true });
    expect(emu.tokenRevoked(refreshToken!)).toBe(true);
    expect(seen.after).toEqual({});
    expect(Object.keys(seen.storedAfter)).not.toContain(sessionKey);
    for (const value of Object.values(seen.storedAfter)) {
      expect(value).not.toContain(refreshToken);
      expect(value).not.toContain(seen.session.tokens!.accessToken);
    }

    // The emulator saw the browser's calls (preflights, if it logs them, left out).
    const calls = emu.requests.filter((r) => r.operation !== '' && r.operation !== 'OPTIONS');
    expect(calls).toEqual([
      { operation: 'InitiateAuth', status: 200 },
      { operation: 'RespondToAuthChallenge', status: 200 },
      { operation: 'RevokeToken', status: 200 },
    ]);

    // Nothing left 127.0.0.1.
    expect(opened.requests.filter((url) => !isLoopbackUrl(url))).toEqual([]);
  }, 30_000);

  // SRP's SHA-256 and HMAC come from Web Crypto where crypto.subtle exists (a page on 127.0.0.1 is
  // a secure context), and from @noble/hashes where it does not (an insecure context, React Native):
  // the page counts Chromium's own digest and sign calls, then hides crypto.subtle and signs in again.
  it('SRP hashes with Chromium\'s Web Crypto; with crypto.subtle hidden (as in an insecure context) it signs in alike with @noble/hashes', async () => {
    opened = await openPage(browser, pages, { endpoint: emu.endpoint, userPoolId: pool.userPoolId, clientId: pool.clientId });
    const seen = await opened.page.evaluate(
      async ({ username, password }) => {
        const counts = { digest: 0, sign: 0 };
        const proto = SubtleCrypto.prototype;
        const { digest, sign } = proto;
        proto.digest = function (...args: Parameters<SubtleCrypto['digest']>) {
          counts.digest++;
          return digest.apply(this, args);
        };
        proto.sign = function (...args: Parameters<SubtleCrypto['sign']>) {
          counts.sign++;
          return sign.apply(this, args);
        };
        const signInAndOut = async () => {
          const auth = window.authchartPage.createAuth();
          try {
            const signIn = await auth.signIn({ username, password, authFlow: 'USER_SRP_AUTH' });
            const signOut = await auth.signOut();
            return { signIn, signOut };
          } finally {
            await auth.stop();
          }
        };
        const withSubtle = await signInAndOut();
        const countsWithSubtle = { ...counts };
        const secure = window.isSecureContext;
        Object.defineProperty(Crypto.prototype, 'subtle', { configurable: true, get: () => undefined });
        const withoutSubtle = await signInAndOut();
        return { secure, withSubtle, countsWithSubtle, withoutSubtle, countsAfter: { ...counts }, subtleHidden: globalThis.crypto.subtle === undefined };
      },
      { username: pool.username, password: pool.password },
    );
    expect(opened.errors).toEqual([]);
    expect(seen.secure).toBe(true);
    const done = { signIn: { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, signOut: { type: 'complete', signedOutLocally: true } };
    expect(seen.withSubtle).toEqual(done);
    // SRP hashes 3 times with SHA-256 (u, and x's two) and signs 3 HMACs (HKDF's two, the claim).
    expect(seen.countsWithSubtle).toEqual({ digest: 3, sign: 3 });
    expect(seen.subtleHidden).toBe(true);
    expect(seen.withoutSubtle).toEqual(done);
    expect(seen.countsAfter).toEqual(seen.countsWithSubtle); // the second sign-in never reached Web Crypto
  }, 30_000);
});
