// The BFF's sessions in Redis (redisSessionStore): one HASH per session, whose fields are the
// engine's own storage keys, and one lease per session for its refresh turn. A refresh's write of
// the session record is fenced in Lua: it lands only while the lease still carries this writer's
// token and the stored record still has the generation written, so a holder that paused past its
// lease never writes stale tokens over a newer refresh (Kleppmann's fencing token; not Redlock).
// docs/server.md, "Sessions in Redis", has the key layout, the operations, and the failures.
// Keys carry the SHA-256 of the session id only: no token, id or secret.
import { randomBytes } from 'node:crypto';
import type { FleetOutbox, SessionStorage, SessionStore } from '../server/sessionStore.js';
import { ErrorNames } from '../../machines/errors/registry.js';
import { defineScript, destroyAll, ownConnection, runScript, type RedisClientLike, type RedisConnectionLike } from './connection.js';
import { leaseNotices, redisLease } from './lease.js';
import { redisFleetOutbox } from './fleetOutbox.js';

/** redisSessionStore()'s options. */
export interface RedisSessionStoreOptions {
  /** The app's node-redis client (see RedisClientLike): the store opens its own connections with `duplicate()`. */
  readonly client: RedisClientLike;
  /** The prefix of every key this store writes (and of its release channel). Default 'authchart:'. */
  readonly keyPrefix?: string;
  /**
   * How long a refresh lease lasts without renewal, in ms: a process that dies (or pauses) holding
   * it delays the session's other requests by at most this long. Its holder renews it every third
   * of it. Keep it below the waiters' own bound, networkTimeoutMs + 3 × storageTimeoutMs. Default 5000.
   */
  readonly leaseMs?: number;
  /**
   * The fleet's sign-out outbox (`close()` stops it). Default: redisFleetOutbox({ client, keyPrefix })
   * with its own defaults; pass one to tune claimIdleMs, maxDeliveries or listen for dead letters.
   */
  readonly outbox?: FleetOutbox;
}

/** A refresh's write of the session record that Redis refused: the lease is no longer this writer's, or the record changed. Named StaleWriteError, as the engine's own refusal. */
class FencedWriteRefused extends Error {
  override readonly name = ErrorNames.staleWrite;
}

/** The engine's session record key, `authchart.<clientId>.session` (services/storage/keys.ts); its other keys are plain fields. */
export const isSessionRecordKey = (field: string): boolean => /^authchart\.[\w+]{1,128}\.session$/.test(field);

/** A refresh turn of one storage: its lease token, the record's generations read while it was held, and whether it still is. */
interface Turn {
  readonly token: string;
  readonly generations: Set<number>;
  held: boolean;
}

/** The SHA-256, in hex, that names a session: nothing else may reach a key. */
const SESSION_HASH = /^[0-9a-f]{64}$/;

/** The record's field that holds its stamp (SessionStore.stamp): changed with every write of the record. The engine's own fields all start with 'authchart.'. */
export const STAMP_FIELD = 'stamp';

// KEYS[1] the record, KEYS[2] the lease; ARGV: field, value, token, stamp. The fenced write: lands (1)
// only while the lease holds this token and the stored record has the written one's generation.
const FENCED_WRITE = defineScript(
  2,
  `if redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
local ok, stored = pcall(cjson.decode, current)
local okWritten, written = pcall(cjson.decode, ARGV[2])
if not (ok and okWritten and type(stored) == 'table' and type(written) == 'table') then return 0 end
if type(stored.generation) ~= 'number' or stored.generation ~= written.generation then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], '${STAMP_FIELD}', ARGV[4])
return 1`,
);

// KEYS[1] the record; ARGV: field, stamp. Removes the field; a record left with its stamp alone is
// removed whole (nothing is stored), else it takes the new stamp. A field already absent changes nothing.
const REMOVE_FIELD = defineScript(
  1,
  `if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('HLEN', KEYS[1]) <= 1 and redis.call('HEXISTS', KEYS[1], '${STAMP_FIELD}') == 1 then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], '${STAMP_FIELD}', ARGV[2])
end
return 1`,
);

/** The generation of a session record as JSON, or undefined. */
function generationOf(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const generation: unknown = (JSON.parse(value) as { generation?: unknown } | null)?.generation;
    return typeof generation === 'number' ? generation : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sessions in Redis, for a fleet of BFF processes. A session's record is the HASH
 * `<prefix>session:{<hash>}`; its refresh lease is `<prefix>lease:{<hash>}` (the same hash tag, so
 * Redis Cluster keeps both in one slot). Each storageFor() is one engine instance's storage: its
 * refreshLock is the session's lease, and a refresh's write of the record is fenced by it.
 */
export function redisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  const prefix = options.keyPrefix ?? 'authchart:';
  const leaseMs = options.leaseMs ?? 5000;
  if (!Number.isInteger(leaseMs) || leaseMs < 1) throw new RangeError('redisSessionStore: leaseMs must be a positive whole number of milliseconds');
  const channel = `${prefix}lease-released`;
  const outbox = options.outbox ?? redisFleetOutbox({ client: options.client, keyPrefix: prefix });
  const connections: RedisConnectionLike[] = [];
  const commandsConnection = ownConnection(options.client);
  connections.push(commandsConnection);
  const connected = commandsConnection.connect().then(() => commandsConnection);
  connected.catch(() => {}); // each call reports it
  const commands = () => connected;
  // Once open, commands go to the connection at once: no await (a turn of the microtask queue) before each.
  let open: RedisConnectionLike | undefined;
  connected.then((connection) => (open = connection), () => {});
  const notices = leaseNotices(() => {
    const subscriber = ownConnection(options.client);
    connections.push(subscriber);
    return subscriber;
  }, channel);
  const send = (args: string[]): Promise<unknown> => {
    if (!open) return connected.then((connection) => connection.sendCommand(args));
    try {
      return open.sendCommand(args);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  // Stamps: this store's random origin and a counter, so no two writes of the fleet share one.
  const origin = randomBytes(9).toString('base64url');
  let writes = 0;
  const newStamp = () => `${origin}.${(++writes).toString(36)}`;

  const named = (sessionHash: string) => {
    if (typeof sessionHash !== 'string' || !SESSION_HASH.test(sessionHash)) throw new TypeError('A session is named by the SHA-256 of its id, as 64 lowercase hex digits');
    return { record: `${prefix}session:{${sessionHash}}`, lease: `${prefix}lease:{${sessionHash}}` };
  };

  function storageFor(sessionHash: string): SessionStorage {
    const keys = named(sessionHash);
    // The latest refresh turn of this storage (one engine instance): its lease token, and the
    // generations of the record read while it was held. A write of one of those generations is
    // that refresh's, even if it lands after the turn ended (a deadline left it running): it is
    // fenced. Any other write of the record (a sign-in's new generation) lands as it is.
    let turn: Turn | null = null;
    const refreshLock = redisLease({
      commands,
      notices,
      channel,
      leaseKey: keys.lease,
      sessionHash,
      leaseMs,
      onTurn(token) {
        const taken: Turn = { token, generations: new Set(), held: true };
        turn = taken;
        return () => void (taken.held = false);
      },
    });
    // What this storage (one engine) read, each with the record's stamp at that read (one HMGET).
    // It is served again without a round trip only within the turn of the event loop in which
    // stamp() read that same stamp: a kept engine's request reads the stamp first, so the engine's
    // reads in that request see the record as of the request's start, and every read after a wait
    // (the lease, another's refresh) goes to Redis. Any write of this storage drops it all, and a
    // read or stamp sent before that write is not kept (`epoch`).
    const known = new Map<string, { readonly value: string | null; readonly stamp: string | null }>();
    let current: string | null | undefined;
    let currentEnds: ReturnType<typeof setImmediate> | undefined;
    let epoch = 0;
    const endOfTurn = () => {
      current = undefined;
      currentEnds = undefined;
    };
    const forget = () => {
      epoch++;
      known.clear();
      current = undefined;
    };
    const fetched = (key: string): Promise<string | null> => {
      const at = epoch;
      return send(['HMGET', keys.record, key, STAMP_FIELD]).then((reply) => {
        const [value, stamp] = reply as [string | null, string | null];
        if (at === epoch) known.set(key, { value, stamp });
        return value;
      });
    };
    /** A refresh turn notes the generations of the session records it reads (the fence, above). */
    const noted = (key: string, value: string | null): string | null => {
      if (turn?.held && isSessionRecordKey(key)) {
        const generation = generationOf(value);
        if (generation !== undefined) turn.generations.add(generation);
      }
      return value;
    };
    return {
      refreshLock,
      // What it read under the stamp of this turn is handed back as it is, not as a promise: the
      // engine awaits it all the same (StorageLike allows either), a few turns of the microtask queue sooner.
      getItem(key) {
        const hit = known.get(key);
        if (hit && current !== undefined && hit.stamp === current) return noted(key, hit.value);
        return fetched(key).then((value) => noted(key, value));
      },
      async setItem(key, value) {
        forget();
        const generation = isSessionRecordKey(key) ? generationOf(value) : undefined;
        if (turn && generation !== undefined && turn.generations.has(generation)) {
          const landed = await runScript(await commands(), FENCED_WRITE, [keys.record, keys.lease, key, value, turn.token, newStamp()]);
          if (landed !== 1) throw new FencedWriteRefused('The refresh lease is no longer this instance’s, or the session changed: this refresh’s tokens were not written');
          return;
        }
        await send(['HSET', keys.record, key, value, STAMP_FIELD, newStamp()]);
      },
      async removeItem(key) {
        forget();
        await runScript(await commands(), REMOVE_FIELD, [keys.record, key, newStamp()]);
      },
      stamp() {
        const at = epoch;
        return send(['HGET', keys.record, STAMP_FIELD]).then((reply) => {
          const stamp = reply as string | null;
          if (at === epoch) {
            current = stamp;
            currentEnds ??= setImmediate(endOfTurn);
          }
          return stamp;
        });
      },
    };
  }

  return {
    storageFor,
    async expire(sessionHash, ttlSeconds) {
      if (!(ttlSeconds > 0)) throw new RangeError('expire: ttlSeconds must be positive');
      await send(['EXPIRE', named(sessionHash).record, String(Math.ceil(ttlSeconds))]);
    },
    async rename(fromHash, toHash) {
      const from = named(fromHash).record;
      const to = named(toHash).record;
      // One step, with the record's expiry (Cluster: see docs/server.md, the new name is in another slot).
      await send(['RENAME', from, to]).catch((error: unknown) => {
        if (!(error instanceof Error && /no such key/i.test(error.message))) throw error; // nothing to move: nothing to do
      });
    },
    async destroy(sessionHash) {
      const { record, lease } = named(sessionHash);
      await send(['DEL', record, lease]);
    },
    async stamp(sessionHash) {
      return (await send(['HGET', named(sessionHash).record, STAMP_FIELD])) as string | null;
    },
    outbox,
    async close() {
      try {
        await outbox.stop();
      } finally {
        destroyAll(connections);
      }
    },
  };
}
