// Loaded on first use (signOutActors.ts): a page whose sign-outs announce nothing never fetches it,
// and it takes what it needs from the up-front load as `kit` (lazyKit.ts says why).
import type { LazyKit } from '../actors/lazyKit.js';
import type { FetchLike } from '../cognito/fetchTransport.js';
import type { SignOutOutbox } from '../storage/signOutOutbox.js';

/** What the announcement reads: createAuth's revocationEndpoint and networkTimeoutMs, and the outbox holding the intent's access token. */
export interface AnnounceServices {
  readonly revocationEndpoint?: string;
  readonly networkTimeoutMs?: number;
  readonly outbox: SignOutOutbox;
  readonly fetch?: FetchLike;
}

/**
 * POSTs `{ scope }` to the revocation endpoint with the intent's access token as the bearer, and
 * resolves the HTTP status, whatever it is (a fact: the sign-out chart decides what it means). A
 * redirect is not followed (its status is what the chart reads). Bounded by networkTimeoutMs
 * whatever `signal` does. Rejects with NetworkError when nothing answered, TimeoutError or
 * AbortError when the request was aborted, TokensMissing without a token. No message carries the token.
 */
export async function announceSignOut(
  kit: LazyKit,
  services: AnnounceServices,
  input: { readonly intentId: string; readonly scope: 'session' | 'user' },
  outer?: AbortSignal,
): Promise<{ status: number }> {
  const accessToken = services.outbox.tokensOf(input.intentId)?.accessToken;
  const endpoint = services.revocationEndpoint;
  if (!accessToken || endpoint === undefined) throw new kit.CognitoCallError(kit.ErrorNames.tokensMissing, 'The sign-out intent has no access token, or no revocationEndpoint, to announce with');
  const what = 'The announcement to the revocation endpoint';
  const { signal, done } = kit.withDeadline(outer, services.networkTimeoutMs ?? 3000);
  try {
    const send: FetchLike = services.fetch ?? ((url, init) => globalThis.fetch(url, init));
    const response = await send(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: input.scope }),
      redirect: 'manual',
      signal,
    });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    if (signal.aborted) throw kit.abortedCallError(what, signal);
    throw new kit.CognitoCallError(kit.ErrorNames.network, `${what} could not reach it (${kit.redact(error instanceof Error ? error.message : String(error), [accessToken])})`);
  } finally {
    done();
  }
}
