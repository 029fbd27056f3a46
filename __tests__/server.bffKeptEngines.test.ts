// The engines the BFF keeps between a session's requests (src/server/bffEngines.ts), and the
// record stamps that tell a kept engine the record changed (engineVerdict, keepsEngine in
// machines/server/bffPolicy.ts): the decisions alone, the cache with stand-in engines (narrow
// unit tests), and two BFFs over one store (two processes, as far as their kept engines go) with
// the emulator over HTTP: one's sign-out, even one that could not clear the store, is never
// answered from the other's kept engine.
import type { Auth } from '../src/authCore';
import { engineVerdict, keepsEngine } from '../machines/server/bffPolicy';
import { keptEngines } from '../src/server/bffEngines';
import { memorySessionStore, type SessionStorage, type SessionStore } from '../src/server/index';
import { startCognitoEmulator, type CognitoEmulator, type SetupResult } from '../src/testing/index';
import { cookieOf, COOKIE, hashOf, startBff, type Bff } from './support/bff';

describe('the decisions', () => {
  test('reuse while the stamp is the one read before the engine loaded; replace when it changed; one engine for the call when nothing is stored or the stamp is unknown', () => {
    expect(engineVerdict('s1', 's1')).toBe('reuse');
    expect(engineVerdict('s1', 's2')).toBe('replace');
    expect(engineVerdict(undefined, 's1')).toBe('replace');
    expect(engineVerdict('s1', null)).toBe('oneOff');
    expect(engineVerdict('s1', undefined)).toBe('oneOff');
    expect(engineVerdict(undefined, null)).toBe('oneOff');
  });

  test('an engine is kept only while its chart holds a session', () => {
    const chartIn = (state: string) => ({ matches: (value: string) => value === state });
    expect(keepsEngine(chartIn('signedIn'))).toBe(true);
    for (const state of ['signedOut', 'awaitingChallengeAnswer', 'loadingSession']) expect(keepsEngine(chartIn(state))).toBe(false);
  });
});

/** A stand-in engine: its chart is in `state`; stop() is counted. */
function standIn(state: { signedIn: boolean }) {
  const engine = { stops: 0, calls: 0 };
  const auth = {
    actor: { getSnapshot: () => ({ matches: (value: string) => value === 'signedIn' && state.signedIn }) },
    stop: async () => void (engine.stops += 1),
  } as unknown as Auth;
  return { auth, engine };
}

describe('keptEngines (stand-in engines)', () => {
  function rig(options: { max?: number; idleMs?: number; now?: () => number } = {}) {
    const stamps = new Map<string, string | null>();
    const made: Array<ReturnType<typeof standIn> & { hash: string }> = [];
    const state = { signedIn: true };
    let failStamp = false;
    const engines = keptEngines({
      create: (hash) => {
        const one = { ...standIn(state), hash };
        made.push(one);
        return { auth: one.auth };
      },
      stampOf: async (hash) => {
        if (failStamp) throw new Error('Redis is down');
        return stamps.get(hash) ?? null;
      },
      max: options.max ?? 10,
      idleMs: options.idleMs ?? 60_000,
      ...(options.now && { now: options.now }),
    });
    const call = (hash: string) => engines.run(hash, async (auth) => made.findIndex((one) => one.auth === auth));
    return { engines, stamps, made, state, call, failStamps: (on: boolean) => void (failStamp = on) };
  }

  test('one engine for a session while its stamp is unchanged; a changed stamp gets a new one, and the old one is stopped', async () => {
    const { engines, stamps, made, call } = rig();
    stamps.set('a', 's1');
    expect([await call('a'), await call('a'), await call('a')]).toEqual([0, 0, 0]);
    expect(engines.size).toBe(1);
    stamps.set('a', 's2');
    expect(await call('a')).toBe(1);
    expect(made.map((one) => one.engine.stops)).toEqual([1, 0]);
    await engines.close();
    expect(made.map((one) => one.engine.stops)).toEqual([1, 1]);
  });

  test('an engine replaced while a call runs on it is stopped only once that call has ended', async () => {
    const { engines, stamps, made } = rig();
    stamps.set('a', 's1');
    let release!: () => void;
    const held = engines.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    stamps.set('a', 's2');
    await engines.run('a', async () => undefined);
    expect(made.map((one) => one.engine.stops)).toEqual([0, 0]);
    release();
    await held;
    expect(made.map((one) => one.engine.stops)).toEqual([1, 0]);
    await engines.close();
  });

  test('nothing stored, or a stamp that cannot be read: a new engine for that call alone, stopped after it', async () => {
    const { engines, stamps, made, call, failStamps } = rig();
    expect(await call('a')).toBe(0);
    stamps.set('a', 's1');
    failStamps(true);
    expect(await call('a')).toBe(1);
    expect(engines.size).toBe(0);
    expect(made.map((one) => one.engine.stops)).toEqual([1, 1]);
    await engines.close();
  });

  test('a chart that no longer holds a session is not kept', async () => {
    const { engines, stamps, made, state, call } = rig();
    stamps.set('a', 's1');
    state.signedIn = false;
    await call('a');
    expect(engines.size).toBe(0);
    expect(made[0]!.engine.stops).toBe(1);
    await engines.close();
  });

  test('at most `max` engines: the least recently used is stopped', async () => {
    const { engines, stamps, made, call } = rig({ max: 2 });
    for (const hash of ['a', 'b', 'c']) stamps.set(hash, `${hash}1`);
    await call('a');
    await call('b');
    await call('a'); // b is now the least recently used
    await call('c');
    expect(engines.size).toBe(2);
    expect(made.map((one) => [one.hash, one.engine.stops])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 0],
    ]);
    await engines.close();
  });

  test('max 0: an engine per request, and no stamp is read', async () => {
    const { engines, stamps, made, call, failStamps } = rig({ max: 0 });
    stamps.set('a', 's1');
    failStamps(true); // never asked
    await call('a');
    await call('a');
    expect(made.map((one) => one.engine.stops)).toEqual([1, 1]);
    await engines.close();
  });

  test('an engine unused for idleMs is stopped', async () => {
    jest.useFakeTimers();
    try {
      let clock = 0;
      const { engines, stamps, made, call } = rig({ idleMs: 1000, now: () => clock });
      stamps.set('a', 's1');
      stamps.set('b', 'b1');
      await call('a');
      clock = 600;
      await call('b');
      clock = 1500;
      jest.advanceTimersByTime(1000);
      expect(made.map((one) => [one.hash, one.engine.stops])).toEqual([
        ['a', 1],
        ['b', 0],
      ]);
      expect(engines.size).toBe(1);
      await engines.close();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('two BFFs over one store (two processes, as far as kept engines go)', () => {
  let emu!: CognitoEmulator;
  let pool!: SetupResult;
  const running: Bff[] = [];
  beforeAll(async () => {
    emu = await startCognitoEmulator();
  });
  afterEach(async () => {
    for (const bff of running.splice(0)) await bff.close();
  });
  afterAll(() => emu.close());

  /** The shared store, counting the engines each BFF makes (one storageFor per engine), with its session removals refused while `refuseRemoval`. */
  function counted(store: SessionStore, sessionKey: string) {
    const counts = { engines: 0, refuseRemoval: false };
    const wrapped: SessionStore = {
      ...store,
      storageFor(hash) {
        counts.engines += 1;
        const inner = store.storageFor(hash);
        const storage: SessionStorage = {
          refreshLock: inner.refreshLock,
          getItem: (key) => inner.getItem(key),
          setItem: (key, value) => inner.setItem(key, value),
          removeItem: async (key) => {
            if (counts.refuseRemoval && key === sessionKey) throw new Error('the store refused the removal');
            return inner.removeItem(key);
          },
          ...(inner.stamp && { stamp: () => inner.stamp!() }),
        };
        return storage;
      },
      stamp: (hash) => store.stamp!(hash),
      outbox: store.outbox,
      close: () => store.close(),
    };
    return { store: wrapped, counts };
  }

  async function twoBffs() {
    pool = emu.setup();
    const shared = memorySessionStore({ claimIdleMs: 60_000 });
    const sessionKey = `authchart.${pool.clientId}.session`;
    const a = counted(shared, sessionKey);
    const b = counted(shared, sessionKey);
    const bffA = await startBff(emu, pool, {}, a.store);
    const bffB = await startBff(emu, pool, {}, b.store);
    running.push(bffA, bffB);
    const signedIn = await bffA.call('POST', '/auth/sign-in', { json: { username: pool.username, password: pool.password } });
    expect(signedIn.status).toBe(200);
    const id = cookieOf(signedIn)!;
    return { bffA, bffB, a: a.counts, b: b.counts, id, cookie: { cookie: `${COOKIE}=${id}` } };
  }

  test('a session’s requests share one kept engine while its record is unchanged', async () => {
    const { bffA, a, cookie } = await twoBffs();
    a.engines = 0;
    for (let i = 0; i < 5; i++) expect((await bffA.call('GET', '/auth/session', { headers: cookie })).status).toBe(200);
    expect(a.engines).toBe(1);
  });

  test('the other BFF’s sign-out: the next request here loads the record again and answers 401', async () => {
    const { bffA, bffB, a, cookie } = await twoBffs();
    expect((await bffA.call('GET', '/auth/session', { headers: cookie })).status).toBe(200);
    const out = await bffB.call('POST', '/auth/sign-out', { headers: cookie, json: {} });
    expect(out.body).toMatchObject({ type: 'complete' });
    a.engines = 0;
    expect((await bffA.call('GET', '/auth/session', { headers: cookie })).status).toBe(401);
    expect(a.engines).toBe(1);
  });

  test('the other BFF’s sign-out revoked the tokens but could not clear the store: this BFF never answers from its kept engine, which still holds the session', async () => {
    const { bffA, bffB, b, id, cookie } = await twoBffs();
    expect((await bffA.call('GET', '/auth/session', { headers: cookie })).status).toBe(200);
    const stored = (await bffA.tokensOf(id))!;
    b.refuseRemoval = true;
    const out = await bffB.call('POST', '/auth/sign-out', { headers: cookie, json: {} });
    expect(out.body).toMatchObject({ type: 'failed', signedOutLocally: false });
    expect(emu.tokenRevoked(stored.refreshToken)).toBe(true);
    expect(await bffA.tokensOf(id)).not.toBeNull(); // still stored, revoked
    // A kept engine reused here would hand out the stored, revoked session (200 with its claims).
    const after = await bffA.call('GET', '/auth/session', { headers: cookie });
    expect(after.status).toBe(401);
    expect(await bffA.tokensOf(id)).toBeNull(); // the engine that loaded the record finished the sign-out's clear
  });

  test('any write of the record elsewhere (here the same session written again) gets a new engine here at the next request', async () => {
    const { bffA, bffB, a, id, cookie } = await twoBffs();
    expect((await bffA.call('GET', '/auth/session', { headers: cookie })).status).toBe(200);
    const storage = bffB.store.storageFor(hashOf(id));
    const key = `authchart.${pool.clientId}.session`;
    await storage.setItem(key, (await storage.getItem(key))!);
    a.engines = 0;
    expect((await bffA.call('GET', '/auth/session', { headers: cookie })).status).toBe(200);
    expect((await bffA.call('GET', '/auth/session', { headers: cookie })).status).toBe(200);
    expect(a.engines).toBe(1);
  });

  test('new tokens in the record (a refresh elsewhere): the next answer is the new ID token’s claims, never the JSON made before', async () => {
    const { bffA, bffB, id, cookie } = await twoBffs();
    const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const first = await bffA.call('GET', '/auth/session', { headers: cookie });
    expect((first.body as { user: { claims: unknown } }).user.claims).toEqual(claimsOf((await bffA.tokensOf(id))!.idToken));
    // Another session of the same user: its record stands in for the tokens a refresh elsewhere wrote.
    const other = await bffB.call('POST', '/auth/sign-in', { json: { username: pool.username, password: pool.password } });
    const key = `authchart.${pool.clientId}.session`;
    const newer = (await bffB.store.storageFor(hashOf(cookieOf(other)!)).getItem(key))!;
    await bffB.store.storageFor(hashOf(id)).setItem(key, newer);
    const newIdToken = (await bffA.tokensOf(id))!.idToken;
    expect(claimsOf(newIdToken)).not.toEqual(first.body && (first.body as { user: { claims: unknown } }).user.claims);
    const again = await bffA.call('GET', '/auth/session', { headers: cookie });
    expect((again.body as { user: { claims: unknown } }).user.claims).toEqual(claimsOf(newIdToken));
  });
});
