// memorySessionStore(): records with their expiry, the per-session refresh lock (as
// services/tabs/refreshLock.ts: `waited` when another held it), and the in-process fleet outbox
// deciding with outboxVerdict(): finished, retried, dead-lettered, and its state.
import { memorySessionStore } from '../src/server/index';

describe('records', () => {
  test('each hash has its own record; expire() bounds it, rename() moves it whole, destroy() ends it', async () => {
    let clock = 1_000_000;
    const store = memorySessionStore({ now: () => clock });
    const a = store.storageFor('a');
    a.setItem('k', 'v');
    a.setItem('k2', 'v2');
    expect(store.storageFor('b').getItem('k')).toBeNull();
    await store.expire('a', 10);
    clock += 9_999;
    expect(a.getItem('k')).toBe('v');
    await store.rename('a', 'c');
    expect(a.getItem('k')).toBeNull();
    expect(store.storageFor('c').getItem('k2')).toBe('v2');
    clock += 1;
    expect(store.storageFor('c').getItem('k2')).toBeNull(); // the expiry moved with it
    store.storageFor('d').setItem('k', 'v');
    await store.destroy('d');
    expect(store.storageFor('d').getItem('k')).toBeNull();
    await store.close();
  });

  test('a record written before any expire() lives unexpiredTtlSeconds; one emptied by removeItem is gone', async () => {
    let clock = 0;
    const store = memorySessionStore({ now: () => clock, unexpiredTtlSeconds: 5 });
    const a = store.storageFor('a');
    a.setItem('k', 'v');
    clock = 4_999;
    expect(a.getItem('k')).toBe('v');
    clock = 5_000;
    expect(a.getItem('k')).toBeNull();
    a.setItem('k', 'v');
    a.removeItem('k');
    await store.expire('a', 100); // nothing to expire: it holds nothing
    expect(a.getItem('k')).toBeNull();
  });

  test('rename() over a name that holds nothing clears the target', async () => {
    const store = memorySessionStore();
    store.storageFor('b').setItem('k', 'old');
    await store.rename('missing', 'b');
    expect(store.storageFor('b').getItem('k')).toBeNull();
  });
});

describe('the refresh lock', () => {
  test('one holder at a time, in order; waited is false only for a first holder that found it free', async () => {
    const store = memorySessionStore();
    const lock = store.storageFor('s').refreshLock;
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const signal = new AbortController().signal;
    const first = lock.run(signal, async (waited) => {
      order.push(`first ${waited}`);
      await held;
      order.push('first done');
      return 1;
    });
    const second = lock.run(signal, async (waited) => (order.push(`second ${waited}`), 2));
    const third = lock.run(signal, async (waited) => (order.push(`third ${waited}`), 3));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['first false']);
    release();
    await expect(Promise.all([first, second, third])).resolves.toEqual([1, 2, 3]);
    expect(order).toEqual(['first false', 'first done', 'second true', 'third true']);
    // Another session's lock is another lock.
    await expect(store.storageFor('t').refreshLock.run(signal, async (waited) => waited)).resolves.toBe(false);
    await expect(lock.run(signal, async (waited) => waited)).resolves.toBe(false);
  });

  test('a waiter whose signal aborts stops waiting; the ones behind it still wait for the holder', async () => {
    const lock = memorySessionStore().storageFor('s').refreshLock;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    const first = lock.run(new AbortController().signal, async () => {
      await held;
      holding = false;
    });
    const abort = new AbortController();
    const given = lock.run(abort.signal, async () => 'ran');
    const third = lock.run(new AbortController().signal, async () => holding);
    abort.abort(new Error('gave up'));
    await expect(given).rejects.toThrow('gave up');
    release();
    await first;
    await expect(third).resolves.toBe(false);
  });

  test('a holder that throws releases the lock', async () => {
    const lock = memorySessionStore().storageFor('s').refreshLock;
    const signal = new AbortController().signal;
    await expect(lock.run(signal, async () => Promise.reject(new Error('refresh failed')))).rejects.toThrow('refresh failed');
    await expect(lock.run(signal, async (waited) => waited)).resolves.toBe(false);
  });
});

describe('the outbox', () => {
  const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  async function until(check: () => Promise<boolean>) {
    for (let i = 0; i < 400 && !(await check()); i++) await tick(5);
    expect(await check()).toBe(true);
  }

  test('an entry is tried claimIdleMs after it was enqueued, and removed once nothing is left', async () => {
    const store = memorySessionStore({ claimIdleMs: 20 });
    const tried: string[] = [];
    store.outbox.start(async (hash) => (tried.push(hash), { left: 0 }));
    await store.outbox.enqueue('s1');
    expect(await store.outbox.state()).toEqual({ pending: 1, claimed: 0, dead: 0 });
    expect(tried).toEqual([]); // its own sign-out runs first
    await until(async () => (await store.outbox.state()).pending === 0);
    expect(tried).toEqual(['s1']);
    await store.close();
  });

  test('retried while intents are left or the attempt fails; dead-lettered after maxDeliveries, with the event', async () => {
    const store = memorySessionStore({ claimIdleMs: 1, maxDeliveries: 3 });
    const attempts: number[] = [];
    const dead: Array<{ sessionHash: string; deliveries: number }> = [];
    store.outbox.onDeadLetter((event) => dead.push(event));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    store.outbox.start(async (hash) => {
      attempts.push(attempts.length + 1);
      if (attempts.length === 1) {
        await gate; // claimed while it runs
        return { left: 2 };
      }
      if (attempts.length === 2) throw new Error('Cognito down');
      return { left: 1 };
    });
    await store.outbox.enqueue('s1');
    await until(async () => (await store.outbox.state()).claimed === 1);
    expect(await store.outbox.state()).toEqual({ pending: 1, claimed: 1, dead: 0 });
    release();
    await until(async () => (await store.outbox.state()).dead === 1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(dead).toEqual([{ sessionHash: 's1', deliveries: 3 }]);
    expect(await store.outbox.state()).toEqual({ pending: 0, claimed: 0, dead: 1 });
    await store.close();
  });

  test('enqueued again while an attempt runs: that attempt’s finish does not remove it', async () => {
    const store = memorySessionStore({ claimIdleMs: 1 });
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    store.outbox.start(async () => {
      calls++;
      if (calls === 1) await gate;
      return { left: 0 };
    });
    await store.outbox.enqueue('s1');
    await until(async () => (await store.outbox.state()).claimed === 1);
    await store.outbox.enqueue('s1');
    release();
    await until(async () => (await store.outbox.state()).pending === 0);
    expect(calls).toBe(2);
    await store.close();
  });

  test('stop() waits for the attempts under way and takes no more', async () => {
    const store = memorySessionStore({ claimIdleMs: 1 });
    let calls = 0;
    store.outbox.start(async () => (calls++, { left: 1 }));
    await store.outbox.enqueue('s1');
    await until(async () => calls >= 1);
    await store.outbox.stop();
    const seen = calls;
    await tick(20);
    expect(calls).toBe(seen);
    expect((await store.outbox.state()).pending).toBe(1);
  });
});
