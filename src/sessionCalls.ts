import { endsSession } from '../machines/errorInfo.js';
import type { AuthRuntime } from './authRuntime.js';
import { AuthError } from './errors.js';
import { NO_SESSION, type AuthSession } from './results.js';
import { whenEmitted } from './whenEmitted.js';

/** getSession(): the stored tokens, refreshed first when they expire within the skew (or when forced). */
export async function runGetSession(rt: AuthRuntime, forceRefresh: boolean): Promise<AuthSession> {
  await rt.flights.signingIn?.catch(() => {});
  await rt.whenNotIn('loadingSession', 'getSession');
  if (!rt.inState('signedIn')) return NO_SESSION;
  const { session } = rt.actor.getSnapshot().context;
  if (forceRefresh || !session || session.expiresAt - rt.settings.refreshSkewSeconds * 1000 <= Date.now()) {
    rt.flights.refreshing ??= runRefresh(rt).finally(() => (rt.flights.refreshing = null));
    await rt.flights.refreshing;
    if (!rt.inState('signedIn')) return NO_SESSION;
  }
  const tokens = await rt.store.load();
  const summary = rt.actor.getSnapshot().context.session;
  if (!tokens || !summary) return NO_SESSION;
  return { tokens, username: summary.username, expiresAt: summary.expiresAt };
}

/** One REFRESH_TOKEN_AUTH at a time; every caller shares it. Rejects when tokens were kept. */
async function runRefresh(rt: AuthRuntime): Promise<void> {
  const settled = whenEmitted(rt.actor, ['tokenRefreshed', 'tokenRefreshFailed', 'signedOut', 'signOutFailed'], rt.stopped, 'getSession');
  rt.actor.send({ type: 'REFRESH' });
  const event = await settled;
  if (event.type !== 'tokenRefreshFailed') return;
  if (endsSession(event.error.name)) return rt.whenNotIn('endingSession', 'getSession'); // the session is over
  throw new AuthError(event.error.name, event.error.message); // offline or throttled: tokens kept
}
