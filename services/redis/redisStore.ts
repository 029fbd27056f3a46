// The revocation list's Redis store: entries as keys with expiry, news on a stream that every
// process reads into a warm mirror, Lua for every read-modify-write. docs/server.md has the picture.
// Only SHA-256 hashes of identifiers are written: no token, session id or secret reaches Redis.
import { ExpiringMap, type RevocationStore } from '../server/store.js';
import { defineScript, destroyAll, ownConnection, runScript, type RedisClientLike } from './connection.js';
import { entriesOfRead, fieldOf, isEntries, sleep, type StreamEntry } from './streams.js';

export type { RedisClientLike, RedisConnectionLike } from './connection.js';

/** redisRevocationStore()'s options. */
export interface RedisRevocationStoreOptions {
  /** The app's node-redis client (see RedisClientLike). */
  readonly client: RedisClientLike;
  /** The prefix of every key this store writes. Default 'authchart:revocation:'. */
  readonly keyPrefix?: string;
  /** The news stream is trimmed to about this many entries (XADD MAXLEN ~). Default 10000. */
  readonly streamMaxLength?: number;
  /** How long one blocking read of the news waits (ms) before it reads again. Default 1000. */
  readonly blockMs?: number;
  /** The clock, in ms. Default Date.now. */
  readonly now?: () => number;
}

// KEYS[1] the entry, KEYS[2] the stream; ARGV: kind, hash, value, ttl seconds, stream length.
// A session's entry is written once (NX); a user's instant only moves forward. News only on a change.
const RECORD = defineScript(
  2,
  `local current = redis.call('GET', KEYS[1])
if ARGV[1] == 's' then
  if current then return 0 end
elseif current and tonumber(current) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'k', ARGV[1], 'h', ARGV[2], 'v', ARGV[3], 't', ARGV[4])
return 1`,
);

/** A stream id as two numbers, for ordering. */
function idParts(id: string): [number, number] {
  const [ms, seq] = id.split('-');
  return [Number(ms), Number(seq ?? 0)];
}
const idAfter = (a: string, b: string): boolean => {
  const [am, as] = idParts(a);
  const [bm, bs] = idParts(b);
  return am > bm || (am === bm && as > bs);
};

/**
 * The Redis store: every process that uses one (its own list, its own client) sees every entry.
 * Entries are keys with expiry (`<prefix>s:<hash>`, `<prefix>u:<hash>`), news of each new entry is
 * added to the stream `<prefix>news`, and a reader in each process applies the news to an
 * in-process mirror, so a check costs no round trip. After a lost connection the reader catches up
 * from the last id it saw, or reloads every entry with SCAN if the stream was trimmed past it.
 */
export function redisRevocationStore(options: RedisRevocationStoreOptions): RevocationStore {
  const prefix = options.keyPrefix ?? 'authchart:revocation:';
  const stream = `${prefix}news`;
  const maxLength = String(options.streamMaxLength ?? 10_000);
  const blockMs = String(options.blockMs ?? 1000);
  const now = options.now ?? Date.now;
  // The writer (one for writes) and the reader (blocked in XREAD on the news).
  const writer = ownConnection(options.client);
  const reader = ownConnection(options.client, () => {
    caughtUp = false;
  });

  const sessions = new ExpiringMap<true>();
  const users = new ExpiringMap<number>();
  const valid = new ExpiringMap<number>();
  let lastId = '0-0';
  let caughtUp = false;
  let closed = false;
  let loaded!: () => void;
  const firstLoad = new Promise<void>((resolve) => (loaded = resolve));

  /** Applies one entry's news (or a key found by SCAN) to the mirror. */
  function apply(kind: string, hash: string, value: string, expiresAt: number): void {
    const at = now();
    if (expiresAt <= at) return;
    if (kind === 's') sessions.set(hash, true, expiresAt, at);
    else if (kind === 'u') {
      const instant = Number(value);
      const current = users.get(hash, at);
      if (current === undefined || instant > current) users.set(hash, instant, expiresAt, at);
    }
  }

  function applyEntries(entries: StreamEntry[]): void {
    for (const [id, fields] of entries) {
      const field = (name: string) => fieldOf(fields, name);
      // The entry's id is Redis's clock at XADD, the moment its key got its expiry.
      apply(field('k'), field('h'), field('v'), idParts(id)[0] + Number(field('t')) * 1000);
      lastId = id;
    }
  }

  /** Reloads every entry from the keyspace (first start, or the stream was trimmed past what this process saw). */
  async function reload(): Promise<void> {
    // The stream's last id first: news after it is read next, and anything before it is in the keyspace.
    const last = await reader.sendCommand(['XREVRANGE', stream, '+', '-', 'COUNT', '1']);
    const mark = isEntries(last) && last[0] ? last[0][0] : '0-0';
    for (const kind of ['s', 'u'] as const) {
      let cursor = '0';
      do {
        const reply = (await reader.sendCommand(['SCAN', cursor, 'MATCH', `${prefix}${kind}:*`, 'COUNT', '500'])) as [string, string[]];
        cursor = reply[0];
        for (const key of reply[1]) {
          const [value, ttl] = await Promise.all([reader.sendCommand(['GET', key]), reader.sendCommand(['PTTL', key])]);
          if (typeof value === 'string' && typeof ttl === 'number' && ttl > 0) apply(kind, key.slice(prefix.length + 2), value, now() + ttl);
        }
      } while (cursor !== '0');
    }
    if (idAfter(mark, lastId)) lastId = mark;
  }

  /** After a (re)connection: read on from the last id seen, or reload when the stream no longer holds it. */
  async function catchUp(): Promise<void> {
    const first = await reader.sendCommand(['XRANGE', stream, '-', '+', 'COUNT', '1']);
    const oldest = isEntries(first) && first[0] ? first[0][0] : undefined;
    // Trimmed past the last id seen (or never read): the news in between is gone, the keys are not.
    if (lastId === '0-0' || oldest === undefined || idAfter(oldest, lastId)) await reload();
    caughtUp = true;
    loaded();
  }

  async function readLoop(): Promise<void> {
    while (!closed) {
      try {
        if (!reader.isReady) {
          caughtUp = false;
          await sleep(50);
          continue;
        }
        if (!caughtUp) await catchUp();
        const reply = await reader.sendCommand(['XREAD', 'COUNT', '1000', 'BLOCK', blockMs, 'STREAMS', stream, lastId]);
        applyEntries(entriesOfRead(reply));
      } catch {
        if (closed) return;
        caughtUp = false;
        await sleep(50);
      }
    }
  }

  const started = (async () => {
    await Promise.all([writer.connect(), reader.connect()]);
    void readLoop();
  })();
  started.catch(() => {});

  const entryKey = (kind: 's' | 'u', hash: string) => `${prefix}${kind}:${hash}`;

  return {
    get available() {
      return caughtUp && reader.isReady;
    },
    sessionRevoked: (session, nowMs) => sessions.get(session, nowMs) === true,
    userSignedOutAt: (user, nowMs) => users.get(user, nowMs),
    cognitoValidUntil: (session, nowMs) => valid.get(session, nowMs),
    async revokeSession(session, ttlSeconds) {
      const changed = (await runScript(writer, RECORD, [entryKey('s', session), stream, 's', session, '1', String(ttlSeconds), maxLength])) === 1;
      // This process knows at once; the others learn from the news.
      const at = now();
      sessions.set(session, true, at + ttlSeconds * 1000, at);
      return changed;
    },
    async revokeUser(user, instant, ttlSeconds) {
      const changed = (await runScript(writer, RECORD, [entryKey('u', user), stream, 'u', user, String(instant), String(ttlSeconds), maxLength])) === 1;
      if (changed) apply('u', user, String(instant), now() + ttlSeconds * 1000);
      return changed;
    },
    async recordCognitoValid(session, validForMs) {
      const at = now();
      valid.set(session, at + validForMs, at + validForMs, at);
      await writer.sendCommand(['SET', `${prefix}c:${session}`, String(at + validForMs), 'PX', String(Math.max(1, Math.round(validForMs)))]);
    },
    async fetchCognitoValidUntil(session, nowMs) {
      const local = valid.get(session, nowMs);
      if (local !== undefined) return local;
      const reply = await writer.sendCommand(['GET', `${prefix}c:${session}`]);
      const until = typeof reply === 'string' ? Number(reply) : undefined;
      if (until === undefined || !(until > nowMs)) return undefined;
      valid.set(session, until, until, nowMs);
      return until;
    },
    async ready() {
      await started;
      await firstLoad;
    },
    async close() {
      closed = true;
      destroyAll([reader, writer]);
      sessions.clear();
      users.clear();
      valid.clear();
    },
  };
}
