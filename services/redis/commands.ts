// What the Redis stores of authchart/server share: the shape of the app's node-redis client they
// use (typed by shape: `redis` is an optional peer, never loaded here), connections of their own,
// Lua scripts run by SHA-1, and the replies of stream commands read as entries.
import { createHash } from 'node:crypto';

/** One connection of the app's node-redis client, as the stores use it. */
export interface RedisConnectionLike {
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Sends one command as it is written, e.g. ['XREAD', …]. */
  sendCommand(args: string[]): Promise<unknown>;
  /** Listens for connection errors (node-redis emits them while it reconnects). */
  on(event: 'error', listener: (error: unknown) => void): unknown;
  /** Closes the connection at once, even while a blocking read waits. */
  destroy(): void;
  /** Whether the connection is open and ready for commands. */
  readonly isReady: boolean;
}

/**
 * The app's node-redis client (`createClient({ url })` from `redis`, 5.x or 6.x), connected or not:
 * a store opens connections of its own with `duplicate()` (one blocks reading a stream, one
 * writes) and never uses or closes the app's.
 */
export interface RedisClientLike {
  /** A new client with the same options (node-redis's own `duplicate`). */
  duplicate(overrides?: {
    /** Commands sent while disconnected fail at once rather than wait (the stores ask for that). */
    readonly disableOfflineQueue?: boolean;
  }): RedisConnectionLike;
}

/**
 * Two connections of the store's own, duplicated from the app's client: commands sent while one is
 * down fail at once (disableOfflineQueue) rather than queue. Each has an error listener, since
 * node-redis emits its reconnection errors as events that would otherwise crash the process;
 * `onReaderError` hears the reader's.
 */
export function ownConnections(client: RedisClientLike, onReaderError: (error: unknown) => void = () => {}): { writer: RedisConnectionLike; reader: RedisConnectionLike } {
  const duplicate = client.duplicate.bind(client) as (overrides: object) => RedisConnectionLike;
  const writer = duplicate({ disableOfflineQueue: true });
  const reader = duplicate({ disableOfflineQueue: true });
  writer.on('error', () => {});
  reader.on('error', onReaderError);
  return { writer, reader };
}

/** Closes connections at once: destroy(), not close(), since a reader may be blocked in a read that a graceful close would wait for. */
export function destroyAll(connections: readonly RedisConnectionLike[]): void {
  for (const connection of connections) {
    try {
      connection.destroy();
    } catch {
      // never connected, or already closed
    }
  }
}

/** A Lua script and its SHA-1, as node-redis's `defineScript` makes it (without loading `redis` at runtime). */
export interface Script {
  readonly SCRIPT: string;
  readonly SHA1: string;
  readonly NUMBER_OF_KEYS: number;
}

export const defineScript = (numberOfKeys: number, script: string): Script => ({ SCRIPT: script, SHA1: createHash('sha1').update(script).digest('hex'), NUMBER_OF_KEYS: numberOfKeys });

/** Runs a script by its SHA-1, and sends it whole once when the server does not know it yet (NOSCRIPT), as node-redis does for scripts given to createClient. */
export async function runScript(connection: RedisConnectionLike, script: Script, args: string[]): Promise<unknown> {
  const rest = [String(script.NUMBER_OF_KEYS), ...args];
  try {
    return await connection.sendCommand(['EVALSHA', script.SHA1, ...rest]);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return connection.sendCommand(['EVAL', script.SCRIPT, ...rest]);
  }
}

/** XRANGE/XREAD/XAUTOCLAIM entries: [id, [field, value, …]] pairs. */
export type StreamEntry = [string, string[]];

export const isEntries = (value: unknown): value is StreamEntry[] => Array.isArray(value) && value.every((entry) => Array.isArray(entry) && typeof entry[0] === 'string' && Array.isArray(entry[1]));

/** The entries of an XREAD or XREADGROUP reply: RESP2 answers [[stream, entries]], RESP3 a map (node-redis: an object) of stream to entries; null when the block timed out. */
export function entriesOfRead(reply: unknown): StreamEntry[] {
  const streams: unknown[] = Array.isArray(reply) ? reply.map((pair: unknown) => (Array.isArray(pair) ? pair[1] : undefined)) : reply && typeof reply === 'object' ? Object.values(reply) : [];
  return streams.flatMap((entries) => (isEntries(entries) ? entries : []));
}

/** A field's value in an entry's [field, value, …] list ('' when it has none). */
export const fieldOf = (fields: readonly string[], name: string): string => {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]!;
  return '';
};

/** Waits `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
