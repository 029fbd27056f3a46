import { ErrorNames, PlatformErrorNames } from '../../machines/errors/registry.js';

/**
 * A failure of the app's storage, or a call that did not settle in time. Never holds stored
 * values. Every subclass keeps the name 'StorageError' (ErrorNames.storage), so whoever reports
 * it by name sees one kind of failure; `instanceof` tells the subclasses apart. The public class
 * an app sees is src/errors.ts's StorageError, made from that name.
 */
export class StorageFailure extends Error {
  override readonly name = ErrorNames.storage;
}

/** A storage call that did not settle within its bound. It may still complete later. */
export class StorageTimeoutError extends StorageFailure {}

/**
 * What a browser's Web Storage throws, told apart by the DOMException's name (or its legacy code):
 * the origin's quota is used up (QuotaExceededError; Firefox once said NS_ERROR_DOM_QUOTA_REACHED),
 * or the browser does not let this document use storage at all (SecurityError: a sandboxed iframe
 * without allow-same-origin, blocked third-party storage, site data disabled).
 */
export type StorageFailureKind = 'quotaExceeded' | 'unavailable';

export function storageFailureKind(error: unknown): StorageFailureKind | undefined {
  const { name, code } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown };
  if (/quota/i.test(String(name)) || code === 22) return 'quotaExceeded';
  if (name === PlatformErrorNames.securityError || code === 18) return 'unavailable';
  return undefined;
}

/** What to tell the app when storage is blocked on this page. Shared by the queue and webStorage(). */
export const STORAGE_UNAVAILABLE_ADVICE = 'this page may not use it (a sandboxed iframe, blocked third-party storage, site data off). Leave storage out to keep the session in memory';

/**
 * The name to report for what a storage threw. An Error of this realm gives its own. A
 * DOMException of another realm (an iframe's, or Node's seen from a vm context) is no instance of
 * this realm's Error, and is named only when recognised: a thrown object's `name` could be anything.
 */
export function failureName(error: unknown): string {
  const kind = storageFailureKind(error);
  return error instanceof Error ? error.name : kind ? (kind === 'unavailable' ? PlatformErrorNames.securityError : PlatformErrorNames.quotaExceeded) : 'unknown error';
}

/**
 * The message of a failed storage call: what was being done, and why when the storage said so in
 * a way we recognise. Never the storage's own message, which may quote keys or values.
 */
export function storageFailureMessage(what: string, error: unknown): string {
  const kind = storageFailureKind(error);
  const why = kind === 'quotaExceeded' ? ': the storage is full, so it refused the write. Free some of its space or pass another storage' : kind ? `: storage is unavailable: ${STORAGE_UNAVAILABLE_ADVICE}` : '';
  return `Could not ${what} in storage (${failureName(error)})${why}`;
}

/** Errors that pass through the queue as they are (e.g. a refused stale write). */
export type PassThrough = (error: unknown) => boolean;

/** One turn of the queue: several storage calls that no other call of this queue interleaves. */
export interface StorageStep {
  /**
   * One storage call, bounded by `timeoutMs` and by the step's deadline, whichever comes first.
   * A call that is not made before the step ended is refused; it never reaches the storage.
   */
  call<T>(what: string, fn: () => T | Promise<T>): Promise<T>;
  /** Milliseconds left before the step's deadline (may be negative). */
  remaining(): number;
}

export interface StorageQueue {
  /** One storage call in its turn, bounded by `timeoutMs`. */
  <T>(what: string, call: () => T | Promise<T>): Promise<T>;
  /**
   * A step of several calls in one turn, each bounded by `timeoutMs`, all of them by `budgetMs`
   * from the moment the turn comes (time spent waiting behind earlier calls does not count).
   */
  step<T>(budgetMs: number, body: (step: StorageStep) => Promise<T>): Promise<T>;
}

/**
 * Runs storage calls one at a time, in the order they were asked for, each bounded by
 * `timeoutMs`: a hanging storage fails the call with StorageTimeoutError and the queue moves on.
 * Any other failure becomes a StorageFailure (named StorageError) that names only what was being done.
 */
export function createStorageQueue(timeoutMs: number, passThrough: PassThrough = () => false): StorageQueue {
  let queue: Promise<unknown> = Promise.resolve();

  async function bounded<T>(what: string, run: () => T | Promise<T>, limitMs: number): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StorageTimeoutError(`Storage did not ${what} within ${limitMs} ms`)), limitMs);
      });
      return await Promise.race([Promise.resolve().then(run), timeout]);
    } catch (error) {
      if (error instanceof StorageFailure || passThrough(error)) throw error;
      throw new StorageFailure(storageFailureMessage(what, error));
    } finally {
      clearTimeout(timer);
    }
  }

  function step<T>(budgetMs: number, body: (step: StorageStep) => Promise<T>): Promise<T> {
    const next = queue.then(async () => {
      const deadline = Date.now() + budgetMs;
      let ended = false;
      const remaining = () => deadline - Date.now();
      const turn: StorageStep = {
        remaining,
        call(what, fn) {
          if (ended) return Promise.reject(new StorageFailure(`Storage was not asked to ${what}: its turn had ended`));
          return bounded(what, fn, Math.max(0, Math.min(timeoutMs, remaining())));
        },
      };
      try {
        return await body(turn);
      } finally {
        ended = true;
      }
    });
    queue = next.catch(() => undefined);
    return next;
  }

  const run = <T>(what: string, call: () => T | Promise<T>): Promise<T> => step(timeoutMs, (turn) => turn.call(what, call));
  return Object.assign(run, { step });
}
