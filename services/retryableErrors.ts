// Which failures are worth trying again later, by error name: the one list every retry decision
// (the revocation outbox, a sign-out retry) reads.
import { ErrorNames } from '../machines/types.js';

/**
 * Failures that say nothing about the token or the request, only about the way to Cognito or its
 * state at that moment: the socket, the deadline, a body that was not Cognito's JSON, a redirect
 * (a misrouting proxy or a captive portal), throttling, Cognito's own 5xx, and an abort.
 */
export const RETRYABLE_FAILURES: ReadonlySet<string> = new Set<string>([
  ErrorNames.network,
  ErrorNames.timeout,
  ErrorNames.unexpectedResponse,
  ErrorNames.redirect,
  'TooManyRequestsException',
  'InternalErrorException',
  'ServiceUnavailableException',
  'AbortError',
]);

/** True when a failure of this name may succeed if tried again later. */
export function isRetryableFailure(name: string): boolean {
  return RETRYABLE_FAILURES.has(name);
}
