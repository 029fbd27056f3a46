// What a call's result means, in one line, and the result itself with every token withheld.
// Nothing here ever puts a token on the page: summaries keep names and messages only.
import type { AssociateWebAuthnCredentialOutput } from '../../../src/account/index';
import type { AuthSession, HandledRedirect, RedirectSignInResult, SignOutResult } from '../../../src/fetch/index';

const TOKEN_KEYS = new Set(['accessToken', 'idToken', 'refreshToken', 'tokens']);

/** The value as JSON, with every token (and the `tokens` object) replaced by '<withheld>'. */
export function withheld(value: unknown): string {
  return JSON.stringify(value, (key, field: unknown) => (TOKEN_KEYS.has(key) && field !== undefined ? '<withheld>' : field)) ?? 'undefined';
}

/** A rejected call: its error's name and message only. */
export function rejection(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'NotAnError', message: String(error) };
}

const FINISHED_BY: Record<string, string> = {
  outbox: 'the outbox (it retries with backoff, at the next start and on flushRevocations())',
  retrySignOut: 'retrySignOut(result), when called',
  nothing: 'nothing: no retry can help',
  openLogoutUrl: "opening hostedUiError.logoutUrl in this browser (the hosted UI's cookie)",
};

export function signOutMeaning(result: SignOutResult): string {
  switch (result.type) {
    case 'complete':
      return 'complete: this device is cleared and the server ended the session';
    case 'failed':
      return `failed: nothing was cleared, still signed in (${result.error.name}); call signOut() again`;
    case 'redirecting':
      return "redirecting: this device is cleared; on the way to the hosted UI's /logout, and handleRedirect() on the return has the result";
    case 'partial': {
      const failed = [
        result.globalSignOutError && `GlobalSignOut failed (${result.globalSignOutError.name})`,
        result.revokeTokenError && `RevokeToken failed (${result.revokeTokenError.name})`,
        result.hostedUiError && `/logout not visited (${result.hostedUiError.name})`,
      ].filter(Boolean);
      return `partial: this device is cleared; ${failed.join(', ')}; what finishes it: ${FINISHED_BY[result.finishedBy] ?? result.finishedBy}`;
    }
  }
}

export function signInMeaning(result: RedirectSignInResult): string {
  if (result.isSignedIn) return 'signed in';
  if (result.nextStep.signInStep === 'REDIRECTING') return 'redirecting: the page is on its way to the hosted UI';
  return `not yet signed in: next step ${result.nextStep.signInStep}`;
}

/** A sign-in answered by the passkey prompt (USER_AUTH with WEB_AUTHN preferred). */
export function passkeySignInMeaning(result: RedirectSignInResult): string {
  if (result.isSignedIn) return "signed in with the passkey: the authenticator signed Cognito's challenge";
  // A user with no passkey: Cognito does not offer WEB_AUTHN, it asks for a first factor instead.
  const offered = 'availableChallenges' in result.nextStep ? result.nextStep.availableChallenges : undefined;
  if (offered && !offered.includes('WEB_AUTHN')) return `no passkey yet: Cognito offers ${offered.join(', ')} only; sign in with SRP, then "Register a passkey"`;
  return signInMeaning(result);
}

/** associateWebAuthnCredential(): the credential id is a public name for the passkey, not a secret. */
export function passkeyRegisteredMeaning(result: AssociateWebAuthnCredentialOutput): string {
  return `registered: the authenticator holds a new passkey for this page's relying party (id ${result.credentialId.slice(0, 8)}…); Cognito keeps its public key`;
}

export function sessionMeaning(session: AuthSession): string {
  if (!session.tokens) return 'no session: signed out';
  const until = session.expiresAt === undefined ? 'unknown' : new Date(session.expiresAt).toLocaleTimeString();
  return `a session for ${session.username ?? '?'}; the access token (withheld) lasts until ${until}`;
}

export function redirectMeaning(handled: HandledRedirect): string {
  if (handled.type === 'none') return 'none: this load is not a return from the hosted UI';
  if (handled.type === 'signedIn') return 'back from the hosted UI: signed in';
  return `back from /logout: ${signOutMeaning(handled.result)}`;
}
