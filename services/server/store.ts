// What a revocation list keeps, and where: the store interface, the identifiers' hashing, and the
// in-process store (the default). Stores hold facts only; what an entry means for a token is
// decided in machines/revocation/policy.ts.
import * as cryptoModule from 'node:crypto';
import { createHash } from 'node:crypto';
import { nextUserInstant } from '../../machines/revocation/policy.js';

/**
 * Where a revocation list keeps its entries. Every identifier it is given is already a SHA-256 hash
 * (never an origin_jti or a sub as such). Reads are synchronous, from a mirror in this process, so
 * a check costs no round trip; writes reach every process sharing the store.
 */
export interface RevocationStore {
  /** Whether the session (hashed origin_jti) has an entry alive at `nowMs`. */
  sessionRevoked(session: string, nowMs: number): boolean;
  /** The instant (seconds) before which the user (hashed sub) signed out everywhere, if an entry alive at `nowMs` says so. */
  userSignedOutAt(user: string, nowMs: number): number | undefined;
  /** Until when (ms) Cognito's last "still valid" answer about a session holds, if one is known here. */
  cognitoValidUntil(session: string, nowMs: number): number | undefined;
  /** Records a session's entry for `ttlSeconds`. Resolves true when it was new, false when one was already there (nothing changes). */
  revokeSession(session: string, ttlSeconds: number): Promise<boolean>;
  /** Records that the user signed out everywhere at `instant` (seconds), for `ttlSeconds`. Resolves true when the user's instant moved forward; it never moves back. */
  revokeUser(user: string, instant: number, ttlSeconds: number): Promise<boolean>;
  /** Records Cognito's answer that a session is still valid, for `validForMs`, for every process sharing the store. */
  recordCognitoValid(session: string, validForMs: number): Promise<void>;
  /** Reads Cognito's shared answer about a session from the store itself (the mirror may not have it yet). */
  fetchCognitoValidUntil(session: string, nowMs: number): Promise<number | undefined>;
  /** Whether the mirror is current (the store is reachable and caught up). */
  readonly available: boolean;
  /** Resolves once the mirror has loaded what the store holds. */
  ready(): Promise<void>;
  /** Stops reading; the app's own connection (if any) is left as it is. */
  close(): Promise<void>;
}

/** The SHA-256 of an identifier, hex: the only form in which an identifier reaches a store. */
export const hashIdentifier = (kind: 'session' | 'user', identifier: string): string => sha256Hex(`${kind}:${identifier}`);

/** crypto.hash (Node 20.12+, one call, about half createHash's cost on a short string), else createHash. */
const oneShot = (cryptoModule as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex = oneShot ? (data: string): string => oneShot('sha256', data, 'hex') : (data: string): string => createHash('sha256').update(data).digest('hex');

/** Live entries by key, each with its expiry (ms); an expired one is dropped when read or swept. */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private sweptAt = 0;

  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number, nowMs: number): void {
    this.entries.set(key, { value, expiresAt });
    // Sweep at most once a second, so the map holds only live entries plus one second's worth.
    if (nowMs - this.sweptAt >= 1000) this.sweep(nowMs);
  }

  sweep(nowMs: number): void {
    this.sweptAt = nowMs;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= nowMs) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** memoryRevocationStore()'s options. */
export interface MemoryRevocationStoreOptions {
  /** The clock, in ms. Default Date.now. */
  readonly now?: () => number;
}

/**
 * The in-process store, the default: entries live in this process only, so it fits a single API
 * process (or tests). A fleet shares a Redis store (redisRevocationStore).
 */
export function memoryRevocationStore(options: MemoryRevocationStoreOptions = {}): RevocationStore {
  const now = options.now ?? Date.now;
  const sessions = new ExpiringMap<true>();
  const users = new ExpiringMap<number>();
  const valid = new ExpiringMap<number>();
  return {
    available: true,
    sessionRevoked: (session, nowMs) => sessions.get(session, nowMs) === true,
    userSignedOutAt: (user, nowMs) => users.get(user, nowMs),
    cognitoValidUntil: (session, nowMs) => valid.get(session, nowMs),
    async revokeSession(session, ttlSeconds) {
      const at = now();
      if (sessions.get(session, at)) return false;
      sessions.set(session, true, at + ttlSeconds * 1000, at);
      return true;
    },
    async revokeUser(user, instant, ttlSeconds) {
      const at = now();
      const current = users.get(user, at);
      if (nextUserInstant(current, instant) === current) return false;
      users.set(user, instant, at + ttlSeconds * 1000, at);
      return true;
    },
    async recordCognitoValid(session, validForMs) {
      const at = now();
      valid.set(session, at + validForMs, at + validForMs, at);
    },
    async fetchCognitoValidUntil(session, nowMs) {
      return valid.get(session, nowMs);
    },
    ready: async () => {},
    close: async () => {},
  };
}
