// The error registry's server side (machines/errors/registry.ts re-exports both): the names only
// authchart/server meets, kept in a file of their own so that a reader of the registry finds the
// browser's names in one place and the server's in another. Both files are the one registry:
// __tests__/errorRegistry.test.ts reads them as such, and docs/errors.md is generated from both.

/**
 * The names only an API server's revocation list (authchart/server) meets: two of ours, and the
 * Cognito exception GetUser answers for a deleted user. Apart from ErrorNames so that the browser
 * entries, which never reach the server side, carry none of them.
 */
export const ServerErrorNames = {
  /** An API's revocation list refused an access token: an entry (a session's or the user's) or Cognito's GetUser says it was revoked. */
  tokenRevoked: 'TokenRevoked',
  /** An API's revocation list could not reach its store and was told to refuse then (`onStoreUnavailable: 'refuse'`), or a decision needed Cognito, which did not answer. */
  revocationListUnavailable: 'RevocationListUnavailable',
  /** Cognito's: the user no longer exists (deleted). GetUser's answer, which the list takes as revoked. */
  userNotFound: 'UserNotFoundException',
} as const;

/**
 * The backend-for-frontend's refusals of a request (createServerAuth, authchart/server), each
 * answered with the HTTP status its meaning names (machines/server/bffPolicy.ts decides it). Apart
 * from ServerErrorNames, which a browser bundle may hold, so that none of them ever reaches one.
 */
export const BffErrorNames = {
  /** The backend-for-frontend (createServerAuth) found no signed-in session for the request: no session cookie, a malformed or unknown one, or a session that has ended. HTTP 401. */
  notSignedIn: 'NotSignedIn',
  /** A state-changing request to the backend-for-frontend without the header `X-Authchart-CSRF: 1` (which forces a CORS preflight). Nothing was done. HTTP 403. */
  csrfHeaderMissing: 'CsrfHeaderMissing',
  /** A state-changing request to the backend-for-frontend whose `Origin` is missing, `null`, or not in `allowedOrigins` (the request's own origin when that option is left out). Nothing was done. HTTP 403. */
  originNotAllowed: 'OriginNotAllowed',
  /** No route of the backend-for-frontend, and no proxy entry, matches the request's path (a path off the proxy's allow-list included). HTTP 404. */
  routeNotFound: 'RouteNotFound',
  /** The backend-for-frontend's route exists, but not for this HTTP method; the `Allow` header lists the ones it takes. HTTP 405. */
  methodNotAllowed: 'MethodNotAllowed',
  /** A request body larger than the backend-for-frontend's limit (`maxBodyBytes`, or `maxProxyBodyBytes` through the proxy): refused without being read further. HTTP 413. */
  bodyTooLarge: 'BodyTooLarge',
  /** A request body the backend-for-frontend cannot read: not JSON, or not a JSON object. HTTP 400. */
  badRequestBody: 'BadRequestBody',
  /** A proxied path whose rest could leave the upstream's path: a `.` or `..` segment, an encoded slash or backslash, a control character, or bad percent-encoding. Nothing was sent upstream. HTTP 400. */
  proxyPathRefused: 'ProxyPathRefused',
  /** The backend-for-frontend's proxy could not reach the upstream API, or it did not answer within `proxyTimeoutMs`. HTTP 502. */
  upstreamUnreachable: 'UpstreamUnreachable',
} as const;
