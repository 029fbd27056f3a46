// What the backend-for-frontend (createServerAuth, authchart/server) keeps its sessions in, and the
// sign-out outbox its processes drain. Two implementations of each: in this process (the default,
// for one process) and Redis (a fleet). Stores hold facts; what they mean is decided in machines/.
//
// A session is named by the SHA-256 (hex) of its id. The id itself is the cookie's value and never
// reaches a store, a key, a log or an error, so a dump of the store yields no usable cookie.
import type { StorageLike } from '../storage/storage.js';
import type { RefreshLock } from '../tabs/refreshLock.js';

/**
 * One session's record, Web-Storage-shaped: the library's own instance (createAuth's engine) reads
 * and writes it with the very keys and values it writes in a browser (the session record with its
 * generation, the sign-out outbox, the write and clear flags, a pending sign-in). So the engine's
 * stale-write guard and outbox work across processes unchanged.
 */
export interface SessionStorage extends StorageLike {
  /**
   * This session's refresh lock, shared by every process of the store: the chart takes it before a
   * refresh (signedIn.refreshing), so N requests over P processes make one refresh. A write of the
   * session record by a refresh is fenced: it lands only while its writer still holds the lock, and
   * only over a record of the same generation (a compare-and-set, never a blind write).
   */
  readonly refreshLock: RefreshLock;
  /**
   * Reads the record's stamp (SessionStore.stamp). A storage may then answer this engine's reads,
   * within the same turn of the event loop, with what it read before under that very stamp:
   * nothing was written since. The BFF calls it before each request of an engine it keeps.
   */
  stamp?(): Promise<string | null>;
}

/** Where the BFF keeps its sessions (memorySessionStore(), redisSessionStore()). */
export interface SessionStore {
  /** The record of the session whose id hashes to `sessionHash`; nothing is read or written until it is used. */
  storageFor(sessionHash: string): SessionStorage;
  /** Keeps the session's record for `ttlSeconds` from now (the refresh token's lifetime), and no longer. */
  expire(sessionHash: string, ttlSeconds: number): Promise<void>;
  /** Moves a record to a new name, in one step (a sign-in gives the session a new id: no fixation). */
  rename(fromHash: string, toHash: string): Promise<void>;
  /** Removes every key of the session. */
  destroy(sessionHash: string): Promise<void>;
  /**
   * The record's stamp: a value the store changes with every write of the record (any key, by any
   * process), never reused; null when nothing is stored. The BFF keeps one engine per session
   * between requests and starts a new one when the stamp has changed. A store without it gets an
   * engine per request.
   */
  stamp?(sessionHash: string): Promise<string | null>;
  /** The outbox this store's processes drain. */
  readonly outbox: FleetOutbox;
  /** Stops what the store runs (the outbox's reads); an app's own Redis client is left as it is. */
  close(): Promise<void>;
}

/** What `FleetOutbox.state()` reports; `docs/server.md` says how to watch it. */
export interface FleetOutboxState {
  /** Sessions whose sign-out is not yet known to be finished (claimed ones included). */
  readonly pending: number;
  /** Of those, the ones a process holds now. */
  readonly claimed: number;
  /** Sessions given up after maxDeliveries attempts (the dead letters). */
  readonly dead: number;
}

/** What one attempt at a session's sign-out found: how many intents are left in its record. */
export interface FinishReport {
  /** Intents still in the record after the attempt (0: the session's sign-out is finished), those another attempt holds included. */
  readonly left: number;
}

/**
 * The fleet's sign-out outbox. It carries session hashes only, never a token: the intents
 * themselves stay in the session's record, where the library's outbox chart writes them before
 * any request (write-ahead), and the same chart finishes them (`finish` runs flushRevocations()
 * over the record). Delivery is at least once, so finishing is idempotent: Cognito's RevokeToken
 * and GlobalSignOut may be sent twice and the result is still right.
 */
export interface FleetOutbox {
  /** Before a sign-out starts: the fleet will check this session's record until no intent is left (or it is dead-lettered). */
  enqueue(sessionHash: string): Promise<void>;
  /** Starts this process's share of the work; `finish` is called for each session it takes. */
  start(finish: (sessionHash: string) => Promise<FinishReport>): void;
  /** How much is pending, claimed and dead, across the fleet. */
  state(): Promise<FleetOutboxState>;
  /** Listens for a session given up (dead-lettered): its hash and how many attempts it had. */
  onDeadLetter(listener: (event: { readonly sessionHash: string; readonly deliveries: number }) => void): () => void;
  /** Stops taking work; what this process holds is left for another process to claim. */
  stop(): Promise<void>;
}
