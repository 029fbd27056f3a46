// The backend-for-frontend's hosted-UI routes (createServerAuth with `oauth`): the server is the
// confidential client (its secret, and PKCE). GET sign-in/redirect runs signInWithRedirect() over a
// new record, whose pending sign-in (state, verifier) stays there, and sends the browser to the
// hosted UI; GET callback runs handleRedirect() over that record: the chart checks the state (a
// replayed one is refused, the pending sign-in being gone) and exchanges the code.
import { clearedPendingCookie, newSessionId, pendingCookie, PENDING_COOKIE, sessionCookie, sessionHashOf, sessionIdOf } from '../../services/server/sessionCookie.js';
import { AuthInternalError, HostedUiError } from '../errors.js';
import { ErrorNames } from '../../machines/types.js';
import type { OpenerResult } from '../oauthConfig.js';
import type { HandledRedirect } from '../results.js';
import { refusal, type Answer, type BffRequest } from './bffHttp.js';
import { CHALLENGE_LIFETIME_SECONDS, withEngine, type BffParts } from './bffRoutes.js';

/** What the hosted-UI routes need beyond the routes' parts. */
export interface HostedUiParts extends BffParts {
  /** `oauth.redirectSignIn`: this server's callback URL, as registered on the app client. */
  readonly redirectSignIn: string;
  /** Where the browser goes once signed in. */
  readonly afterSignInUrl: string;
}

const redirect = (location: string, cookies: readonly string[], status = 302): Response => {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status, headers });
};

/** GET sign-in/redirect: a pending sign-in in a new record, named by a Lax cookie; 302 to the hosted UI. */
export async function signInRedirectRoute(parts: HostedUiParts): Promise<Answer> {
  const pendingId = newSessionId();
  const hash = sessionHashOf(pendingId);
  const opened: { url?: string } = {};
  const opener = async (url: string): Promise<OpenerResult> => {
    opened.url = url;
    return { type: 'navigating' };
  };
  await withEngine(parts, hash, (auth) => auth.signInWithRedirect(), opener);
  if (opened.url === undefined) throw new AuthInternalError(undefined, { name: ErrorNames.internal, message: 'The hosted UI was not opened' });
  await parts.store.expire(hash, CHALLENGE_LIFETIME_SECONDS);
  return redirect(opened.url, [pendingCookie(pendingId, CHALLENGE_LIFETIME_SECONDS)]);
}

/**
 * GET callback: the hosted UI's return. Signed in, the record takes a new id, named by the session
 * cookie, and the browser goes to `afterSignInUrl` (303). A state this server did not send, or sent
 * and used already, is refused (OAuthStateMismatch, 400), as is a return without its cookie.
 */
export async function callbackRoute(parts: HostedUiParts, request: BffRequest): Promise<Answer> {
  const pendingId = sessionIdOf(request.headers.get('cookie'), PENDING_COOKIE);
  const cleared = [clearedPendingCookie()];
  if (pendingId === null) return refusal(new HostedUiError(ErrorNames.oauthStateMismatch, 'The return from the hosted UI came without the cookie of a sign-in this server started'), cleared);
  const fromHash = sessionHashOf(pendingId);
  const url = `${parts.redirectSignIn}${new URL(request.url).search}`;
  let handled: HandledRedirect;
  try {
    handled = await withEngine(parts, fromHash, (auth) => auth.handleRedirect(url));
  } catch (error) {
    return refusal(error, cleared);
  }
  if (handled.type !== 'signedIn') return refusal(new HostedUiError(ErrorNames.oauthStateMismatch, 'This is not a return from a sign-in at the hosted UI'), cleared);
  const sessionId = newSessionId();
  const toHash = sessionHashOf(sessionId);
  await parts.store.rename(fromHash, toHash);
  await parts.store.expire(toHash, parts.sessionLifetimeSeconds);
  return redirect(parts.afterSignInUrl, [sessionCookie(sessionId, parts.sessionLifetimeSeconds), ...cleared], 303);
}
