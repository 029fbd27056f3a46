/**
 * Every key authchart writes in the app's storage, named once. One app client, one prefix:
 * `authchart.<clientId>.`; the session and the sign-out outbox live apart, so clearing one never
 * touches the other.
 */
export const storageKeys = (clientId: string) => ({
  /** The whole session, one record: cleared by a single removeItem. */
  session: `authchart.${clientId}.session`,
  /** Sign-out intents not finished yet (the key keeps its first name, so stored entries carry over). */
  outbox: `authchart.${clientId}.revocationOutbox`,
  /** A sign-in with redirect (hosted UI) in flight: its state and PKCE verifier, until the redirect comes back. */
  pendingSignIn: `authchart.${clientId}.pendingSignIn`,
  /**
   * A sign-in waiting for its challenge's answer (createAuth's durableChallenges): the challenge,
   * Cognito's Session for it (a secret, kept here and nowhere else), how the sign-in was made and
   * its deadline. Never a password. Removed when the challenge ends, however it ends.
   */
  pendingChallenge: `authchart.${clientId}.pendingChallenge`,
  /** A sign-out at the hosted UI in flight: where /logout returns, and what the sign-out did so far (no token). */
  pendingSignOut: `authchart.${clientId}.pendingSignOut`,
  /** A refresh writing the session back, and a clear removing it (flags: owner and expiry, no token; see sessionGuard.ts). */
  sessionWrite: `authchart.${clientId}.sessionWrite`,
  sessionClear: `authchart.${clientId}.sessionClear`,
  /** Which tab refreshes now, where Web Locks are missing (a lease: owner and expiry, no token). */
  refreshLock: `authchart.${clientId}.refreshLock`,
});
