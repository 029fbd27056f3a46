// The backend-for-frontend's default session store: records, refresh locks and the sign-out
// outbox in this process's memory (services/server/sessionStore.ts is the contract). Correct for
// one process; a fleet shares a Redis store. What an outbox attempt means is decided by
// machines/server/outboxPolicy.ts; this only reports facts and keeps entries.
import { outboxVerdict } from '../../machines/server/outboxPolicy.js';
import type { RefreshLock } from '../tabs/refreshLock.js';
import type { FinishReport, FleetOutbox, FleetOutboxState, SessionStorage, SessionStore } from './sessionStore.js';

/** memorySessionStore()'s options. */
export interface MemorySessionStoreOptions {
  /**
   * How long a record written before any expire() lives, in seconds (a record the engine wrote for
   * a request that never signed in). Default 3600.
   */
  readonly unexpiredTtlSeconds?: number;
  /** How long an outbox entry waits before an attempt, and between attempts (ms): the time its own sign-out has to finish it. Default 30000. */
  readonly claimIdleMs?: number;
  /** Attempts at a session's sign-out before it is given up (dead-lettered). Default 5. */
  readonly maxDeliveries?: number;
  /** The clock, in ms. Default Date.now. */
  readonly now?: () => number;
}

interface SessionRecord {
  readonly items: Map<string, string>;
  expiresAt: number;
  /** Changed by every write (SessionStore.stamp): drawn from one counter, so never reused in this process. */
  stamp: string;
}

/** A lock that runs one holder at a time, in the order they asked: `waited` is true for all but a first holder that found it free. */
function createMemoryLock(): RefreshLock & { readonly busy: () => boolean } {
  let tail: Promise<void> = Promise.resolve();
  let holders = 0;
  return {
    busy: () => holders > 0,
    async run(signal, refresh) {
      const waited = holders > 0;
      holders++;
      const before = tail;
      let release!: () => void;
      tail = new Promise<void>((resolve) => (release = resolve));
      try {
        if (waited) {
          await new Promise<void>((resolve, reject) => {
            const abort = () => reject(signal.reason ?? new Error('aborted'));
            if (signal.aborted) return abort();
            signal.addEventListener('abort', abort, { once: true });
            void before.then(() => {
              signal.removeEventListener('abort', abort);
              resolve();
            });
          });
          // A waiter that gave up still holds its place: the next one waits for the holder before it.
        }
        return await refresh(waited);
      } finally {
        holders--;
        void before.then(release);
      }
    },
  };
}

/**
 * The in-process session store (the default): a Map of records with their expiry, a refresh lock
 * per session, and an outbox whose attempts run in this process. One process only: a second
 * process would neither see these sessions nor share their locks (use a Redis store there).
 */
export function memorySessionStore(options: MemorySessionStoreOptions = {}): SessionStore {
  const { unexpiredTtlSeconds = 3600, claimIdleMs = 30_000, maxDeliveries = 5, now = Date.now } = options;
  const records = new Map<string, SessionRecord>();
  const locks = new Map<string, RefreshLock & { readonly busy: () => boolean }>();

  /** The live record of `hash` (an expired one is dropped), or undefined. */
  const live = (hash: string): SessionRecord | undefined => {
    const record = records.get(hash);
    if (record && record.expiresAt <= now()) records.delete(hash);
    return records.get(hash);
  };
  const lockOf = (hash: string) => {
    let lock = locks.get(hash);
    if (!lock) locks.set(hash, (lock = createMemoryLock()));
    return lock;
  };
  let sweptAt = 0;
  const sweep = () => {
    const at = now();
    if (at - sweptAt < 1000) return;
    sweptAt = at;
    for (const [hash, record] of records) if (record.expiresAt <= at) records.delete(hash);
    for (const [hash, lock] of locks) if (!lock.busy()) locks.delete(hash);
  };

  let writes = 0;
  const stamped = (record: SessionRecord) => void (record.stamp = (++writes).toString(36));

  const outbox = createMemoryOutbox({ claimIdleMs, maxDeliveries, now });
  return {
    storageFor(hash): SessionStorage {
      return {
        getItem: (key) => live(hash)?.items.get(key) ?? null,
        setItem: (key, value) => {
          sweep();
          let record = live(hash);
          if (!record) records.set(hash, (record = { items: new Map(), expiresAt: now() + unexpiredTtlSeconds * 1000, stamp: '' }));
          record.items.set(key, value);
          stamped(record);
        },
        removeItem: (key) => {
          const record = live(hash);
          if (!record?.items.delete(key)) return;
          if (record.items.size === 0) records.delete(hash);
          else stamped(record);
        },
        refreshLock: {
          run: (signal, refresh) => lockOf(hash).run(signal, refresh),
        },
        stamp: async () => live(hash)?.stamp ?? null,
      };
    },
    async expire(hash, ttlSeconds) {
      const record = live(hash);
      if (record) record.expiresAt = now() + ttlSeconds * 1000;
    },
    async rename(from, to) {
      const record = live(from);
      records.delete(from);
      if (record) records.set(to, record);
      else records.delete(to);
    },
    async destroy(hash) {
      records.delete(hash);
    },
    stamp: async (hash) => live(hash)?.stamp ?? null,
    outbox,
    async close() {
      await outbox.stop();
    },
  };
}

interface OutboxEntry {
  deliveries: number;
  dueAt: number;
  claimed: boolean;
  /** Enqueued again while an attempt ran: that attempt's `finished` does not remove it. */
  again: boolean;
}

/** The in-process fleet outbox: entries by session hash, tried `claimIdleMs` after they were enqueued or last tried. */
function createMemoryOutbox(options: { claimIdleMs: number; maxDeliveries: number; now: () => number }): FleetOutbox {
  const { claimIdleMs, maxDeliveries, now } = options;
  const entries = new Map<string, OutboxEntry>();
  const dead = new Map<string, number>();
  const listeners = new Set<(event: { readonly sessionHash: string; readonly deliveries: number }) => void>();
  let finish: ((hash: string) => Promise<FinishReport>) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = new Set<Promise<void>>();

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!finish) return;
    let next = Infinity;
    for (const entry of entries.values()) if (!entry.claimed) next = Math.min(next, entry.dueAt);
    if (next === Infinity) return;
    timer = setTimeout(runDue, Math.max(0, next - now()));
    timer.unref?.();
  };

  async function attempt(hash: string, entry: OutboxEntry, run: (hash: string) => Promise<FinishReport>): Promise<void> {
    entry.claimed = true;
    entry.again = false;
    entry.deliveries++;
    const left = await run(hash).then(
      (report) => report.left,
      () => null,
    );
    entry.claimed = false;
    if (entries.get(hash) !== entry) return; // stopped meanwhile
    const verdict = outboxVerdict(left, entry.deliveries, maxDeliveries, entry.again);
    if (verdict === 'finished') entries.delete(hash);
    else if (verdict === 'retry') entry.dueAt = now() + claimIdleMs;
    else {
      entries.delete(hash);
      dead.set(hash, entry.deliveries);
      for (const listener of listeners) {
        try {
          listener({ sessionHash: hash, deliveries: entry.deliveries });
        } catch {
          // a listener's fault is its own
        }
      }
    }
  }

  function runDue(): void {
    timer = undefined;
    const run = finish;
    if (!run) return;
    const at = now();
    for (const [hash, entry] of entries) {
      if (entry.claimed || entry.dueAt > at) continue;
      const done = attempt(hash, entry, run).finally(() => {
        running.delete(done);
        schedule();
      });
      running.add(done);
    }
    schedule();
  }

  return {
    async enqueue(hash) {
      const entry = entries.get(hash);
      if (entry) {
        entry.again = entry.claimed;
        if (!entry.claimed) entry.dueAt = now() + claimIdleMs;
      } else {
        dead.delete(hash);
        entries.set(hash, { deliveries: 0, dueAt: now() + claimIdleMs, claimed: false, again: false });
      }
      schedule();
    },
    start(run) {
      finish = run;
      schedule();
    },
    async state(): Promise<FleetOutboxState> {
      let claimed = 0;
      for (const entry of entries.values()) if (entry.claimed) claimed++;
      return { pending: entries.size, claimed, dead: dead.size };
    },
    onDeadLetter(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async stop() {
      finish = undefined;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const held = [...running];
      running = new Set();
      await Promise.allSettled(held);
    },
  };
}
