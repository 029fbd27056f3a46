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
    load().then(exportsOf, (error: unknown) => {
      throw new CognitoCallError(ErrorNames.network, `${what} could not be loaded (${error instanceof Error ? error.message : String(error)})`);
    });
}

/**
 * A module's exports, whichever build it comes from. Through Node's own import(), a module of the
 * CommonJS build (dist/cjs) arrives as `{ default: module.exports }`, its named exports only there
 * (Node does not find them in esbuild's output), and esbuild marks that object `__esModule`.
 */
function exportsOf<T>(module: T): T {
  const inner = (module as { default?: unknown }).default;
  return typeof inner === 'object' && inner !== null && (inner as { __esModule?: unknown }).__esModule === true ? (inner as T) : module;
}
