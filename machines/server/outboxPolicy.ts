// What one attempt at a session's sign-out in the fleet outbox means (authchart/server). The stores
// (memory, Redis Streams) report facts: how many intents the attempt left, and how many times the
// entry has been delivered. This decides; docs/server.md shows the loop.

/** What becomes of a fleet outbox entry after an attempt: removed, tried again later, or given up. */
export type OutboxVerdict = 'finished' | 'retry' | 'deadLetter';

/**
 * `left` intents remain in the session's record after the attempt (null: the attempt failed before
 * it could tell), on the entry's `deliveries`-th delivery, of at most `maxDeliveries`.
 * `enqueuedMeanwhile`: the session was enqueued again while the attempt ran (a new sign-out began
 * after the attempt read the record), so what the attempt found is not the last word: tried again.
 */
export function outboxVerdict(left: number | null, deliveries: number, maxDeliveries: number, enqueuedMeanwhile = false): OutboxVerdict {
  if (enqueuedMeanwhile) return 'retry';
  if (left === 0) return 'finished';
  return deliveries >= maxDeliveries ? 'deadLetter' : 'retry';
}

/**
 * What an attempt at a session's sign-out leaves, from what the engine found in the record: the
 * intents its drain left queued (`pendingIntents`), and whether a session is still stored there. A
 * stored session counts as one intent left: its sign-out has not recorded its intent yet, or could
 * not clear the session (a `failed` result, which the user retries), so the record is looked at
 * again later rather than destroyed.
 */
export function leftAfterAttempt(pendingIntents: number, sessionStored: boolean): number {
  return pendingIntents + (sessionStored ? 1 : 0);
}
