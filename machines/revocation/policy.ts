// What a revocation entry means for a token: pure decisions, no I/O. The list (src/server) gathers
// the facts (the entries its store holds, the token's claims, the clock, Cognito's answer) and asks
// these functions what they mean; docs/server.md explains each rule.

/** Which kind of entry refused a token, or that Cognito itself did (GetUser said it was revoked). */
export type RevocationReason = 'session' | 'user' | 'cognito';

/** The claims of an access token the list reads (a verified payload). */
export interface RevocationClaims {
  /** The user's id. */
  readonly sub?: unknown;
  /** The session's id: shared by every token one refresh token minted, across refreshes. */
  readonly origin_jti?: unknown;
  /** When the user authenticated (the session began), in seconds. */
  readonly auth_time?: unknown;
  /** When this token was issued, in seconds. */
  readonly iat?: unknown;
  /** When this token expires, in seconds. */
  readonly exp?: unknown;
}

/** What the list's entries say about one token: the facts a decision needs. */
export interface EntryFacts {
  /** An entry ends the token's session (its origin_jti). */
  readonly sessionRevoked: boolean;
  /** The instant (seconds) before which the user signed out everywhere, if an entry says so. */
  readonly userSignedOutAt: number | undefined;
}

/**
 * A token's verdict from the entries alone: `accept`, `refuse` (with the kind of entry), or `ask`:
 * the token began in the very second the user signed out everywhere, and seconds cannot tell before
 * from after, so Cognito (GetUser) decides.
 */
export type EntryVerdict = { readonly kind: 'accept' } | { readonly kind: 'refuse'; readonly reason: 'session' | 'user' } | { readonly kind: 'ask' };

const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * When the token's session began, in seconds: `auth_time`, else `iat`. A global sign-out ends every
 * refresh token issued before it, so a token refreshed after it can only belong to a session that
 * began after it: the session's start is what a user entry is compared with, not the refresh.
 */
export function sessionStartOf(claims: RevocationClaims): number | undefined {
  if (isSeconds(claims.auth_time)) return Math.floor(claims.auth_time);
  if (isSeconds(claims.iat)) return Math.floor(claims.iat);
  return undefined;
}

/** The identifiers a token's entries are found by; absent ones are undefined. */
export function identifiersOf(claims: RevocationClaims): { readonly session: string | undefined; readonly user: string | undefined } {
  const session = typeof claims.origin_jti === 'string' && claims.origin_jti !== '' ? claims.origin_jti : undefined;
  const user = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
  return { session, user };
}

/**
 * The verdict of the entries on a token. A session entry refuses. A user entry refuses a session
 * that began in an earlier second, accepts one that began in a later second, and asks Cognito about
 * one that began in the same second. A token with no time claim at all is refused by a user entry
 * (nothing shows it began after the sign-out).
 */
export function verdictOf(claims: RevocationClaims, facts: EntryFacts): EntryVerdict {
  if (facts.sessionRevoked) return { kind: 'refuse', reason: 'session' };
  if (facts.userSignedOutAt === undefined) return { kind: 'accept' };
  const began = sessionStartOf(claims);
  if (began === undefined || began < facts.userSignedOutAt) return { kind: 'refuse', reason: 'user' };
  return began === facts.userSignedOutAt ? { kind: 'ask' } : { kind: 'accept' };
}

/**
 * The user's instant after a global sign-out recorded at `signedOutAt`: an instant only moves
 * forward, so a late or replayed announcement never re-opens what an earlier one closed, and never
 * moves it back.
 */
export function nextUserInstant(current: number | undefined, signedOutAt: number): number {
  return current === undefined || signedOutAt > current ? signedOutAt : current;
}

/** The instant (whole seconds) recorded for a global sign-out announced at `nowMs`. */
export const instantOf = (nowMs: number): number => Math.floor(nowMs / 1000);

/**
 * Whether a session is due for another check with Cognito: when no answer about it holds any more
 * (an answer holds `revalidateAfterMs` from when Cognito gave it).
 */
export function revalidationDue(validUntilMs: number | undefined, nowMs: number): boolean {
  return validUntilMs === undefined || validUntilMs <= nowMs;
}

/**
 * How long an entry lives (seconds): as long as a token it covers could still be valid. A token
 * issued just before the entry was written expires `accessTokenLifetimeSeconds` later, so the entry
 * outlives the last token it can refuse, and no longer.
 */
export const entryTtlSeconds = (accessTokenLifetimeSeconds: number): number => Math.max(1, Math.ceil(accessTokenLifetimeSeconds));

/** What an announcement may do, given the verdict of the entries on the announcing token. */
export type AnnouncementVerdict = 'record' | 'covered' | 'ask';

/**
 * A token already covered by an entry announces nothing: its holder could no longer end anything at
 * Cognito. So a replayed or older token never moves a user's instant, and sessions signed in after
 * a global sign-out stay valid. A token of the same second as the user's instant is asked about.
 */
export function announcementVerdict(verdict: EntryVerdict): AnnouncementVerdict {
  return verdict.kind === 'refuse' ? 'covered' : verdict.kind === 'ask' ? 'ask' : 'record';
}

/** Whether a token's `exp` (seconds) has passed at `nowMs`. A token without `exp` counts as expired. */
export function isExpired(claims: RevocationClaims, nowMs: number): boolean {
  return !isSeconds(claims.exp) || claims.exp * 1000 <= nowMs;
}
