// The script of the test page (bundled by pages.ts with esbuild for the browser). It reads the
// page's configuration from the query string (?endpoint=…&userPoolId=…&clientId=…), or on the
// hosted-UI page from `window.authchartHostedUi` (set by an init script), and puts
// `window.authchartPage` in place for tests to drive with page.evaluate().
import * as authchart from '../../../src/fetch/index.js';
import * as account from '../../../src/account/index.js';
import { createAuth, type FetchAuthConfig, type HandledRedirect } from '../../../src/fetch/index.js';
import type { AuthchartPage, PageConfig, Settled } from './pageTypes.js';

// What the page itself sees go wrong, also in a frame Playwright's page events may not cover.
const problems: string[] = [];
window.addEventListener('error', (event) => problems.push(`error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) => problems.push(`unhandledrejection: ${event.reason instanceof Error ? `${event.reason.name}: ${event.reason.message}` : String(event.reason)}`));

const hostedUi = window.authchartHostedUi;
const params = new URLSearchParams(location.search);
const required = (name: keyof PageConfig): string => {
  const value = params.get(name);
  if (!value) throw new Error(`test page: the query string has no ${name}`);
  return value;
};
const config: PageConfig = hostedUi
  ? { endpoint: hostedUi.endpoint, userPoolId: hostedUi.userPoolId, clientId: hostedUi.clientId }
  : { endpoint: required('endpoint'), userPoolId: required('userPoolId'), clientId: required('clientId') };

// `localStorage` is read only when `extra` names no storage: where the page may not use storage (a
// sandboxed iframe), reading it throws SecurityError, as it would in an app's own code.
const make = (extra?: Partial<FetchAuthConfig>) =>
  createAuth({ userPoolId: config.userPoolId, userPoolClientId: config.clientId, endpoint: config.endpoint, ...(!(extra && 'storage' in extra) && { storage: localStorage }), ...extra });

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'NotAnError', message: String(error) };
    return { ok: false, error: { name, message } };
  }
}

async function start(): Promise<void> {
  const results: Record<string, unknown> = {};
  let hosted: AuthchartPage['hostedUi'];
  if (hostedUi) {
    const auth = make({
      oauth: {
        domain: hostedUi.endpoint,
        redirectSignIn: hostedUi.redirectSignIn,
        redirectSignOut: hostedUi.redirectSignOut,
        ...(hostedUi.scopes && { scopes: [...hostedUi.scopes] }),
      },
    });
    // Every load, before anything else: finish a return from the hosted UI (window.location.href).
    const redirect: Settled<HandledRedirect> = await settle(auth.handleRedirect());
    hosted = { auth, redirect };
    // The app's "Sign in" button: the page goes to the hosted UI (the default opener assigns location).
    const button = document.createElement('button');
    button.id = 'sign-in-with-redirect';
    button.textContent = 'Sign in';
    button.addEventListener('click', () => {
      void settle(auth.signInWithRedirect({ customState: 'orders' })).then((settled) => (results['signInWithRedirect'] = settled));
    });
    document.body.append(button);
  }
  const page: AuthchartPage = { config, createAuth: make, results, authchart, account, problems, ...(hosted && { hostedUi: hosted }) };
  window.authchartPage = page;
  document.body.dataset['ready'] = 'true';
}

void start();
