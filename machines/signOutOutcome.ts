import { ErrorNames, type ErrorInfo, type FinishedBy, type SignOutOutcome } from './types.js';
import { isRetryable } from './errorInfo.js';
import type { SettleFacts, Settlement, SignOutContext, StoreAfterClear } from './signOutTypes.js';

// What a sign-out flow's facts mean (signOutMachine.ts): the errors it reports, what becomes of its
// outbox entry, and the outcome it ends with. Pure functions, no I/O.

/**
 * The entry goes when the tokens are dead (a call succeeded), or when Cognito's answer is final for
 * that request (no retry can help); it stays, with backoff, when a later try can succeed. A global
 * intent stays global while GlobalSignOut itself may still succeed. Without queueing, nothing would
 * make that later try: the entry lived for this flow only and goes. Tokens killed while the store
 * still holds them (the clear failed) stay, marked revoked, so a reload never restores them. Pure.
 */
export function settlementOf(facts: SettleFacts): Settlement {
  if (!facts.queueing) return 'remove';
  if (facts.globalSignedOut || facts.revoked || facts.pendingAnnouncement) {
    if (facts.clearError) return 'keepRevoked';
    // Cognito's half is done; an announcement a later try can make keeps the entry for it alone.
    return facts.announceError && isRetryable(facts.announceError.name) ? 'keepAnnouncement' : 'remove';
  }
  if (facts.global && facts.globalSignOutError && isRetryable(facts.globalSignOutError.name)) return 'keepGlobal';
  if (facts.revokeTokenError && isRetryable(facts.revokeTokenError.name)) return 'keepLocal';
  return 'remove';
}

/**
 * Whether a sign-out's outcome leaves an intent in the outbox for a later drain, so the outbox is
 * told to watch its backoff: a partial result the outbox finishes, or a failed clear whose server
 * calls failed for a reason a later try can overcome (settlementOf keeps it). Pure.
 */
export function leftIntentQueued(outcome: SignOutOutcome, queueing: boolean): boolean {
  if (outcome.type !== 'failed') return outcome.type === 'partial' && outcome.finishedBy === 'outbox';
  const { globalSignOutError, revokeTokenError, error: clearError } = outcome;
  const errors = { ...(globalSignOutError && { globalSignOutError }), ...(revokeTokenError && { revokeTokenError }) };
  const settlement = settlementOf({ queueing, global: globalSignOutError !== undefined, globalSignedOut: false, revoked: outcome.tokensRevoked, clearError, ...errors });
  return outcome.intentId !== undefined && (settlement === 'keepGlobal' || settlement === 'keepLocal');
}

/**
 * Whether a clear the storage did not confirm emptied the store after all: it reads empty, or it
 * could not be read but its removeItem resolved (nothing says the session is still there). Pure.
 */
export const clearedAfterAll = (store: StoreAfterClear): boolean => store === 'gone' || store === 'removed';

/** The outcome a finished flow reports; pure, exported for the auth machine and for tests. */
export function outcomeOf(context: SignOutContext): SignOutOutcome {
  const { globalSignOutError, revokeTokenError, intentId } = context;
  const id = intentId !== undefined ? { intentId } : {};
  const errors = { ...(globalSignOutError && { globalSignOutError }), ...(revokeTokenError && { revokeTokenError }) };
  const tokensRevoked = context.globalSignedOut || context.revoked;
  // Only with a revocationEndpoint: whether the app's API was told what ended.
  const api = context.announces ? { apiNotified: context.apiNotified, ...(context.announceError && { announceError: context.announceError }) } : {};
  if (context.clearError) return { type: 'failed', error: context.clearError, tokensRevoked, ...errors, ...api, ...id };
  // GlobalSignOut succeeded: every token of the user is dead, whatever else failed.
  if ((context.globalSignedOut || (!globalSignOutError && !revokeTokenError)) && !context.announceError) return { type: 'complete', ...api, ...id };
  return { type: 'partial', global: context.global, ...errors, finishedBy: finisherOf(context), ...api, ...id };
}

/**
 * Whether retrySignOut(result) asks for GlobalSignOut: what the result recorded the sign-out asked
 * for. A result without that record (built by hand, or by an earlier version) is read from what it
 * carries: a globalSignOutError means GlobalSignOut was asked for. Pure.
 */
export function retryIsGlobal(result: {
  /** What the sign-out asked for, as the result recorded it. */
  readonly global?: unknown;
  /** Why GlobalSignOut failed, when it was asked for. */
  readonly globalSignOutError?: unknown;
}): boolean {
  return typeof result.global === 'boolean' ? result.global : result.globalSignOutError !== undefined;
}

function finisherOf(context: SignOutContext): FinishedBy {
  if (context.queued) return 'outbox';
  // No intent was recorded: the tokens could not even be read, so nothing can retry with them.
  if (context.intentId === undefined) return 'nothing';
  const errors = [context.globalSignOutError, context.revokeTokenError];
  const retryable = errors.some((error) => error !== undefined && isRetryable(error.name));
  return retryable ? 'retrySignOut' : 'nothing';
}

export const timedOut = (call: string, ms: number): ErrorInfo => ({
  name: ErrorNames.timeout,
  message: `${call} had not answered within networkTimeoutMs (${ms} ms); the request was aborted`,
});

export const notAttempted = (ms: number): ErrorInfo => ({
  name: ErrorNames.timeout,
  message: `RevokeToken was not sent: networkTimeoutMs (${ms} ms) passed while GlobalSignOut was pending`,
});

export const notSent = (call: string, why: ErrorInfo): ErrorInfo => ({
  name: why.name === ErrorNames.storage ? ErrorNames.notSent : why.name,
  message: `${call} was not sent: ${why.message}`,
});

export const storageSilent = (what: string, ms: number): ErrorInfo => ({
  name: ErrorNames.storage,
  message: `The storage did not ${what} within storageTimeoutMs (${ms} ms)`,
});

/** GlobalSignOut was not sent: the refresh of its expired access token failed (its name kept, so the retry rules apply to it). */
export const refreshFailed = (why: ErrorInfo): ErrorInfo => notSent('GlobalSignOut', { name: why.name, message: `its expired access token's refresh failed: ${why.message}` });

/** The refresh's own failure when it had its half of networkTimeoutMs and did not answer. */
export const refreshTimedOut = (ms: number): ErrorInfo => ({ name: ErrorNames.timeout, message: `no answer within ${ms} ms` });

export const globalSignOutNotSupported: ErrorInfo = {
  name: ErrorNames.globalSignOutNotSupported,
  message: 'GlobalSignOut was not sent: the access token lacks the aws.cognito.signin.user.admin scope (add it to oauth.scopes)',
};

export const revocationNotEnabled: ErrorInfo = {
  name: ErrorNames.revocationNotEnabled,
  message: 'RevokeToken was skipped: token revocation is off on this app client (no origin_jti claim)',
};
