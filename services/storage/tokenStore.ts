import { factsOfClaims } from '../encoding/tokenFacts.js';
import { storageKeys } from './keys.js';
import type { SessionSummary, SignInMethod } from '../../machines/types.js';
import type { StoreAfterClear } from '../../machines/signOutTypes.js';
import { CognitoCallError } from '../cognito/errors.js';
import { readJwtClaims } from '../encoding/jwt.js';
import type { StorageLike } from './storage.js';
import { ErrorNames } from '../../machines/errors/registry.js';
import { createStorageQueue, StorageFailure, StorageTimeoutError, type StorageStep } from './queue.js';
import { createSessionGuard } from './sessionGuard.js';

export { StorageFailure, StorageTimeoutError } from './queue.js';

/**
 * The name of the error a save refuses tokens with when they were issued for another user pool or
 * app client than the one configured (a wrong userPoolId, or a userPoolClientId of another pool).
 */
export const TOKEN_MISMATCH = ErrorNames.tokensFromAnotherPool;

/** The secrets of one session. They live here and nowhere in the statechart. */
export interface SessionTokens {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken?: string;
}

/** What the store holds: nothing, a usable session, or something that is not one (and why). */
export type StoredSession = null | { readonly tokens: SessionTokens; readonly summary: SessionSummary } | { readonly corrupt: string };

export interface TokenStore {
  /** The stored session's tokens, or null when there is none or it is not usable. */
  load(): Promise<SessionTokens | null>;
  /** The stored session with its summary, or why what is stored cannot be used. */
  read(): Promise<StoredSession>;
  /**
   * The generation of the stored session, read from storage: a number drawn when a sign-in writes
   * the session and kept by every refresh of it; 0 when no session is stored. Another instance
   * over the same storage (another tab, another process) sees the same value.
   */
  generation(): Promise<number>;
  /**
   * Writes the session, then reads it back (a StorageError when the storage did not keep it as
   * written). A sign-in's write that is not confirmed (the write or the read-back failed, timed
   * out, found nothing or something else) is taken back, one more storage call, before it rejects
   * with UnstoredError, whose `stored` says whether any of it may still be at rest. Without `expectedGeneration` (a sign-in) it starts a new generation, recorded as
   * `signedInWith` (default 'password'). With it (a refresh) the write happens only if the stored
   * session still has that generation, and keeps the way it was signed in with; checked
   * in the same turn as the write: a session cleared or replaced meanwhile, by this instance or
   * any other over the same storage, is never written back (StaleWriteError). Tokens of another
   * user pool or app client are refused before anything is written (CognitoCallError named
   * TOKEN_MISMATCH).
   *
   * Web Storage has no compare-and-set, so another instance's sign-out can land between the check
   * and the write. `stillWanted`, asked after the write, closes that gap: a sign-out records its
   * intent in the outbox before it clears, so a write made after that sees it, takes itself back,
   * and fails with StaleWriteError.
   */
  save(tokens: SessionTokens, options?: SaveOptions): Promise<void>;
  /**
   * Removes the session (one key), then reads it back. Resolves once a read shows it gone. Else
   * rejects with ClearError: state 'kept' when a read proved the session still stored, 'unknown'
   * when the storage did not confirm either way in time (a removeItem still pending may yet
   * land). Each storage call is bounded by the store's timeoutMs and the whole clear() by
   * 2 × timeoutMs from the moment its turn comes.
   */
  clear(): Promise<void>;
  /**
   * What the storage says after a clear() that did not confirm (a fact for the sign-out chart,
   * which decides): waits, within one timeoutMs, for a removeItem of the session still pending,
   * then reads once. 'gone': nothing is stored; 'stored': a session is; when the read does not
   * answer, 'removed' if the last removeItem resolved, else 'unknown'. Bounded by 2 × timeoutMs
   * from the moment its turn comes.
   */
  afterClear(): Promise<StoreAfterClear>;
}

export interface SaveOptions {
  /** A refresh: write only if the stored session still has this generation. */
  readonly expectedGeneration?: number;
  /** Asked after a refresh's write: false takes it back (a sign-out began). */
  readonly stillWanted?: () => Promise<boolean>;
  /** A sign-in: how the session was created. Default 'password'. */
  readonly signedInWith?: SignInMethod;
}

/**
 * A refresh's write refused, for any of its reasons: the session was cleared or replaced after the
 * refresh began (read before the write, or read back after it), another instance was clearing it,
 * or a sign-out began while it was written (taken back). One message: the chart's answer is the same.
 */
const REPLACED = 'The session was cleared, replaced or signed out during this write';

/** A write refused because the session was cleared or replaced after the writer started. */
export class StaleWriteError extends Error {
  override readonly name = ErrorNames.staleWrite;
}

/** getItem answered with something that is neither a string nor nothing. Says which type, never the value. */
export class StorageValueError extends StorageFailure {
  constructor(
    readonly type: string,
    what: string,
  ) {
    super(`Storage returned a ${type} instead of a string when asked to ${what}`);
  }
}

/** What a failed sign-in save() knows of its write: taken back (nothing of it is stored), or it cannot tell. */
export type UnstoredState = 'nothing' | 'unknown';

/**
 * A sign-in's save() that could not confirm its write. The store takes the write back first, so
 * `stored` says what is true after it: 'nothing' (no token of this session is at rest) or 'unknown'
 * (the take-back failed too: the session may still be stored). Named 'StorageError'.
 */
export class UnstoredError extends StorageFailure {
  constructor(
    readonly stored: UnstoredState,
    message: string,
  ) {
    super(message);
  }
}

/** What a failed clear() knows: the session is provably still stored, or it cannot tell. */
export type ClearState = 'kept' | 'unknown';

/** clear() did not see the session gone. Named 'StorageError' like every storage failure. */
export class ClearError extends StorageFailure {
  constructor(
    readonly state: ClearState,
    message: string,
  ) {
    super(message);
  }
}

export interface TokenStoreOptions {
  readonly clientId: string;
  readonly userPoolId?: string;
  /** A storage call that has not settled by then fails with StorageError. Default 5000. */
  readonly timeoutMs?: number;
}

interface SessionRecord {
  readonly tokens: SessionTokens;
  readonly generation: number;
  readonly signedInWith: SignInMethod;
}

/**
 * Keeps the whole session under one key, `authchart.<clientId>.session`, so that clearing is a
 * single removeItem: the store is either whole or empty, never half-deleted. Calls run one at a
 * time, in order, each bounded in time, so a hanging storage cannot wedge a sign-out.
 */
export function createTokenStore(storage: StorageLike, { clientId, userPoolId, timeoutMs = 5000 }: TokenStoreOptions): TokenStore {
  const keys = storageKeys(clientId);
  const key = keys.session;
  // KB4: a refresh's write-back and a clear, by two instances over this storage, never interleave.
  const guard = createSessionGuard(storage, { write: keys.sessionWrite, clear: keys.sessionClear });
  // A refusal passes through as it is, told by its name: the store's own (StaleWriteError), or a storage's compare-and-set that refused a refresh's write (StorageLike.setItem).
  const queue = createStorageQueue(timeoutMs, (error) => (error as Error | null)?.name === ErrorNames.staleWrite);

  /** getItem, refusing what is not a string (or nothing): a storage that hands back objects loses sessions. */
  async function getString(turn: StorageStep, what: string): Promise<string | null> {
    const value: unknown = await turn.call(what, () => storage.getItem(key));
    if (value == null) return null;
    if (typeof value !== 'string') throw new StorageValueError(typeof value, what);
    return value;
  }

  /** The storage did not keep the write; with `stored`, the write was taken back (UnstoredError). */
  function notKept(why: string, stored?: UnstoredState): StorageFailure {
    const message = `Storage did not keep the session as written (${why})`;
    if (!stored) return new StorageFailure(message);
    return new UnstoredError(stored, stored === 'nothing' ? `${message}; the write was taken back: nothing is stored` : `${message}, and taking it back failed: the session may still be stored`);
  }

  const readRaw = () => queue.step(timeoutMs, (turn) => getString(turn, 'read the session'));

  /** clear()'s last removeItem: settles when it lands (a storage call may land after its bound), resolving whether it worked. */
  let lastRemoval = Promise.resolve(false);
  const removeTracked = (): Promise<void> => {
    const removal = Promise.resolve().then(() => storage.removeItem(key));
    lastRemoval = removal.then(() => true, () => false);
    return removal;
  };

  async function read(): Promise<StoredSession> {
    const raw = await readRaw();
    if (raw == null) return null;
    const record = parseRecord(raw);
    if (!record) return { corrupt: 'what is stored is not a session' };
    const { tokens } = record;
    const claims = readJwtClaims(tokens.accessToken); // once per read: it is on every sign-out's path
    const summary = claims && summarizeClaims(claims, tokens, record.signedInWith);
    if (!summary) return { corrupt: 'the stored access token is not a Cognito JWT' };
    const mismatch = mismatchOf(claims, tokens.idToken, clientId, userPoolId);
    if (mismatch) return { corrupt: mismatch }; // it names the token, the claim and the configured id
    return { tokens, summary };
  }

  /**
   * Reads the write back. A sign-in's write that the read does not confirm (the read failed, timed
   * out, found nothing, or found something else than a session) is taken back: a read can be
   * stale or fail while the write landed, and a session the sign-in never reported must not stay
   * at rest. So is any write the storage mangled. The error then says what is stored (UnstoredError).
   */
  async function verifyWrite(turn: StorageStep, written: SessionRecord, expected: number | undefined): Promise<void> {
    const signIn = expected === undefined;
    const takenBack = async (why: string) => notKept(why, await remove(turn));
    let back: string | null;
    try {
      back = await getString(turn, 'read back the session');
    } catch (error) {
      const mangled = error instanceof StorageValueError;
      if (signIn || mangled) throw await takenBack(mangled ? `it returned a ${error.type} instead of a string` : 'reading it back failed');
      throw error;
    }
    if (back == null) throw signIn ? await takenBack('reading it back found nothing') : notKept('nothing is stored');
    const record = parseRecord(back);
    if (!record) throw await takenBack('what it returned is not that session');
    if (sameRecord(record, written)) return;
    if (expected !== undefined && record.generation !== expected) throw new StaleWriteError(REPLACED);
    throw notKept('another write replaced it');
  }

  /** Removes `record` if it is what is stored, and nothing else; says what is stored after that. Within the turn. */
  async function takeBack(turn: StorageStep, record: SessionRecord): Promise<UnstoredState> {
    let back: string | null;
    try {
      back = await getString(turn, 'read back the session');
    } catch {
      return 'unknown'; // a read that fails proves nothing
    }
    const current = back == null ? null : parseRecord(back);
    return current && sameRecord(current, record) ? remove(turn) : 'nothing';
  }

  /** Removes the session key within the turn: 'nothing' is stored once it worked. */
  const remove = (turn: StorageStep): Promise<UnstoredState> => turn.call('take back the session', () => storage.removeItem(key)).then(() => 'nothing' as const, () => 'unknown' as const);

  return {
    read,
    async load() {
      const stored = await read();
      return stored && 'tokens' in stored ? stored.tokens : null;
    },
    async generation() {
      const raw = await readRaw();
      return (raw != null && parseRecord(raw)?.generation) || 0;
    },
    async save(tokens, { expectedGeneration: expected, stillWanted, signedInWith = 'password' } = {}) {
      const mismatch = tokenMismatch(tokens, { clientId, userPoolId });
      if (mismatch) throw new CognitoCallError(TOKEN_MISMATCH, `Cognito returned tokens that are not for this app: ${mismatch}. Check userPoolId and userPoolClientId.`);
      // A refresh reads, writes and reads back; a sign-in writes, reads back, and may take its write back.
      await queue.step((expected === undefined ? 3 : 2) * timeoutMs, async (turn) => {
        let record: SessionRecord = { tokens, generation: newGeneration(), signedInWith };
        if (expected === undefined) return write(turn, record, expected, stillWanted);
        if (!(await guard.enterWrite(turn, 2 * timeoutMs))) throw new StaleWriteError(REPLACED);
        try {
          const raw = await getString(turn, 'read the session before writing it');
          const current = raw == null ? null : parseRecord(raw);
          if (!current || current.generation !== expected) throw new StaleWriteError(REPLACED);
          record = { tokens, generation: expected, signedInWith: current.signedInWith };
          await write(turn, record, expected, stillWanted);
        } finally {
          await guard.leave(turn, 'write');
        }
      });
    },
    clear() {
      return queue.step(2 * timeoutMs, async (turn) => {
        // A write-back of another instance under way lands first; this clear then removes it (one storage bound kept for the clear).
        await guard.enterClear(turn, 2 * timeoutMs, timeoutMs);
        await clearNow(turn);
      });
    },
    afterClear() {
      return queue.step(2 * timeoutMs, async (turn) => {
        // A removal still pending may land: wait for it, within one storage bound.
        const removed = await turn.call('remove the session', () => lastRemoval).catch(() => false);
        try {
          return (await turn.call('read back the session', () => storage.getItem(key))) == null ? 'gone' : 'stored';
        } catch {
          return removed ? 'removed' : 'unknown';
        }
      });
    },
  };

  /** Writes the record, reads it back, and asks `stillWanted` (a refresh): within the turn. */
  async function write(turn: StorageStep, record: SessionRecord, expected: number | undefined, stillWanted: SaveOptions['stillWanted']): Promise<void> {
    try {
      await turn.call('write the session', () => storage.setItem(key, serializeRecord(record)));
    } catch (error) {
      // Web Storage refuses a write whole (a full quota, a blocked page), but a storage of the
      // app's may have written before it threw, or a timed-out write may have landed: a sign-in
      // that failed takes back its own record, so no session it never reported stays at rest.
      // A write that timed out may still land.
      if (expected === undefined) throw new UnstoredError(error instanceof StorageTimeoutError ? 'unknown' : await takeBack(turn, record), error instanceof Error ? error.message : 'Could not write the session');
      throw error;
    }
    await verifyWrite(turn, record, expected);
    if (!stillWanted || (await stillWanted())) return;
    // A sign-out began meanwhile: take this write back, unless something else replaced it already.
    await takeBack(turn, record);
    throw new StaleWriteError(REPLACED);
  }

  /** Removes the session and reads it back (clear()'s body, within its turn). */
  async function clearNow(turn: StorageStep): Promise<void> {
    let removal: 'done' | 'pending' | StorageFailure;
    try {
      await turn.call('remove the session', removeTracked);
      removal = 'done';
      // Removed: a write-back that starts now finds no session (its generation check). Until then the flag stays (it expires).
      await guard.leave(turn, 'clear');
    } catch (error) {
      removal = error instanceof StorageTimeoutError ? 'pending' : error instanceof StorageFailure ? error : new StorageFailure('Could not remove the session');
    }
    // Up to two reads: one that times out after a removal is retried once, within the budget.
    for (let reads = 0; reads < 2 && turn.remaining() > 0; reads += 1) {
      let left: unknown;
      try {
        left = await turn.call('read back the session', () => storage.getItem(key));
      } catch {
        continue;
      }
      if (left == null) return;
      if (removal === 'pending') break; // a removeItem still running may yet land: not proof of anything
      if (removal === 'done' && reads === 0) {
        // Another instance's late write may have landed after our removal: remove once more.
        await turn.call('remove the session again', removeTracked).catch(() => undefined);
        continue;
      }
      throw new ClearError('kept', removal === 'done' ? 'Storage still holds the session after removeItem' : `${removal.message}; the session is still stored`);
    }
    throw new ClearError('unknown', `The storage did not confirm the removal within ${2 * timeoutMs} ms; the session may or may not still be stored`);
  }
}

/** A number for a new sign-in's session: never 0 (no session), and unlike any earlier one. */
function newGeneration(): number {
  return 1 + Math.floor(Math.random() * 2 ** 52);
}

function serializeRecord({ tokens, generation, signedInWith }: SessionRecord): string {
  return JSON.stringify({ version: 1, generation, signedInWith, ...tokens });
}

function parseRecord(raw: string): SessionRecord | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { accessToken, idToken, refreshToken, generation, signedInWith } = value as Record<string, unknown>;
    if (typeof accessToken !== 'string' || typeof idToken !== 'string') return null;
    if (refreshToken !== undefined && typeof refreshToken !== 'string') return null;
    const tokens = { accessToken, idToken, ...(refreshToken !== undefined && { refreshToken }) };
    // A session written before generations existed counts as generation 0; before signedInWith, every sign-in was a password one.
    return {
      tokens,
      generation: typeof generation === 'number' && Number.isSafeInteger(generation) && generation > 0 ? generation : 0,
      signedInWith: signedInWith === 'hostedUi' ? 'hostedUi' : 'password',
    };
  } catch {
    return null;
  }
}

function sameRecord(a: SessionRecord, b: SessionRecord): boolean {
  return a.generation === b.generation && a.signedInWith === b.signedInWith && a.tokens.accessToken === b.tokens.accessToken && a.tokens.idToken === b.tokens.idToken && a.tokens.refreshToken === b.tokens.refreshToken;
}

/**
 * Why these tokens are not for the configured app, or null when nothing says so: the access
 * token's client_id or the ID token's aud is another app client, or an iss is not
 * `…/<userPoolId>`. Names the configured ids and the claim, never a claim's value.
 */
function tokenMismatch(tokens: SessionTokens, { clientId, userPoolId }: { clientId: string; userPoolId?: string | undefined }): string | null {
  return mismatchOf(readJwtClaims(tokens.accessToken), tokens.idToken, clientId, userPoolId);
}

function mismatchOf(accessClaims: Record<string, unknown> | undefined, idToken: string, clientId: string, userPoolId: string | undefined): string | null {
  const checks = [
    ['access token', accessClaims, 'client_id'],
    ['ID token', readJwtClaims(idToken), 'aud'],
  ] as const;
  for (const [token, claims, clientClaim] of checks) {
    if (!claims) continue;
    const client = claims[clientClaim];
    const clients = typeof client === 'string' ? [client] : Array.isArray(client) ? client.filter((item): item is string => typeof item === 'string') : [];
    if (clients.length > 0 && !clients.includes(clientId)) return `the ${token}'s ${clientClaim} claim is not the configured userPoolClientId ${clientId}`;
    if (userPoolId && typeof claims.iss === 'string' && !claims.iss.endsWith(`/${userPoolId}`)) return `the ${token}'s iss claim does not end with the configured userPoolId ${userPoolId}`;
  }
  return null;
}

/** The non-secret facts about a session that the statechart may hold. Null for non-JWT tokens. */
export function summarizeSession(tokens: SessionTokens, signedInWith: SignInMethod): SessionSummary | null {
  const claims = readJwtClaims(tokens.accessToken);
  return claims ? summarizeClaims(claims, tokens, signedInWith) : null;
}

function summarizeClaims(claims: Record<string, unknown>, tokens: SessionTokens, signedInWith: SignInMethod): SessionSummary | null {
  if (typeof claims.exp !== 'number') return null;
  const username = typeof claims.username === 'string' ? claims.username : readJwtClaims(tokens.idToken)?.['cognito:username'];
  if (typeof username !== 'string') return null;
  return { username, revocable: factsOfClaims(claims).revocable, expiresAt: claims.exp * 1000, signedInWith, ...(typeof claims.jti === 'string' && { tokenId: claims.jti }) };
}
