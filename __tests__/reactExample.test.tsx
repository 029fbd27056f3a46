/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
// The React example (examples/react/) rendered with react-dom in jsdom, against the real library:
// createTestAuth() wires a real createAuth() to the Cognito emulator on 127.0.0.1, and the AWS SDK
// talks to it over real HTTP.
//
// Why the environment options: jest-environment-jsdom resolves packages with the 'browser' export
// condition by default. The AWS SDK then loads its browser build: ESM files jest cannot parse, and
// FetchHttpHandler, while jsdom has no fetch. jsdom runs inside Node, so we resolve packages as
// Node does: the SDK uses its Node http handler, and react / react-dom load their ordinary builds.
// A browser bundle of your app gets the browser build and fetch, as it should.
import { TextDecoder, TextEncoder } from 'node:util';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { TestAuth } from '../src/testing/index';
import { AuthHeader } from '../examples/react/SignOutButton';

// jsdom's global object lacks TextEncoder / TextDecoder, which the AWS SDK reads when its modules
// load. Provide Node's, then load the testing kit (and with it the SDK). A static import would be
// hoisted above this line, hence require().
Object.assign(globalThis, { TextEncoder, TextDecoder });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createTestAuth } = require('../src/testing/index') as typeof import('../src/testing/index');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let kit: TestAuth;
let container: HTMLDivElement;
let root: Root;

beforeEach(async () => {
  kit = await createTestAuth({ users: [{ username: 'alice' }] });
  container = document.createElement('div');
  document.body.appendChild(container);
  root = createRoot(container);
});

afterEach(async () => {
  act(() => root.unmount());
  container.remove();
  await kit.close();
});

const text = (testId: string) => container.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;
const button = () => container.querySelector('button');
const statusLine = () => container.querySelector('[role="status"]')?.textContent ?? null;

async function render(global?: boolean) {
  await act(async () => root.render(<AuthHeader auth={kit.auth} {...(global !== undefined && { global })} />));
}

/** Lets the engine and React run until `ready()`, or fails with what is on screen. */
async function until(what: string, ready: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`${what}: not rendered within ${timeoutMs} ms; screen: ${container.textContent}; engine: ${kit.currentState()}`);
    await act(() => new Promise((resolve) => setTimeout(resolve, 5)));
  }
}

test('signed out: the status, no button', async () => {
  expect(typeof window).toBe('object');
  await render();
  expect(text('auth-status')).toBe('Signed out');
  expect(button()).toBeNull();
});

test('signed in: the username and an enabled "Sign out" button', async () => {
  await kit.driveTo('signedIn');
  await render();
  expect(text('auth-status')).toBe('Signed in as alice');
  expect(button()?.textContent).toBe('Sign out');
  expect(button()?.disabled).toBe(false);
});

test('follows the engine: "Signing in…" while InitiateAuth is unanswered', async () => {
  await render();
  kit.faults.set('InitiateAuth', { type: 'blackhole' });
  const signIn = kit.auth.signIn({ username: 'alice', password: kit.user('alice').password });
  signIn.catch(() => {}); // rejected with AuthStoppedError by close()
  await until('Signing in…', () => text('auth-status') === 'Signing in…');
  expect(kit.currentState()).toBe('signingIn');
});

test('awaiting a TOTP code, then signed in once it is confirmed', async () => {
  const user = await kit.driveTo('awaitingChallengeAnswer', { challenge: 'SOFTWARE_TOKEN_MFA' });
  await render();
  expect(text('auth-status')).toBe('Enter the code from your authenticator app');
  expect(button()).toBeNull();
  await act(async () => {
    await kit.auth.confirmSignIn({ challengeResponse: kit.mfaCode(user.username) });
  });
  expect(text('auth-status')).toBe('Signed in as totp-user');
});

test('held in revoking: "Signing out…", the button disabled; released: signed out', async () => {
  await kit.driveTo('signedIn');
  await render();
  let held!: Awaited<ReturnType<typeof kit.driveTo<'revoking'>>>;
  await act(async () => {
    held = await kit.driveTo('revoking');
  });
  expect(kit.currentState()).toBe('signingOut.callingCognito.revoking');
  expect(text('auth-status')).toBe('Signing out… (revoking this device’s session)');
  expect(button()?.textContent).toBe('Signing out…');
  expect(button()?.disabled).toBe(true);

  let result!: Awaited<ReturnType<typeof held.release>>;
  await act(async () => {
    result = await held.release();
  });
  expect(result.type).toBe('complete');
  expect(text('auth-status')).toBe('Signed out');
  expect(button()).toBeNull();
  expect(text('last-sign-out')).toBeNull(); // a complete sign-out needs no explanation
});

test('held in GlobalSignOut: "Signing out everywhere…"', async () => {
  await kit.driveTo('signedIn');
  await render(true);
  let held!: Awaited<ReturnType<typeof kit.driveTo<'signingOutGlobally.invalidatingSessions'>>>;
  await act(async () => {
    held = await kit.driveTo('signingOutGlobally.invalidatingSessions');
  });
  expect(text('auth-status')).toBe('Signing out everywhere…');
  await act(async () => {
    await held.release();
  });
  expect(text('auth-status')).toBe('Signed out');
});

test('clicking the button: the sign-out runs and its result is shown', async () => {
  await kit.driveTo('signedIn');
  await render();
  kit.emulator.resetRequests();
  await act(async () => button()!.click());
  await until('the result', () => statusLine() !== null);
  expect(statusLine()).toBe('You are signed out.');
  expect(text('auth-status')).toBe('Signed out');
  expect(kit.emulator.requests.map((record) => record.operation)).toEqual(['RevokeToken']);
});

test('clicking "Sign out everywhere" while GlobalSignOut fails: partial, with the error names', async () => {
  await kit.driveTo('signedIn');
  await render(true);
  kit.faults.set('GlobalSignOut', { type: 'error', name: 'InternalErrorException', message: 'injected' });
  await act(async () => button()!.click());
  await until('the result', () => statusLine() !== null);
  const expected = 'Signed out on this device. The server did not confirm it (GlobalSignOut: InternalErrorException). Your other devices may still be signed in.';
  expect(statusLine()).toBe(expected);
  expect(text('last-sign-out')).toBe(expected); // the same, derived from the statechart's context
  expect(text('auth-status')).toBe('Signed out');
  expect(kit.storage.hasSession()).toBe(false);
});

test('a partial sign-out started elsewhere (the kit) still shows, from the statechart alone', async () => {
  await render();
  await act(async () => {
    await kit.driveTo('partial');
  });
  expect(text('auth-status')).toBe('Signed out');
  // The kit's default GlobalSignOut fault is non-retryable (NotAuthorizedException), so RevokeToken followed.
  expect(text('last-sign-out')).toMatch(/^Signed out on this device\. The server did not confirm it \(GlobalSignOut: NotAuthorizedException\)\. Your other devices/);
  expect(statusLine()).toBeNull(); // this button did not run it
});

test('a local sign-out whose RevokeToken fails: partial with RevokeToken’s error name', async () => {
  await kit.driveTo('signedIn');
  await render();
  kit.faults.set('RevokeToken', { type: 'error', name: 'UnsupportedOperationException', message: 'injected' });
  await act(async () => button()!.click());
  await until('the result', () => statusLine() !== null);
  expect(statusLine()).toBe('Signed out on this device. The server did not confirm it (RevokeToken: UnsupportedOperationException).');
});

test('a sign-out that could not clear the device after revoking: revokedButStored, with a warning; signing out again clears it', async () => {
  await kit.driveTo('signedIn');
  await render();
  await act(async () => {
    await kit.driveTo('failed');
  });
  expect(kit.currentState()).toBe('revokedButStored');
  expect(text('auth-status')).toBe('Signed out on the server; this device still holds the session');
  expect(container.querySelector('[role="alert"]')?.textContent).toBe('We could not sign you out on this device (StorageError). Try again.');
  expect(button()?.disabled).toBe(false);
  await act(async () => button()!.click());
  await until('the result', () => statusLine() !== null);
  expect(statusLine()).toBe('You are signed out.');
  expect(text('auth-status')).toBe('Signed out');
  expect(kit.storage.hasSession()).toBe(false);
});

test('a sign-out whose RevokeToken and clear both failed: still signed in, with a warning', async () => {
  await kit.driveTo('signedIn');
  await render();
  kit.faults.set('RevokeToken', { type: 'error', name: 'UnsupportedOperationException', message: 'injected' });
  kit.storage.fail('removeItem');
  await act(async () => button()!.click());
  await until('the result', () => statusLine() !== null);
  kit.storage.heal('removeItem');
  expect(kit.currentState()).toBe('signedIn.active');
  expect(text('auth-status')).toBe('Signed in as alice');
  expect(container.querySelector('[role="alert"]')?.textContent).toBe('We could not sign you out on this device (StorageError). Try again.');
  expect(button()?.disabled).toBe(false);
});

test('no token reaches the DOM', async () => {
  await kit.driveTo('signedIn');
  const { tokens } = await kit.auth.getSession();
  await render(true);
  kit.faults.set('GlobalSignOut', { type: 'error', name: 'InternalErrorException', message: 'injected' });
  await act(async () => button()!.click());
  await until('the result', () => statusLine() !== null);
  const html = container.innerHTML;
  for (const token of [tokens!.accessToken, tokens!.idToken, tokens!.refreshToken!]) expect(html).not.toContain(token.slice(-20));
});

test('a server that never answers: the sign-out ends at networkTimeoutMs, partial with TimeoutError', async () => {
  await kit.close();
  kit = await createTestAuth({ users: [{ username: 'alice' }], config: { networkTimeoutMs: 400 } });
  await kit.driveTo('signedIn');
  await render();
  kit.faults.set('RevokeToken', { type: 'blackhole' });
  const started = Date.now();
  await act(async () => button()!.click());
  expect(button()?.disabled).toBe(true);
  await until('the result', () => statusLine() !== null);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(statusLine()).toBe('Signed out on this device. The server did not confirm it (RevokeToken: TimeoutError).');
  expect(kit.storage.outboxSize()).toBe(1); // revoked later, when the server answers again
});
