// Sign-in through the hosted UI over real HTTP to the emulator: PKCE, state, the code exchange,
// both kinds of opener (an auth session that comes back; a browser that navigates away), and
// every way it can end without a session.
import { createAuth, type Auth, type AuthHubEvent, type AuthOpener, type OpenerResult } from '../src/index';
import { signInAtHostedUi, type CognitoEmulator } from '../src/testing/index';
import { inspectableStorage, emulatorPerFile } from './support/harness';
import { postForm } from './support/oauthBrowser';

const CALLBACK = 'http://localhost:3000/callback';
const SIGNED_OUT = 'http://localhost:3000/signed-out';
let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

/** What a user does in the hosted UI: the login form, then back to the app with a code. */
const userSignsIn = (url: string, user: { username: string; password: string }) => signInAtHostedUi(url, user);

function start(opener: AuthOpener, scopes?: string[]) {
  const client = emu.setup({ callbackUrls: [CALLBACK], logoutUrls: [SIGNED_OUT] });
  const storage = inspectableStorage();
  const events: AuthHubEvent[] = [];
  const auth = createAuth({
    userPoolId: client.userPoolId,
    userPoolClientId: client.clientId,
    endpoint: emu.endpoint,
    storage,
    revocationOutbox: { retryBaseMs: 600_000 },
    oauth: { domain: emu.endpoint, redirectSignIn: CALLBACK, redirectSignOut: SIGNED_OUT, opener, ...(scopes && { scopes }) },
  });
  for (const type of ['signedIn', 'customOAuthState', 'signInWithRedirect_failure'] as const) auth.on(type, (event) => events.push(event));
  auths.push(auth);
  return { auth, storage, client, events };
}
const authSession = (user: () => { username: string; password: string }): AuthOpener => async (url) => ({ type: 'returned', url: await userSignsIn(url, user()) });

test('an auth-session opener: the user signs in at the hosted UI, the code is exchanged, the session is stored', async () => {
  let client!: { username: string; password: string };
  const world = start(authSession(() => client));
  client = world.client;
  await expect(world.auth.signInWithRedirect({ customState: 'back-to=/orders' })).resolves.toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const session = await world.auth.getSession();
  expect(session).toMatchObject({ username: client.username, tokens: { accessToken: expect.any(String), idToken: expect.any(String), refreshToken: expect.any(String) } });
  expect(world.events).toEqual([{ type: 'signedIn', username: client.username }, { type: 'customOAuthState', state: 'back-to=/orders' }]);
  expect([...world.storage.items.keys()].some((key) => key.endsWith('.pendingSignIn'))).toBe(false); // the sign-in in flight is over
  // A hosted-UI session refreshes like any other.
  const refreshed = await world.auth.getSession({ forceRefresh: true });
  expect(refreshed.tokens!.accessToken).not.toBe(session.tokens!.accessToken);
});

test('a browser opener navigates away; handleRedirect() on the return finishes the sign-in, with the custom state', async () => {
  let opened = '';
  const world = start(async (url): Promise<OpenerResult> => ((opened = url), { type: 'navigating' }));
  await expect(world.auth.signInWithRedirect({ customState: 'x' })).resolves.toEqual({ isSignedIn: false, nextStep: { signInStep: 'REDIRECTING' } });
  const authorize = new URL(opened);
  expect(authorize.pathname).toBe('/oauth2/authorize');
  expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: world.client.clientId, redirect_uri: CALLBACK, response_type: 'code', code_challenge_method: 'S256' });
  expect(JSON.stringify([...world.storage.items.values()])).not.toContain(authorize.searchParams.get('code_challenge')!);
  const returned = await userSignsIn(opened, world.client);
  await expect(world.auth.handleRedirect(returned)).resolves.toEqual({ type: 'signedIn', customState: 'x' });
  expect(world.auth.actor.getSnapshot().value).toEqual({ signedIn: 'active' });
});

test('a return whose state is not the one sent: OAuthStateMismatch, nothing exchanged, nobody signed in', async () => {
  let opened = '';
  const world = start(async (url): Promise<OpenerResult> => ((opened = url), { type: 'navigating' }));
  await world.auth.signInWithRedirect();
  const returned = new URL(await userSignsIn(opened, world.client));
  returned.searchParams.set('state', 'forged');
  emu.resetRequests();
  await expect(world.auth.handleRedirect(returned.toString())).rejects.toMatchObject({ name: 'OAuthStateMismatch' });
  expect(emu.requests.filter((request) => request.operation === 'oauth2/token')).toEqual([]);
  expect(world.auth.actor.getSnapshot().value).toBe('signedOut');
  expect(world.events.map((event) => event.type)).toEqual(['signInWithRedirect_failure']);
});

test('the user cancels (the auth session closed, or access_denied from the provider): RedirectSignInCancelled, nothing half stored', async () => {
  const world = start(async () => ({ type: 'cancelled' }));
  await expect(world.auth.signInWithRedirect()).rejects.toMatchObject({ name: 'RedirectSignInCancelled' });
  expect([...world.storage.items.keys()]).toEqual([]);
  let opened = '';
  const second = start(async (url): Promise<OpenerResult> => ((opened = url), { type: 'navigating' }));
  await second.auth.signInWithRedirect();
  const state = new URL(opened).searchParams.get('state')!;
  await expect(second.auth.handleRedirect(`${CALLBACK}?error=access_denied&state=${state}`)).rejects.toMatchObject({ name: 'RedirectSignInCancelled' });
  expect([...second.storage.items.keys()]).toEqual([]);
});

test('a provider error other than a cancel is an OAuthError; a code refused at the token endpoint too', async () => {
  let opened = '';
  const world = start(async (url): Promise<OpenerResult> => ((opened = url), { type: 'navigating' }));
  await world.auth.signInWithRedirect();
  const state = new URL(opened).searchParams.get('state')!;
  await expect(world.auth.handleRedirect(`${CALLBACK}?error=server_error&error_description=boom&state=${state}`)).rejects.toMatchObject({ name: 'OAuthError' });
  await world.auth.signInWithRedirect();
  const returned = await userSignsIn(opened, world.client);
  // Someone else tries the code first (a wrong verifier): a code is good once, so ours is refused.
  const code = new URL(returned, 'http://localhost:3000').searchParams.get('code')!;
  await postForm(`${emu.endpoint}/oauth2/token`, { grant_type: 'authorization_code', client_id: world.client.clientId, code, code_verifier: 'x'.repeat(43), redirect_uri: CALLBACK });
  await expect(world.auth.handleRedirect(returned)).rejects.toMatchObject({ name: 'OAuthError', message: expect.stringContaining('invalid_grant') });
  expect(world.auth.actor.getSnapshot().value).toBe('signedOut');
});

test('any other URL: handleRedirect() does nothing', async () => {
  const world = start(async () => ({ type: 'navigating' }));
  await expect(world.auth.handleRedirect('http://localhost:3000/orders?id=7')).resolves.toEqual({ type: 'none' });
  await expect(world.auth.handleRedirect(`${CALLBACK}?code=abc&state=xyz`)).rejects.toMatchObject({ name: 'OAuthStateMismatch' }); // nothing was in flight
});

test('a sign-out while the hosted UI is open cancels the sign-in; its late return is not taken', async () => {
  let release!: () => void;
  let opened = '';
  const world = start((url) => new Promise<OpenerResult>((resolve) => ((opened = url), (release = () => resolve({ type: 'navigating' })))));
  const signingIn = world.auth.signInWithRedirect().catch((error: unknown) => error);
  for (let i = 0; i < 200 && !opened; i += 1) await new Promise((resolve) => setTimeout(resolve, 5)); // the hosted UI is open
  expect(world.auth.actor.getSnapshot().value).toBe('openingHostedUi');
  await expect(world.auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  await expect(signingIn).resolves.toMatchObject({ name: 'RedirectSignInCancelled' });
  // The user finishes in the hosted UI anyway: that return is refused, nobody is signed in.
  const returned = await userSignsIn(opened, world.client);
  release();
  await expect(world.auth.handleRedirect(returned)).rejects.toMatchObject({ name: 'OAuthStateMismatch' });
  expect(world.auth.actor.getSnapshot().value).toBe('signedOut');
  await expect(world.auth.getSession()).resolves.toEqual({});
});

test('without oauth in the config: signInWithRedirect() is a typed config error, handleRedirect() does nothing', async () => {
  const client = emu.setup();
  const auth = createAuth({ userPoolId: client.userPoolId, userPoolClientId: client.clientId, endpoint: emu.endpoint });
  auths.push(auth);
  await expect(auth.signInWithRedirect()).rejects.toMatchObject({ name: 'AuthConfigError', field: 'oauth' });
  await expect(auth.handleRedirect(`${CALLBACK}?code=a&state=b`)).resolves.toEqual({ type: 'none' });
});

test('a hosted-UI session without the admin scope signs out globally as GlobalSignOutNotSupported, this device revoked', async () => {
  let client!: { username: string; password: string };
  const world = start(authSession(() => client), ['openid', 'email']);
  client = world.client;
  await world.auth.signInWithRedirect();
  const { tokens } = await world.auth.getSession();
  await expect(world.auth.signOut({ global: true })).resolves.toMatchObject({ type: 'partial', globalSignOutError: { name: 'GlobalSignOutNotSupported' }, finishedBy: 'nothing' });
  expect(emu.tokenRevoked(tokens!.refreshToken!)).toBe(true);
});

test.each([
  ['oauth', 'yes'],
  ['oauth.domain', { domain: 'http://auth.example.com', redirectSignIn: CALLBACK, redirectSignOut: SIGNED_OUT }],
  ['oauth.redirectSignIn', { domain: 'https://auth.example.com', redirectSignIn: 'not a url', redirectSignOut: SIGNED_OUT }],
  ['oauth.redirectSignOut', { domain: 'https://auth.example.com', redirectSignIn: CALLBACK, redirectSignOut: 'javascript:alert(1)' }],
  ['oauth.scopes', { domain: 'https://auth.example.com', redirectSignIn: CALLBACK, redirectSignOut: SIGNED_OUT, scopes: [] }],
  ['oauth.opener', { domain: 'https://auth.example.com', redirectSignIn: CALLBACK, redirectSignOut: SIGNED_OUT, opener: 'window' }],
])('a bad %s is a typed config error naming it', (field, oauth) => {
  expect(() => createAuth({ userPoolId: 'eu-west-1_AbC123', userPoolClientId: '1example23456789', oauth: oauth as never })).toThrow(expect.objectContaining({ name: 'AuthConfigError', field }));
});

test('a custom scheme is a valid redirect (React Native, Electron); http is a valid domain on loopback', () => {
  const auth = createAuth({ userPoolId: 'eu-west-1_AbC123', userPoolClientId: '1example23456789', oauth: { domain: 'http://127.0.0.1:9', redirectSignIn: 'myapp://callback', redirectSignOut: 'myapp://signed-out', opener: async () => ({ type: 'cancelled' }) } });
  auths.push(auth);
});

test('the page reloads: a new instance over the same storage, with no opener at all, finishes the return', async () => {
  let opened = '';
  const first = start(async (url): Promise<OpenerResult> => ((opened = url), { type: 'navigating' }));
  await first.auth.signInWithRedirect({ customState: 'reloaded' });
  await first.auth.stop(); // the page goes away
  const returned = await userSignsIn(opened, first.client);
  const reloaded = createAuth({
    userPoolId: first.client.userPoolId,
    userPoolClientId: first.client.clientId,
    endpoint: emu.endpoint,
    storage: first.storage,
    oauth: { domain: emu.endpoint, redirectSignIn: CALLBACK, redirectSignOut: SIGNED_OUT }, // no opener, and no window here
  });
  auths.push(reloaded);
  await expect(reloaded.handleRedirect(returned)).resolves.toEqual({ type: 'signedIn', customState: 'reloaded' });
  await expect(reloaded.signInWithRedirect()).rejects.toMatchObject({ name: 'AuthConfigError', field: 'oauth.opener' });
});

test('the error text of a return URL is anyone\'s to write: token-shaped text is redacted and the length capped', async () => {
  let opened = '';
  const world = start(async (url): Promise<OpenerResult> => ((opened = url), { type: 'navigating' }));
  await world.auth.signInWithRedirect();
  const state = new URL(opened).searchParams.get('state')!;
  const jwt = `eyJhbGciOiJub25lIn0.${Buffer.from('{"sub":"x"}').toString('base64url')}.c2ln`;
  const error = (await world.auth.handleRedirect(`${CALLBACK}?error=server_error&error_description=${encodeURIComponent(`${jwt} ${'x'.repeat(5000)}`)}&state=${state}`).catch((caught: unknown) => caught)) as Error;
  expect(error).toMatchObject({ name: 'OAuthError' });
  expect(error.message).not.toContain(jwt);
  expect(error.message.length).toBeLessThanOrEqual(520);
});
