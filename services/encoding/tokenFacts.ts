import type { AccessScope, IntentFacts } from '../../machines/signOutTypes.js';
import { readJwtClaims } from './jwt.js';

/** The scope an access token needs for GlobalSignOut (and GetUser): Cognito's own API scope. */
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/**
 * What a sign-out can do with these tokens, read from the access token's claims (no network):
 * facts only. What they mean (is an absent scope worth a GlobalSignOut? has the token expired for
 * this flow?) is decided by the sign-out chart's guards. `now` is the services' clock.
 */
export function tokenFacts(tokens: { readonly accessToken?: string | undefined; readonly refreshToken?: string | undefined }, now: number): IntentFacts {
  // No access token: no scope at all, so nothing GlobalSignOut could be sent with.
  if (!tokens.accessToken) return { revocable: tokens.refreshToken !== undefined, scope: 'other' };
  const claims = readJwtClaims(tokens.accessToken) ?? {};
  const { exp, username } = claims;
  return { ...factsOfClaims(claims), ...(typeof exp === 'number' && { accessTokenExpiresInMs: exp * 1000 - now }), ...(typeof username === 'string' && { username }) };
}

/** The facts that need no clock, from claims already read (the token store reads them once per read). */
export function factsOfClaims(claims: Readonly<Record<string, unknown>>): { readonly revocable: boolean; readonly scope: AccessScope } {
  return { revocable: typeof claims.origin_jti === 'string', scope: scopeOf(claims.scope) };
}

/** What a `scope` claim says about the admin scope; a claim that is not a string counts as absent. */
function scopeOf(claim: unknown): AccessScope {
  if (typeof claim !== 'string') return 'absent';
  return claim.split(' ').includes(ADMIN_SCOPE) ? 'admin' : 'other';
}
