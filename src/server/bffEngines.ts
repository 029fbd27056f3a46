// The engines the backend-for-frontend keeps: one per signed-in session in this process, alive
// between that session's requests, as a browser keeps one per tab. Starting an engine per request
// (load the record, run, stop) cost 7 Redis commands and most of a request's CPU; a kept engine
// answers GET /session with one read of the record's stamp and its own read of the session.
//
// Why a kept engine stays right while other processes write the same record: it reads the tokens
// from the record at every call (a refresh elsewhere is seen at once, a removal is "nobody
// signed in"), and the store's stamp, read before each request, changes with any write of the
// record, so a record another process changed in any other way (a sign-out's outbox intent, a
// challenge) gets a new engine that loads it, as a request did before. What a stamp means is
// decided by engineVerdict and keepsEngine (machines/server/bffPolicy.ts). docs/server.md,
// "One engine per session".
import type { Auth } from '../authCore.js';
import { StorageError } from '../errors.js';
import { ErrorNames } from '../../machines/types.js';
import { engineVerdict, keepsEngine } from '../../machines/server/bffPolicy.js';

/** The engines whose load of their session's record failed (the store did not answer): the chart then rests in signedOut. */
const failedLoads = new WeakSet<Auth>();

/**
 * Watches a new engine's load of its record: a storageError its chart announces before it first
 * leaves loadingSession means the record could not be read, not that nobody is signed in. A call
 * answered by such an engine is refused with StorageError (503) by unreadOrAnswer(), never answered
 * as "nobody signed in" (401, which clears the browser's session cookie): the record may hold a live session.
 */
export function watchLoad(auth: Auth): Auth {
  let loading = true;
  const off = auth.on('storageError', () => {
    if (loading) failedLoads.add(auth);
  });
  const watching = auth.actor.subscribe((snapshot) => {
    if (snapshot.matches('loadingSession')) return;
    loading = false;
    off();
    queueMicrotask(() => watching.unsubscribe());
  });
  return auth;
}

/** The call's answer, unless the engine could not read its record: then the store's failure. */
function unreadOrAnswer<T>(auth: Auth, value: T): T {
  if (failedLoads.has(auth)) throw new StorageError(ErrorNames.storage, "The session's record could not be read: the session store did not answer");
  return value;
}

/** What keptEngines() needs: how to make an engine, and how to read a record's stamp. */
export interface KeptEnginesOptions {
  /** A new engine over the record named `hash`, and its storage's stamp() (SessionStorage.stamp) if it has one. */
  readonly create: (hash: string) => { readonly auth: Auth; readonly stamp?: () => Promise<string | null> };
  /** The record's stamp: changed by every write of it; null when nothing is stored. Without it (a store that has none), an engine per request. */
  readonly stampOf?: (hash: string) => Promise<string | null>;
  /** At most this many engines kept; the least recently used beyond it is stopped. 0: an engine per request. */
  readonly max: number;
  /** An engine unused this long (ms) is stopped. */
  readonly idleMs: number;
  /** The clock, in ms. Default Date.now. */
  readonly now?: () => number;
}

/** This process's engines, one per session kept between requests. */
export interface KeptEngines {
  /** Runs one call on the session's engine: the kept one while its record is unchanged, else a new one (kept while it holds a session). */
  run<T>(hash: string, call: (auth: Auth) => Promise<T>): Promise<T>;
  /** How many engines are kept now. */
  readonly size: number;
  /** Stops every engine, and waits for them. */
  close(): Promise<void>;
}

interface Kept {
  readonly auth: Auth;
  /** The record's stamp read before this engine loaded it. */
  readonly stamp: string;
  /** Reads the stamp through the engine's own storage, which may then serve what it read under it. */
  readonly readStamp: (() => Promise<string | null>) | undefined;
  calls: number;
  usedAt: number;
  retired: boolean;
  stopped: boolean;
}

/** Runs one call on a new engine over `hash`, then stops it, whatever the call did. */
export async function oneOff<T>(auth: Auth, call: (auth: Auth) => Promise<T>): Promise<T> {
  try {
    return unreadOrAnswer(auth, await call(auth));
  } finally {
    await auth.stop();
  }
}

export function keptEngines(options: KeptEnginesOptions): KeptEngines {
  const { create, stampOf, max, idleMs, now = Date.now } = options;
  // Least recently used first: a Map keeps insertion order, and a used entry is inserted again.
  const kept = new Map<string, Kept>();
  const stopping = new Set<Promise<void>>();

  /** A retired engine stops once its last call has ended. */
  const settle = (entry: Kept) => {
    if (!entry.retired || entry.calls > 0 || entry.stopped) return;
    entry.stopped = true;
    const stopped = entry.auth.stop().catch(() => undefined);
    stopping.add(stopped);
    void stopped.then(() => stopping.delete(stopped));
  };
  /** No request takes it from now on. */
  const retire = (hash: string, entry: Kept) => {
    if (kept.get(hash) === entry) kept.delete(hash);
    entry.retired = true;
    settle(entry);
  };

  const sweep = () => {
    const before = now() - idleMs;
    for (const [hash, entry] of kept) {
      if (entry.usedAt > before) break; // the rest were used later
      if (entry.calls === 0) retire(hash, entry);
    }
  };
  const sweeper = max > 0 ? setInterval(sweep, Math.max(1000, Math.min(idleMs, 30_000))) : undefined;
  sweeper?.unref?.();

  /** The call on the engine `stamp` asks for: the kept one, a new one kept from now on, or one for this call alone. */
  const runWith = <T>(hash: string, stamp: string | null | undefined, call: (auth: Auth) => Promise<T>): Promise<T> => {
    let entry = kept.get(hash);
    const verdict = engineVerdict(entry?.stamp, stamp);
    if (entry && verdict !== 'reuse') retire(hash, entry);
    if (verdict === 'oneOff' || stamp == null) return oneOff(create(hash).auth, call);
    if (verdict === 'replace' || !entry) {
      const made = create(hash);
      entry = { auth: made.auth, stamp, readStamp: made.stamp, calls: 0, usedAt: 0, retired: false, stopped: false };
      for (const [oldest, other] of kept) {
        if (kept.size < max) break;
        retire(oldest, other);
      }
    } else {
      kept.delete(hash);
    }
    kept.set(hash, entry);
    const used = entry;
    used.calls++;
    used.usedAt = now();
    const ended = () => {
      used.calls--;
      if (!keepsEngine(used.auth.actor.getSnapshot())) retire(hash, used);
      settle(used);
    };
    let answered: Promise<T>;
    try {
      answered = call(used.auth);
    } catch (error) {
      ended();
      return Promise.reject(error);
    }
    // then(), not an async function's finally: a GET /session's answer waits on no more turns than it needs.
    return answered.then(
      (value) => {
        ended();
        return unreadOrAnswer(used.auth, value);
      },
      (error: unknown) => {
        ended();
        throw error;
      },
    );
  };

  return {
    run(hash, call) {
      if (!stampOf || max === 0) return runWith(hash, undefined, call);
      const entry = kept.get(hash);
      let stamp: Promise<string | null>;
      try {
        stamp = entry?.readStamp ? entry.readStamp() : stampOf(hash);
      } catch (error) {
        stamp = Promise.reject(error);
      }
      // Unreadable: a new engine meets the storage itself and says so.
      return stamp.then(
        (read) => runWith(hash, read, call),
        () => runWith(hash, undefined, call),
      );
    },
    get size() {
      return kept.size;
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      for (const [hash, entry] of kept) retire(hash, entry);
      await Promise.all(stopping);
    },
  };
}
