// A React view of an authchart instance: what the UI needs to know, derived from the statechart.
// In an app, import from 'authchart'; this example imports the sources so that it is tested as is.
import { useSelector } from '@xstate/react';
import type { Auth, ErrorInfo, SignOutOutcome } from '../../src/index.js';

/**
 * What the UI shows. Plain data: no token ever, so it can live in React state, props and logs.
 * Built from `auth.actor`, whose context never holds a token either.
 */
export type AuthView =
  | { readonly status: 'loading' }
  | { readonly status: 'signedOut'; readonly lastSignOut: SignOutSummary | null }
  | { readonly status: 'signingIn' }
  | { readonly status: 'awaitingCode'; readonly method: 'TOTP' | 'SMS' }
  | { readonly status: 'awaitingNewPassword' }
  | { readonly status: 'signedIn'; readonly username: string; readonly signOutFailed: ErrorInfo | null }
  /** A sign-out killed the tokens on the server but could not clear this device: signOut() again clears it. */
  | { readonly status: 'revokedButStored'; readonly signOutFailed: ErrorInfo | null }
  | { readonly status: 'signingOut'; readonly phase: SignOutPhase };

/** Where a running sign-out is, from the `signOut` child statechart. */
export type SignOutPhase = 'starting' | 'revoking' | 'invalidatingSessions' | 'revokingAfterGlobalFailure' | 'clearingDevice' | 'leavingHostedUi';

/** A sign-out outcome without tokens: what a UI may keep and show. */
export type SignOutSummary =
  | { readonly type: 'complete' }
  | { readonly type: 'partial'; readonly failed: ReadonlyArray<{ readonly call: 'GlobalSignOut' | 'RevokeToken' | '/logout'; readonly name: string }> }
  | { readonly type: 'failed'; readonly name: string }
  /** The page is on its way to the hosted UI's /logout; handleRedirect() has the rest. */
  | { readonly type: 'redirecting' };

/** Drops everything but the names: works on a SignOutResult (which carries retry tokens) and on the machine's outcome. */
export function summarizeSignOut(outcome: SignOutOutcome): SignOutSummary {
  switch (outcome.type) {
    case 'complete':
      return { type: 'complete' };
    case 'failed':
      return { type: 'failed', name: outcome.error.name };
    case 'partial': {
      const failed: Array<{ call: 'GlobalSignOut' | 'RevokeToken' | '/logout'; name: string }> = [];
      if (outcome.globalSignOutError) failed.push({ call: 'GlobalSignOut', name: outcome.globalSignOutError.name });
      if (outcome.revokeTokenError) failed.push({ call: 'RevokeToken', name: outcome.revokeTokenError.name });
      if (outcome.hostedUiError) failed.push({ call: '/logout', name: outcome.hostedUiError.name });
      return { type: 'partial', failed };
    }
  }
}

type AuthSnapshot = ReturnType<Auth['actor']['getSnapshot']>;

/** The view for one snapshot of the auth statechart. Pure: usable without React too. */
export function toAuthView(snapshot: AuthSnapshot): AuthView {
  const { session, lastSignOut } = snapshot.context;
  if (snapshot.matches('loadingSession')) return { status: 'loading' };
  if (snapshot.matches('signingIn') || snapshot.matches('answeringChallenge')) return { status: 'signingIn' };
  if (snapshot.matches('awaitingChallengeAnswer')) {
    // One state for every challenge: `context.challenge.name` says which one.
    const challenge = snapshot.context.challenge?.name;
    if (challenge === 'NEW_PASSWORD_REQUIRED') return { status: 'awaitingNewPassword' };
    return { status: 'awaitingCode', method: challenge === 'SMS_MFA' ? 'SMS' : 'TOTP' };
  }
  if (snapshot.matches('signingOut')) return { status: 'signingOut', phase: 'starting' };
  if (snapshot.matches('recordingHostedUiSignOut') || snapshot.matches('openingLogout')) return { status: 'signingOut', phase: 'leavingHostedUi' };
  if (snapshot.matches('revokedButStored')) return { status: 'revokedButStored', signOutFailed: lastSignOut?.type === 'failed' ? lastSignOut.error : null };
  if (snapshot.matches('signedIn')) {
    // Back in signedIn after a sign-out: it was `failed` (the server calls failed and the storage could not be cleared).
    const signOutFailed = lastSignOut?.type === 'failed' ? lastSignOut.error : null;
    return { status: 'signedIn', username: session?.username ?? '', signOutFailed };
  }
  // signedOut, and endingSession (a refused refresh is clearing the store).
  return { status: 'signedOut', lastSignOut: lastSignOut ? summarizeSignOut(lastSignOut) : null };
}

const AFTER_SERVER_CALLS: readonly unknown[] = ['serverCallsDone', 'clearingCache', 'settlingIntent', 'settled', 'done', 'failed'];

/**
 * The sign-out child's state value → a phase. The child runs requested → recordingIntent →
 * choosingCalls → callingCognito.{revoking | signingOutGlobally.{invalidatingSessions | revoking}}
 * → serverCallsDone → clearingCache → settlingIntent → settled → done | failed.
 */
function toSignOutPhase(value: unknown): SignOutPhase {
  if (AFTER_SERVER_CALLS.includes(value)) return 'clearingDevice';
  if (value && typeof value === 'object' && 'callingCognito' in value) {
    const calling = (value as { callingCognito: unknown }).callingCognito;
    if (calling === 'revoking') return 'revoking';
    if (calling && typeof calling === 'object' && 'signingOutGlobally' in calling) {
      return (calling as { signingOutGlobally: unknown }).signingOutGlobally === 'revoking' ? 'revokingAfterGlobalFailure' : 'invalidatingSessions';
    }
  }
  return 'starting';
}

// The view is small plain data: compare it structurally so that a snapshot that changes
// nothing visible (e.g. signedIn.active → signedIn.refreshing) does not re-render.
const sameView = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The auth state for a component. Re-renders only when the view changes.
 * The sign-out runs in a child actor (`signOut`): the parent's snapshot does not change while the
 * child moves from GlobalSignOut to RevokeToken, so the phase is selected from the child itself.
 */
export function useAuthState(auth: Auth): AuthView {
  const view = useSelector(auth.actor, toAuthView, sameView);
  const signOutChild = useSelector(auth.actor, (snapshot) => snapshot.children.signOut);
  const phase = useSelector(signOutChild, (snapshot) => (snapshot && 'value' in snapshot ? toSignOutPhase(snapshot.value) : 'starting'));
  return view.status === 'signingOut' ? { status: 'signingOut', phase } : view;
}
