import { ErrorNames } from '../machines/types.js';

/** A failure of the app's storage, or a call that did not settle in time. Never holds stored values. */
export class StorageError extends Error {
  override readonly name = ErrorNames.storage;
}

/** Errors that pass through the queue as they are (e.g. a refused stale write). */
export type PassThrough = (error: unknown) => boolean;

/**
 * Runs storage calls one at a time, in the order they were asked for, each bounded by
 * `timeoutMs`: a hanging storage fails the call with StorageError and the queue moves on.
 * Any other failure becomes a StorageError that names only what was being done.
 */
export function createStorageQueue(timeoutMs: number, passThrough: PassThrough = () => false) {
  let queue: Promise<unknown> = Promise.resolve();

  async function bounded<T>(what: string, run: () => T | Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StorageError(`Storage did not ${what} within ${timeoutMs} ms`)), timeoutMs);
      });
      return await Promise.race([Promise.resolve().then(run), timeout]);
    } catch (error) {
      if (error instanceof StorageError || passThrough(error)) throw error;
      throw new StorageError(`Could not ${what} in storage (${error instanceof Error ? error.name : 'unknown error'})`);
    } finally {
      clearTimeout(timer);
    }
  }

  return function run<T>(what: string, call: () => T | Promise<T>): Promise<T> {
    const next = queue.then(() => bounded(what, call));
    queue = next.catch(() => undefined);
    return next;
  };
}
