// The backend-for-frontend's auth routes (createServerAuth). Each request runs the library's own
// engine (createAuth's, over the session's record in the store): the one the process keeps for a
// signed-in session (bffEngines.ts), or, for a sign-in step, one for that call alone. The charts
// decide every step of a sign-in, a refresh and a sign-out; here are only the cookie, the store's
// names and the answers. docs/server.md, "The backend-for-frontend".
import { waitFor } from 'xstate';
import type { Auth } from '../authCore.js';
import type { ErrorInfo, FinishedBy } from '../../machines/types.js';
import { BffErrorNames } from '../../machines/errors/registry.js';
import { leftAfterAttempt } from '../../machines/server/outboxPolicy.js';
import { readJwtClaims } from '../../services/encoding/jwt.js';
import { clearedSessionCookie, newSessionId, sessionCookie, sessionHashOf, sessionIdOf } from '../../services/server/sessionCookie.js';
import type { FinishReport, SessionStore } from '../../services/server/sessionStore.js';
import { queuedIntentsIn } from '../../services/storage/signOutOutbox.js';
import { AuthValidationError } from '../errors.js';
import type { SignInResult, SignOutResult } from '../results.js';
import type { ConfirmSignInOptions, SignInOptions } from '../validate.js';
import type { AuthOpener } from '../oauthConfig.js';
import { json, readJsonObject, refusal, type Answer, type BffRequest } from './bffHttp.js';
import { oneOff, type KeptEngines } from './bffEngines.js';
import { ServerRequestError } from './errors.js';

/** How long a record holding a pending challenge (and its cookie) lives, in seconds: Cognito's longest AuthSessionValidity, 15 minutes. */
export const CHALLENGE_LIFETIME_SECONDS = 900;

/** What the routes share, built once by createServerAuth. */
export interface BffParts {
  readonly store: SessionStore;
  /** A new engine over the record named `hash` (with `opener`, the hosted UI's, for that one call). */
  readonly engine: (hash: string, opener?: AuthOpener) => Auth;
  /** The engines kept between a session's requests (bffEngines.ts). */
  readonly kept: KeptEngines;
  /** GET session's answers as last made, by session hash (sessionAnswerOf); emptied by close(). */
  readonly sessionAnswers: Map<string, SessionAnswer>;
  readonly sessionLifetimeSeconds: number;
  readonly maxBodyBytes: number;
  /** The storage key of the sign-out outbox in a record (the engine's own: storageKeys(clientId).outbox). */
  readonly outboxKey: string;
}

/** POST sign-out's answer: the sign-out result of the client library, without any token. */
export type ServerSignOutResult =
  | {
      /** The session is cleared, and every server call the sign-out needed succeeded. */
      readonly type: 'complete';
      /** The session is no longer stored. */
      readonly signedOutLocally: true;
    }
  | {
      /** The session is cleared, but a Cognito call did not succeed: `finishedBy` says what finishes it. */
      readonly type: 'partial';
      /** The session is no longer stored. */
      readonly signedOutLocally: true;
      /** What the sign-out asked for: true for every device of the user. */
      readonly global?: boolean;
      /** Why GlobalSignOut failed. */
      readonly globalSignOutError?: ErrorInfo;
      /** Why RevokeToken failed, or was not sent. */
      readonly revokeTokenError?: ErrorInfo;
      /** A hosted-UI session: its `cognito` cookie may still live in the browser; sending the browser to `logoutUrl` ends it. */
      readonly hostedUiError?: ErrorInfo & {
        /** The hosted UI's /logout URL (no secret in it). */
        readonly logoutUrl?: string;
      };
      /** 'outbox': the server's processes finish it (the fleet outbox); 'nothing': no retry can help. */
      readonly finishedBy: FinishedBy;
    }
  | {
      /** The session could not be cleared from the store: still signed in (the cookie is kept). */
      readonly type: 'failed';
      /** The session is still stored. */
      readonly signedOutLocally: false;
      /** Why the store could not be cleared: StorageError. */
      readonly error: ErrorInfo;
    };

/**
 * Runs one call on a new engine over the record named `hash`, then stops the engine, whatever the
 * call did: the sign-in steps (each moves the record to a new name) and the outbox's attempts.
 */
export const withEngine = <T>(parts: BffParts, hash: string, run: (auth: Auth) => Promise<T>, opener?: AuthOpener): Promise<T> => oneOff(parts.engine(hash, opener), run);

/** Runs one call on the engine this process keeps for the session `hash` (a new one when its record changed): GET session, the proxy, POST sign-out. */
export const withSessionEngine = <T>(parts: BffParts, hash: string, run: (auth: Auth) => Promise<T>): Promise<T> => parts.kept.run(hash, run);

/** Resolves once the engine has read its record (its chart has left loadingSession). */
const loaded = (auth: Auth) => waitFor(auth.actor, (snapshot) => !snapshot.matches('loadingSession'));
/** The engine found no session in its record. */
const holdsNoSession = (auth: Auth) => auth.actor.getSnapshot().matches('signedOut');

const notSignedIn = () => new ServerRequestError(BffErrorNames.notSignedIn, 'Nobody is signed in with this session');
const only = (error: ErrorInfo): ErrorInfo => ({ name: error.name, message: error.message });

/** A sign-in step's answer, under a new session id (no fixation): the record moves to the id's hash and the cookie names it. */
async function answerStep(parts: BffParts, result: SignInResult, fromHash: string | null, toHash: string, sessionId: string): Promise<Answer> {
  if (fromHash !== null) await parts.store.rename(fromHash, toHash);
  const lifetime = result.isSignedIn ? parts.sessionLifetimeSeconds : CHALLENGE_LIFETIME_SECONDS;
  await parts.store.expire(toHash, lifetime);
  return json(200, { isSignedIn: result.isSignedIn, nextStep: result.nextStep }, [sessionCookie(sessionId, lifetime)]);
}

/**
 * POST sign-in `{ username, password, authFlow? }` (or Amplify's `options.authFlowType`): signIn()
 * over the record the cookie names (a pending challenge there starts over; a session there is
 * refused, UserAlreadyAuthenticatedException), or over a new one. Signed in, or met with a
 * challenge, the record takes a new random id.
 */
export async function signInRoute(parts: BffParts, request: BffRequest): Promise<Answer> {
  const body = await readJsonObject(request, parts.maxBodyBytes);
  const options = typeof body.options === 'object' && body.options !== null ? (body.options as Record<string, unknown>) : {};
  const authFlow = body.authFlow ?? options.authFlowType;
  const input = { username: body.username, password: body.password, ...(authFlow !== undefined && { authFlow }) } as SignInOptions;
  const old = sessionIdOf(request.headers.get('cookie'));
  const fromHash = old === null ? null : sessionHashOf(old);
  const sessionId = newSessionId();
  const toHash = sessionHashOf(sessionId);
  const result = await withEngine(parts, fromHash ?? toHash, (auth) => auth.signIn(input));
  return answerStep(parts, result, fromHash, toHash, sessionId);
}

/** POST confirm-sign-in, confirmSignIn()'s input: answers the challenge pending in the cookie's record. */
export async function confirmSignInRoute(parts: BffParts, request: BffRequest): Promise<Answer> {
  const old = sessionIdOf(request.headers.get('cookie'));
  if (old === null) throw notSignedIn();
  const body = await readJsonObject(request, parts.maxBodyBytes);
  const fromHash = sessionHashOf(old);
  const result = await withEngine(parts, fromHash, (auth) => auth.confirmSignIn(body as unknown as ConfirmSignInOptions));
  const sessionId = newSessionId();
  return answerStep(parts, result, fromHash, sessionHashOf(sessionId), sessionId);
}

/** GET session's answer as made for an ID token and username: its JSON, or null (not a token with claims). */
export interface SessionAnswer {
  readonly idToken: string;
  readonly username: string | undefined;
  readonly body: string | null;
}

/**
 * The JSON of GET session's answer, as last made for the session: a kept session answers many
 * requests with one ID token (decoding it and writing the JSON cost more than the rest of the
 * answer). Keyed by the session's hash, in this server's memory only, as the kept engines' reads
 * are; at most 1024 sessions; dropped at the session's sign-out or 401.
 */
function sessionAnswerOf(sessionAnswers: Map<string, SessionAnswer>, hash: string, idToken: string, username: string | undefined): string | null {
  const made = sessionAnswers.get(hash);
  if (made && made.idToken === idToken && made.username === username) return made.body;
  const claims = readJwtClaims(idToken);
  const body = claims ? JSON.stringify({ user: { sub: claims.sub, username, claims } }) : null;
  if (sessionAnswers.size >= 1024) sessionAnswers.clear();
  sessionAnswers.set(hash, { idToken, username, body });
  return body;
}

/** GET session's headers, and its answer's (no) cookies: the same objects for every answer, as writing them reads them only. */
const SESSION_HEADERS = json(200, null).headers;
const NO_COOKIES: readonly string[] = [];
const getSessionOf = (auth: Auth) => auth.getSession();

/** GET session: who is signed in, `{ user: { sub, username, claims } }` (the ID token's claims, never a token), refreshed first when due; else 401. */
export async function sessionRoute(parts: BffParts, request: BffRequest): Promise<Answer> {
  const id = sessionIdOf(request.headers.get('cookie'));
  if (id === null) throw notSignedIn();
  const hash = sessionHashOf(id);
  const session = await withSessionEngine(parts, hash, getSessionOf);
  const body = session.tokens ? sessionAnswerOf(parts.sessionAnswers, hash, session.tokens.idToken, session.username) : null;
  if (body === null) {
    parts.sessionAnswers.delete(hash); // nobody is signed in: nothing of the session's is kept
    return refusal(notSignedIn(), [clearedSessionCookie()]);
  }
  return { status: 200, body, headers: SESSION_HEADERS, cookies: NO_COOKIES };
}

/** The result without a token: names and messages of what failed, and who finishes it. */
function withoutSecrets(result: SignOutResult): ServerSignOutResult {
  if (result.type === 'failed') return { type: 'failed', signedOutLocally: false, error: only(result.error) };
  if (result.type !== 'partial') return { type: 'complete', signedOutLocally: true };
  const { global, globalSignOutError, revokeTokenError, hostedUiError, finishedBy } = result;
  return {
    type: 'partial',
    signedOutLocally: true,
    ...(global !== undefined && { global }),
    ...(globalSignOutError && { globalSignOutError: only(globalSignOutError) }),
    ...(revokeTokenError && { revokeTokenError: only(revokeTokenError) }),
    ...(hostedUiError && { hostedUiError: { ...only(hostedUiError), ...(hostedUiError.logoutUrl !== undefined && { logoutUrl: hostedUiError.logoutUrl }) } }),
    finishedBy,
  };
}

/**
 * POST sign-out `{ global? }`: 401 without a session. Else the fleet outbox learns of the session
 * first (write-ahead: if this process dies, another finishes it), then signOut() runs the sign-out
 * chart over the record. Answered with its result, without a token, and the cookie cleared.
 */
export async function signOutRoute(parts: BffParts, request: BffRequest): Promise<Answer> {
  const id = sessionIdOf(request.headers.get('cookie'));
  if (id === null) throw notSignedIn();
  const body = await readJsonObject(request, parts.maxBodyBytes);
  if (body.global !== undefined && typeof body.global !== 'boolean') throw new AuthValidationError('global', 'must be a boolean');
  const hash = sessionHashOf(id);
  parts.sessionAnswers.delete(hash);
  const result = await withSessionEngine(parts, hash, async (auth) => {
    await loaded(auth);
    if (holdsNoSession(auth)) return null;
    await parts.store.outbox.enqueue(hash);
    return auth.signOut({ global: body.global === true });
  });
  if (!result) return refusal(notSignedIn(), [clearedSessionCookie()]);
  return json(200, withoutSecrets(result), result.signedOutLocally ? [clearedSessionCookie()] : []);
}

/**
 * What the fleet outbox runs for a session it holds: an engine over the record finishes the
 * sign-out intents queued there (flushRevocations()); with none left and no session stored, the
 * record is destroyed (leftAfterAttempt, machines/server/outboxPolicy.ts, decides what is left).
 * Idempotent: Cognito's RevokeToken and GlobalSignOut may be sent twice.
 */
export function finisher(parts: BffParts): (hash: string) => Promise<FinishReport> {
  return async (hash) => {
    const drained = await withEngine(parts, hash, async (auth) => {
      const report = await auth.flushRevocations();
      await loaded(auth);
      return leftAfterAttempt(report.pending, !holdsNoSession(auth));
    });
    // A drain that could not read the record counts only its own engine's memory (0 for a fresh
    // one): a 0 is confirmed by reading the record's outbox itself. A read that fails throws, and
    // the fleet's outbox tries again later; the record is never destroyed on a count it cannot trust.
    const left = drained > 0 ? drained : queuedIntentsIn(await parts.store.storageFor(hash).getItem(parts.outboxKey));
    if (left === 0) await parts.store.destroy(hash);
    return { left };
  };
}
