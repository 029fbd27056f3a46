// The revocation list on a real Redis (Debian's redis-server, __tests__/support/redisServer.ts): a
// fleet of lists on separate node-redis clients sees a new entry, a user's instant only moves
// forward (Lua), nothing but hashes reaches Redis, catch-up after a lost connection (from the
// stream, or by SCAN when the stream was trimmed), onStoreUnavailable both ways, and a restart
// with AOF loses no entry.
import { createClient } from 'redis';
import { readJwtClaims } from '../services/encoding/jwt';
import { createRevocationList, redisRevocationStore, RevocationUnavailableError, TokenRevokedError, type RevocationList } from '../src/server/index';
import { redisAvailable, startRedis, type TestRedis } from './support/redisServer';
import { eventually, startPool, type Pool } from './support/revocation';

const claims = (token: string) => readJwtClaims(token)!;
const describeRedis = redisAvailable() ? describe : describe.skip;

function outcomeOf(run: () => void): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof TokenRevokedError) return error.reason;
    if (error instanceof RevocationUnavailableError) return 'unavailable';
    throw error;
  }
}

describeRedis('the revocation list on Redis', () => {
  let redis: TestRedis;
  let p: Pool;
  const clients: Array<{ readonly isOpen: boolean; close(): Promise<unknown> }> = [];
  const lists: RevocationList[] = [];
  let prefixCount = 0;

  /** A client of its own (as each API process has), fast to reconnect. */
  function client(reconnectMs = 50) {
    const made = createClient({ url: redis.url, socket: { reconnectStrategy: () => reconnectMs } });
    made.on('error', () => {});
    clients.push(made);
    return made;
  }
  /** `count` lists, each on its own client, sharing one key prefix (one fleet). */
  async function fleet(count: number, options: { onStoreUnavailable?: 'refuse' | 'allow'; reconnectMs?: number } = {}) {
    const keyPrefix = `test${++prefixCount}:`;
    const made = Array.from({ length: count }, () => createRevocationList({ cognito: p.cognito, store: redisRevocationStore({ client: client(options.reconnectMs), keyPrefix, blockMs: 200 }), ...options }));
    lists.push(...made);
    await Promise.all(made.map((list) => list.ready()));
    return { lists: made, keyPrefix };
  }

  beforeAll(async () => {
    [redis, p] = await Promise.all([startRedis(), startPool()]);
  });
  afterAll(async () => {
    await Promise.all(lists.map((list) => list.close()));
    await Promise.all(clients.map((c) => (c.isOpen ? c.close() : undefined)));
    await Promise.all([redis?.close(), p?.emu.close()]);
  });

  test('a fleet of 3 lists on 3 clients: a local sign-out announced at one is refused at every one; the user’s other session is served', async () => {
    const { lists: [one, two, three] } = await fleet(3);
    const a = await p.signIn();
    const b = await p.signIn();
    expect(await one!.announce('session', a.accessToken, claims(a.accessToken))).toBe('recorded');
    // Seen everywhere (a generous bound; the speed is measured by npm run bench, not here).
    await eventually(() => [one, two, three].every((list) => outcomeOf(() => list!.check(claims(a.accessToken))) === 'session'));
    for (const list of [one, two, three]) expect(outcomeOf(() => list!.check(claims(b.accessToken)))).toBe('accepted');
    expect(await three!.announce('session', a.accessToken, claims(a.accessToken))).toBe('covered');
  });

  test('a global sign-out at one list refuses the user’s earlier tokens at the others; a replay never moves the instant (Lua)', async () => {
    const { lists: [one, two], keyPrefix } = await fleet(2);
    const a = await p.signIn();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the announcement falls in a later second than a's sign-in
    expect(await one!.announce('user', a.accessToken, claims(a.accessToken))).toBe('recorded');
    await eventually(() => outcomeOf(() => two!.check(claims(a.accessToken))) === 'user');
    const direct = client();
    await direct.connect();
    const [key] = await direct.keys(`${keyPrefix}u:*`);
    const instant = Number(await direct.get(key!));
    // Straight at the store: an earlier instant is refused by the script, a later one moves it.
    const store = redisRevocationStore({ client: direct, keyPrefix });
    await store.ready();
    const hash = key!.slice(`${keyPrefix}u:`.length);
    expect(await store.revokeUser(hash, instant - 100, 60)).toBe(false);
    expect(Number(await direct.get(key!))).toBe(instant);
    expect(await store.revokeUser(hash, instant + 1, 60)).toBe(true);
    expect(Number(await direct.get(key!))).toBe(instant + 1);
    await store.close();
  });

  test('no token, origin_jti or sub reaches Redis: keys and values are hashes and numbers', async () => {
    const { lists: [one], keyPrefix } = await fleet(1);
    const [a, b] = [await p.signIn(), await p.signIn()];
    expect(await one!.announce('session', a.accessToken, claims(a.accessToken))).toBe('recorded');
    expect(await one!.announce('user', b.accessToken, claims(b.accessToken))).toBe('recorded');
    const direct = client();
    await direct.connect();
    const keys = await direct.keys(`${keyPrefix}*`);
    const values = await Promise.all(keys.filter((key) => !key.endsWith('news')).map((key) => direct.get(key)));
    const news = JSON.stringify(await direct.xRange(`${keyPrefix}news`, '-', '+'));
    const everything = JSON.stringify({ keys, values, news });
    const { origin_jti, sub, jti } = claims(a.accessToken) as Record<string, string>;
    for (const secret of [a.accessToken, a.refreshToken, origin_jti!, sub!, jti!, a.accessToken.split('.')[2]!]) expect(everything).not.toContain(secret);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) expect(key).toMatch(new RegExp(`^${keyPrefix}(news|[su]:[0-9a-f]{64})$`));
  });

  test('a list whose connection was lost catches up from the stream; when the stream was trimmed past it, by SCAN', async () => {
    const { lists: [writer, reader], keyPrefix } = await fleet(2, { reconnectMs: 700 });
    const admin = client();
    await admin.connect();
    const [a, b] = [await p.signIn(), await p.signIn()];
    /** Cuts every connection that is blocked reading this fleet's news (the readers), then writes while they reconnect. */
    const cutReaders = async () => {
      const listing = await admin.clientList();
      for (const entry of listing) if (entry.cmd === 'xread') await admin.clientKill({ filter: 'ID', id: entry.id } as never);
    };
    await cutReaders();
    expect(await writer!.announce('session', a.accessToken, claims(a.accessToken))).toBe('recorded');
    await eventually(() => outcomeOf(() => reader!.check(claims(a.accessToken))) === 'session');
    // Now the news is trimmed away while the reader is off: only the keyspace holds the entry.
    await cutReaders();
    expect(await writer!.announce('session', b.accessToken, claims(b.accessToken))).toBe('recorded');
    await admin.xTrim(`${keyPrefix}news`, 'MAXLEN', 0);
    await eventually(() => outcomeOf(() => reader!.check(claims(b.accessToken))) === 'session');
  });

  test("onStoreUnavailable: 'allow' keeps deciding from the mirror; 'refuse' refuses every token; both recover when Redis is back", async () => {
    const { lists: [allow] } = await fleet(1, { onStoreUnavailable: 'allow' });
    const { lists: [refuse] } = await fleet(1, { onStoreUnavailable: 'refuse' });
    const [a, b] = [await p.signIn(), await p.signIn()];
    await allow!.announce('session', a.accessToken, claims(a.accessToken));
    await refuse!.announce('session', a.accessToken, claims(a.accessToken));
    await redis.stop({ kill: true });
    try {
      await eventually(() => outcomeOf(() => refuse!.check(claims(b.accessToken))) === 'unavailable');
      expect(outcomeOf(() => allow!.check(claims(b.accessToken)))).toBe('accepted');
      expect(outcomeOf(() => allow!.check(claims(a.accessToken)))).toBe('session');
      // Nothing can be recorded meanwhile: the announcement fails (the endpoint answers 503, the client retries).
      await expect(allow!.announce('session', b.accessToken, claims(b.accessToken))).rejects.toThrow();
    } finally {
      await redis.start();
    }
    await eventually(() => outcomeOf(() => refuse!.check(claims(b.accessToken))) === 'accepted', 10_000);
    expect(outcomeOf(() => refuse!.check(claims(a.accessToken)))).toBe('session');
  });

  test('a Redis restart (AOF on, even killed) loses no entry: a list started afterwards refuses', async () => {
    const { lists: [one], keyPrefix } = await fleet(1);
    const a = await p.signIn();
    await one!.announce('session', a.accessToken, claims(a.accessToken));
    await redis.stop({ kill: true });
    await redis.start();
    const fresh = createRevocationList({ cognito: p.cognito, store: redisRevocationStore({ client: client(), keyPrefix }) });
    lists.push(fresh);
    await fresh.ready();
    expect(outcomeOf(() => fresh.check(claims(a.accessToken)))).toBe('session');
    await eventually(() => outcomeOf(() => one!.check(claims(a.accessToken))) === 'session');
  });
});
