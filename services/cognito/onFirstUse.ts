import { ErrorNames } from '../../machines/types.js';
import { CognitoCallError } from './errors.js';

/**
 * A module loaded through import() when it is first needed: with code splitting it is a chunk of
 * its own, which a page that never needs it never downloads. A load that fails (offline, or a
 * deploy replaced the chunk) is a NetworkError, as the request it comes before would have been;
 * the next use tries again.
 */
export function onFirstUse<T>(load: () => Promise<T>, what: string): () => Promise<T> {
  return () =>
    load().catch((error: unknown) => {
      throw new CognitoCallError(ErrorNames.network, `${what} could not be loaded (${error instanceof Error ? error.message : String(error)})`);
    });
}
