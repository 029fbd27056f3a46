import { readJwtClaims } from './jwt.js';

/** The scope an access token needs for GlobalSignOut (and GetUser): Cognito's own API scope. */
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/** What a sign-out can do with these tokens, read from the access token's claims (no network). */
export interface TokenFacts {
  /** `origin_jti` is there: the app client has token revocation on, so RevokeToken can work. */
  readonly revocable: boolean;
  /**
   * The access token carries the admin scope, so GlobalSignOut can work. Hosted-UI tokens often
   * lack it. A token without a `scope` claim at all (not one Cognito issues) is given the benefit.
   */
  readonly globalCapable: boolean;
}

export function tokenFacts(tokens: { readonly accessToken?: string | undefined; readonly refreshToken?: string | undefined }): TokenFacts {
  if (!tokens.accessToken) return { revocable: tokens.refreshToken !== undefined, globalCapable: false };
  return factsOfClaims(readJwtClaims(tokens.accessToken) ?? {});
}

/** The same facts from claims already read (the token store reads them once per read). */
export function factsOfClaims(claims: Readonly<Record<string, unknown>>): TokenFacts {
  const { scope } = claims;
  return { revocable: typeof claims.origin_jti === 'string', globalCapable: typeof scope !== 'string' || scope.split(' ').includes(ADMIN_SCOPE) };
}
