// KB4: two instances over one asynchronous storage (two processes, or tabs without Web Locks). A
// refresh's save checks the stored generation (getItem) and writes (setItem) in two storage
// calls, and storage has no compare-and-set: the other instance's whole sign-out, its clear
// included, could land between them, and the refresh wrote the session back after that sign-out
// had said `complete`. Now the two sides each raise a flag in storage and read the other's before
// they act (a refresh's write-back and a clear), so one of them always sees the other: the clear
// waits for a write-back under way, and a refresh that sees a clear under way writes nothing.
// Real HTTP to the emulator; the storage holds A's session write until the test lets it land.
import { waitFor } from 'xstate';
import { createAuth, type Auth } from '../src/index';
import type { CognitoEmulator } from '../src/testing/index';
import { emulatorPerFile } from './support/harness';

let emu!: CognitoEmulator;
const auths = emulatorPerFile((started) => (emu = started));

/** One Map, seen by each instance through its own view: every call answers after 1 ms, and a view can hold its next session write. */
function sharedStorage() {
  const items = new Map<string, string>();
  const later = <T>(act: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(act()), 1));
  const view = () => {
    const gate = { armed: false, reached: undefined as undefined | (() => void), release: undefined as undefined | (() => void), flagRead: undefined as undefined | (() => void) };
    const held = new Promise<void>((resolve) => (gate.reached = resolve));
    /** Resolves when this view reads the flag of a refresh's write-back (the storage guard's). */
    const readWriteFlag = new Promise<void>((resolve) => (gate.flagRead = resolve));
    return {
      gate,
      held,
      readWriteFlag,
      getItem: (key: string) => {
        if (key.endsWith('.sessionWrite')) gate.flagRead!();
        return later(() => items.get(key) ?? null);
      },
      setItem: (key: string, value: string) => {
        if (gate.armed && key.endsWith('.session')) {
          gate.armed = false;
          // Carried out when released: the write lands then, as a slow storage's would.
          return new Promise<void>((resolve) => {
            gate.release = () => resolve(void items.set(key, value));
            gate.reached!();
          });
        }
        return later(() => void items.set(key, value));
      },
      removeItem: (key: string) => later(() => void items.delete(key)),
    };
  };
  return { items, view };
}

test("a refresh's write-back held until the other instance's sign-out has run: that sign-out's `complete` stays true (no session stored)", async () => {
  const pool = emu.setup();
  const storage = sharedStorage();
  const viewA = storage.view();
  const viewB = storage.view();
  const start = (view: ReturnType<typeof storage.view>): Auth => {
    const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage: view, revocationOutbox: { retryBaseMs: 600_000 } });
    auths.push(auth);
    return auth;
  };
  const a = start(viewA);
  await waitFor(a.actor, (snapshot) => snapshot.matches('signedOut'));
  await a.signIn({ username: pool.username, password: pool.password, authFlow: 'USER_PASSWORD_AUTH' });
  const b = start(viewB);
  await waitFor(b.actor, (snapshot) => snapshot.matches({ signedIn: 'active' }));

  viewA.gate.armed = true;
  const refreshing = a.getSession({ forceRefresh: true }).catch((error: unknown) => error);
  await viewA.held; // A's refresh has checked the generation and is writing its tokens back

  let storedWhenSettled: string[] | undefined;
  const signingOut = b.signOut().then((result) => ((storedWhenSettled = [...storage.items.keys()].filter((key) => key.endsWith('.session'))), result));
  // B's sign-out settles on its own (no guard), or finds A's write-back under way and waits for it: either way, A's write then lands.
  await Promise.race([signingOut, viewB.readWriteFlag]);
  viewA.gate.release!();
  const [result] = await Promise.all([signingOut, refreshing]);

  expect(result).toMatchObject({ type: 'complete', signedOutLocally: true });
  expect(storedWhenSettled).toEqual([]);
  // Let A's save finish whatever it does after its write (read back, ask the outbox, take back).
  await waitFor(a.actor, (snapshot) => !snapshot.matches({ signedIn: 'refreshing' }));
  expect([...storage.items.keys()].filter((key) => key.endsWith('.session'))).toEqual([]);
});
