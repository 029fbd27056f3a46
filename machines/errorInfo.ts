import { ErrorNames, type ErrorInfo } from './types.js';

/**
 * Reads { name, message } from what a service rejected with. Services promise errors free of
 * secrets (services/cognito/errors.ts); anything without that shape is reported without details.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (typeof name === 'string' && typeof message === 'string') return { name, message };
  }
  return { name: 'Error', message: 'The service failed without an error name' };
}

/** `params` for actions on an invoke's onError: the error the actor rejected with. */
export const errorOfEvent = ({ event }: { event: { error: unknown } }): unknown => event.error;

/** Refresh failures that mean the session is over (revoked, expired, signed out elsewhere): not offline. */
const SESSION_OVER = new Set(['NotAuthorizedException', ErrorNames.refreshTokenMissing]);
export const endsSession = (errorName: string): boolean => SESSION_OVER.has(errorName);

/**
 * Failures a later try can fix: the network, a deadline, a server that answered badly or was
 * busy. Anything else is Cognito's final word on that request.
 */
export const RETRYABLE_FAILURES: ReadonlySet<string> = new Set<string>([
  ErrorNames.network,
  ErrorNames.timeout,
  ErrorNames.notSent,
  ErrorNames.unexpectedResponse,
  ErrorNames.redirect,
  'TooManyRequestsException',
  'InternalErrorException',
  'ServiceUnavailableException',
  'AbortError',
]);
export const isRetryable = (errorName: string): boolean => RETRYABLE_FAILURES.has(errorName);
