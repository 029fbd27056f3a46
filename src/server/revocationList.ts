// The revocation list an API server checks access tokens against (authchart/server). It gathers the
// facts (its store's entries, the token's claims, the clock, Cognito's GetUser) and leaves every
// decision to machines/revocation/policy.ts. docs/server.md explains the design.
import { announcementVerdict, entryTtlSeconds, identifiersOf, instantOf, revalidationDue, verdictOf, type RevocationClaims } from '../../machines/revocation/policy.js';
import { canAskCognito, createCognitoCheck, type CognitoPoolConfig, type CognitoVerdict } from '../../services/server/cognitoCheck.js';
import { hashIdentifier, memoryRevocationStore, type RevocationStore } from '../../services/server/store.js';
import { RevocationUnavailableError, TokenRevokedError } from './errors.js';

/** createRevocationList()'s options. */
export interface RevocationListOptions {
  /** Where entries live: memoryRevocationStore() (the default: this process only) or redisRevocationStore({ client }) for a fleet. */
  readonly store?: RevocationStore;
  /** The pool whose tokens are checked, for Cognito's GetUser; `endpoint` is for the emulator. */
  readonly cognito: CognitoPoolConfig;
  /**
   * Ask Cognito (GetUser) about a session not checked within this many ms, to catch sign-outs that
   * were never announced (another app, the console, an admin). One answer per session per interval
   * is shared through the store. Off by default. See docs/server.md for the quota arithmetic.
   */
  readonly revalidateAfterMs?: number;
  /** The app client's access-token lifetime (seconds): every entry lives this long. Default 3600. */
  readonly accessTokenLifetimeSeconds?: number;
  /**
   * When the store cannot be reached: 'allow' (the default) keeps deciding from the entries already
   * mirrored in this process; 'refuse' refuses every token with RevocationUnavailableError.
   */
  readonly onStoreUnavailable?: 'refuse' | 'allow';
  /** Bounds each GetUser call with its retries (ms). Default 3000. */
  readonly cognitoTimeoutMs?: number;
  /** The clock, in ms. Default Date.now. */
  readonly now?: () => number;
}

/**
 * What an announcement did: recorded an entry, found the token already covered (nothing changed),
 * or could not record (a session scope without origin_jti: token revocation is off on the app client).
 */
export type AnnouncementOutcome = 'recorded' | 'covered' | 'noSessionId';

/** A revocation list: entries of sessions and users signed out, checked against every access token. */
export interface RevocationList {
  /**
   * Checks a verified access token's payload against the entries, with no round trip. Throws
   * TokenRevokedError when an entry covers it, and when it cannot decide without Cognito (a token
   * of the very second of a global sign-out whose answer is not known yet: reason 'user'). Throws
   * RevocationUnavailableError when the store is unreachable and `onStoreUnavailable` is 'refuse'.
   */
  check(payload: RevocationClaims): void;
  /**
   * Checks a verified access token with the token at hand: check(), and Cognito's GetUser when a
   * token of the same second as a global sign-out needs it, or when `revalidateAfterMs` is due.
   * Rejects with TokenRevokedError (reason 'cognito' when Cognito said so) or RevocationUnavailableError.
   */
  checkToken(token: string, payload: RevocationClaims): Promise<void>;
  /**
   * Records what a verified token's holder ended at Cognito: its session ('session', by origin_jti)
   * or every session of the user ('user', from now on). A token an entry already covers records
   * nothing ('covered'): a replayed or older token never moves a user's instant.
   */
  announce(scope: 'session' | 'user', token: string, payload: RevocationClaims): Promise<AnnouncementOutcome>;
  /** The entry lifetime (seconds): the access-token lifetime. */
  readonly accessTokenLifetimeSeconds: number;
  /** The store's entries are loaded (a Redis store has read what Redis holds). */
  ready(): Promise<void>;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * A revocation list. Entries: a session by origin_jti (a local sign-out), a user by sub and an
 * instant in seconds (a global sign-out); each lives `accessTokenLifetimeSeconds`. Identifiers are
 * hashed (SHA-256) before they reach the store.
 */
export function createRevocationList(options: RevocationListOptions): RevocationList {
  const store = options.store ?? memoryRevocationStore();
  const now = options.now ?? Date.now;
  const lifetime = options.accessTokenLifetimeSeconds ?? 3600;
  if (!(lifetime > 0)) throw new RangeError('createRevocationList: accessTokenLifetimeSeconds must be above 0');
  const { revalidateAfterMs } = options;
  if (revalidateAfterMs !== undefined && !(revalidateAfterMs > 0)) throw new RangeError('createRevocationList: revalidateAfterMs must be above 0');
  const refuseWhenUnavailable = options.onStoreUnavailable === 'refuse';
  const askCognito = createCognitoCheck(options.cognito, options.cognitoTimeoutMs);
  const ttl = entryTtlSeconds(lifetime);
  /** One GetUser at a time per session in this process; the others wait for its answer. */
  const asking = new Map<string, Promise<CognitoVerdict>>();
  /** Sessions whose revalidation could not reach Cognito: not asked again before this (ms). */
  const retryAfter = new Map<string, number>();

  const keysOf = (payload: RevocationClaims) => {
    const ids = identifiersOf(payload);
    return { session: ids.session && hashIdentifier('session', ids.session), user: ids.user && hashIdentifier('user', ids.user) };
  };

  function entryVerdict(payload: RevocationClaims, at: number) {
    if (!store.available && refuseWhenUnavailable) throw new RevocationUnavailableError('The revocation list cannot reach its store, and refuses tokens until it can (onStoreUnavailable: refuse)');
    const keys = keysOf(payload);
    const userSignedOutAt = keys.user === undefined ? undefined : store.userSignedOutAt(keys.user, at);
    const verdict = verdictOf(payload, { sessionRevoked: keys.session !== undefined && store.sessionRevoked(keys.session, at), userSignedOutAt });
    // Where Cognito's answers about this token are kept. Revalidation: by session (origin_jti, else
    // the token's jti). The same-second case: by session and the user's instant, so that only an
    // answer given after that global sign-out was known can settle it.
    // Computed only when needed: a served token's check() then costs two hashes, not three.
    const answerKey = (): string | undefined => {
      const sessionId = identifiersOf(payload).session ?? (typeof (payload as { jti?: unknown }).jti === 'string' ? (payload as { jti: string }).jti : undefined);
      if (sessionId === undefined || sessionId === '') return undefined;
      return verdict.kind === 'ask' ? hashIdentifier('session', `${sessionId}@${userSignedOutAt}`) : hashIdentifier('session', sessionId);
    };
    return { keys, verdict, answerKey };
  }

  async function ask(token: string, key: string): Promise<CognitoVerdict> {
    let pending = asking.get(key);
    if (!pending) {
      pending = askCognito(token).finally(() => asking.delete(key));
      asking.set(key, pending);
    }
    return pending;
  }

  /** Cognito's verdict, acted on: a revoked session is recorded for the whole fleet, a valid one shared for `validForMs`. */
  async function askAndRecord(token: string, key: string, session: string | undefined, validForMs: number): Promise<CognitoVerdict> {
    const verdict = await ask(token, key);
    if (verdict === 'revoked' && session !== undefined) await store.revokeSession(session, ttl).catch(() => false);
    if (verdict === 'valid') await store.recordCognitoValid(key, validForMs).catch(() => {});
    return verdict;
  }

  const list: RevocationList = {
    accessTokenLifetimeSeconds: lifetime,

    check(payload) {
      const at = now();
      const { verdict, answerKey } = entryVerdict(payload, at);
      if (verdict.kind === 'refuse') throw new TokenRevokedError(verdict.reason);
      if (verdict.kind === 'ask') {
        const key = answerKey();
        if (key === undefined || store.cognitoValidUntil(key, at) === undefined) {
          throw new TokenRevokedError('user', 'The access token began in the same second as a global sign-out of its user; only Cognito can tell (withRevocation asks it)');
        }
      }
    },

    async checkToken(token, payload) {
      const at = now();
      const { keys, verdict, answerKey } = entryVerdict(payload, at);
      if (verdict.kind === 'refuse') throw new TokenRevokedError(verdict.reason);
      if (verdict.kind === 'ask') {
        const key = answerKey();
        if (key !== undefined && (await store.fetchCognitoValidUntil(key, at).catch(() => undefined)) !== undefined) return;
        if (key === undefined || !canAskCognito(payload as Record<string, unknown>)) throw new TokenRevokedError('user', 'The access token began in the same second as a global sign-out of its user, and cannot be asked about (no admin scope)');
        const answer = await askAndRecord(token, key, keys.session, ttl * 1000);
        if (answer === 'revoked') throw new TokenRevokedError('cognito');
        if (answer === 'unknown') throw new RevocationUnavailableError('The access token began in the same second as a global sign-out of its user, and Cognito could not be asked');
        return;
      }
      // Accepted by the entries: ask Cognito when this session's check is due (docs/server.md).
      if (revalidateAfterMs === undefined) return;
      const key = answerKey();
      if (key === undefined || !canAskCognito(payload as Record<string, unknown>)) return;
      if (!revalidationDue(store.cognitoValidUntil(key, at), at)) return;
      if ((retryAfter.get(key) ?? 0) > at) return;
      if ((await store.fetchCognitoValidUntil(key, at).catch(() => undefined)) !== undefined) return;
      const answer = await askAndRecord(token, key, keys.session, revalidateAfterMs);
      if (answer === 'revoked') throw new TokenRevokedError('cognito');
      if (answer === 'unknown') {
        // Cognito could not be asked: keep serving on the entries, and try again after an interval.
        retryAfter.set(key, at + revalidateAfterMs);
        if (retryAfter.size > 10_000) for (const [k, until] of retryAfter) if (until <= at) retryAfter.delete(k);
      }
    },

    async announce(scope, token, payload) {
      const at = now();
      const { keys, verdict, answerKey } = entryVerdict(payload, at);
      let outcome = announcementVerdict(verdict);
      if (outcome === 'ask') {
        // Same second as the user's instant: whether this holder could still end anything is Cognito's call.
        const key = answerKey();
        const answer = key === undefined ? 'unknown' : await askAndRecord(token, key, keys.session, ttl * 1000);
        if (answer === 'unknown' && scope === 'user') throw new RevocationUnavailableError('Cognito could not be asked whether this token was already signed out');
        outcome = answer === 'revoked' ? 'covered' : 'record';
      }
      if (outcome === 'covered') return 'covered';
      if (scope === 'session') {
        if (keys.session === undefined) return 'noSessionId';
        return (await store.revokeSession(keys.session, ttl)) ? 'recorded' : 'covered';
      }
      if (keys.user === undefined) return 'noSessionId';
      return (await store.revokeUser(keys.user, instantOf(at), ttl)) ? 'recorded' : 'covered';
    },

    ready: () => store.ready(),
    close: () => store.close(),
  };
  return list;
}

/**
 * A `customJwtCheck` for aws-jwt-verify that checks the list (list.check): one line,
 * `CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId, customJwtCheck: revocationCheck(list) })`.
 * It never sees the token, so it cannot ask Cognito: it refuses what it cannot decide (a token of
 * the very second of a global sign-out), and never revalidates. withRevocation() does both.
 */
export function revocationCheck(list: RevocationList): (props: { readonly payload: object }) => void {
  return ({ payload }) => list.check(payload as RevocationClaims);
}

/** The part of an aws-jwt-verify verifier withRevocation wraps: `verify(token, …)`. */
export interface VerifierLike {
  /** Verifies a JWT, resolving its payload. */
  verify(token: string, ...rest: never[]): Promise<object>;
}

/**
 * Wraps an aws-jwt-verify verifier: `verify(token)` has the verifier's signature; it verifies the
 * token, checks the list, and asks Cognito (GetUser, with the raw token) in the same-second case and
 * when `revalidateAfterMs` is due (list.checkToken). It rejects with the verifier's errors,
 * TokenRevokedError or RevocationUnavailableError.
 */
export function withRevocation<V extends VerifierLike>(verifier: V, list: RevocationList): Pick<V, 'verify'> {
  const verify = async (token: string, ...rest: never[]): Promise<object> => {
    const payload = await verifier.verify(token, ...rest);
    await list.checkToken(token, payload as RevocationClaims);
    return payload;
  };
  return { verify: verify as V['verify'] };
}
