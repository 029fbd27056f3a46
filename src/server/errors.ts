// authchart/server's errors: AuthError subclasses, apart from src/errors.ts so that the browser
// entries carry none of them. Their names live in the registry (ServerErrorNames).
import { BffErrorNames, ServerErrorNames } from '../../machines/errors/registry.js';
import { AuthError } from '../errors.js';

/** Which entry refused a token: a session's (a sign-out by origin_jti), the user's (a global sign-out), or Cognito's own GetUser. */
export type TokenRevokedReason = 'session' | 'user' | 'cognito';

/**
 * An API's revocation list (authchart/server) refused an access token that verified: `reason` says
 * which entry matched ('session', 'user'), or that Cognito said it was revoked ('cognito').
 */
export class TokenRevokedError extends AuthError {
  static override readonly kind: string = 'TokenRevokedError';
  /**
   * @param reason Which entry refused the token.
   * @param message What happened, for people; by default, the reason in words.
   */
  constructor(
    readonly reason: TokenRevokedReason,
    message = `The access token was revoked (${reason === 'cognito' ? 'Cognito says so' : `a ${reason} sign-out`})`,
  ) {
    super(ServerErrorNames.tokenRevoked, message);
  }
}

/**
 * An API's revocation list could not decide: its store is unreachable and it was told to refuse
 * then (`onStoreUnavailable: 'refuse'`), or the decision needed Cognito, which did not answer.
 */
export class RevocationUnavailableError extends AuthError {
  static override readonly kind: string = 'RevocationUnavailableError';
  /** @param message What could not be reached. */
  constructor(message: string) {
    super(ServerErrorNames.revocationListUnavailable, message);
  }
}

/** The name of a request the backend-for-frontend refuses (BffErrorNames: NotSignedIn, CsrfHeaderMissing, OriginNotAllowed, …). */
export type ServerRequestErrorName = (typeof BffErrorNames)[keyof typeof BffErrorNames];

/**
 * A request the backend-for-frontend (createServerAuth) refused before any flow ran: its `name`
 * (docs/errors.md) decides the HTTP status, and the answer is `{ error: { name, message } }`.
 * The message never holds a token, a session id or a password.
 */
export class ServerRequestError extends AuthError {
  static override readonly kind: string = 'ServerRequestError';
  /**
   * @param name Which refusal it is.
   * @param message What happened, for people.
   */
  constructor(name: ServerRequestErrorName, message: string) {
    super(name, message);
  }
}
