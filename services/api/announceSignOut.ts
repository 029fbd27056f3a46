// Loaded on first use (signOutActors.ts): a page whose sign-outs announce nothing never fetches it,
// and it takes what it needs from the up-front load as `kit` (lazyKit.ts says why).
import type { LazyKit } from '../actors/lazyKit.js';

/** One announcement: what ended, told to the app's API with the access token as the bearer. */
export interface Announcement {
  /** createAuth's revocationEndpoint. */
  readonly endpoint: string;
  /** The bearer (a secret: it is sent, never reported). */
  readonly accessToken: string;
  /** What ended at Cognito. */
  readonly scope: 'session' | 'user';
  /** networkTimeoutMs: the request is aborted after it, whatever `signal` does. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * POSTs `{ scope }` to the revocation endpoint and resolves the HTTP status, whatever it is (a
 * fact: the sign-out chart decides what it means). A redirect is not followed (its status is what
 * the chart reads). Rejects with NetworkError when nothing answered, TimeoutError or AbortError
 * when the request was aborted. No message carries the token.
 */
export async function announceSignOut(kit: LazyKit, announcement: Announcement): Promise<{ status: number }> {
  const what = 'The announcement to the revocation endpoint';
  const { signal, done } = kit.withDeadline(announcement.signal, announcement.timeoutMs);
  try {
    const response = await fetch(announcement.endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${announcement.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: announcement.scope }),
      redirect: 'manual',
      signal,
    });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    if (signal.aborted) throw kit.abortedCallError(what, signal);
    const message = kit.redact(error instanceof Error ? error.message : String(error), [announcement.accessToken]);
    throw new kit.CognitoCallError(kit.ErrorNames.network, `${what} could not reach it (${message})`);
  } finally {
    done();
  }
}
