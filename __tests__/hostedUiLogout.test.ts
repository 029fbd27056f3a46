// Layer 3 of a sign-out, over real HTTP to the emulator: the hosted UI's `cognito` cookie, which
// only a browser visit to /logout ends. The "browser" here keeps a cookie jar, so that the test can
// see the cookie live (the next sign-in skips the form) and die (the form is back). Chromium does
// the same in __tests__/browser/hostedUi.browser.test.ts.
import { createAuth, HostedUiError, type Auth, type AuthHubEvent, type AuthOpener, type OpenerResult, type SignOutResult } from '../src/index';
import { createHostedUiBrowser, type CognitoEmulator } from '../src/testing/index';
import { inspectableStorage, type InspectableStorage, emulatorPerFile } from './support/harness';

const CALLBACK = 'http://localhost:3000/callback';
const SIGNED_OUT = 'http://localhost:3000/signed-out';
const SIGNED_OUT_TOO = 'myapp://signed-out';
let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

interface World {
  auth: Auth;
  storage: InspectableStorage;
  client: ReturnType<CognitoEmulator['setup']>;
  events: AuthHubEvent[];
}

function start(opener: AuthOpener | undefined, options: { storage?: InspectableStorage; client?: World['client']; oauth?: boolean; scopes?: string[] } = {}): World {
  const client = options.client ?? emu.setup({ callbackUrls: [CALLBACK], logoutUrls: [SIGNED_OUT, SIGNED_OUT_TOO] });
  const storage = options.storage ?? inspectableStorage();
  const events: AuthHubEvent[] = [];
  const auth = createAuth({
    userPoolId: client.userPoolId,
    userPoolClientId: client.clientId,
    endpoint: emu.endpoint,
    storage,
    revocationOutbox: { retryBaseMs: 600_000 },
    ...(options.oauth !== false && {
      oauth: { domain: emu.endpoint, redirectSignIn: CALLBACK, redirectSignOut: [SIGNED_OUT, SIGNED_OUT_TOO], ...(opener && { opener }), ...(options.scopes && { scopes: options.scopes }) },
    }),
  });
  auth.on('signedOut', (event) => events.push(event));
  auths.push(auth);
  return { auth, storage, client, events };
}

/** A world whose user signed in through the hosted UI in `agent`'s browser. */
async function signedInAtHostedUi(scopes?: string[]) {
  let client!: World['client'];
  const agent = createHostedUiBrowser(() => client); // one browser: its cookie jar keeps the hosted UI's cookie
  let opener: AuthOpener = agent.opener;
  const world = start(async (url, returnTo) => opener(url, returnTo), scopes ? { scopes } : {});
  client = world.client;
  await expect(world.auth.signInWithRedirect()).resolves.toMatchObject({ isSignedIn: true });
  const { tokens } = await world.auth.getSession();
  emu.resetRequests();
  return { ...world, agent, tokens: tokens!, setOpener: (next: AuthOpener) => (opener = next) };
}
const logoutUrlFor = (clientId: string, returnTo: string) => `${emu.endpoint}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: returnTo }).toString()}`;
const pendingKey = (clientId: string) => `authchart.${clientId}.pendingSignOut`;

test('an auth session: the device is cleared, RevokeToken, then /logout: complete, and the next sign-in shows the form again', async () => {
  const world = await signedInAtHostedUi();
  // While the cookie lives, a second hosted-UI visit would skip the form: the layer this test is about.
  const result = await world.auth.signOut();
  expect(result).toEqual({ type: 'complete', signedOutLocally: true });
  expect(emu.requests.map((request) => request.operation)).toEqual(['RevokeToken', 'logout']); // in this order: the device first
  expect(emu.tokenRevoked(world.tokens.refreshToken!)).toBe(true);
  expect(world.agent.visits).toEqual(['form', 'logout']);
  expect(world.agent.cognitoCookie()).toBeUndefined();
  expect([...world.storage.items.keys()]).toEqual([]); // the session and the pending record are gone
  expect(world.events).toEqual([{ type: 'signedOut', reason: 'signOut', outcome: expect.objectContaining({ type: 'complete' }) }]);
  await world.auth.signInWithRedirect();
  expect(world.agent.visits).toEqual(['form', 'logout', 'form']);
});

test('without the /logout visit the cookie would sign the user straight back in (what layer 3 ends)', async () => {
  const world = await signedInAtHostedUi();
  world.setOpener(async (url, returnTo) => (new URL(url).pathname === '/logout' ? { type: 'cancelled' } : world.agent.opener(url)));
  const result = await world.auth.signOut();
  expect(result).toEqual({
    type: 'partial',
    signedOutLocally: true,
    hostedUiError: { name: 'HostedUiSignOutCancelled', message: expect.stringContaining('cognito cookie'), logoutUrl: logoutUrlFor(world.client.clientId, SIGNED_OUT) },
    finishedBy: 'openLogoutUrl',
  });
  expect(emu.tokenRevoked(world.tokens.refreshToken!)).toBe(true); // layers 1 and the device are done all the same
  expect([...world.storage.items.keys()]).toEqual([]);
  await world.auth.signInWithRedirect();
  expect(world.agent.visits).toEqual(['form', 'skipped']); // no password asked: the cookie lived
  // The result's URL is the one that ends it.
  await world.auth.signOut();
  expect(world.agent.visits.at(-1)).toBe('skipped');
  expect(await world.agent.visit((result as Extract<SignOutResult, { type: 'partial' }>).hostedUiError!.logoutUrl!)).toBe(SIGNED_OUT);
});

test('a browser opener navigates: redirecting; handleRedirect() on the return delivers the result and `signedOut`', async () => {
  const world = await signedInAtHostedUi();
  let opened = '';
  world.setOpener(async (url): Promise<OpenerResult> => ((opened = url), { type: 'navigating' }));
  const logoutUrl = logoutUrlFor(world.client.clientId, SIGNED_OUT);
  await expect(world.auth.signOut()).resolves.toEqual({ type: 'redirecting', signedOutLocally: true, logoutUrl });
  expect(opened).toBe(logoutUrl);
  expect(world.events).toEqual([]); // the result is not known yet
  // What survives the navigation: where it returns and what it did so far. No token.
  const record = world.storage.items.get(pendingKey(world.client.clientId))!;
  expect(JSON.parse(record)).toEqual({ returnTo: SIGNED_OUT, outcome: { type: 'complete' }, createdAt: expect.any(Number) });
  for (const token of Object.values(world.tokens)) expect(record).not.toContain(token);
  expect(world.storage.items.has(`authchart.${world.client.clientId}.session`)).toBe(false);

  // The browser visits /logout and comes back to a new page: a new instance over the same storage.
  const back = await world.agent.visit(opened);
  await world.auth.stop();
  const page = start(undefined, { storage: world.storage, client: world.client });
  await expect(page.auth.handleRedirect(`${CALLBACK}?unrelated=1`)).resolves.toEqual({ type: 'none' });
  await expect(page.auth.handleRedirect(back)).resolves.toEqual({ type: 'signedOut', result: { type: 'complete', signedOutLocally: true } });
  expect(page.events).toEqual([{ type: 'signedOut', reason: 'signOut', outcome: { type: 'complete' } }]);
  expect(world.storage.items.has(pendingKey(world.client.clientId))).toBe(false);
  await expect(page.auth.handleRedirect(back)).resolves.toEqual({ type: 'none' }); // once
});

test('layer 1 failing before a navigation: the return still says partial, and the outbox still finishes it', async () => {
  const world = await signedInAtHostedUi();
  world.setOpener(async () => ({ type: 'navigating' }));
  emu.faults.set('RevokeToken', { type: 'reset' });
  await expect(world.auth.signOut()).resolves.toMatchObject({ type: 'redirecting' });
  emu.faults.clear();
  const back = await world.agent.visit(logoutUrlFor(world.client.clientId, SIGNED_OUT));
  await world.auth.stop();
  const page = start(undefined, { storage: world.storage, client: world.client });
  const returned = await page.auth.handleRedirect(back);
  expect(returned).toEqual({
    type: 'signedOut',
    result: { type: 'partial', signedOutLocally: true, revokeTokenError: { name: 'NetworkError', message: expect.any(String), refreshToken: '' }, finishedBy: 'outbox' },
  });
  await expect(page.auth.flushRevocations()).resolves.toMatchObject({ revoked: 1, pending: 0 });
  expect(emu.tokenRevoked(world.tokens.refreshToken!)).toBe(true);
});

test('signOut({ redirectUrl }) takes another allowed sign-out URL; any other is refused before anything is sent or cleared', async () => {
  const world = await signedInAtHostedUi();
  const refused = world.auth.signOut({ redirectUrl: 'https://evil.example/' });
  await expect(refused).rejects.toBeInstanceOf(HostedUiError);
  await expect(refused).rejects.toMatchObject({ name: 'SignOutUrlNotAllowed', message: expect.stringContaining('still signed in') });
  await expect(world.auth.signOut({ redirectUrl: 42 } as never)).rejects.toMatchObject({ name: 'AuthValidationError' });
  expect(emu.requests).toEqual([]);
  expect(world.auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
  await expect(world.auth.getSession()).resolves.toMatchObject({ tokens: world.tokens });

  let opened = '';
  world.setOpener(async (url): Promise<OpenerResult> => ((opened = url), { type: 'navigating' }));
  await expect(world.auth.signOut({ redirectUrl: SIGNED_OUT_TOO })).resolves.toMatchObject({ type: 'redirecting' });
  expect(new URL(opened).searchParams.get('logout_uri')).toBe(SIGNED_OUT_TOO);
});

test('an opener that throws: partial, HostedUiSignOutNotOpened with the URL, its message redacted; the record is gone', async () => {
  const world = await signedInAtHostedUi();
  const jwtShaped = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln';
  world.setOpener(async () => {
    throw new Error(`no browser for ${jwtShaped}`);
  });
  const result = await world.auth.signOut();
  expect(result).toMatchObject({ type: 'partial', finishedBy: 'openLogoutUrl', hostedUiError: { name: 'HostedUiSignOutNotOpened', logoutUrl: logoutUrlFor(world.client.clientId, SIGNED_OUT) } });
  expect(JSON.stringify(result)).not.toContain(jwtShaped);
  expect([...world.storage.items.keys()]).toEqual([]);
  expect(world.auth.actor.getSnapshot().value).toBe('signedOut');
});

test('the pending record cannot be written: /logout is not opened (its return could not deliver the result), and the result says so', async () => {
  const world = await signedInAtHostedUi();
  let opened = false;
  world.setOpener(async () => ((opened = true), { type: 'navigating' }));
  const setItem = world.storage.setItem;
  world.storage.setItem = (key, value) => {
    if (key === pendingKey(world.client.clientId)) throw new Error('QuotaExceededError');
    setItem(key, value);
  };
  const result = await world.auth.signOut();
  expect(result).toMatchObject({ type: 'partial', finishedBy: 'openLogoutUrl', hostedUiError: { name: 'HostedUiSignOutNotOpened', logoutUrl: expect.stringContaining('/logout?') } });
  expect(opened).toBe(false);
  expect(world.storage.items.has(`authchart.${world.client.clientId}.session`)).toBe(false);
});

test('a global sign-out with the admin scope ends all three layers: GlobalSignOut, then /logout', async () => {
  const world = await signedInAtHostedUi(['openid', 'email', 'aws.cognito.signin.user.admin']);
  await expect(world.auth.signOut({ global: true })).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  expect(emu.requests.map((request) => request.operation)).toEqual(['GlobalSignOut', 'logout']);
  expect(world.agent.visits).toEqual(['form', 'logout']);
});

test('without the admin scope: GlobalSignOutNotSupported, RevokeToken, and /logout all the same', async () => {
  const world = await signedInAtHostedUi(['openid', 'email']);
  const result = await world.auth.signOut({ global: true });
  expect(result).toMatchObject({ type: 'partial', globalSignOutError: { name: 'GlobalSignOutNotSupported' }, finishedBy: 'nothing' });
  expect(result).not.toHaveProperty('hostedUiError');
  expect(world.agent.visits).toEqual(['form', 'logout']);
});

test('a password session has no hosted-UI cookie: no /logout', async () => {
  let calls = 0;
  const world = start(async () => (calls++, { type: 'cancelled' }));
  await world.auth.signIn({ username: world.client.username, password: world.client.password });
  await expect(world.auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  expect(calls).toBe(0);
});

test('a hosted-UI session signed out by an instance without oauth: partial, HostedUiNotConfigured, no URL to give', async () => {
  const world = await signedInAtHostedUi();
  await world.auth.stop();
  const other = start(undefined, { storage: world.storage, client: world.client, oauth: false });
  await expect(other.auth.getSession()).resolves.toMatchObject({ tokens: world.tokens });
  const result = await other.auth.signOut();
  expect(result).toEqual({ type: 'partial', signedOutLocally: true, hostedUiError: { name: 'HostedUiNotConfigured', message: expect.stringContaining('no oauth config') }, finishedBy: 'openLogoutUrl' });
  expect(emu.tokenRevoked(world.tokens.refreshToken!)).toBe(true);
});

test('retrySignOut() of a result whose only failure is the cookie, or of a redirecting one, says what to do instead', async () => {
  const partial: SignOutResult = { type: 'partial', signedOutLocally: true, hostedUiError: { name: 'HostedUiSignOutCancelled', message: 'closed', logoutUrl: 'https://x/logout' }, finishedBy: 'openLogoutUrl' };
  const world = start(undefined);
  await expect(world.auth.retrySignOut(partial)).rejects.toMatchObject({ name: 'AuthValidationError', message: expect.stringContaining('logoutUrl') });
  await expect(world.auth.retrySignOut({ type: 'redirecting', signedOutLocally: true, logoutUrl: 'https://x/logout' })).rejects.toMatchObject({ name: 'AuthValidationError', message: expect.stringContaining('handleRedirect') });
});

test('a clear that failed after the server calls (revokedButStored): the next signOut() clears, then visits /logout', async () => {
  const world = await signedInAtHostedUi();
  const sessionKey = `authchart.${world.client.clientId}.session`;
  const removeItem = world.storage.removeItem;
  world.storage.removeItem = (key) => {
    if (key === sessionKey) throw new Error('storage is locked');
    removeItem(key);
  };
  await expect(world.auth.signOut()).resolves.toMatchObject({ type: 'failed' });
  expect(world.auth.actor.getSnapshot().value).toBe('revokedButStored');
  expect(world.agent.visits).toEqual(['form']); // the device is not cleared: no /logout yet
  world.storage.removeItem = removeItem;
  await expect(world.auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  expect(world.agent.visits).toEqual(['form', 'logout']);
  expect(world.agent.cognitoCookie()).toBeUndefined();
});

test('no opener (an instance outside a browser without oauth.opener): partial, HostedUiSignOutNotOpened, and no pending record left behind', async () => {
  const world = await signedInAtHostedUi();
  await world.auth.stop();
  const other = start(undefined, { storage: world.storage, client: world.client });
  const result = await other.auth.signOut();
  expect(result).toMatchObject({ type: 'partial', finishedBy: 'openLogoutUrl', hostedUiError: { name: 'HostedUiSignOutNotOpened', message: expect.stringContaining('no opener') } });
  expect([...world.storage.items.keys()]).toEqual([]);
});
