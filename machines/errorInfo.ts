import { ErrorNames } from './errors/registry.js';
import type { ErrorInfo } from './types.js';

// What a name means (retryable, ends the session) is the error registry's: re-exported here, where machines read it.
export { endsSession, isRetryable, RETRYABLE_FAILURES } from './errors/registry.js';

/**
 * Reads { name, message } from what a service rejected with. Services promise errors free of
 * secrets (services/cognito/errors.ts); anything without that shape is reported without details.
 * A config or argument error keeps its `field` (a field's name, never a value).
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (typeof error === 'object' && error !== null) {
    const { name, message, field } = error as { name?: unknown; message?: unknown; field?: unknown };
    if (typeof name === 'string' && typeof message === 'string') {
      return (name === ErrorNames.config || name === ErrorNames.validation) && typeof field === 'string' ? { name, message, field } : { name, message };
    }
  }
  return { name: ErrorNames.unnamed, message: 'The service failed without an error name' };
}

/** `params` for actions on an invoke's onError: the error the actor rejected with. */
export const errorOfEvent = ({ event }: { event: { error: unknown } }): unknown => event.error;
