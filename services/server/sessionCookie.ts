// The backend-for-frontend's session cookie (RFC 10017): a random 256-bit id, base64url, and
// nothing else. The id names the session only through its SHA-256, which is what the store keys
// (services/server/sessionStore.ts): a dump of the store yields no usable cookie.
import * as crypto from 'node:crypto';

/** The cookie's name, everywhere (http://localhost included: browsers treat localhost as secure). */
export const SESSION_COOKIE = '__Host-Http-authchart-session';
/**
 * The cookie of a hosted-UI sign-in in flight (GET sign-in/redirect to GET callback): SameSite=Lax,
 * because the hosted UI's redirect back is a cross-site navigation, which a Strict cookie misses.
 * It names only the pending sign-in (its state and PKCE verifier), never a session.
 */
export const PENDING_COOKIE = '__Host-Http-authchart-pending';

/** 32 random bytes in base64url, without padding: 43 characters. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** A new session id: 32 bytes from the platform's CSPRNG, base64url. */
export const newSessionId = (): string => crypto.randomBytes(32).toString('base64url');

/** Node's one-shot digest (20.12 and later): no Hash object per call, which is most of a short input's cost. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** The name a session id is stored under: its SHA-256, hex. */
export const sessionHashOf = oneShot ? (sessionId: string): string => oneShot('sha256', sessionId, 'hex') : (sessionId: string): string => crypto.createHash('sha256').update(sessionId).digest('hex');

/**
 * The session id a `Cookie` header carries, or null: none, a value that is not 43 base64url
 * characters (32 bytes), or two different values under the cookie's name (ambiguous) are all absent.
 */
export function sessionIdOf(cookieHeader: string | null, name: string = SESSION_COOKIE): string | null {
  if (!cookieHeader) return null;
  let found: string | null = null;
  for (const pair of cookieHeader.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    const value = pair.slice(at + 1).trim();
    if (!SESSION_ID.test(value) || (found !== null && found !== value)) return null;
    found = value;
  }
  return found;
}

/** The Set-Cookie value that gives the browser `sessionId` for `maxAgeSeconds`: Secure, HttpOnly, SameSite=Strict, Path=/, no Domain. */
export const sessionCookie = (sessionId: string, maxAgeSeconds: number): string => `${SESSION_COOKIE}=${sessionId}; Max-Age=${maxAgeSeconds}; Path=/; Secure; HttpOnly; SameSite=Strict`;

/** The Set-Cookie value that removes the cookie. */
export const clearedSessionCookie = (): string => `${SESSION_COOKIE}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict`;

/** The Set-Cookie value of a hosted-UI sign-in in flight: as the session's, but SameSite=Lax. */
export const pendingCookie = (pendingId: string, maxAgeSeconds: number): string => `${PENDING_COOKIE}=${pendingId}; Max-Age=${maxAgeSeconds}; Path=/; Secure; HttpOnly; SameSite=Lax`;

/** The Set-Cookie value that removes the pending sign-in's cookie. */
export const clearedPendingCookie = (): string => `${PENDING_COOKIE}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`;
