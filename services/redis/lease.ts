// A session's refresh lease in Redis: the RefreshLock the chart's refresh turn takes
// (signedIn.refreshing), shared by every process of a fleet. It is a lease, not a lock: a holder
// that pauses (GC, a stalled VM, a partition) past it may still believe it holds it, so the lease
// alone never keeps its writes out. The session store's fenced write does (sessionStore.ts): a
// refresh's write carries the lease's token and lands only while Redis still holds that token.
// Not Redlock: one Redis decides, and safety comes from the fence, not from timing.
import { randomBytes } from 'node:crypto';
import type { RefreshLock } from '../tabs/refreshLock.js';
import { defineScript, runScript, type RedisConnectionLike } from './connection.js';

// KEYS[1] the lease; ARGV: token, ms. Taken: 'taken'; held by another: the ms it has left.
const TAKE = defineScript(
  1,
  `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'taken' end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(ARGV[2])
end
return left`,
);

// KEYS[1] the lease; ARGV: token, ms. Renewed only while it is still this token's: 1, else 0.
const RENEW = defineScript(1, `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`);

// KEYS[1] the lease; ARGV: token, channel, session hash. Deleted only while it is still this token's, and the waiters told.
const RELEASE = defineScript(
  1,
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`,
);

/** How long a waiter sleeps at most between two tries when no release notice wakes it. */
const POLL_MS = 100;

/**
 * Where a store's waiting leases hear that a lease was released: one subscriber connection per
 * store (opened at the first wait), one channel for the store, the session hash as the message.
 */
export interface LeaseNotices {
  /** Resolves at the next release of `sessionHash`'s lease (or never, without pub/sub); `cancel` forgets the waiter. */
  next(sessionHash: string): { readonly released: Promise<void>; cancel(): void };
  /** Opens the subscription, once: called at the first wait, so a process that never waits never subscribes. */
  listen(): void;
}

/** Release notices on a connection `open` makes at the first wait; a client without `subscribe` sends none, and waiters poll. */
export function leaseNotices(open: () => RedisConnectionLike, channel: string): LeaseNotices {
  const waiters = new Map<string, Set<() => void>>();
  let subscriber: RedisConnectionLike | undefined;
  const start = () => {
    if (subscriber !== undefined) return;
    subscriber = open();
    const listening = subscriber.subscribe;
    if (!listening) return;
    const connection = subscriber;
    connection
      .connect()
      .then(() =>
        listening.call(connection, channel, (hash) => {
          const woken = waiters.get(hash);
          waiters.delete(hash);
          for (const wake of woken ?? []) wake();
        }),
      )
      .catch(() => {}); // no notices then: the waiters poll
  };
  return {
    listen: start,
    next(sessionHash) {
      let wake = () => {};
      const released = new Promise<void>((resolve) => (wake = resolve));
      const set = waiters.get(sessionHash) ?? new Set();
      waiters.set(sessionHash, set.add(wake));
      return {
        released,
        cancel: () => {
          set.delete(wake);
          if (set.size === 0 && waiters.get(sessionHash) === set) waiters.delete(sessionHash);
        },
      };
    },
  };
}

/** What one lease needs: the commands connection, its key, and who is told of its turns. */
export interface LeaseOptions {
  readonly commands: () => Promise<RedisConnectionLike>;
  readonly notices: LeaseNotices;
  readonly channel: string;
  readonly leaseKey: string;
  readonly sessionHash: string;
  readonly leaseMs: number;
  /** Called with the token of each turn taken, before `refresh` runs (the session storage fences its writes with it); what it returns is called when the turn ends. */
  readonly onTurn: (token: string) => () => void;
}

/** Sleeps `ms`, or less: until `early` settles or `signal` aborts (then it rejects with the abort's reason). */
function pause(ms: number, early: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
    };
    const aborted = () => {
      done();
      reject(signal.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => (done(), resolve()), ms);
    void early.then(() => (done(), resolve()));
    signal.addEventListener('abort', aborted, { once: true });
  });
}

/**
 * The session's refresh lease as a RefreshLock: SET NX PX with a random token; a waiter sleeps
 * until a release notice or the lease's own expiry (whichever first, polling at most every 100 ms)
 * and then gets `waited: true`. While held it is renewed every third of `leaseMs`, so only a dead
 * or paused holder loses it; a dead holder delays the others by at most `leaseMs`. Released by a
 * compare-and-delete, so a holder whose lease ran out never frees another's.
 */
export function redisLease(options: LeaseOptions): RefreshLock {
  const { leaseKey, leaseMs, sessionHash, channel } = options;
  const ms = String(leaseMs);
  return {
    async run(signal, refresh) {
      const commands = await options.commands();
      const token = randomBytes(16).toString('hex');
      for (let waited = false; ; waited = true) {
        if (signal.aborted) throw signal.reason ?? new Error('aborted');
        // Listen before trying, so a release between the try and the wait is not missed.
        const notice = options.notices.next(sessionHash);
        let answer: unknown;
        try {
          answer = await runScript(commands, TAKE, [leaseKey, token, ms]);
        } catch (error) {
          notice.cancel();
          throw error;
        }
        if (answer === 'taken') {
          notice.cancel();
          return holding(commands, token, signal, () => refresh(waited));
        }
        options.notices.listen();
        try {
          await pause(Math.min(POLL_MS, Math.max(1, Number(answer) + 1)), notice.released, signal);
        } finally {
          notice.cancel();
        }
      }
    },
  };

  async function holding<T>(commands: RedisConnectionLike, token: string, signal: AbortSignal, refresh: () => Promise<T>): Promise<T> {
    let renewing = true;
    const renewal = setInterval(() => {
      if (!renewing) return;
      runScript(commands, RENEW, [leaseKey, token, ms]).then(
        (renewed) => void (renewed === 1 || (renewing = false)),
        () => {}, // tried again at the next tick; the lease may run out meanwhile, and the fence keeps a late write out
      );
    }, Math.max(1, Math.floor(leaseMs / 3)));
    let ended = () => {};
    try {
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      ended = options.onTurn(token);
      return await refresh();
    } finally {
      ended();
      renewing = false;
      clearInterval(renewal);
      // Not released in time, it runs out on its own after leaseMs.
      await runScript(commands, RELEASE, [leaseKey, token, channel, sessionHash]).catch(() => undefined);
    }
  }
}
