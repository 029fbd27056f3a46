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
export const announcementOf = (facts: AnnounceFacts): AnnounceScope | null =>
  facts.pendingAnnouncement ?? (facts.globalSignedOut ? 'user' : facts.revoked ? 'session' : null);

/**
 * What the endpoint's status means: 204 is the only "recorded" (a 200 may be a page served for
 * any path): null. 5xx, 408 and 429 may pass, so a later try can succeed
 * (RevocationEndpointUnavailable, retryable); anything else is the API's final word on this token
 * (RevocationEndpointRefused). Pure.
 */
export const announceFailure = (status: number): ErrorInfo | null =>
  status === 204
    ? null
    : { name: status >= 500 || status === 408 || status === 429 ? ErrorNames.apiUnavailable : ErrorNames.apiRefused, message: `The revocation endpoint answered HTTP ${status}` };
