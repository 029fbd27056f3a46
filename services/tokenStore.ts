import type { SessionSummary } from '../machines/types.js';
import { readJwtClaims } from './jwt.js';
import type { StorageLike } from './storage.js';
import { createStorageQueue, StorageError } from './storageQueue.js';

export { StorageError } from './storageQueue.js';

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
   * Writes the session, unless the store was cleared since `epoch` was taken: a refresh that
   * answers after a sign-out began can then never write tokens back (throws StaleWriteError).
   */
  save(tokens: SessionTokens, epoch?: number): Promise<void>;
  /** Removes the session. One key, so a failure leaves the session whole; throws StorageError. */
  clear(): Promise<void>;
  /** Changes at every clear(); take it before a write that must not outlive a sign-out. */
  epoch(): number;
}

/** A write refused because the session was cleared after the writer started. */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
}

export interface TokenStoreOptions {
  readonly clientId: string;
  readonly userPoolId?: string;
  /** A storage call that has not settled by then fails with StorageError. Default 5000. */
  readonly timeoutMs?: number;
}

/**
 * Keeps the whole session under one key, `authchart.<clientId>.session`, so that clearing is a
 * single removeItem: the store is either whole or empty, never half-deleted. Calls run one at a
 * time, in order, each bounded in time, so a hanging storage cannot wedge a sign-out.
 */
export function createTokenStore(storage: StorageLike, { clientId, userPoolId, timeoutMs = 5000 }: TokenStoreOptions): TokenStore {
  const key = `authchart.${clientId}.session`;
  let epoch = 0;
  const attempt = createStorageQueue(timeoutMs, (error) => error instanceof StaleWriteError);

  async function read(): Promise<StoredSession> {
    const raw = await attempt('read the session', () => storage.getItem(key));
    if (raw == null) return null;
    const tokens = parseSession(raw);
    if (!tokens) return { corrupt: 'what is stored is not a session (bad JSON or missing tokens)' };
    const claims = readJwtClaims(tokens.accessToken); // once per read: it is on every sign-out's path
    const summary = claims && summarizeClaims(claims, tokens);
    if (!summary) return { corrupt: 'the stored access token is not a Cognito JWT' };
    if (typeof claims?.client_id === 'string' && claims.client_id !== clientId) return { corrupt: 'the stored tokens belong to another app client' };
    if (userPoolId && typeof claims?.iss === 'string' && !claims.iss.endsWith(`/${userPoolId}`)) return { corrupt: 'the stored tokens belong to another user pool' };
    return { tokens, summary };
  }

  return {
    read,
    async load() {
      const stored = await read();
      return stored && 'tokens' in stored ? stored.tokens : null;
    },
    save(tokens, expected) {
      return attempt('write the session', () => {
        if (expected !== undefined && expected !== epoch) throw new StaleWriteError('The session was cleared after this write began');
        return storage.setItem(key, JSON.stringify({ version: 1, ...tokens }));
      });
    },
    async clear() {
      epoch += 1; // at once: any write queued from before this point is now stale
      await attempt('remove the session', () => storage.removeItem(key));
      const left = await attempt('read back the session', () => storage.getItem(key));
      if (left != null) throw new StorageError('Storage still holds the session after removeItem');
    },
    epoch: () => epoch,
  };
}

function parseSession(raw: string): SessionTokens | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { accessToken, idToken, refreshToken } = value as Record<string, unknown>;
    if (typeof accessToken !== 'string' || typeof idToken !== 'string') return null;
    if (refreshToken !== undefined && typeof refreshToken !== 'string') return null;
    return { accessToken, idToken, ...(refreshToken !== undefined && { refreshToken }) };
  } catch {
    return null;
  }
}

/** The non-secret facts about a session that the statechart may hold. Null for non-JWT tokens. */
export function summarizeSession(tokens: SessionTokens): SessionSummary | null {
  const claims = readJwtClaims(tokens.accessToken);
  return claims ? summarizeClaims(claims, tokens) : null;
}

function summarizeClaims(claims: Record<string, unknown>, tokens: SessionTokens): SessionSummary | null {
  if (typeof claims.exp !== 'number') return null;
  const username = typeof claims.username === 'string' ? claims.username : readJwtClaims(tokens.idToken)?.['cognito:username'];
  if (typeof username !== 'string') return null;
  return { username, revocable: typeof claims.origin_jti === 'string', expiresAt: claims.exp * 1000 };
}
