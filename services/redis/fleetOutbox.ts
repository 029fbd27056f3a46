// The fleet's sign-out outbox on Redis Streams (authchart/server): one stream of session hashes,
// one consumer group of every process, XAUTOCLAIM for what a dead process held or an attempt left,
// and a dead-letter stream. It reports facts (what an attempt left, how often the entry was
// delivered); outboxVerdict (machines/server/outboxPolicy.ts) decides. docs/server.md draws the loop.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { outboxVerdict } from '../../machines/server/outboxPolicy.js';
import type { FinishReport, FleetOutbox, FleetOutboxState } from '../server/sessionStore.js';
import { defineScript, destroyAll, ownConnection, runScript, type RedisClientLike } from './connection.js';
import { entriesOfRead, fieldOf, sleep, type StreamEntry } from './streams.js';

/** redisFleetOutbox()'s options. */
export interface RedisFleetOutboxOptions {
  /** The app's node-redis client (see RedisClientLike); the outbox opens two connections of its own with duplicate(). */
  readonly client: RedisClientLike;
  /** The prefix of every key: the stream is `<prefix>outbox`, its dead letters `<prefix>outbox:dead`. Default 'authchart:'. */
  readonly keyPrefix?: string;
  /**
   * An entry delivered this long ago (ms) and still not finished is taken over (XAUTOCLAIM) by
   * whichever process looks first: from a process that died holding it, or for the retry of an
   * attempt that left intents. Keep it above one attempt's bound (createAuth's N + 2 S). Default 60000.
   */
  readonly claimIdleMs?: number;
  /** Deliveries (attempts) before an entry whose intents are still left is given up to `<prefix>outbox:dead`. Default 60. */
  readonly maxDeliveries?: number;
  /** How long one blocking read of new entries waits (ms); idle entries are looked for between reads. Default 1000. */
  readonly blockMs?: number;
  /** This process's name in the consumer group. Default `<hostname>-<pid>-<random>`, new at each start of the process. */
  readonly consumer?: string;
  /** At most this many attempts run at once in this process. Default 16. */
  readonly concurrency?: number;
}

/** A failure of the outbox's own work in this process, reported and then retried with backoff. No token is in it: the outbox carries none. */
export interface FleetOutboxError {
  /** What failed: reading new entries, taking idle ones over, recording an attempt's verdict, or the `finish` call itself. */
  readonly operation: 'read' | 'claim' | 'settle' | 'finish';
  /** The error's name, and Redis's message for a Redis error (a `finish` error gives its name only). */
  readonly message: string;
  /** Failures of the read loop in a row, this one included (0 for a `finish` or `settle` failure, which do not stop the loop). */
  readonly consecutive: number;
}

/** The Redis fleet outbox: a FleetOutbox, plus what its loop's failures look like. */
export interface RedisFleetOutbox extends FleetOutbox {
  /** Listens for failures of this process's outbox work (Redis down, a `finish` that threw); returns the unsubscribe function. */
  onError(listener: (error: FleetOutboxError) => void): () => void;
  /** Failures of this process's outbox work so far (what onError heard), for a metric. */
  readonly errorCount: number;
}

/** redisFleetOutbox()'s defaults. */
export const FLEET_OUTBOX_DEFAULTS = { keyPrefix: 'authchart:', claimIdleMs: 60_000, maxDeliveries: 60, blockMs: 1000, concurrency: 16 } as const;
const GROUP = 'authchart-fleet';
const SESSION_HASH = /^[0-9a-f]{64}$/;

// KEYS[1] the stream; ARGV: group, id. Finished: acknowledged and removed in one step, so every
// entry the stream holds is one not yet finished.
const FINISH = defineScript(
  1,
  `redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])`,
);

// KEYS[1] the stream, KEYS[2] the dead letters; ARGV: group, id, consumer, hash. Only while this
// consumer still holds the entry (another may have taken it over meanwhile): then the dead letter
// is added, and the entry acknowledged and removed, in one step. Answers its deliveries, or 0.
const DEAD_LETTER = defineScript(
  2,
  `local held = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #held == 0 or held[1][2] ~= ARGV[3] then return 0 end
local deliveries = held[1][4]
redis.call('XADD', KEYS[2], '*', 'h', ARGV[4], 'd', tostring(deliveries), 'o', ARGV[2])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return deliveries`,
);

// KEYS[1] the stream, KEYS[2] the dead letters; ARGV: group. One consistent snapshot: entries not
// finished, of which delivered and not acknowledged (the group's PEL), and the dead letters.
const STATE = defineScript(
  2,
  `local claimed = 0
local summary = redis.pcall('XPENDING', KEYS[1], ARGV[1])
if type(summary) == 'table' and summary.err == nil then claimed = summary[1] end
return { redis.call('XLEN', KEYS[1]), claimed, redis.call('XLEN', KEYS[2]) }`,
);

// KEYS[1] the stream; ARGV: group, consumer. A stopping process leaves the group when it holds nothing.
const RETIRE = defineScript(
  1,
  `if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])`,
);

const positive = (name: string, value: number | undefined, fallback: number): number => {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1) throw new RangeError(`redisFleetOutbox: ${name} must be a whole number above 0`);
  return chosen;
};

/** Calls each listener; one that throws is skipped, never the outbox's failure. */
function notify<T>(listeners: ReadonlySet<(event: T) => void>, event: T): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch {
      // a listener's failure is its own
    }
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error');

/**
 * The fleet's sign-out outbox on Redis: `enqueue` adds the session's hash to the stream
 * `<prefix>outbox`; every process that `start`s reads it in one consumer group, new entries with a
 * blocking XREADGROUP on a connection of its own, and entries idle for `claimIdleMs` with
 * XAUTOCLAIM. Each entry is `finish`ed, and then, as outboxVerdict decides from the intents left
 * and XPENDING's delivery count: acknowledged and removed, left pending for its retry, or moved to
 * `<prefix>outbox:dead` with an onDeadLetter event. A Redis failure is reported (onError) and
 * retried with backoff; no promise of the loop is left to reject unhandled.
 */
export function redisFleetOutbox(options: RedisFleetOutboxOptions): RedisFleetOutbox {
  const prefix = options.keyPrefix ?? FLEET_OUTBOX_DEFAULTS.keyPrefix;
  const stream = `${prefix}outbox`;
  const deadStream = `${prefix}outbox:dead`;
  const claimIdleMs = positive('claimIdleMs', options.claimIdleMs, FLEET_OUTBOX_DEFAULTS.claimIdleMs);
  const maxDeliveries = positive('maxDeliveries', options.maxDeliveries, FLEET_OUTBOX_DEFAULTS.maxDeliveries);
  const blockMs = positive('blockMs', options.blockMs, FLEET_OUTBOX_DEFAULTS.blockMs);
  const concurrency = positive('concurrency', options.concurrency, FLEET_OUTBOX_DEFAULTS.concurrency);
  const consumer = options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const writer = ownConnection(options.client);
  const reader = ownConnection(options.client);
  const opened = Promise.all([writer.connect(), reader.connect()]).then(() => {});
  opened.catch(() => {});

  const deadListeners = new Set<(event: { readonly sessionHash: string; readonly deliveries: number }) => void>();
  const errorListeners = new Set<(error: FleetOutboxError) => void>();
  let errorCount = 0;
  let stopped = false;
  let loop: Promise<void> | undefined;
  let wake!: () => void;
  const stopping = new Promise<void>((resolve) => (wake = resolve));
  /** Entries this process is finishing now (by stream id), and the attempts themselves. */
  const inWork = new Map<string, Promise<void>>();

  function report(error: FleetOutboxError): void {
    errorCount++;
    notify(errorListeners, error);
  }

  /** How many times the entry has been delivered (XPENDING), or undefined when it is no longer pending (finished elsewhere). */
  async function deliveriesOf(id: string): Promise<number | undefined> {
    const reply = await writer.sendCommand(['XPENDING', stream, GROUP, id, id, '1']);
    const row = Array.isArray(reply) ? (reply[0] as unknown) : undefined;
    return Array.isArray(row) && typeof row[3] === 'number' ? row[3] : undefined;
  }

  /** One attempt at one entry: finish, then the verdict's step. Never rejects. */
  async function attempt(finish: (sessionHash: string) => Promise<FinishReport>, [id, fields]: StreamEntry): Promise<void> {
    const sessionHash = fieldOf(fields, 'h');
    let left: number | null = null;
    if (SESSION_HASH.test(sessionHash)) {
      try {
        const answer = (await finish(sessionHash)).left;
        left = Number.isInteger(answer) && answer >= 0 ? answer : null;
      } catch (error) {
        report({ operation: 'finish', message: error instanceof Error ? error.name : 'unknown error', consecutive: 0 });
      }
    } else left = 0; // not an entry of ours (nothing to finish): acknowledged and removed like a finished one
    if (stopped) return; // left pending: another process takes it over after claimIdleMs
    try {
      const deliveries = await deliveriesOf(id);
      if (deliveries === undefined) return; // no longer pending: finished by another process meanwhile
      const verdict = outboxVerdict(left, deliveries, maxDeliveries);
      if (verdict === 'finished') await runScript(writer, FINISH, [stream, GROUP, id]);
      else if (verdict === 'deadLetter') {
        const moved = await runScript(writer, DEAD_LETTER, [stream, deadStream, GROUP, id, consumer, sessionHash]);
        if (typeof moved === 'number' && moved > 0) notify(deadListeners, { sessionHash, deliveries: moved });
      }
      // 'retry': left pending, so that XAUTOCLAIM hands it out again once it has been idle for claimIdleMs.
    } catch (error) {
      // The verdict could not be written: the entry stays pending and is tried again after claimIdleMs.
      if (!stopped) report({ operation: 'settle', message: messageOf(error), consecutive: 0 });
    }
  }

  /** Starts an attempt at each entry this process is not already on; returns how many it started. */
  function begin(finish: (sessionHash: string) => Promise<FinishReport>, entries: readonly StreamEntry[]): number {
    let started = 0;
    for (const entry of entries) {
      if (inWork.has(entry[0])) continue; // this process is still on it (an attempt slower than claimIdleMs)
      const run = attempt(finish, entry).catch(() => {}).finally(() => inWork.delete(entry[0]));
      inWork.set(entry[0], run);
      started++;
    }
    return started;
  }

  /** The entries of an XAUTOCLAIM reply ([cursor, entries, deleted ids]), and the cursor to go on from. */
  function claimedOf(reply: unknown): { cursor: string; entries: StreamEntry[] } {
    if (!Array.isArray(reply) || typeof reply[0] !== 'string' || !Array.isArray(reply[1])) return { cursor: '0-0', entries: [] };
    const entries = (reply[1] as unknown[]).filter((entry): entry is StreamEntry => Array.isArray(entry) && typeof entry[0] === 'string' && Array.isArray(entry[1]));
    return { cursor: reply[0], entries };
  }

  async function run(finish: (sessionHash: string) => Promise<FinishReport>): Promise<void> {
    let groupReady = false;
    let cursor = '0-0';
    let failures = 0;
    while (!stopped) {
      let operation: FleetOutboxError['operation'] = 'read';
      try {
        await Promise.race([opened, stopping]);
        if (stopped) return;
        if (!groupReady) {
          // From the stream's start ('0'): entries added before any process created the group are read too.
          await reader.sendCommand(['XGROUP', 'CREATE', stream, GROUP, '0', 'MKSTREAM']).catch((error: unknown) => {
            if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
          });
          groupReady = true;
        }
        const room = concurrency - inWork.size;
        if (room <= 0) {
          await Promise.race([...inWork.values(), stopping]);
          continue;
        }
        operation = 'claim';
        const claimed = claimedOf(await reader.sendCommand(['XAUTOCLAIM', stream, GROUP, consumer, String(claimIdleMs), cursor, 'COUNT', String(room)]));
        cursor = claimed.cursor;
        const taken = begin(finish, claimed.entries);
        operation = 'read';
        if (taken === 0 && !stopped) {
          const reply = await reader.sendCommand(['XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', String(room), 'BLOCK', String(blockMs), 'STREAMS', stream, '>']);
          if (!stopped) begin(finish, entriesOfRead(reply));
        }
        failures = 0;
      } catch (error) {
        if (stopped) return;
        failures++;
        // The group is gone (a Redis that lost its data): create it again before the next read.
        if (error instanceof Error && error.message.includes('NOGROUP')) groupReady = false;
        report({ operation, message: messageOf(error), consecutive: failures });
        await Promise.race([sleep(Math.min(2000, 50 * 2 ** Math.min(failures - 1, 6))), stopping]);
      }
    }
  }

  async function usable(): Promise<void> {
    if (stopped) throw new Error('redisFleetOutbox: stopped');
    await opened;
  }

  return {
    async enqueue(sessionHash) {
      // Only a session's hash may enter the stream: never an id, never a token.
      if (!SESSION_HASH.test(sessionHash)) throw new TypeError("redisFleetOutbox: enqueue takes a session's SHA-256 hash (64 lowercase hex digits)");
      await usable();
      await writer.sendCommand(['XADD', stream, '*', 'h', sessionHash]);
    },
    start(finish) {
      if (stopped) throw new Error('redisFleetOutbox: stopped');
      if (loop) throw new Error('redisFleetOutbox: already started');
      loop = run(finish).catch(() => {});
    },
    async state(): Promise<FleetOutboxState> {
      await usable();
      const reply = await runScript(writer, STATE, [stream, deadStream, GROUP]);
      const [pending, claimed, dead] = Array.isArray(reply) ? reply.map(Number) : [];
      return { pending: pending ?? 0, claimed: claimed ?? 0, dead: dead ?? 0 };
    },
    onDeadLetter(listener) {
      deadListeners.add(listener);
      return () => void deadListeners.delete(listener);
    },
    onError(listener) {
      errorListeners.add(listener);
      return () => void errorListeners.delete(listener);
    },
    get errorCount() {
      return errorCount;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      wake();
      // The reader may be blocked in XREADGROUP: closing it ends the read at once.
      destroyAll([reader]);
      await loop;
      // Attempts still running keep their entries pending (nothing more is written for them);
      // a process that holds nothing leaves the group, so that consumers do not pile up.
      if (inWork.size === 0 && writer.isReady) await runScript(writer, RETIRE, [stream, GROUP, consumer]).catch(() => {});
      destroyAll([writer]);
    },
  };
}
