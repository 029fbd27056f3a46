// Layer 3 of a sign-out: the hosted UI's `cognito` cookie, which only a browser visit to /logout
// ends. Pure helpers for the auth machine's `recordingHostedUiSignOut` and `openingLogout` states:
// what the result says when that visit does not happen, and what survives the page navigating away.
import { ErrorNames, type HostedUiSignOutError, type SignOutOutcome } from './types.js';

/** The outcome once layer 3 did not end: partial, with `hostedUiError`; failed outcomes never get here. */
export function withHostedUiError(outcome: SignOutOutcome, hostedUiError: HostedUiSignOutError): SignOutOutcome {
  if (outcome.type === 'failed') return outcome;
  if (outcome.type === 'complete') {
    const { type: _, ...rest } = outcome; // the intent id, and whether the app's API was told
    return { type: 'partial', hostedUiError, finishedBy: 'openLogoutUrl', ...rest };
  }
  return { ...outcome, hostedUiError };
}

/**
 * What is recorded for the return from /logout: the outcome without the intent id (the vault and
 * its retry tokens die with the page). A failure left to retrySignOut() then has nothing to retry
 * with; one the outbox holds is still finished by it.
 */
export function acrossNavigation(outcome: SignOutOutcome): Extract<SignOutOutcome, { type: 'complete' | 'partial' }> {
  if (outcome.type === 'complete') return { type: 'complete', ...(outcome.apiNotified !== undefined && { apiNotified: outcome.apiNotified }) };
  if (outcome.type === 'failed') throw new TypeError('A failed sign-out never goes to /logout');
  const { intentId: _, ...rest } = outcome;
  return { ...rest, finishedBy: rest.finishedBy === 'retrySignOut' ? 'nothing' : rest.finishedBy };
}

const COOKIE_LIVES = 'the cognito cookie may still sign this browser in';

/** The `hostedUiError` of a sign-out whose /logout visit did not happen, one builder per reason. */
export const hostedUiErrors = {
  /** HostedUiNotConfigured: a hosted-UI session signed out by an instance without `oauth`; no logoutUrl. */
  notConfigured: (): HostedUiSignOutError => ({
    name: ErrorNames.hostedUiNotConfigured,
    message: `This instance has no oauth config to build /logout from: ${COOKIE_LIVES}`,
  }),
  /** HostedUiSignOutCancelled: the user closed the auth session on /logout. */
  cancelled: (logoutUrl: string): HostedUiSignOutError => ({
    name: ErrorNames.hostedUiSignOutCancelled,
    message: `/logout was closed before it came back: ${COOKIE_LIVES}; open logoutUrl to end it`,
    logoutUrl,
  }),
  /** HostedUiSignOutNotOpened: /logout could not be opened, for the reason `why`. */
  notOpened: (logoutUrl: string, why: string): HostedUiSignOutError => ({
    name: ErrorNames.hostedUiSignOutNotOpened,
    message: `/logout was not opened (${why}): ${COOKIE_LIVES}; open logoutUrl to end it`,
    logoutUrl,
  }),
};
