import type { DrainReport, RevocationOutbox } from '../services/revocationOutbox.js';
import type { SignOutResult } from './results.js';

const NOTHING: DrainReport = Object.freeze({ revoked: 0, dropped: 0, pending: 0 });

/**
 * When the revocation outbox is tried: at start-up, after a sign-out that left a token in it
 * (with the entry's backoff), and on flushRevocations(). Background attempts never reject, and
 * their timers do not keep a Node process alive. Without an outbox, every method does nothing.
 */
export function createRevocationRetries(outbox: RevocationOutbox | undefined, stopped: AbortSignal) {
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** `everyEntry`: ignore the backoff (an explicit flush, or the first drain of a new process). */
  async function flush(everyEntry = true): Promise<DrainReport> {
    if (!outbox) return NOTHING;
    const report = await outbox.drain({ signal: stopped, everyEntry });
    schedule();
    return report;
  }
  function schedule(): void {
    clearTimeout(timer);
    void outbox?.nextAttemptIn().then((wait) => {
      if (wait === null || stopped.aborted) return;
      timer = setTimeout(() => flush(false).catch(() => {}), wait);
      (timer as { unref?: () => void }).unref?.();
    }, () => {});
  }
  /** The first drain of this process: every entry, whatever its backoff. */
  function drainInBackground(): void {
    flush(true).catch(() => {}); // storage or network trouble: the entries wait for the next attempt
  }

  return {
    flush: () => flush(true),
    drainInBackground,
    /** Write-ahead, before RevokeToken is sent. Best effort: failing storage must not block a sign-out. */
    condemn: (token: string) => outbox?.add(token).catch(() => {}),
    /** After a sign-out or a retry: keep the token only if its revocation failed for a retryable reason. */
    async settle(token: string, result: SignOutResult): Promise<void> {
      await outbox?.settle(token, result.type === 'partial' ? result.revokeTokenError : undefined).catch(() => {});
      schedule();
    },
    stop: () => clearTimeout(timer),
  };
}
