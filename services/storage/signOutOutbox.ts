import { isRetryable } from '../../machines/errorInfo.js';
import type { PickedIntent } from '../../machines/outboxMachine.js';
import type { SettleInput } from '../../machines/signOutMachine.js';
import { readJwtClaims } from '../encoding/jwt.js';
import { storageKeys } from './keys.js';
import type { StorageLike } from './storage.js';
import { createStorageQueue } from './queue.js';

/** The tokens a sign-out intent needs: the access token for GlobalSignOut, the refresh token to revoke (or to refresh with). */
export interface IntentTokens {
  readonly accessToken?: string;
  readonly refreshToken?: string;
}

/** What the user asked for, and the tokens to do it with. */
interface Intent {
  readonly id: string;
  readonly global: boolean;
  readonly tokens: IntentTokens;
  readonly queuedAt: number;
  readonly attempts: number;
  readonly notBefore: number;
}

export interface SignOutOutbox {
  /**
   * Write-ahead, before any request: the intent is kept in memory at once and written to storage
   * (bounded by storageTimeoutMs; a storage that fails cannot block a sign-out). An intent with
   * the same tokens is reused, so a retry and a queued entry are one intent. Resolves its id.
   */
  record(tokens: IntentTokens, global: boolean): Promise<string>;
  /** The tokens of a known intent (memory only: services read them at the moment they send). */
  tokensOf(intentId: string): IntentTokens | undefined;
  /** After a flow: removes the entry when the server calls proved the tokens dead or no retry can help; else keeps it, with backoff. */
  settle(input: SettleInput): Promise<{ queued: boolean }>;
  /** The next entry to finish: due (or any, with everyEntry), not in a running flow, not in `tried`. */
  pick(everyEntry: boolean, tried: readonly string[]): Promise<PickedIntent>;
  /** Whether a stored session's tokens are queued: a sign-out began, and the process stopped before it ended. */
  holds(tokens: IntentTokens): Promise<boolean>;
  /** Milliseconds until the next entry is due, or null when nothing is queued. */
  nextAttemptIn(): Promise<number | null>;
  /** The tokens of a finished flow, once, for the retry tokens of a partial result. */
  takeTokens(intentId: string): IntentTokens | undefined;
}

export interface OutboxOptions {
  readonly storage: StorageLike;
  readonly clientId: string;
  readonly timeoutMs: number;
  /** false: intents live in memory for one flow and are never retried later. */
  readonly persist: boolean;
  /** Entries older than this are dropped unrevoked. Default 30 days, Cognito's default refresh token life. */
  readonly maxAgeMs?: number;
  /** First retry delay; doubles per attempt up to 5 minutes, with jitter. Default 1000. */
  readonly retryBaseMs?: number;
  readonly now?: () => number;
}

export const OUTBOX_DEFAULTS = { maxAgeMs: 30 * 24 * 3600_000, retryBaseMs: 1000, maxRetryMs: 5 * 60_000 } as const;

/** The storage key of the outbox, apart from the session's. */
export const outboxKey = (clientId: string): string => storageKeys(clientId).outbox;

/** What settle() does with an entry, from what the server calls proved. Pure. */
export function settlementOf(input: SettleInput): 'remove' | 'keepGlobal' | 'keepLocal' {
  if (input.globalSignedOut || input.revoked) return 'remove'; // the tokens are dead
  if (input.global && input.globalSignOutError && isRetryable(input.globalSignOutError.name)) return 'keepGlobal';
  if (input.revokeTokenError && isRetryable(input.revokeTokenError.name)) return 'keepLocal';
  return 'remove'; // Cognito's final word: no retry can revoke these tokens
}

let sequence = 0;
const newIntentId = (now: number) => `intent-${now.toString(36)}-${(++sequence).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const sameTokens = (a: IntentTokens, b: IntentTokens) =>
  a.refreshToken !== undefined ? a.refreshToken === b.refreshToken : a.accessToken !== undefined && a.accessToken === b.accessToken;

/**
 * Sign-out intents that have not been finished, kept in the app's storage under one key
 * (`authchart.<clientId>.revocationOutbox`), apart from the session, so they survive a restart.
 * Memory mirrors storage; every storage step is one bounded, queued read-modify-write.
 */
export function createSignOutOutbox(options: OutboxOptions): SignOutOutbox {
  const { storage, clientId, timeoutMs, persist, now = Date.now } = options;
  const maxAgeMs = options.maxAgeMs ?? OUTBOX_DEFAULTS.maxAgeMs;
  const retryBaseMs = options.retryBaseMs ?? OUTBOX_DEFAULTS.retryBaseMs;
  const key = outboxKey(clientId);
  const run = createStorageQueue(timeoutMs);
  const memory = new Map<string, Intent>();
  const inFlow = new Set<string>(); // claimed by a running sign-out or retry
  const inDrain = new Set<string>(); // claimed by the running drain (drains never overlap)
  const receipts = new Map<string, IntentTokens>();
  const finished = new Set<string>(); // removed in this process: a stale stored copy never brings them back
  const backoff = (attempts: number) => Math.min(retryBaseMs * 2 ** (attempts - 1), OUTBOX_DEFAULTS.maxRetryMs) * (0.5 + Math.random() / 2);

  /** Reads storage into memory (storage wins for entries it has; memory keeps the ones it could not write). */
  const load = (): Promise<Intent[]> =>
    !persist
      ? Promise.resolve([...memory.values()])
      : run('read the sign-out outbox', async () => {
          for (const intent of parseIntents(await storage.getItem(key))) if (!memory.has(intent.id) && !finished.has(intent.id)) memory.set(intent.id, intent);
          return [...memory.values()];
        });
  const write = (): Promise<void> =>
    !persist
      ? Promise.resolve()
      : run('update the sign-out outbox', async () => {
          const entries = [...memory.values()];
          if (entries.length > 0) return storage.setItem(key, JSON.stringify({ version: 2, entries }));
          try {
            await storage.removeItem(key);
          } catch {
            await storage.setItem(key, JSON.stringify({ version: 2, entries: [] })); // a storage that cannot remove: an empty list serves
          }
        });
  const keepReceipt = (intent: Intent) => {
    receipts.set(intent.id, intent.tokens);
    if (receipts.size > 16) receipts.delete(receipts.keys().next().value as string);
  };

  return {
    async record(given, global) {
      // A local intent needs the refresh token only; a global one the access token too.
      const tokens: IntentTokens = global ? given : { ...(given.refreshToken && { refreshToken: given.refreshToken }) };
      await load().catch(() => []);
      const existing = [...memory.values()].find((intent) => sameTokens(intent.tokens, tokens));
      const intent: Intent = existing
        ? { ...existing, global: existing.global || global, tokens: { ...existing.tokens, ...tokens } }
        : { id: newIntentId(now()), global, tokens, queuedAt: now(), attempts: 0, notBefore: 0 };
      memory.set(intent.id, intent);
      inFlow.add(intent.id);
      await write().catch(() => {}); // best effort: the flow goes on from memory
      return intent.id;
    },
    tokensOf: (intentId) => memory.get(intentId)?.tokens ?? receipts.get(intentId),
    async settle(input) {
      const { intentId } = input;
      if (intentId === undefined) return { queued: false };
      inFlow.delete(intentId);
      inDrain.delete(intentId);
      const intent = memory.get(intentId);
      if (!intent) return { queued: false };
      keepReceipt(intent);
      const settlement = persist ? settlementOf(input) : 'remove';
      if (settlement === 'remove') {
        memory.delete(intentId);
        finished.add(intentId);
      }
      else memory.set(intentId, { ...intent, global: settlement === 'keepGlobal', attempts: intent.attempts + 1, notBefore: now() + backoff(intent.attempts + 1) });
      await write();
      return { queued: settlement !== 'remove' };
    },
    async pick(everyEntry, tried) {
      // A new drain: claims left by a drain its deadline cut short are stale.
      if (tried.length === 0) inDrain.clear();
      const busy = (id: string) => inFlow.has(id) || inDrain.has(id);
      let dropped = 0;
      for (const intent of await load()) {
        if (now() - intent.queuedAt > maxAgeMs && !busy(intent.id)) {
          memory.delete(intent.id);
          finished.add(intent.id);
          dropped += 1;
        }
      }
      if (dropped > 0) await write().catch(() => {});
      const waiting = [...memory.values()].filter((intent) => !busy(intent.id));
      const next = waiting.find((intent) => !tried.includes(intent.id) && (everyEntry || intent.notBefore <= now()));
      if (next) inDrain.add(next.id);
      const intent = next ? { intentId: next.id, global: next.global, revocable: isRevocable(next.tokens) } : null;
      return { intent, dropped, pending: waiting.length };
    },
    async holds(tokens) {
      return (await load()).some((intent) => sameTokens(intent.tokens, tokens));
    },
    async nextAttemptIn() {
      const waiting = (await load()).filter((intent) => !inFlow.has(intent.id));
      if (waiting.length === 0) return null;
      return Math.max(0, Math.min(...waiting.map((intent) => intent.notBefore)) - now());
    },
    takeTokens(intentId) {
      const tokens = receipts.get(intentId) ?? memory.get(intentId)?.tokens;
      receipts.delete(intentId);
      return tokens;
    },
  };
}

/** Token revocation is on for the client that issued the access token (it carries origin_jti). */
function isRevocable(tokens: IntentTokens): boolean {
  if (!tokens.accessToken) return tokens.refreshToken !== undefined;
  return typeof readJwtClaims(tokens.accessToken)?.origin_jti === 'string';
}

/** Version 2 entries, and version 1 (a refresh token only: a local intent). Unreadable entries are skipped. */
function parseIntents(raw: string | null | undefined): Intent[] {
  if (typeof raw !== 'string') return [];
  try {
    const value = JSON.parse(raw) as { version?: unknown; entries?: unknown };
    if (!Array.isArray(value.entries)) return [];
    return value.entries.flatMap((entry: Record<string, unknown>, index: number): Intent[] => {
      if (typeof entry !== 'object' || entry === null || typeof entry.queuedAt !== 'number') return [];
      const attempts = typeof entry.attempts === 'number' ? entry.attempts : 0;
      const notBefore = typeof entry.notBefore === 'number' ? entry.notBefore : 0;
      if (typeof entry.token === 'string') return [{ id: `v1-${entry.queuedAt}-${index}`, global: false, tokens: { refreshToken: entry.token }, queuedAt: entry.queuedAt, attempts, notBefore }];
      const tokens = entry.tokens as IntentTokens | undefined;
      if (typeof entry.id !== 'string' || typeof tokens !== 'object' || tokens === null) return [];
      const { accessToken, refreshToken } = tokens;
      if ((accessToken !== undefined && typeof accessToken !== 'string') || (refreshToken !== undefined && typeof refreshToken !== 'string')) return [];
      return [{ id: entry.id, global: entry.global === true, tokens: { ...(accessToken && { accessToken }), ...(refreshToken && { refreshToken }) }, queuedAt: entry.queuedAt, attempts, notBefore }];
    });
  } catch {
    return []; // unreadable: nothing we could revoke with; the next write replaces it
  }
}
