// Sessions in Redis (redisSessionStore, authchart/server) on a real redis-server and the emulator
// over HTTP, in one process: the key layout (hashes only), the fenced write of a refresh (refused
// once its lease is another's, gone or expired, or the record's generation changed; a refused
// write changes nothing), its atomicity against a sign-in elsewhere, the engine's answer to a
// refused write (StaleWriteError), and expire / rename / destroy. The fleet is refreshStorm.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisSessionStore } from '../src/server/index';
import { isSessionRecordKey, STAMP_FIELD } from '../services/redis/redisSessionStore';
import { storageKeys } from '../services/storage/keys';
import { redisAvailable } from './support/redisServer';
import { eventually } from './support/revocation';
import { leaseKey, newSessionHash, recordKey, startSessionsRig, type SessionsRig, type StoredSession } from './support/redisSessions';
import { idleOutbox, sessionEngine } from './support/sessionEngine';

const describeRedis = redisAvailable() ? describe : describe.skip;
const PREFIX = 'unit:';
const turnSignal = () => new AbortController().signal;

describeRedis('sessions in Redis (one process)', () => {
  let rig: SessionsRig;
  beforeAll(async () => {
    rig = await startSessionsRig(PREFIX, 2000);
  });
  afterAll(async () => rig?.close());

  const field = (session: StoredSession) => storageKeys(session.pool.clientId).session;
  /** The stored record as JSON, its access token replaced by `tag` (the generation kept: a refresh's write). */
  const refreshed = async (session: StoredSession, tag: string, generation?: number) => JSON.stringify({ ...(await rig.record(session)), accessToken: tag, ...(generation !== undefined && { generation }) });

  test('one HASH per session, named by its hash; its fields are the engine’s keys; no token, password or id in a key, a field or a release notice', async () => {
    const session = await rig.newSession();
    const notices: string[] = [];
    const listener = rig.client.duplicate();
    await listener.connect();
    await listener.subscribe(`${PREFIX}lease-released`, (message) => void notices.push(message));
    const auth = sessionEngine(rig.store.storageFor(session.hash), session.pool);
    const { tokens } = await auth.getSession();
    await auth.stop();
    await eventually(() => notices.includes(session.hash)); // the lease's release, published when the refresh turn ended
    await listener.close();
    expect(tokens?.accessToken).not.toBe(session.signedIn.accessToken);

    const keys = await rig.client.keys(`${PREFIX}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/^unit:(session|lease):\{[0-9a-f]{64}\}$/);
    expect(await rig.client.type(recordKey(PREFIX, session.hash))).toBe('hash');
    const fields = await rig.client.hKeys(recordKey(PREFIX, session.hash));
    expect(fields).toContain(field(session));
    expect([...Object.values(storageKeys(session.pool.clientId)), STAMP_FIELD]).toEqual(expect.arrayContaining(fields));
    const secrets = [session.signedIn.accessToken, session.signedIn.idToken, session.signedIn.refreshToken, tokens!.accessToken, tokens!.idToken, session.setup.password];
    for (const name of [...keys, ...fields, ...notices]) for (const secret of secrets) expect(name).not.toContain(secret);
  });

  /** The commands `run` makes the store send (MONITOR), by name. */
  async function commandsOf(run: () => Promise<void>): Promise<Record<string, number>> {
    const lines: string[] = [];
    const own = /addr=(\S+)/.exec(String(await rig.client.sendCommand(['CLIENT', 'INFO'])))![1]!;
    const monitor = rig.client.duplicate();
    await monitor.connect();
    await monitor.monitor((line: string) => void lines.push(line));
    try {
      await run();
      const marker = `end-of-run-${Math.random()}`;
      await rig.client.sendCommand(['ECHO', marker]);
      await eventually(() => lines.some((line) => line.includes(marker)));
    } finally {
      monitor.destroy();
    }
    const counts: Record<string, number> = {};
    for (const line of lines) {
      // Not counted: the test's own commands, what scripts run inside, and a script sent whole after NOSCRIPT (once per script and server start).
      if (line.includes('[0 lua]') || line.includes(own) || /\] "eval" /i.test(line)) continue;
      const name = /\] "([a-zA-Z]+)"/.exec(line)?.[1]?.toUpperCase() ?? '?';
      counts[name] = (counts[name] ?? 0) + 1;
    }
    return counts;
  }
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, count) => sum + count, 0);
  /** The number docs/server.md states after `label` ("**A request** …: 3 commands"). */
  const documented = (label: string) => Number(new RegExp(`\\*\\*${label}\\*\\*[^*]*?: (\\d+) commands?\\b`).exec(readFileSync(join(__dirname, '..', 'docs', 'server.md'), 'utf8'))?.[1]);

  test('Redis commands per sign-in, per request and per refresh are the ones docs/server.md states', async () => {
    const setup = rig.emu.setup();
    const pool = { userPoolId: setup.userPoolId, clientId: setup.clientId, region: rig.emu.region, endpoint: rig.emu.endpoint };
    const hash = newSessionHash();
    const signIn = await commandsOf(async () => {
      const auth = sessionEngine(rig.store.storageFor(hash), pool);
      await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
      await auth.stop();
      await rig.store.expire(hash, 3600);
    });
    const request = await commandsOf(async () => {
      const auth = sessionEngine(rig.store.storageFor(hash), pool);
      await auth.getSession();
      await auth.stop();
    });
    const refreshing = await commandsOf(async () => {
      const auth = sessionEngine(rig.store.storageFor(hash), pool);
      await auth.getSession({ forceRefresh: true });
      await auth.stop();
    });
    expect({ signIn: total(signIn), request: total(request), refresh: total(refreshing) - total(request) }).toEqual({
      signIn: documented('A sign-in'),
      request: documented('A request'),
      refresh: documented('A refresh'),
    });
  });

  test('a request on a kept engine (the BFF reads the stamp, then the engine answers): 1 command, as docs/server.md states; the session is read under that stamp', async () => {
    const setup = rig.emu.setup();
    const pool = { userPoolId: setup.userPoolId, clientId: setup.clientId, region: rig.emu.region, endpoint: rig.emu.endpoint };
    const hash = newSessionHash();
    const storage = rig.store.storageFor(hash);
    const auth = sessionEngine(storage, pool);
    try {
      await auth.signIn({ username: setup.username, password: setup.password, authFlow: 'USER_PASSWORD_AUTH' });
      await storage.stamp!();
      await auth.getSession();
      let tokens: unknown;
      const kept = await commandsOf(async () => {
        await storage.stamp!();
        tokens = (await auth.getSession()).tokens;
      });
      expect(kept).toEqual({ HGET: documented('A request on a kept engine') });
      expect(tokens).toMatchObject({ accessToken: expect.any(String) });
    } finally {
      await auth.stop();
    }
  });

  test('a storage serves what it read only within the turn of its stamp read, and only under the same stamp; its own write, or anyone’s, sends the next read to Redis', async () => {
    const hash = newSessionHash();
    const [mine, theirs] = [rig.store.storageFor(hash), rig.store.storageFor(hash)];
    await theirs.setItem('authchart.k.x', 'one');
    expect(await mine.getItem('authchart.k.x')).toBe('one');
    const stamp = await rig.store.stamp!(hash);
    expect(typeof stamp).toBe('string');
    // Within the turn of an unchanged stamp: no command.
    const served = await commandsOf(async () => {
      expect(await mine.stamp!()).toBe(stamp);
      expect(await mine.getItem('authchart.k.x')).toBe('one');
    });
    expect(served).toEqual({ HGET: 1 });
    // Another storage wrote: a new stamp, and the read goes to Redis.
    await theirs.setItem('authchart.k.x', 'two');
    const changed = await rig.store.stamp!(hash);
    expect(changed).not.toBe(stamp);
    expect(await mine.stamp!()).toBe(changed);
    expect(await mine.getItem('authchart.k.x')).toBe('two');
    // A turn later, the stamp read no longer vouches: to Redis again.
    await new Promise((resolve) => setImmediate(resolve));
    const later = await commandsOf(async () => void (await mine.getItem('authchart.k.x')));
    expect(later).toEqual({ HMGET: 1 });
    // Its own write: a read made after it, in the same turn, goes to Redis and sees it.
    await mine.stamp!();
    const written = mine.setItem('authchart.k.x', 'three');
    expect(await mine.getItem('authchart.k.x')).toBe('three');
    await written;
    // The removal of its last field removes the record (and its stamp) whole.
    await theirs.removeItem('authchart.k.x');
    expect(await rig.store.stamp!(hash)).toBeNull();
    expect(await rig.client.exists(recordKey(PREFIX, hash))).toBe(0);
  });

  test('the store knows the engine’s session record key and no other key by that name', () => {
    const keys = storageKeys('abc123');
    expect(Object.entries(keys).filter(([, key]) => isSessionRecordKey(key))).toEqual([['session', keys.session]]);
  });

  test('a session is named only by a SHA-256 in hex: anything else is refused before Redis is asked', () => {
    expect(() => rig.store.storageFor('the-session-id')).toThrow(TypeError);
    expect(() => rig.store.storageFor(newSessionHash().toUpperCase())).toThrow(TypeError);
  });

  test('turns are taken one at a time: a second waits for the first and is told it waited; a dead holder’s lease is waited out, never broken', async () => {
    const hash = newSessionHash();
    const lease = leaseKey(PREFIX, hash);
    const [first, second] = [rig.store.storageFor(hash), rig.store.storageFor(hash)];
    const order: string[] = [];
    let secondWaited: Promise<boolean> | undefined;
    await first.refreshLock.run(turnSignal(), async (waited) => {
      order.push(`first (waited: ${waited})`);
      secondWaited = second.refreshLock.run(turnSignal(), async (w) => (order.push('second'), w));
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('first ends');
    });
    expect(await secondWaited).toBe(true);
    expect(order).toEqual(['first (waited: false)', 'first ends', 'second']);
    expect(await rig.client.exists(lease)).toBe(0); // released
    // A holder that died: its lease stays until it runs out, and only then is the next turn taken.
    await rig.client.set(lease, 'a-dead-holder', { PX: 300 });
    const seen = await rig.store.storageFor(hash).refreshLock.run(turnSignal(), async (waited) => ({ waited, holder: await rig.client.get(lease) }));
    expect(seen.waited).toBe(true);
    expect(seen.holder).not.toBe('a-dead-holder');
  });

  test('a refresh’s write lands while its turn holds the lease; once the lease is another’s or gone, or after the turn, it is refused as StaleWriteError and changes nothing', async () => {
    const session = await rig.newSession();
    const storage = rig.store.storageFor(session.hash);
    const lease = leaseKey(PREFIX, session.hash);
    await storage.refreshLock.run(turnSignal(), async (waited) => {
      expect(waited).toBe(false);
      expect(await rig.client.exists(lease)).toBe(1);
      await storage.getItem(field(session)); // the turn reads the record, as the engine's refresh does
      await storage.setItem(field(session), await refreshed(session, 'first'));
      expect((await rig.record(session))?.accessToken).toBe('first');
      await rig.client.set(lease, 'another-holder', { PX: 10_000 }); // its lease ran out and another process took it
      await expect(storage.setItem(field(session), await refreshed(session, 'second'))).rejects.toMatchObject({ name: 'StaleWriteError' });
      await rig.client.del(lease); // ran out, nobody took it
      await expect(storage.setItem(field(session), await refreshed(session, 'third'))).rejects.toMatchObject({ name: 'StaleWriteError' });
    });
    // The same refresh's write landing after its turn ended (a deadline left it running): still fenced.
    await expect(storage.setItem(field(session), await refreshed(session, 'late'))).rejects.toMatchObject({ name: 'StaleWriteError' });
    expect((await rig.record(session))?.accessToken).toBe('first');
    expect(await rig.client.ttl(recordKey(PREFIX, session.hash))).toBeGreaterThan(0); // the expiry the BFF set is kept
  });

  test('a refresh’s write over a record whose generation changed (a sign-in elsewhere) is refused; a sign-in’s write (a new generation) lands with no lease, even while another process holds it', async () => {
    const session = await rig.newSession();
    const storage = rig.store.storageFor(session.hash);
    const signedInElsewhere = await refreshed(session, 'signed-in-elsewhere', session.signedIn.generation + 1);
    await storage.refreshLock.run(turnSignal(), async () => {
      await storage.getItem(field(session));
      await rig.client.hSet(recordKey(PREFIX, session.hash), field(session), signedInElsewhere);
      await expect(storage.setItem(field(session), await refreshed(session, 'stale', session.signedIn.generation))).rejects.toMatchObject({ name: 'StaleWriteError' });
    });
    expect((await rig.record(session))?.accessToken).toBe('signed-in-elsewhere');
    await rig.client.set(leaseKey(PREFIX, session.hash), 'another-holder', { PX: 10_000 });
    await rig.store.storageFor(session.hash).setItem(field(session), await refreshed(session, 'a-new-sign-in', 42));
    expect(await rig.record(session)).toMatchObject({ accessToken: 'a-new-sign-in', generation: 42 });
    await rig.client.del(leaseKey(PREFIX, session.hash));
  });

  test('a holder paused past its lease (its event loop blocked: no renewal) has its write refused', async () => {
    const session = await rig.newSession();
    const shortLeases = redisSessionStore({ client: rig.client, keyPrefix: PREFIX, leaseMs: 100, outbox: idleOutbox() });
    const storage = shortLeases.storageFor(session.hash);
    try {
      await storage.refreshLock.run(turnSignal(), async () => {
        await storage.getItem(field(session));
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400); // a pause, as a long GC: 4 leases long
        await expect(storage.setItem(field(session), await refreshed(session, 'after-the-pause'))).rejects.toMatchObject({ name: 'StaleWriteError' });
      });
    } finally {
      await shortLeases.close();
    }
    expect((await rig.record(session))?.accessToken).toBe(session.signedIn.accessToken);
  });

  test('the compare-and-set is one step: a refresh’s write racing a sign-in elsewhere never lands over it (50 races)', async () => {
    const session = await rig.newSession();
    let generation = session.signedIn.generation;
    for (let race = 0; race < 50; race += 1) {
      const storage = rig.store.storageFor(session.hash);
      const signIn = await refreshed(session, `sign-in-${race}`, generation + 1);
      await storage.refreshLock.run(turnSignal(), async () => {
        await storage.getItem(field(session));
        const refresh = await refreshed(session, `refresh-${race}`, generation);
        await Promise.all([Promise.resolve(storage.setItem(field(session), refresh)).catch(() => undefined), rig.client.hSet(recordKey(PREFIX, session.hash), field(session), signIn)]);
      });
      expect(await rig.record(session)).toMatchObject({ accessToken: `sign-in-${race}`, generation: generation + 1 });
      generation += 1;
    }
  });

  test('an engine whose refresh’s write is refused (its lease taken over while Cognito answered) rejects getSession() with StaleWriteError; the record keeps what it held', async () => {
    const session = await rig.newSession();
    const lease = leaseKey(PREFIX, session.hash);
    const auth = sessionEngine(rig.store.storageFor(session.hash), session.pool, {
      hooks: { after: async () => void (await rig.client.set(lease, 'another-holder', { PX: 30_000 })) },
    });
    try {
      await expect(auth.getSession()).rejects.toMatchObject({ name: 'StaleWriteError' });
    } finally {
      await auth.stop();
      await rig.client.del(lease);
    }
    expect(rig.refreshes()).toHaveLength(1);
    expect(await rig.record(session)).toMatchObject({ accessToken: session.signedIn.accessToken, generation: session.signedIn.generation });
  });

  test('expire sets the record’s lifetime and a refresh keeps it; rename moves it in one step with its lifetime; destroy removes the record and the lease', async () => {
    const session = await rig.newSession();
    const record = recordKey(PREFIX, session.hash);
    await rig.store.expire(session.hash, 600);
    const auth = sessionEngine(rig.store.storageFor(session.hash), session.pool);
    await auth.getSession({ forceRefresh: true });
    await auth.stop();
    expect(await rig.client.ttl(record)).toBeGreaterThan(500);
    expect(await rig.client.ttl(record)).toBeLessThanOrEqual(600);
    const moved = newSessionHash();
    await rig.store.rename(session.hash, moved);
    expect(await rig.client.exists(record)).toBe(0);
    expect(await rig.client.ttl(recordKey(PREFIX, moved))).toBeGreaterThan(500);
    expect(await rig.client.hGet(recordKey(PREFIX, moved), field(session))).toContain(session.signedIn.refreshToken);
    await rig.store.rename(session.hash, newSessionHash()); // nothing left to move: nothing happens
    await rig.client.set(leaseKey(PREFIX, moved), 'a-holder', { PX: 10_000 });
    await rig.store.destroy(moved);
    expect(await rig.client.exists([recordKey(PREFIX, moved), leaseKey(PREFIX, moved)])).toBe(0);
  });
});
