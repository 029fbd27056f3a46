// The fleet outbox's test parts (fleetOutbox.test.ts, outboxChild.ts): a session's record as a
// Web-Storage-shaped view over one Redis hash, shared by every process; a real `finish` (an engine
// instance over that record runs flushRevocations() and reports what is left); and a child process
// that drains the outbox, which a test can SIGKILL while it holds an entry.
import { spawn, type ChildProcess } from 'node:child_process';
import { outboxKey } from '../../services/storage/signOutOutbox';
import { createAuth, type StorageLike } from '../../src/index';
import type { FinishReport } from '../../src/server/index';
import { bundleChild } from './childFleet';

/** The commands of a node-redis client the record uses. */
export interface HashClient {
  hGet(key: string, field: string): Promise<unknown>;
  hSet(key: string, field: string, value: string): Promise<unknown>;
  hDel(key: string, field: string): Promise<unknown>;
}

/** The record of one session: each storage key is a field of the hash `key`. */
export function redisHashStorage(client: HashClient, key: string): StorageLike {
  return {
    getItem: async (field) => {
      const value = await client.hGet(key, field);
      return typeof value === 'string' ? value : null;
    },
    setItem: async (field, value) => void (await client.hSet(key, field, value)),
    removeItem: async (field) => void (await client.hDel(key, field)),
  };
}

/** The record's key for a session hash, under a fleet's prefix. */
export const recordKey = (keyPrefix: string, sessionHash: string): string => `${keyPrefix}session:${sessionHash}`;

/** The pool the engines sign out of, and their bounds. */
export interface EngineConfig {
  readonly endpoint: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly networkTimeoutMs: number;
  readonly storageTimeoutMs: number;
}

/**
 * The BFF's `finish`, as the design has it: an engine instance (createAuth) over the session's
 * record runs the library's own outbox and sign-out charts (flushRevocations()), and reports how
 * many intents are left; the instance is stopped afterwards. The engine reads an outbox it cannot
 * read as empty (its memory stands in for storage), so a report of none left is checked against
 * the record itself: a read that fails throws (the attempt could not tell), and intents still
 * stored are reported as left.
 */
export function engineFinish(client: HashClient, keyPrefix: string, config: EngineConfig): (sessionHash: string) => Promise<FinishReport> {
  return async (sessionHash) => {
    const storage = redisHashStorage(client, recordKey(keyPrefix, sessionHash));
    const auth = createAuth({
      userPoolId: config.userPoolId,
      userPoolClientId: config.clientId,
      endpoint: config.endpoint,
      storage,
      networkTimeoutMs: config.networkTimeoutMs,
      storageTimeoutMs: config.storageTimeoutMs,
    });
    let left: number;
    try {
      left = (await auth.flushRevocations()).pending;
    } finally {
      await auth.stop();
    }
    if (left > 0) return { left };
    const stored = await storage.getItem(outboxKey(config.clientId));
    const entries = typeof stored === 'string' ? ((JSON.parse(stored) as { entries?: Array<{ revoked?: true }> }).entries ?? []) : [];
    return { left: entries.filter((entry) => !entry.revoked).length };
  };
}

/** What outboxChild.ts is given (as JSON on its command line). */
export interface OutboxChildConfig {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly consumer: string;
  readonly claimIdleMs: number;
  readonly maxDeliveries: number;
  readonly engine: EngineConfig;
}

/** A child process draining the outbox. Its stdout lines: `ready`, `finishing <hash>`, `finished <hash> <left>`, `dead <hash> <deliveries>`, `error <operation>`. */
export interface OutboxChild {
  /** Everything it printed so far. */
  output(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** Ends it with `signal` and waits for it to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts one outbox process and resolves once its outbox is started. */
export async function startOutboxChild(config: OutboxChildConfig): Promise<OutboxChild> {
  const script = bundleChild('outboxChild');
  const child: ChildProcess = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`outbox process exited (${code}): ${out}`)));
  });
  return {
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
