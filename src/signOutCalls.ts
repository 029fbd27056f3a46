import type { AuthRuntime } from './authRuntime.js';
import { COMPLETE, toSignOutResult, type SignOutResult } from './results.js';
import { retrySignOut } from './retrySignOut.js';
import { abandonChallenge, CHALLENGE_STATES } from './signInCalls.js';
import { whenEmitted } from './whenEmitted.js';

/** signOut(): bounded by networkTimeoutMs; the refresh token is written ahead to the outbox first. */
export async function runSignOut(rt: AuthRuntime, global: boolean): Promise<SignOutResult> {
  await rt.flights.signingIn?.catch(() => {}); // a sign-out asked for during a sign-in waits for it
  await rt.whenNotIn('loadingSession', 'signOut');
  if (rt.inState(...CHALLENGE_STATES)) {
    abandonChallenge(rt);
    rt.actor.send({ type: 'SIGN_OUT', global }); // cancels the half-done sign-in
  }
  if (!rt.inState('signedIn')) return COMPLETE; // nobody to sign out: no network call
  const tokens = await rt.store.load().catch(() => null); // for the retry tokens of a partial result
  const revocable = rt.actor.getSnapshot().context.session?.revocable === true;
  const condemned = revocable ? tokens?.refreshToken : undefined;
  if (condemned) await rt.revocations.condemn(condemned); // write-ahead: a crash from here on loses nothing
  const settled = whenEmitted(rt.actor, ['signedOut', 'signOutFailed'], rt.stopped, 'signOut');
  rt.actor.send({ type: 'SIGN_OUT', global });
  const result = toSignOutResult((await settled).outcome, tokens);
  if (condemned) await rt.revocations.settle(condemned, result);
  return result;
}

/** retrySignOut(): the failed server calls of a partial result, then the outbox learns the outcome. */
export async function runRetrySignOut(rt: AuthRuntime, result: SignOutResult): Promise<SignOutResult> {
  const retried = await retrySignOut(rt.cognito, result, rt.settings.networkTimeoutMs);
  const token = result.type === 'partial' ? result.revokeTokenError?.refreshToken : undefined;
  if (token) await rt.revocations.settle(token, retried);
  return retried;
}
