// The BFF's `finish` (what the fleet outbox runs for a session's sign-out) never reports a
// sign-out finished on a count it cannot trust. flushRevocations() counts from the engine's memory
// when the record cannot be read (0 for a fresh engine); taken on trust, a Redis blip would
// acknowledge the entry and destroy the record with a live refresh token queued in it. So a 0 is
// confirmed by reading the record's outbox itself; a read that fails makes the attempt fail (the
// outbox tries again), and the record is not destroyed.
import { createServerAuth, memorySessionStore, type FinishReport, type SessionStore } from '../src/server/index';
import { startCognitoEmulator, type CognitoEmulator } from '../src/testing/index';

let emu!: CognitoEmulator;
beforeAll(async () => void (emu = await startCognitoEmulator()));
afterAll(() => emu.close());

/** A memory store whose records' reads fail while `failing` is set, and which hands over the `finish` the BFF starts its outbox with. */
function watchedStore() {
  const inner = memorySessionStore({ claimIdleMs: 600_000 });
  const state = { failing: false, destroyed: [] as string[], finish: undefined as ((hash: string) => Promise<FinishReport>) | undefined };
  const store: SessionStore = {
    ...inner,
    storageFor(hash) {
      const storage = inner.storageFor(hash);
      return {
        refreshLock: storage.refreshLock,
        getItem: (key) => {
          if (state.failing) throw new Error('the store is unreachable');
          return storage.getItem(key);
        },
        setItem: (key, value) => storage.setItem(key, value),
        removeItem: (key) => storage.removeItem(key),
      };
    },
    async destroy(hash) {
      state.destroyed.push(hash);
      await inner.destroy(hash);
    },
    outbox: { ...inner.outbox, start: (finish) => ((state.finish = finish), inner.outbox.start(finish)) },
  };
  return { store, state, inner };
}

test("a record that cannot be read is not reported finished, and not destroyed", async () => {
  const pool = emu.setup();
  const { store, state } = watchedStore();
  const bff = createServerAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, sessionStore: store, storageTimeoutMs: 200 });
  try {
    const hash = 'a'.repeat(64);
    state.failing = true;
    await expect(state.finish!(hash)).rejects.toThrow();
    expect(state.destroyed).toEqual([]);
    state.failing = false;
    await expect(state.finish!(hash)).resolves.toEqual({ left: 0 }); // readable and empty: finished
    expect(state.destroyed).toEqual([hash]);
  } finally {
    await bff.close();
  }
});

test('an intent Cognito does not take yet is left, and the record kept', async () => {
  const pool = emu.setup();
  const { store, state, inner } = watchedStore();
  const bff = createServerAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, endpoint: emu.endpoint, sessionStore: store });
  try {
    const hash = 'b'.repeat(64);
    const entry = { id: 'i-1', queuedAt: Date.now(), global: false, attempts: 0, notBefore: Date.now() + 600_000, tokens: { refreshToken: 'not-a-real-token' } };
    await inner.storageFor(hash).setItem(`authchart.${pool.clientId}.revocationOutbox`, JSON.stringify({ version: 2, entries: [entry] }));
    emu.faults.set('RevokeToken', { type: 'error', name: 'InternalErrorException', message: 'down', status: 500 });
    const report = await state.finish!(hash);
    emu.faults.clear();
    expect(report.left).toBeGreaterThan(0);
    expect(state.destroyed).toEqual([]);
  } finally {
    await bff.close();
  }
});
