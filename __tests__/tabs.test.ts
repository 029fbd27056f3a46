// Tabs that share a storage agree on who is signed in. Here in Node: the chart's answers to the
// tab signals (SIGNED_IN_ELSEWHERE, SIGNED_OUT_ELSEWHERE) over real HTTP to the emulator, and the
// signals themselves over Node's BroadcastChannel with a stand-in `window`. Real tabs in Chromium:
// __tests__/browser/tabs.browser.test.ts.
import { waitFor } from 'xstate';
import { createAuth, type AuthHubEvent } from '../src/index';
import { createTestAuth, type CognitoEmulator, type TestAuth } from '../src/testing/index';
import { createTabSignals, type TabSignal } from '../services/tabs/tabSignals';
import { emulatorPerFile, inspectableStorage } from './support/harness';
import { sleep } from '../services/cognito/fetchWire';

let kit: TestAuth | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

test('another tab signs out while this one refreshes: the refresh is dropped, never written back; signedOut says otherTab', async () => {
  kit = await createTestAuth();
  const held = await kit.driveTo('signedIn.refreshing');
  const events: AuthHubEvent[] = [];
  kit.auth.on('signedOut', (event) => events.push(event));
  const stored = kit.storage.items.get(kit.storage.sessionKey);
  kit.storage.removeItem(kit.storage.sessionKey); // what the other tab's sign-out did to the shared store
  kit.auth.actor.send({ type: 'SIGNED_OUT_ELSEWHERE' });
  expect(kit.currentState()).toBe('signedOut');
  await expect(held.release()).resolves.toEqual({}); // the waiting getSession() is answered where it landed: nobody
  expect(kit.storage.items.has(kit.storage.sessionKey)).toBe(false); // the refreshed tokens were not written back
  expect(events).toEqual([{ type: 'signedOut', reason: 'otherTab' }]);
  expect(stored).toBeDefined();
});

test('another tab signs in: this one reads the store and is signed in as that user; one user at a time', async () => {
  kit = await createTestAuth({ users: [{ username: 'alice' }, { username: 'bob' }] });
  await kit.driveTo('signedIn', { username: 'alice' });
  const alice = kit.storage.items.get(kit.storage.sessionKey)!;
  await kit.driveTo('signedIn', { username: 'bob' }); // bob's session in the store now, as another tab would leave it
  const bob = kit.storage.items.get(kit.storage.sessionKey)!;
  kit.storage.setItem(kit.storage.sessionKey, alice);
  const signedIn: AuthHubEvent[] = [];
  kit.auth.on('signedIn', (event) => signedIn.push(event));
  kit.auth.actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
  await waitFor(kit.auth.actor, (snapshot) => snapshot.matches({ signedIn: 'active' }));
  expect(kit.auth.actor.getSnapshot().context.session?.username).toBe('alice');
  await expect(kit.auth.getSession()).resolves.toMatchObject({ username: 'alice' });
  expect(signedIn).toEqual([{ type: 'signedIn', username: 'alice' }]);
  expect(bob).not.toBe(alice);
});

test('a signal to a signed-out tab whose store is empty: it reads the store (adoptingSession) and stays signed out', async () => {
  kit = await createTestAuth();
  const seen: string[] = [];
  kit.auth.actor.subscribe((snapshot) => seen.push(JSON.stringify(snapshot.value)));
  kit.auth.actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
  expect(seen).toContain('"adoptingSession"'); // the signal was heard, not dropped
  await waitFor(kit.auth.actor, (snapshot) => snapshot.matches('signedOut'));
  expect(kit.auth.actor.getSnapshot().context.session).toBeNull();
  kit.auth.actor.send({ type: 'SIGNED_OUT_ELSEWHERE' });
  expect(kit.currentState()).toBe('signedOut');
});

describe('the tab signals (BroadcastChannel, with storage events as the read barrier and the fallback)', () => {
  type Listener = (event: { key: string | null; newValue: string | null; oldValue: string | null }) => void;
  /** A stand-in `window` per "tab": storage events are fired by the test, as the browser would. */
  function tab() {
    const listeners = new Set<Listener>();
    return {
      window: { addEventListener: (_: 'storage', l: Listener) => void listeners.add(l), removeEventListener: (_: 'storage', l: Listener) => void listeners.delete(l) },
      fireStorage: (event: Parameters<Listener>[0]) => listeners.forEach((l) => l(event)),
    };
  }
  const scope = globalThis as { window?: unknown; BroadcastChannel?: unknown };
  const open: Array<{ close(): void }> = [];
  afterEach(() => {
    open.splice(0).forEach((signals) => signals.close());
    delete scope.window;
  });
  function signalsIn(t: ReturnType<typeof tab>, settleMs = 60_000) {
    scope.window = t.window;
    const signals = createTabSignals({ channelName: 'authchart.test', sessionKey: 'authchart.c.session', settleMs })!;
    open.push(signals);
    const heard: TabSignal[] = [];
    signals.listen((signal) => heard.push(signal));
    return { signals, heard };
  }
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  test('no window (Node): no signals at all', () => {
    expect(createTabSignals({ channelName: 'x', sessionKey: 'y', settleMs: 1 })).toBeNull();
  });

  test('a sign-out is heard at once; a sign-in only once the storage event shows the new session', async () => {
    const a = tab();
    const b = tab();
    const inA = signalsIn(a);
    const inB = signalsIn(b);
    inA.signals.tell('signedOut');
    await until(() => inB.heard.length > 0);
    expect(inB.heard).toEqual(['signedOut']);
    inA.signals.tell('signedIn');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(inB.heard).toEqual(['signedOut']); // the message came, the store's event not yet
    b.fireStorage({ key: 'authchart.c.session', oldValue: null, newValue: '{"generation":7}' });
    expect(inB.heard).toEqual(['signedOut', 'signedIn']);
    expect(inA.heard).toEqual([]); // a tab does not hear itself
  });

  test('a storage event before the message: the sign-in is heard as soon as the message comes', async () => {
    const a = tab();
    const b = tab();
    const inA = signalsIn(a);
    const inB = signalsIn(b);
    b.fireStorage({ key: 'authchart.c.session', oldValue: null, newValue: '{"generation":7}' });
    inA.signals.tell('signedIn');
    await until(() => inB.heard.length > 0);
    expect(inB.heard).toEqual(['signedIn']);
  });

  test('a removal does not count as the store showing a sign-in: after a sign-out, the next sign-in still waits for its write', async () => {
    const a = tab();
    const b = tab();
    const inA = signalsIn(a);
    const inB = signalsIn(b);
    b.fireStorage({ key: 'authchart.c.session', oldValue: '{"generation":7}', newValue: null }); // the last sign-out's removal
    inA.signals.tell('signedOut');
    await until(() => inB.heard.length > 0);
    inA.signals.tell('signedIn');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(inB.heard).toEqual(['signedOut']); // not yet: the store has not shown the new session
    b.fireStorage({ key: 'authchart.c.session', oldValue: null, newValue: '{"generation":8}' });
    expect(inB.heard).toEqual(['signedOut', 'signedIn']);
  });

  test('a storage event that never comes (another storage): the sign-in is heard after settleMs', async () => {
    const inA = signalsIn(tab());
    const inB = signalsIn(tab(), 20);
    inA.signals.tell('signedIn');
    await until(() => inB.heard.length > 0);
    expect(inB.heard).toEqual(['signedIn']);
  });

  test('without BroadcastChannel, the storage event is the signal: removed → signedOut, a new generation → signedIn, a refresh → nothing', () => {
    const saved = scope.BroadcastChannel;
    delete scope.BroadcastChannel;
    try {
      const b = tab();
      const inB = signalsIn(b);
      b.fireStorage({ key: 'authchart.c.session', oldValue: null, newValue: '{"generation":7}' });
      b.fireStorage({ key: 'authchart.c.session', oldValue: '{"generation":7}', newValue: '{"generation":7,"accessToken":"x"}' });
      b.fireStorage({ key: 'other', oldValue: null, newValue: 'x' });
      b.fireStorage({ key: 'authchart.c.session', oldValue: '{"generation":7}', newValue: null });
      b.fireStorage({ key: null, oldValue: null, newValue: null }); // localStorage.clear()
      expect(inB.heard).toEqual(['signedIn', 'signedOut', 'signedOut']);
    } finally {
      scope.BroadcastChannel = saved;
    }
  });
});

describe('createAuth wires the signals only where tabs share the storage', () => {
  let emu!: CognitoEmulator;
  const auths = emulatorPerFile((started) => (emu = started));

  test('syncTabs must be a boolean; an app storage in Node syncs nothing unless asked', async () => {
    const pool = emu.setup();
    expect(() => createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, syncTabs: 'yes' as never })).toThrow(/syncTabs must be a boolean/);
    const auth = createAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, storage: inspectableStorage() });
    auths.push(auth);
    await auth.signIn({ username: pool.username, password: pool.password });
    await expect(auth.signOut()).resolves.toMatchObject({ type: 'complete' });
  });
});

describe('the storage lease that stands in for Web Locks', () => {
  // Imported here so that the tests above stay about the signals.
  const { createStorageLock } = jest.requireActual<typeof import('../services/tabs/storageLock')>('../services/tabs/storageLock');
  const never = new AbortController().signal;

  test('two tabs over one storage take turns: the second waits for the first, and is told it waited', async () => {
    const storage = inspectableStorage();
    const [a, b] = [createStorageLock(storage, 'lock', { leaseMs: 10_000, settleMs: 5, pollMs: 5, sleep }), createStorageLock(storage, 'lock', { leaseMs: 10_000, settleMs: 5, pollMs: 5, sleep })];
    const log: string[] = [];
    const turn = (name: string) => async (waited: boolean) => {
      log.push(`${name} in${waited ? ' (waited)' : ''}`);
      await new Promise((resolve) => setTimeout(resolve, 40));
      log.push(`${name} out`);
      return name;
    };
    const first = a.run(never, turn('a'));
    await new Promise((resolve) => setTimeout(resolve, 15)); // a holds the lease
    await expect(Promise.all([first, b.run(never, turn('b'))])).resolves.toEqual(['a', 'b']);
    expect(log).toEqual(['a in', 'a out', 'b in (waited)', 'b out']);
    expect(storage.items.has('lock')).toBe(false); // released
  });

  test('a dead holder blocks no longer than its lease; an abort ends the wait', async () => {
    const storage = inspectableStorage();
    let clock = 1_000;
    storage.setItem('lock', JSON.stringify({ owner: 'dead-tab', until: clock + 5_000 }));
    const lock = createStorageLock(storage, 'lock', { leaseMs: 5_000, settleMs: 1, pollMs: 1, now: () => clock, sleep });
    const aborted = new AbortController();
    const waiting = lock.run(aborted.signal, async () => 'ran');
    await new Promise((resolve) => setTimeout(resolve, 20));
    aborted.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    clock += 5_001; // the dead tab's lease has run out
    await expect(lock.run(never, async (waited) => `ran (waited: ${waited})`)).resolves.toBe('ran (waited: false)');
  });
});
