import type { SessionSummary } from '../machines/types.js';
import { ErrorNames } from '../machines/types.js';
import { readJwtClaims } from './jwt.js';
import type { StorageLike } from './storage.js';

/** The secrets of one session. They live here and nowhere in the statechart. */
export interface SessionTokens {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken?: string;
}

export interface TokenStore {
  /** The stored session, or null when there is none or what is stored is not a usable session. */
  load(): Promise<SessionTokens | null>;
  save(tokens: SessionTokens): Promise<void>;
  /** Removes the session. One key, so a failure leaves the session whole; throws StorageError. */
  clear(): Promise<void>;
}

/** A failure of the app's storage. The message never includes stored values. */
export class StorageError extends Error {
  override readonly name = ErrorNames.storage;
}

/**
 * Keeps the whole session under one key, `authchart.<clientId>.session`, so that clearing is a
 * single removeItem: the store is either whole or empty, never half-deleted.
 */
export function createTokenStore(storage: StorageLike, clientId: string): TokenStore {
  const key = `authchart.${clientId}.session`;
  const attempt = async <T>(what: string, run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new StorageError(`Could not ${what} the session in storage (${error instanceof Error ? error.name : 'unknown error'})`);
    }
  };
  return {
    async load() {
      const raw = await attempt('read', () => storage.getItem(key));
      return raw ? parseSession(raw) : null;
    },
    async save(tokens) {
      await attempt('write', () => storage.setItem(key, JSON.stringify({ version: 1, ...tokens })));
    },
    async clear() {
      await attempt('remove', () => storage.removeItem(key));
      const left = await attempt('read back', () => storage.getItem(key));
      if (left != null) throw new StorageError('Storage still holds the session after removeItem');
    },
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
  if (!claims || typeof claims.exp !== 'number') return null;
  const username = typeof claims.username === 'string' ? claims.username : readJwtClaims(tokens.idToken)?.['cognito:username'];
  if (typeof username !== 'string') return null;
  return { username, revocable: typeof claims.origin_jti === 'string', expiresAt: claims.exp * 1000 };
}
