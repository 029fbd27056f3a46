import type { PickedIntent } from '../../machines/outboxMachine.js';
import type { AnnounceScope, SettleInput } from '../../machines/signOutMachine.js';
import { tokenFacts } from '../encoding/tokenFacts.js';
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
  /** A flow is finishing it until then (epoch ms): other instances leave it alone. */
  readonly leaseUntil?: number;
  /** Refresh tokens this intent's refresh rotated away (renew): a stored session holding one is still being signed out. */
  readonly replaced?: readonly string[];
  /** Settled 'keepRevoked': the tokens are dead but still stored as the session; never sent, kept until the session is cleared. */
  readonly revoked?: true;
  /**
   * true: the intent tells the app's API what ended (a revocationEndpoint is set), so its access
   * token is kept for that. A scope: settled 'keepAnnouncement', Cognito's calls are done and only
   * telling the API that this ended is left (with the access token alone). Missing: nothing to announce.
   */
  readonly announce?: true | AnnounceScope;
}

export interface SignOutOutbox {
  /** A fact for the chart's settlementOf (its `queueing`): true when intents are written to storage and retried later, false when they live in memory for one flow. */
  readonly persists: boolean;
  /**
   * Write-ahead, before any request: the intent is kept in memory at once and written to storage
   * (bounded by storageTimeoutMs; a storage that fails cannot block a sign-out). An intent with
   * the same tokens is reused, so a retry and a queued entry are one intent. Resolves its id.
   * With `announces` (a revocationEndpoint is set) a local intent keeps its access token too: the
   * announcement sends it as the bearer.
   */
  record(tokens: IntentTokens, global: boolean, announces?: boolean): Promise<string>;
  /** The tokens of a known intent (memory only: services read them at the moment they send). */
  tokensOf(intentId: string): IntentTokens | undefined;
  /**
   * The intent's tokens were refreshed (the refresh before GlobalSignOut): the new access token,
   * and the rotated refresh token if any, take the old ones' place (memory at once, storage within
   * the deadline). A rotated-away refresh token still matches (holds, record). Should the intent
   * be gone already, a rotated refresh token is queued on its own, so it is revoked later.
   */
  renew(intentId: string, tokens: IntentTokens): Promise<void>;
  /**
   * Keeps a refresh token for a later revocation that no flow runs now (a rotated token a refresh
   * could not store): an entry with no lease, due at once, so the next drain of any instance sends
   * it. Unlike record(), nothing here holds it.
   */
  queue(tokens: IntentTokens): Promise<void>;
  /**
   * After a flow: removes the entry, or keeps it with backoff, as the sign-out chart decided
   * (settlementOf, which also knows whether intents are kept at all); it never decides otherwise.
   */
  settle(input: SettleInput): Promise<{ queued: boolean }>;
  /**
   * The next entry to finish: due (or any, with everyEntry), in no running flow (of any instance),
   * not in `tried`; it is leased to this instance. With `take` false, only counts what is queued;
   * with `globalOnly`, only a global intent is taken.
   */
  pick(everyEntry: boolean, tried: readonly string[], take?: boolean, globalOnly?: boolean): Promise<PickedIntent>;
  /** Whether a stored session's tokens are queued: a sign-out began, and the process stopped before it ended. */
  holds(tokens: IntentTokens): Promise<boolean>;
  /** How the outbox holds these tokens: 'queued' (a sign-out to finish), 'revoked' (dead, awaiting the session's clear), or null. */
  heldAs(tokens: IntentTokens): Promise<'queued' | 'revoked' | null>;
  /** The session is cleared: the entries marked revoked have nothing left to mark. */
  forgetRevoked(): Promise<void>;
  /** Milliseconds until the next entry is due, or null when nothing is queued (entries marked revoked are never due). */
  nextAttemptIn(): Promise<number | null>;
  /** The tokens of a finished flow, once, for the retry tokens of a partial result. */
  takeTokens(intentId: string): IntentTokens | undefined;
  /**
   * The instance stops: its flows will never settle their entries, so their leases end now and
   * the next instance over this storage finishes them at once. Within the storage bounds; a
   * storage that fails leaves the leases to end on their own.
   */
  release(): Promise<void>;
}

export interface OutboxOptions {
  readonly storage: StorageLike;
  readonly clientId: string;
  readonly timeoutMs: number;
  /** false: intents live in memory for one flow and are never retried later. */
  readonly persist: boolean;
  /** First retry delay; doubles per attempt up to 5 minutes, with jitter. Default 1000. */
  readonly retryBaseMs?: number;
  /** How long a flow holds its entry against other instances: its own bound. Default 4 × timeoutMs. */
  readonly leaseMs?: number;
  readonly now?: () => number;
}

export const OUTBOX_DEFAULTS = { retryBaseMs: 1000, maxRetryMs: 5 * 60_000 } as const;

/** The storage key of the outbox, apart from the session's. */
export const outboxKey = (clientId: string): string => storageKeys(clientId).outbox;

let sequence = 0;
const newIntentId = (now: number) => `intent-${now.toString(36)}-${(++sequence).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const sameTokens = (a: IntentTokens, b: IntentTokens) =>
  a.refreshToken !== undefined ? a.refreshToken === b.refreshToken : a.accessToken !== undefined && a.accessToken === b.accessToken;
/** The intent is for these tokens: the same ones, or a refresh token it rotated away. */
const isFor = (intent: Intent, tokens: IntentTokens) =>
  sameTokens(intent.tokens, tokens) || (tokens.refreshToken !== undefined && (intent.replaced ?? []).includes(tokens.refreshToken));

/**
 * Sign-out intents that have not been finished, kept in the app's storage under one key
 * (`authchart.<clientId>.revocationOutbox`), apart from the session, so they survive a restart.
 *
 * Storage is the truth, shared by every instance over it (tabs, processes): each change is one
 * bounded, queued read-modify-write of the entry it concerns, so one instance never writes back
 * what another removed. Memory keeps the tokens of this instance's own flows (and what storage
 * refused to keep). An entry in a flow carries a lease, `leaseUntil`, for that flow's bound:
 * other instances leave it alone until the lease ends, so two never send the same sign-out.
 * Web Storage has no compare-and-set, so two instances picking in the same instant can still
 * both send; that only repeats a request Cognito treats as done.
 */
export function createSignOutOutbox(options: OutboxOptions): SignOutOutbox {
  const { storage, clientId, timeoutMs, persist, now = Date.now } = options;
  const retryBaseMs = options.retryBaseMs ?? OUTBOX_DEFAULTS.retryBaseMs;
  const leaseMs = options.leaseMs ?? 4 * timeoutMs;
  const key = outboxKey(clientId);
  const run = createStorageQueue(timeoutMs);
  const memory = new Map<string, Intent>(); // this instance's flows, and entries storage did not keep
  // Made at their first use: an idle instance has nothing in them, and each empty Set or Map costs
  // its own hash table (about 0.2 KB) on the heap of every instance (docs/performance.md).
  let inFlow: Set<string> | undefined; // claimed by a running sign-out or retry of this instance
  let inDrain: Set<string> | undefined; // claimed by this instance's running drain (drains never overlap)
  let receipts: Map<string, IntentTokens> | undefined;
  let finished: Set<string> | undefined; // removed by this instance: a stale stored copy never brings them back
  const backoff = (attempts: number) => Math.min(retryBaseMs * 2 ** (attempts - 1), OUTBOX_DEFAULTS.maxRetryMs) * (0.5 + Math.random() / 2);
  const busy = (id: string) => inFlow?.has(id) === true || inDrain?.has(id) === true;
  /**
   * Milliseconds until a time another instance (or this one, earlier) wrote, by this clock. A time
   * further ahead than twice its own bound was set by a clock that has since gone back, or one far
   * ahead of this one: it is not honoured, so no clock delays an entry by more than two bounds.
   * (Twice: another process's clock a little ahead of this one still has its lease honoured.)
   */
  const until = (at: number | undefined, bound: number) => {
    const wait = (at ?? 0) - now();
    return wait > 0 && wait <= 2 * bound ? wait : 0;
  };
  const leaseLeft = (intent: Intent) => until(intent.leaseUntil, leaseMs);
  const backoffLeft = (intent: Intent) => until(intent.notBefore, OUTBOX_DEFAULTS.maxRetryMs);
  const leased = (intent: Intent) => leaseLeft(intent) > 0 && !busy(intent.id);

  /** Everything queued: storage's entries, and this instance's that storage does not hold. */
  function merged(stored: Intent[]): Intent[] {
    const all = new Map(stored.filter((intent) => !finished?.has(intent.id)).map((intent) => [intent.id, intent]));
    for (const [id, intent] of memory) if (!all.has(id) || busy(id)) all.set(id, intent);
    return [...all.values()];
  }
  const readStored = async (): Promise<Intent[]> => parseIntents(await storage.getItem(key));
  const writeStored = async (entries: Intent[]): Promise<void> => {
    if (entries.length > 0) return storage.setItem(key, JSON.stringify({ version: 2, entries }));
    try {
      await storage.removeItem(key);
    } catch {
      await storage.setItem(key, JSON.stringify({ version: 2, entries: [] })); // a storage that cannot remove: an empty list serves
    }
  };
  /** All queued intents, read from storage (memory alone when not persisting, or when storage fails). */
  const load = (): Promise<Intent[]> =>
    !persist ? Promise.resolve([...memory.values()]) : run('read the sign-out outbox', async () => merged(await readStored())).catch(() => [...memory.values()]);
  /**
   * One read-modify-write: `change` gets every queued intent and returns the ones to keep. Only
   * the entries `change` touches differ from what storage held, so another instance's entries
   * are written back as they were read.
   */
  /** mutate() calls not finished yet: release() waits behind them when there are any. */
  let pendingSteps = 0;
  async function mutate(change: (entries: Intent[]) => Intent[]): Promise<void> {
    pendingSteps++;
    try {
      await mutateNow(change);
    } finally {
      pendingSteps--;
    }
  }
  async function mutateNow(change: (entries: Intent[]) => Intent[]): Promise<void> {
    const apply = (entries: Intent[]) => {
      const kept = change(entries);
      const keptIds = new Set(kept.map((intent) => intent.id));
      for (const intent of entries) if (!keptIds.has(intent.id)) memory.delete(intent.id);
      for (const intent of kept) if (memory.has(intent.id) || busy(intent.id)) memory.set(intent.id, intent);
      return kept;
    };
    if (!persist) {
      apply([...memory.values()]);
      return;
    }
    try {
      await run('update the sign-out outbox', async () => {
        const kept = apply(merged(await readStored()));
        await writeStored(kept);
        for (const intent of kept) if (!busy(intent.id)) memory.delete(intent.id); // storage holds it now
      });
    } catch {
      apply([...memory.values()]); // storage failed: memory carries this instance's change
    }
  }
  const replace = (intent: Intent) => (entries: Intent[]) => [...entries.filter((entry) => entry.id !== intent.id), intent];
  const fresh = (tokens: IntentTokens, global: boolean): Intent => ({ id: newIntentId(now()), global, tokens, queuedAt: now(), attempts: 0, notBefore: 0 });
  const keepReceipt = (intent: Intent) => {
    receipts ??= new Map();
    receipts.set(intent.id, intent.tokens);
    if (receipts.size > 16) receipts.delete(receipts.keys().next().value as string);
  };

  return {
    persists: persist,
    async record(given, global, announces = false) {
      // A local intent needs the refresh token only; a global one, or one to announce, the access token too.
      const tokens: IntentTokens = global || announces ? given : { ...(given.refreshToken && { refreshToken: given.refreshToken }) };
      const existing = (await load()).find((intent) => isFor(intent, tokens));
      // Found by a refresh token it rotated away: its own tokens are the newer ones, and stay.
      const merged = existing && (sameTokens(existing.tokens, tokens) ? { ...existing.tokens, ...tokens } : existing.tokens);
      // A revoked mark is dropped: the tokens are being signed out again.
      const intent: Intent = {
        ...(existing ? { ...existing, global: existing.global || global, tokens: merged!, revoked: undefined } : fresh(tokens, global)),
        leaseUntil: now() + leaseMs,
        ...(announces && { announce: true as const }),
      };
      memory.set(intent.id, intent);
      (inFlow ??= new Set()).add(intent.id);
      await mutate(replace(intent)); // a storage that fails cannot block the flow: memory carries it
      return intent.id;
    },
    tokensOf: (intentId) => memory.get(intentId)?.tokens ?? receipts?.get(intentId),
    async queue(given) {
      const tokens: IntentTokens = { ...(given.refreshToken && { refreshToken: given.refreshToken }) };
      if ((await load()).some((intent) => isFor(intent, tokens))) return;
      const intent = fresh(tokens, false);
      memory.set(intent.id, intent);
      await mutate(replace(intent));
    },
    async renew(intentId, renewed) {
      const old = (memory.get(intentId)?.tokens ?? receipts?.get(intentId))?.refreshToken;
      const rotated = old !== undefined && old !== renewed.refreshToken;
      await mutate((entries) => {
        // Settled already (its flow ended while the refresh answered): a rotated refresh token is live, so it is queued on its own.
        const intent = entries.find((entry) => entry.id === intentId) ?? (rotated ? fresh({}, false) : undefined);
        if (!intent) return entries;
        const tokens = intent.global ? { ...intent.tokens, ...renewed } : { refreshToken: renewed.refreshToken! };
        return replace({ ...intent, tokens, ...(rotated && { replaced: [...(intent.replaced ?? []), old] }) })(entries);
      });
    },
    async settle(input) {
      const { intentId } = input;
      if (intentId === undefined) return { queued: false };
      const intent = memory.get(intentId);
      if (!intent) {
        inFlow?.delete(intentId);
        inDrain?.delete(intentId);
        return { queued: false };
      }
      keepReceipt(intent);
      const { settlement } = input; // the chart's decision (settlementOf), applied as it is
      if (settlement === 'remove') {
        (finished ??= new Set()).add(intentId);
        await mutate((entries) => entries.filter((entry) => entry.id !== intentId));
      } else {
        const rest = withoutLease(intent);
        const global = settlement === 'keepGlobal';
        // Left to RevokeToken alone, or a revoked mark (dead tokens the store still holds as the
        // session, so a reload does not restore them): the access token is not kept at rest.
        const { refreshToken } = rest.tokens;
        // An announcement left: the access token is its bearer, the refresh token is dead. One to come after RevokeToken: both.
        const tokens =
          settlement === 'keepAnnouncement' ? { accessToken: rest.tokens.accessToken } : global || rest.announce ? rest.tokens : refreshToken ? { refreshToken } : settlement === 'keepRevoked' ? rest.tokens : {};
        const retried = { ...rest, global, tokens, ...(input.announce && { announce: input.announce }), attempts: intent.attempts + 1, notBefore: now() + backoff(intent.attempts + 1) };
        await mutate(replace(settlement === 'keepRevoked' ? { ...rest, global, tokens, revoked: true } : retried));
      }
      inFlow?.delete(intentId);
      inDrain?.delete(intentId);
      if (settlement === 'remove') memory.delete(intentId);
      return { queued: settlement !== 'remove' && settlement !== 'keepRevoked' };
    },
    async pick(everyEntry, tried, take = true, globalOnly = false) {
      // A new drain: claims left by a drain its deadline cut short are stale.
      if (tried.length === 0) inDrain?.clear();
      // No entry is dropped here, whatever its age: only Cognito's answer removes one (settle).
      let next: Intent | undefined;
      let pending = 0;
      let pendingGlobal = 0;
      await mutate((entries) => {
        const queued = entries.filter((intent) => !intent.revoked); // a revoked mark is never sent
        pending = queued.length; // leased by any instance or not: every entry still queued
        pendingGlobal = queued.filter((intent) => intent.global).length;
        const waiting = queued.filter((intent) => !busy(intent.id) && !leased(intent) && (!globalOnly || intent.global));
        next = take ? waiting.find((intent) => !tried.includes(intent.id) && (everyEntry || backoffLeft(intent) === 0)) : undefined;
        if (!next) return entries;
        next = { ...next, leaseUntil: now() + leaseMs };
        memory.set(next.id, next);
        (inDrain ??= new Set()).add(next.id);
        return entries.map((intent) => (intent.id === next!.id ? next! : intent));
      });
      const picked = next as Intent | undefined;
      const announce = picked?.announce;
      const announcing = announce && { announces: true, ...(announce !== true && { pendingAnnouncement: announce }) };
      const intent = picked ? { intentId: picked.id, global: picked.global, ...tokenFacts(picked.tokens, now()), ...announcing } : null;
      return { intent, pending, pendingGlobal };
    },
    async holds(tokens) {
      return (await this.heldAs(tokens)) !== null;
    },
    async heldAs(tokens) {
      const held = (await load()).filter((intent) => isFor(intent, tokens));
      return held.length === 0 ? null : held.some((intent) => intent.revoked) ? 'revoked' : 'queued';
    },
    async forgetRevoked() {
      await mutate((entries) => entries.filter((intent) => !intent.revoked));
    },
    async nextAttemptIn() {
      const waiting = (await load()).filter((intent) => !intent.revoked && !busy(intent.id));
      if (waiting.length === 0) return null;
      return Math.min(...waiting.map((intent) => Math.max(backoffLeft(intent), leaseLeft(intent))));
    },
    takeTokens(intentId) {
      const tokens = receipts?.get(intentId) ?? memory.get(intentId)?.tokens;
      receipts?.delete(intentId);
      return tokens;
    },
    async release() {
      const heldNow = () => {
        const held = new Set([...(inFlow ?? []), ...(inDrain ?? [])]);
        inFlow?.clear();
        inDrain?.clear();
        return held;
      };
      if (!persist || (inFlow?.size ?? 0) + (inDrain?.size ?? 0) + pendingSteps === 0) return void heldNow();
      // In the storage's turn, after the steps already queued: a pick that was under way when the
      // instance stopped has leased its entry by then, and that lease is released too.
      await mutate((entries) => {
        const held = heldNow();
        return entries.map((intent) => (held.has(intent.id) ? withoutLease(intent) : intent));
      });
    },
  };
}

const withoutLease = ({ leaseUntil: _released, ...intent }: Intent): Intent => intent;

/**
 * Version 2 entries; unreadable entries are skipped. (Version 1, a refresh token per entry, was never
 * published: authchart has no release before 0.1.0, which writes version 2. Its entries are skipped too.)
 */
/**
 * How many intents the stored outbox `raw` still queues (entries marked revoked not counted): a
 * fact read from the record itself, for a host that must not take a drain's count on trust (a drain
 * that could not read its storage counts only what its own instance holds in memory).
 */
export function queuedIntentsIn(raw: string | null | undefined): number {
  return parseIntents(raw).filter((intent) => !intent.revoked).length;
}

/**
 * The intents the stored outbox `raw` holds, each as its id, its tokens and whether it is a revoked
 * mark: the record as it is, for the account deletion, which drops the entries of a deleted user
 * (services/actors/account/deleteUser.ts). Unreadable entries are skipped, as everywhere else.
 */
export function storedIntentsIn(raw: string | null | undefined): Array<{ readonly id: string; readonly revoked: boolean; readonly tokens: IntentTokens }> {
  return parseIntents(raw).map(({ id, revoked, tokens }) => ({ id, revoked: revoked === true, tokens }));
}

function parseIntents(raw: string | null | undefined): Intent[] {
  if (typeof raw !== 'string') return [];
  try {
    const value = JSON.parse(raw) as { version?: unknown; entries?: unknown };
    if (!Array.isArray(value.entries)) return [];
    return value.entries.flatMap((entry: Record<string, unknown>): Intent[] => {
      if (typeof entry !== 'object' || entry === null || typeof entry.queuedAt !== 'number') return [];
      const attempts = typeof entry.attempts === 'number' ? entry.attempts : 0;
      const notBefore = typeof entry.notBefore === 'number' ? entry.notBefore : 0;
      const tokens = entry.tokens as IntentTokens | undefined;
      if (typeof entry.id !== 'string' || typeof tokens !== 'object' || tokens === null) return [];
      const { accessToken, refreshToken } = tokens;
      if ((accessToken !== undefined && typeof accessToken !== 'string') || (refreshToken !== undefined && typeof refreshToken !== 'string')) return [];
      const leaseUntil = typeof entry.leaseUntil === 'number' ? { leaseUntil: entry.leaseUntil } : {};
      const replaced = Array.isArray(entry.replaced) ? { replaced: entry.replaced as string[] } : {}; // only ever compared with a refresh token
      const revoked = entry.revoked === true ? { revoked: true as const } : {};
      // Written by a version without the announcement: missing means nothing to announce.
      const announce = [true, 'session', 'user'].includes(entry.announce as string) ? { announce: entry.announce as true | AnnounceScope } : {};
      const tokenFields = { ...(accessToken && { accessToken }), ...(refreshToken && { refreshToken }) };
      return [{ id: entry.id, global: entry.global === true, tokens: tokenFields, queuedAt: entry.queuedAt, attempts, notBefore, ...leaseUntil, ...replaced, ...revoked, ...announce }];
    });
  } catch {
    return []; // unreadable: nothing we could revoke with; the next write replaces it
  }
}
