// A header that shows who is signed in, and a sign-out button that reports what the sign-out did.
import { useState } from 'react';
import type { Auth, SignOutResult } from '../../src/index.js';
import { summarizeSignOut, useAuthState, type AuthView, type SignOutPhase, type SignOutSummary } from './useAuthState.js';

const PHASE_TEXT: Record<SignOutPhase, string> = {
  starting: 'Signing out…',
  revoking: 'Signing out… (revoking this device’s session)',
  invalidatingSessions: 'Signing out everywhere…',
  revokingAfterGlobalFailure: 'Signing out… (could not reach your other devices; securing this one)',
  clearingDevice: 'Signing out… (clearing this device)',
  leavingHostedUi: 'Signing out of the sign-in page…',
};

/** One sentence for an outcome. Error names only: never a token, never the raw result. */
export function describeSignOut(summary: SignOutSummary): string {
  switch (summary.type) {
    case 'complete':
      return 'You are signed out.';
    case 'failed':
      return `We could not sign you out on this device (${summary.name}). Try again.`;
    case 'redirecting':
      return 'Signed out on this device. Signing you out of the sign-in page…';
    case 'partial': {
      const server = summary.failed.filter(({ call }) => call !== '/logout');
      const names = server.map(({ call, name }) => `${call}: ${name}`).join(', ');
      const unconfirmed = server.length > 0 ? ` The server did not confirm it (${names}).` : '';
      const others = server.some(({ call }) => call === 'GlobalSignOut') ? ' Your other devices may still be signed in.' : '';
      const page = server.length < summary.failed.length ? ' The sign-in page may still remember you in this browser.' : '';
      return `Signed out on this device.${unconfirmed}${others}${page}`;
    }
  }
}

/** The token-free summary of a SignOutResult (which carries the retry tokens of a partial sign-out). */
export function summarizeResult(result: SignOutResult): SignOutSummary {
  if (result.type === 'failed') return { type: 'failed', name: result.error.name };
  if (result.type === 'complete') return { type: 'complete' };
  if (result.type === 'redirecting') return { type: 'redirecting' };
  // Error names only; finishedBy says who finishes it (the outbox, a retrySignOut(), or nothing).
  return summarizeSignOut({
    type: 'partial',
    finishedBy: result.finishedBy,
    ...(result.globalSignOutError && { globalSignOutError: { name: result.globalSignOutError.name, message: result.globalSignOutError.message } }),
    ...(result.revokeTokenError && { revokeTokenError: { name: result.revokeTokenError.name, message: result.revokeTokenError.message } }),
    ...(result.hostedUiError && { hostedUiError: { name: result.hostedUiError.name, message: result.hostedUiError.message } }),
  });
}

export function statusText(view: AuthView): string {
  switch (view.status) {
    case 'loading':
      return 'Loading…';
    case 'signedOut':
      return 'Signed out';
    case 'signingIn':
      return 'Signing in…';
    case 'awaitingCode':
      return view.method === 'TOTP' ? 'Enter the code from your authenticator app' : 'Enter the code we texted you';
    case 'awaitingNewPassword':
      return 'Choose a new password';
    case 'signedIn':
      return `Signed in as ${view.username}`;
    case 'revokedButStored':
      return 'Signed out on the server; this device still holds the session';
    case 'signingOut':
      return PHASE_TEXT[view.phase];
  }
}

/** "Sign out", disabled while a sign-out runs; afterwards, what happened. */
export function SignOutButton({ auth, global = false }: { auth: Auth; global?: boolean }) {
  const view = useAuthState(auth);
  // Only the token-free summary goes into React state. The SignOutResult itself carries the
  // retry tokens of a partial sign-out: keep it out of state, props, context and logs.
  const [outcome, setOutcome] = useState<SignOutSummary | null>(null);

  async function signOut() {
    setOutcome(null);
    const result = await auth.signOut({ global }); // never rejects for network reasons; bounded by networkTimeoutMs
    setOutcome(summarizeResult(result));
  }

  const signingOut = view.status === 'signingOut';
  // revokedButStored: the tokens are dead, but this device still holds them; signing out again clears it.
  return (
    <div className="sign-out">
      {(view.status === 'signedIn' || view.status === 'revokedButStored' || signingOut) && (
        <button type="button" onClick={() => void signOut()} disabled={signingOut}>
          {signingOut ? 'Signing out…' : global ? 'Sign out everywhere' : 'Sign out'}
        </button>
      )}
      {outcome && !signingOut && <p role="status">{describeSignOut(outcome)}</p>}
    </div>
  );
}

/** The app's header: the state, read from the statechart, and the button. */
export function AuthHeader({ auth, global }: { auth: Auth; global?: boolean }) {
  const view = useAuthState(auth);
  // After a sign-out that someone else started (another component, a test kit, a refused refresh),
  // the outcome still shows: the statechart keeps the last one, without tokens.
  const lastSignOut = view.status === 'signedOut' ? view.lastSignOut : null;
  return (
    <header>
      <p data-testid="auth-status">{statusText(view)}</p>
      {(view.status === 'signedIn' || view.status === 'revokedButStored') && view.signOutFailed && (
        <p role="alert">We could not sign you out on this device ({view.signOutFailed.name}). Try again.</p>
      )}
      {lastSignOut && lastSignOut.type !== 'complete' && <p data-testid="last-sign-out">{describeSignOut(lastSignOut)}</p>}
      <SignOutButton auth={auth} {...(global !== undefined && { global })} />
    </header>
  );
}
