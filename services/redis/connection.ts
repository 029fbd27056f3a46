// How authchart's Redis stores talk to node-redis without loading it (`redis` is an optional peer):
// the client is typed by its shape, every store opens connections of its own with duplicate(), and
// Lua scripts run by SHA-1 with a fallback to the whole script, as node-redis's defineScript does.
import { createHash } from 'node:crypto';

/** One connection of the app's node-redis client, as authchart's stores use it. */
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
  /**
   * Listens on a pub/sub channel (node-redis's own `subscribe`; the connection then serves
   * nothing else). The session store's lease waiters wake on its messages; a client without it
   * makes them poll instead.
   */
  subscribe?(channel: string, listener: (message: string) => void): Promise<unknown>;
}

/**
 * The app's node-redis client (`createClient({ url })` from `redis`, 5.x or 6.x), connected or not:
 * each store opens the connections it needs with `duplicate()` and never uses or closes the app's.
 */
export interface RedisClientLike {
  /** A new client with the same options (node-redis's own `duplicate`). */
  duplicate(overrides?: {
    /** Commands sent while disconnected fail at once rather than wait (the stores ask for that). */
    readonly disableOfflineQueue?: boolean;
  }): RedisConnectionLike;
}

/** A connection of the store's own: commands sent while Redis is down fail at once, and its errors never crash the process. */
export function ownConnection(client: RedisClientLike, onError: (error: unknown) => void = () => {}): RedisConnectionLike {
  const duplicate = client.duplicate.bind(client) as (overrides: object) => RedisConnectionLike;
  const connection = duplicate({ disableOfflineQueue: true });
  // node-redis reports a lost connection as an 'error' event; without a listener it would crash the process.
  connection.on('error', onError);
  return connection;
}

/** Closes connections at once (a blocked read is not waited for); one never opened, or closed already, is skipped. */
export function destroyAll(connections: Iterable<RedisConnectionLike>): void {
  for (const connection of connections) {
    try {
      connection.destroy();
    } catch {
      // never connected, or already closed
    }
  }
}

/** A Lua script and its SHA-1, as node-redis's `defineScript` makes it. */
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
