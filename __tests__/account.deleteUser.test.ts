// deleteUser() (authchart/account) end to end over HTTP against the emulator: the user deleted, the
// session ended without RevokeToken or GlobalSignOut (the tokens are dead), the store cleared and the
// other tabs and instances signed out, the outbox's queued sign-outs of that user dropped (another
// user's kept), and a true result when a step fails: DeleteUser refused or unreachable, a storage
// that cannot remove the session. Over both transports for the main path; no secret anywhere observable.
import { DeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { waitFor } from 'xstate';
import { AuthStateError, type AuthHubEvent } from '../src/index';
import type { SetupOptions } from '../src/testing/index';
import { accountHarness } from './support/accountEmulator';
import { accountApp, type AccountApp, type Transport } from './support/accountApp';
import { inspectableStorage, type InspectableStorage } from './support/harness';

const h = accountHarness();
// Sessions here: Cognito's clock is the library's (Date.now), so that no getSession() refreshes.
beforeEach(() => {
  h.clock = Date.now();
});
afterEach(() => h.emu.faults.clear());
// Outbox retries in the background would land in other tests' request logs: they wait 10 minutes here.
const QUIET_OUTBOX = { revocationOutbox: { retryBaseMs: 600_000 } } as const;

function pool(options: SetupOptions = {}) {
  const made = h.emu.setup(options);
  h.secrets.push(made.password);
  return made;
}

/** Signs the pool's user in and returns every token of the session (secrets the test then looks for). */
async function signedIn(app: AccountApp, username: string, password: string): Promise<string[]> {
  await expect(app.auth.signIn({ username, password })).resolves.toMatchObject({ isSignedIn: true });
  const { tokens } = await app.auth.getSession();
  return [tokens!.accessToken, tokens!.idToken, tokens!.refreshToken!];
}

/** The operations sent to the emulator from `from` on (the request log's index). */
const sentSince = (from: number) => h.emu.requests.slice(from).map((r) => r.operation);

const sessionKey = (clientId: string) => `authchart.${clientId}.session`;
const outboxKey = (clientId: string) => `authchart.${clientId}.revocationOutbox`;

/** The access tokens the stored outbox entries carry. */
function queuedAccessTokens(storage: InspectableStorage, clientId: string): string[] {
  const raw = storage.items.get(outboxKey(clientId));
  const entries = raw ? ((JSON.parse(raw) as { entries: Array<{ tokens: { accessToken?: string } }> }).entries ?? []) : [];
  return entries.map((entry) => entry.tokens.accessToken ?? '');
}

describe.each<Transport>(['fetch', 'sdk'])('over %s', (transport) => {
  test('complete: the user is deleted with DeleteUser alone, the device cleared, signedOut announced, and a reload finds nobody', async () => {
    const made = pool();
    const app = accountApp(h, made, { transport, config: QUIET_OUTBOX });
    const secrets = await signedIn(app, made.username, made.password);
    const events: AuthHubEvent[] = [];
    app.auth.on('signedOut', (event) => events.push(event));
    const from = h.emu.requests.length;

    await expect(app.settle(app.account.deleteUser())).resolves.toEqual({ type: 'complete', userDeleted: true, signedOutLocally: true });

    expect(sentSince(from)).toEqual(['DeleteUser']); // no RevokeToken, no GlobalSignOut: the tokens are dead
    expect(app.storage.items.has(sessionKey(made.clientId))).toBe(false);
    expect(app.auth.actor.getSnapshot().matches('signedOut')).toBe(true);
    expect(events).toEqual([{ type: 'signedOut', reason: 'sessionEnded', outcome: { type: 'complete' } }]);
    await expect(app.auth.getSession()).resolves.toEqual({});
    // The user is gone: the password signs nobody in.
    await expect(app.auth.signIn({ username: made.username, password: made.password })).rejects.toMatchObject({ name: expect.stringMatching(/^(UserNotFoundException|NotAuthorizedException)$/) });
    const reloaded = app.reload();
    await expect(reloaded.auth.getSession()).resolves.toEqual({});
    expect(app.leaked([...secrets, made.password])).toEqual([]);
    await reloaded.stop();
    await app.stop();
  });

  test('failed: DeleteUser unreachable or refused; nothing else happens, and the user is still there and signed in', async () => {
    const made = pool();
    const app = accountApp(h, made, { transport, config: { ...QUIET_OUTBOX, networkTimeoutMs: 500 } });
    const secrets = await signedIn(app, made.username, made.password);
    const from = h.emu.requests.length;

    h.emu.faults.set('DeleteUser', { type: 'reset' });
    await expect(app.settle(app.account.deleteUser())).resolves.toEqual({ type: 'failed', userDeleted: false, signedOutLocally: false, error: expect.objectContaining({ name: 'NetworkError' }) });
    h.emu.faults.set('DeleteUser', { type: 'error', name: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    await expect(app.settle(app.account.deleteUser())).resolves.toEqual({ type: 'failed', userDeleted: false, signedOutLocally: false, error: expect.objectContaining({ name: 'NotAuthorizedException' }) });
    h.emu.faults.clear();

    expect(sentSince(from).filter((op) => op !== 'DeleteUser')).toEqual([]);
    expect(app.storage.items.has(sessionKey(made.clientId))).toBe(true);
    await expect(app.auth.getSession()).resolves.toMatchObject({ username: made.username });
    // Cognito still knows the user: a second app signs them in.
    const other = accountApp(h, made, { transport });
    await expect(other.auth.signIn({ username: made.username, password: made.password })).resolves.toMatchObject({ isSignedIn: true });
    expect(app.leaked([...secrets, made.password])).toEqual([]);
    await other.stop();
    await app.stop();
  });
});

test('with revocationOutbox: false (the outbox keeps nothing in storage), the session still ends without a request, and a reload finds nobody', async () => {
  const made = pool();
  const app = accountApp(h, made, { config: { revocationOutbox: false } });
  const secrets = await signedIn(app, made.username, made.password);
  const from = h.emu.requests.length;
  await expect(app.account.deleteUser()).resolves.toEqual({ type: 'complete', userDeleted: true, signedOutLocally: true });
  expect(sentSince(from)).toEqual(['DeleteUser']);
  expect(app.storage.items.has(sessionKey(made.clientId))).toBe(false);
  const reloaded = app.reload();
  await expect(reloaded.auth.getSession()).resolves.toEqual({});
  expect(app.leaked(secrets)).toEqual([]);
  await reloaded.stop();
  await app.stop();
});

test('nobody signed in: AuthStateError UserUnAuthenticatedException, and nothing is sent', async () => {
  const made = pool();
  const app = accountApp(h, made);
  const from = h.emu.requests.length;
  const error = await app.account.deleteUser().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthStateError);
  expect(error).toMatchObject({ name: 'UserUnAuthenticatedException' });
  expect(sentSince(from)).toEqual([]);
  await app.stop();
});

test('one step at a time: a second deleteUser() while one runs is refused, and DeleteUser is sent once', async () => {
  const made = pool();
  const app = accountApp(h, made, { config: QUIET_OUTBOX });
  await signedIn(app, made.username, made.password);
  const from = h.emu.requests.length;
  const first = app.account.deleteUser();
  const second = await app.account.deleteUser().catch((e: unknown) => e);
  expect(second).toBeInstanceOf(AuthStateError);
  expect(second).toMatchObject({ name: 'AccountStepInProgress' });
  await expect(first).resolves.toMatchObject({ type: 'complete' });
  expect(sentSince(from)).toEqual(['DeleteUser']);
  await app.stop();
});

test('a user gone already (an earlier DeleteUser whose answer was lost landed): taken as deleted, and the session ends', async () => {
  const made = pool();
  const app = accountApp(h, made, { config: QUIET_OUTBOX });
  await signedIn(app, made.username, made.password);
  // The earlier call: Cognito deleted the user, and the app never heard.
  const { tokens } = await app.auth.getSession();
  await h.sdk.send(new DeleteUserCommand({ AccessToken: tokens!.accessToken }));
  await expect(app.account.deleteUser()).resolves.toEqual({ type: 'complete', userDeleted: true, signedOutLocally: true });
  expect(app.storage.items.has(sessionKey(made.clientId))).toBe(false);
  await app.stop();
});

test('the device cannot be cleared: failed with userDeleted and StorageError; the dead session is never handed out nor restored, and signOut() clears it without a request', async () => {
  const made = pool();
  const storage = inspectableStorage();
  let removals = true;
  const session = sessionKey(made.clientId);
  const failing: InspectableStorage = {
    ...storage,
    removeItem: (key) => {
      if (key === session && !removals) throw new Error('removeItem failed');
      storage.removeItem(key);
    },
  };
  const app = accountApp(h, made, { storage: failing, config: QUIET_OUTBOX });
  const secrets = await signedIn(app, made.username, made.password);
  removals = false;
  const from = h.emu.requests.length;

  const result = await app.settle(app.account.deleteUser());
  expect(result).toEqual({ type: 'failed', userDeleted: true, signedOutLocally: false, error: expect.objectContaining({ name: 'StorageError' }) });
  expect(storage.items.has(session)).toBe(true);
  await expect(app.auth.getSession()).rejects.toMatchObject({ name: 'RevokedSessionNotCleared' });

  // A reload over the same storage does not restore it: the outbox marks its tokens dead.
  const reloaded = app.reload();
  await waitFor(reloaded.auth.actor, (snapshot) => snapshot.matches('revokedButStored') || snapshot.matches('signedOut'));
  expect(reloaded.auth.actor.getSnapshot().matches('signedIn')).toBe(false);
  await expect(reloaded.auth.getSession()).rejects.toMatchObject({ name: 'RevokedSessionNotCleared' });
  await reloaded.stop();

  // Once the storage removes again, signOut() finishes the clear, and sends nothing.
  removals = true;
  await expect(app.auth.signOut()).resolves.toEqual({ type: 'complete', signedOutLocally: true });
  expect(storage.items.has(session)).toBe(false);
  expect(sentSince(from)).toEqual(['DeleteUser']);
  expect(app.leaked([...secrets, made.password])).toEqual([]);
  await app.stop();
});

/**
 * Jane's and Bob's sign-outs that could not reach Cognito, queued in the app's outbox; then Jane
 * signed in again. With a revocationEndpoint, a queued local sign-out keeps its access token (the
 * announcement's bearer), which names its user. Returns the two queued access tokens and Jane's session's tokens.
 */
async function queuedSignOuts(app: AccountApp, username: string, password: string) {
  const [janeEarlier] = await signedIn(app, username, password);
  h.emu.faults.set('RevokeToken', { type: 'reset' });
  await expect(app.auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
  const [bobs] = await signedIn(app, 'bob', 'Bob-passw0rd!');
  await expect(app.auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
  h.emu.faults.clear();
  const session = await signedIn(app, username, password);
  return { janeEarlier: janeEarlier!, bobs: bobs!, session };
}

function poolWithBob() {
  const made = pool();
  h.emu.createUser({ userPoolId: made.userPoolId, username: 'bob', password: 'Bob-passw0rd!' });
  h.secrets.push('Bob-passw0rd!');
  return made;
}

const ANNOUNCING = { ...QUIET_OUTBOX, revocationEndpoint: 'http://127.0.0.1:9/revocations' } as const;

test("the outbox's queued sign-outs of the deleted user are dropped; another user's stay", async () => {
  const made = poolWithBob();
  const app = accountApp(h, made, { config: ANNOUNCING });
  const { janeEarlier, bobs, session } = await queuedSignOuts(app, made.username, made.password);
  expect(queuedAccessTokens(app.storage, made.clientId).sort()).toEqual([janeEarlier, bobs].sort());
  const from = h.emu.requests.length;
  await expect(app.account.deleteUser()).resolves.toEqual({ type: 'complete', userDeleted: true, signedOutLocally: true });
  expect(queuedAccessTokens(app.storage, made.clientId)).toEqual([bobs]);
  expect(sentSince(from)).toEqual(['DeleteUser']);
  expect(app.leaked([...session, janeEarlier, bobs, made.password])).toEqual([]);
  await app.stop();
});

test('a queued local sign-out that keeps only its refresh token names nobody: it is left to the outbox, and the result is still complete', async () => {
  const made = pool();
  const app = accountApp(h, made, { config: QUIET_OUTBOX });
  await signedIn(app, made.username, made.password);
  h.emu.faults.set('RevokeToken', { type: 'reset' });
  await expect(app.auth.signOut()).resolves.toMatchObject({ type: 'partial', finishedBy: 'outbox' });
  h.emu.faults.clear();
  await signedIn(app, made.username, made.password);
  await expect(app.account.deleteUser()).resolves.toEqual({ type: 'complete', userDeleted: true, signedOutLocally: true });
  expect(queuedAccessTokens(app.storage, made.clientId)).toEqual(['']); // one entry, with no access token
  await app.stop();
});

test("partial: the user is deleted and the device cleared, but the outbox's storage refuses the removal of that user's queued sign-outs", async () => {
  const made = poolWithBob();
  const storage = inspectableStorage();
  const outbox = outboxKey(made.clientId);
  let outboxWrites = true;
  const refusing: InspectableStorage = {
    ...storage,
    setItem: (key, value) => {
      if (key === outbox && !outboxWrites) throw new Error('setItem failed');
      storage.setItem(key, value);
    },
    removeItem: (key) => {
      if (key === outbox && !outboxWrites) throw new Error('removeItem failed');
      storage.removeItem(key);
    },
  };
  const app = accountApp(h, made, { storage: refusing, config: ANNOUNCING });
  const { janeEarlier, bobs } = await queuedSignOuts(app, made.username, made.password);
  outboxWrites = false;
  await expect(app.settle(app.account.deleteUser())).resolves.toEqual({
    type: 'partial',
    userDeleted: true,
    signedOutLocally: true,
    outboxError: { name: 'StorageError', message: expect.stringContaining('could not be removed from the outbox') },
  });
  expect(storage.items.has(sessionKey(made.clientId))).toBe(false);
  expect(queuedAccessTokens(storage, made.clientId).sort()).toEqual([janeEarlier, bobs].sort());
  await app.stop();
});

describe('the other tabs', () => {
  type Listener = (event: { key: string | null; newValue: string | null; oldValue: string | null }) => void;
  const scope = globalThis as { window?: unknown };
  afterEach(() => {
    delete scope.window;
  });

  test('a tab over the same storage is told, and is signed out (reason otherTab)', async () => {
    // A stand-in `window` (its storage events never fire here); the news travels over Node's BroadcastChannel.
    const listeners = new Set<Listener>();
    scope.window = { addEventListener: (_: 'storage', l: Listener) => void listeners.add(l), removeEventListener: (_: 'storage', l: Listener) => void listeners.delete(l) };
    const made = pool();
    const storage = inspectableStorage();
    const here = accountApp(h, made, { storage, config: { ...QUIET_OUTBOX, syncTabs: true } });
    await signedIn(here, made.username, made.password);
    const there = accountApp(h, made, { storage, config: { ...QUIET_OUTBOX, syncTabs: true } });
    await expect(there.auth.getSession()).resolves.toMatchObject({ username: made.username });
    const heard: AuthHubEvent[] = [];
    there.auth.on('signedOut', (event) => heard.push(event));

    await expect(here.account.deleteUser()).resolves.toMatchObject({ type: 'complete' });
    await waitFor(there.auth.actor, (snapshot) => snapshot.matches('signedOut'));
    expect(heard).toEqual([{ type: 'signedOut', reason: 'otherTab' }]);
    await expect(there.auth.getSession()).resolves.toEqual({});
    await there.stop();
    await here.stop();
  });
});
