// A refresh whose write is refused (StaleWriteError) because another instance over the same storage
// began a global sign-out while the refresh was at Cognito: the refreshing instance must not go
// back to the session it held, whose tokens that GlobalSignOut revoked. Found by the soak of
// 2026-12-07 (seed 20261211, path 737: on('tokenRefresh_failure', () => getSession()),
// race(getSession({ forceRefresh: true }), b.signOut({ global: true }))): the handler's
// getSession() handed out the stored access token, revoked by B's GlobalSignOut, while B's clear
// had not landed yet. Real HTTP to the emulator; B's clear is held, so the window is wide and sure.
import { waitFor } from 'xstate';
import { createAuth, type Auth, type AuthSession, type StorageLike } from '../src/index';
import type { CognitoEmulator, SetupResult } from '../src/testing/index';
import { emulatorPerFile } from './support/harness';

let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

/** A gate: held until opened. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/**
 * One storage two instances share. Once armed, A's refresh waits at `aWrite` before it raises its
 * write flag; B's removal of the session (its sign-out's clear) waits at `bClear`.
 */
function sharedStorage() {
  const items = new Map<string, string>();
  const aWrite = gate();
  const bClear = gate();
  let armed = false;
  const a: StorageLike = {
    getItem: (key) => items.get(key) ?? null,
    setItem: async (key, value) => {
      if (armed && key.endsWith('.sessionWrite')) {
        armed = false;
        await aWrite.opened;
      }
      items.set(key, value);
    },
    removeItem: (key) => void items.delete(key),
  };
  const b: StorageLike = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: async (key) => {
      if (key.endsWith('.session')) await bClear.opened;
      items.delete(key);
    },
  };
  return { a, b, items, aWrite, bClear, arm: () => void (armed = true) };
}

function start(pool: SetupResult, storage: StorageLike): Auth {
  const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage, networkTimeoutMs: 2000, storageTimeoutMs: 5000, revocationOutbox: { retryBaseMs: 600_000 } });
  auths.push(auth);
  return auth;
}

const handedOutRevoked = (session: AuthSession): boolean =>
  session.tokens !== undefined && (emu.tokenRevoked(session.tokens.accessToken) !== false || (session.tokens.refreshToken !== undefined && emu.tokenRevoked(session.tokens.refreshToken) !== false));

test("a refresh refused because another instance's global sign-out began: no revoked token is handed out, and the instance ends signed out", async () => {
  const pool = emu.setup();
  const storage = sharedStorage();
  const a = start(pool, storage.a);
  await a.signIn({ username: pool.username, password: pool.password, authFlow: 'USER_PASSWORD_AUTH' });
  const b = start(pool, storage.b);
  await waitFor(b.actor, (snapshot) => snapshot.matches({ signedIn: 'active' }));

  // A's refresh is answered by Cognito; its write waits while B's global sign-out records its
  // intent, lands GlobalSignOut (which revokes every token of the user, A's included) and begins
  // its clear (its flag raised, its removal held): the store still holds the session, now revoked.
  storage.arm();
  emu.resetRequests();
  const failures: string[] = [];
  const fromHandler: Promise<AuthSession | string>[] = [];
  a.on('tokenRefresh_failure', ({ error }) => {
    failures.push(error.name);
    fromHandler.push(a.getSession().catch((e: Error) => e.name));
  });
  const refreshing = a.getSession({ forceRefresh: true }).catch((e: Error) => e.name);
  while (!emu.requests.some((request) => request.operation === 'InitiateAuth' && request.status === 200)) await new Promise((resolve) => setTimeout(resolve, 5));
  const signingOut = b.signOut({ global: true }).catch((e: Error) => e);
  while (![...storage.items.keys()].some((key) => key.endsWith('.sessionClear'))) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(emu.requests.map((request) => request.operation)).toEqual(['InitiateAuth', 'GlobalSignOut']);
  expect(a.actor.getSnapshot().matches({ signedIn: { refreshing: 'refreshingTokens' } })).toBe(true);

  // A's write is refused (B is clearing); B's removal is still held, so the revoked session is stored.
  storage.aWrite.open();
  const forced = await refreshing;
  expect(failures).toEqual(['StaleWriteError']);
  expect(typeof forced === 'string' || !handedOutRevoked(forced)).toBe(true);
  for (const session of await Promise.all(fromHandler)) expect(typeof session === 'string' || !handedOutRevoked(session)).toBe(true);
  const after = await a.getSession();
  expect(handedOutRevoked(after)).toBe(false);
  expect(after.tokens).toBeUndefined();
  expect([...storage.items.keys()].filter((key) => key.endsWith('.session'))).toEqual([]); // A cleared what its sign-out held
  await waitFor(a.actor, (snapshot) => snapshot.matches('signedOut'));

  storage.bClear.open();
  await expect(signingOut).resolves.toMatchObject({ type: 'complete' });
  expect([...storage.items.keys()].filter((key) => key.endsWith('.session'))).toEqual([]);
});
