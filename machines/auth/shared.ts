// What every region of the auth chart reads: the outcomes and errors the chart itself words, and
// the pure functions that read a fact out of an actor's output. No I/O, no secret.
import { ErrorNames, type ErrorInfo, type SessionSummary, type SignOutOutcome } from '../types.js';
import { toErrorInfo } from '../errorInfo.js';
import { CognitoExceptions } from '../errors/registry.js';
import type { CallAnswer } from './callTypes.js';
import type { AuthContext } from './types.js';
import type { OpenedHostedUi, RedirectOutcome, SignInStepOutput } from './signInTypes.js';
import type { StoredSession } from './sessionTypes.js';

/** The calls the auth chart answers itself (the outbox's are forwarded): the events `defer` and `refuse` take. */
export const SESSION_CALL_TYPES = ['SIGN_IN', 'CONFIRM_SIGN_IN', 'GET_SESSION', 'SIGN_OUT', 'SIGN_IN_WITH_REDIRECT', 'HANDLE_REDIRECT'] as const;

export const COMPLETE: SignOutOutcome = { type: 'complete' };
export const STEP_TIMED_OUT: ErrorInfo = { name: ErrorNames.timeout, message: 'Abandoned after networkTimeoutMs + 3 × storageTimeoutMs: nothing it returns will be stored' };
export const REFUSED_CANCELLED: ErrorInfo = { name: ErrorNames.redirectSignInCancelled, message: 'The hosted UI was closed before the sign-in finished' };
export const STORAGE_SILENT: ErrorInfo = { name: ErrorNames.storage, message: 'The storage did not answer in time; the session may or may not still be stored' };

/** A sign-out that could not clear this device; `tokensRevoked`: the server calls killed the tokens anyway. */
export const failedSignOut = (error: ErrorInfo, tokensRevoked: boolean): SignOutOutcome => ({ type: 'failed', error, tokensRevoked });

/** What a sign-in step's caller hears: the challenge to answer next, or signed in. */
export const answerOfStep = (step: SignInStepOutput): CallAnswer => (step.kind === 'challenge' ? { kind: 'challenge', challenge: step.challenge } : { kind: 'signedIn' });

/** What the caller of a step that failed hears: refused, with the error. */
export const refusedWith = (error: unknown): CallAnswer => ({ kind: 'refused', error: toErrorInfo(error) });

/** Cognito's refusals of a sign-in that mean the account needs a step first (machines/auth/accountSteps.ts names it). */
const ACCOUNT_STEP_REFUSALS: readonly string[] = [CognitoExceptions.userNotConfirmed, CognitoExceptions.passwordResetRequired];

/**
 * What the caller of a sign-in step that failed hears. Cognito refusing a user who has not
 * confirmed the sign-up, or who must reset the password, is the step the app takes next
 * (`accountStep`: CONFIRM_SIGN_UP, RESET_PASSWORD, as Amplify answers), not an error; any other
 * failure is refused with the error. Either way nobody is signed in and no challenge waits. Pure.
 */
export const answerOfFailure = (error: unknown): CallAnswer => {
  const info = toErrorInfo(error);
  return { kind: ACCOUNT_STEP_REFUSALS.includes(info.name) ? 'accountStep' : 'refused', error: info };
};

/** The session a sign-in step stored, or null when it ended on a challenge. */
export const sessionOfStep = (step: SignInStepOutput): SessionSummary | null => (step.kind === 'signedIn' ? step.session : null);

/** The session loadSession read, whatever the outbox holds of it; null when it read none. */
export const sessionOfStored = (stored: StoredSession | null): SessionSummary | null => (stored !== null && 'session' in stored ? stored.session : null);

/** A stored session a sign-out holds is never restored: revoked, it is cleared as ended (endingSession); queued, it is cleared (clearingQueuedSession). */
export function heldByOutbox() {
  const stored = ({ event }: { event: { output: StoredSession | null } }) => event.output;
  return [
    { guard: { type: 'isRevokedByOutbox' as const, params: stored }, target: 'endingSession' as const },
    { guard: { type: 'isQueuedByOutbox' as const, params: stored }, target: 'clearingQueuedSession' as const },
  ];
}

/** The session a return from the hosted UI stored, or null when it was no sign-in. */
export const sessionOfReturn = (outcome: RedirectOutcome): SessionSummary | null => (outcome.kind === 'signedIn' ? outcome.session : null);

/** The sign-out a return from /logout finished (what was recorded before the page went there). */
export const signOutOfReturn = (outcome: RedirectOutcome): SignOutOutcome => (outcome.kind === 'signedOut' ? outcome.outcome : COMPLETE);

/** The vault reference of the URL an auth session came back to, or null when it did not come back. */
export const returnedUrlOf = (opened: OpenedHostedUi): string | null => (opened.kind === 'returned' ? opened.credential : null);

/** The session came from the hosted UI (as the store recorded it): its `cognito` cookie is a layer to end. */
export const isHostedUiSession = (context: AuthContext): boolean => context.session?.signedInWith === 'hostedUi';

/**
 * The fact a refresh's failure may carry (refreshOnce, services/actors/authActors.ts): Cognito
 * rotated the refresh token and the new one is stored nowhere. `rotatedTokenRef` is its vault
 * receipt, never the token. Null when the failure carries no such fact. Pure.
 */
export const rotatedTokenRefOf = (error: unknown): string | null => receiptOf(error, 'rotatedTokenRef');

/**
 * The fact a sign-in's failure may carry (saveOrReport, services/actors/saveOrReport.ts): the store
 * took its tokens back, and the refresh token Cognito issued is live. `unstoredTokensRef` is its
 * vault receipt (a sign-out's `retry` source), never the token. Null when there is none. Pure.
 */
export const unstoredTokensRefOf = (error: unknown): string | null => receiptOf(error, 'unstoredTokensRef');

/**
 * A refresh's failure as the chart records and announces it. Cognito's NotAuthorizedException
 * 'Invalid Refresh Token' for a refresh that named the session's device (the fact `deviceKeySent`
 * the refresh's failure carries: services/cognito/refreshMethod.ts) is the device refusing it
 * (forgotten, or another user's): DeviceRefreshRefused. Any other failure is itself. Pure.
 */
export const refreshErrorOf = (error: unknown): unknown => {
  const { name, message } = toErrorInfo(error);
  return name === CognitoExceptions.notAuthorized && message === 'Invalid Refresh Token' && (error as { deviceKeySent?: unknown }).deviceKeySent ? { name: ErrorNames.deviceRefreshRefused, message } : error;
};

/** The vault reference of what confirming a sign-in's new device takes (SignInStepOutput's `device`); '' when there is none. Pure. */
export const deviceRefOf = (output: unknown): string => receiptOf(output, 'device') ?? '';

const receiptOf = (error: unknown, key: string): string | null => {
  const ref = typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[key] : null;
  return typeof ref === 'string' ? ref : null;
};

export const logoutUrlOf = (context: AuthContext): string => context.hostedUiSignOut?.logoutUrl ?? '';

/**
 * What an OAuth error on the return means. `access_denied` is the user (or the identity provider on
 * the user's behalf) declining the sign-in (RFC 6749, section 4.1.2.1): a cancel, as when the hosted
 * UI is closed. Any other code is a failure of the sign-in. Pure.
 */
export const oauthRefusalOf = (outcome: RedirectOutcome): ErrorInfo => {
  const { error, description } = outcome.kind === 'oauthError' ? outcome : { error: '', description: '' };
  const message = `The hosted UI answered ${error}${description ? ` (${description})` : ''}`;
  return { name: error === 'access_denied' ? ErrorNames.redirectSignInCancelled : ErrorNames.oauthError, message };
};

/** What a call asked, without its type and id (signIn()'s request, signInWithRedirect()'s options, kept by startSignIn). */
export const askedOf = <E extends { type: string; id: number }>({ type: _type, id: _id, ...asked }: E) => asked;
