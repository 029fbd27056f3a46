import { ErrorNames } from './errors/registry.js';
import type { ErrorInfo } from './types.js';

// What the sign-out chart tells the app's API (createAuth's `revocationEndpoint`) after Cognito's
// calls, and what the API's answer means. Pure functions, no I/O (signOutMachine.ts, `announcing`).

/** What ended at Cognito, as the API is told: this session (RevokeToken), or every session of the user (GlobalSignOut). */
export type AnnounceScope = 'session' | 'user';

/** What the chart reads to decide the announcement. */
export interface AnnounceFacts {
  /** GlobalSignOut succeeded. */
  readonly globalSignedOut: boolean;
  /** RevokeToken succeeded. */
  readonly revoked: boolean;
  /** An outbox intent whose Cognito calls were done by an earlier flow: only the announcement of this is left. */
  readonly pendingAnnouncement?: AnnounceScope;
}

/**
 * What the API is to be told: only what actually ended at Cognito, so the API never refuses a
 * token that Cognito still serves. 'user' after a GlobalSignOut that succeeded, 'session' after a
 * RevokeToken that succeeded, null when nothing ended (nothing to announce). Pure.
 */
export function announcementOf(facts: AnnounceFacts): AnnounceScope | null {
  if (facts.pendingAnnouncement) return facts.pendingAnnouncement;
  if (facts.globalSignedOut) return 'user';
  return facts.revoked ? 'session' : null;
}

/**
 * What the endpoint's status means: 204 is the only "recorded" (a 200 may be a page served for
 * any path); 5xx, 408 and 429 may pass, so a later try can succeed; anything else is the API's
 * final word on this token. Pure.
 */
export function announceFailure(status: number): ErrorInfo | null {
  if (status === 204) return null;
  const later = status >= 500 || status === 408 || status === 429;
  return later
    ? { name: ErrorNames.apiUnavailable, message: `The revocation endpoint answered HTTP ${status}; the outbox tells it later` }
    : { name: ErrorNames.apiRefused, message: `The revocation endpoint answered HTTP ${status}, not 204: the API was not told, and a retry would not change that` };
}

export const announceTimedOut = (ms: number): ErrorInfo => ({
  name: ErrorNames.timeout,
  message: `The revocation endpoint had not answered within networkTimeoutMs (${ms} ms); the request was aborted`,
});
