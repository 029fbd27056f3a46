// A sign-in's write of the tokens it got (password and challenges: signInFlow.ts; the hosted UI's
// code exchange: hostedUiFlows.ts). Both are lazy chunks: so is this.
import type { SignOutOutbox } from '../storage/signOutOutbox.js';
import type { SecretVault } from '../storage/secretVault.js';
import type { LazyKit } from './lazyKit.js';

/**
 * Waits for a sign-in's write of its tokens (`saving`). When the store took it back (UnstoredError,
 * `stored: 'nothing'`), nobody can use those tokens, yet they are live at Cognito: the failure
 * carries that fact as `unstoredTokensRef`, the vault receipt of the refresh token (as JSON, the
 * shape a sign-out's `retry` source reads), never the token; the chart revokes it
 * (leftTokensUnstored ─► revokingUnstored). A step the chart abandoned has nobody to hear its
 * failure: the outbox then holds the token at once, for its next drain. Also the hosted UI's
 * code exchange (hostedUiFlows.ts).
 */
export async function saveOrReport(
  tokens: { readonly refreshToken?: string | undefined },
  saving: Promise<unknown>,
  services: { vault: SecretVault; outbox?: SignOutOutbox | undefined; signal: AbortSignal; kit: LazyKit },
): Promise<void> {
  try {
    await saving;
  } catch (error) {
    const { refreshToken } = tokens;
    if (error instanceof services.kit.UnstoredError && error.stored === 'nothing' && refreshToken) {
      if (services.signal.aborted) await services.outbox?.queue({ refreshToken }).catch(() => undefined);
      else Object.assign(error, { unstoredTokensRef: services.vault.deposit(JSON.stringify({ refreshToken })) });
    }
    throw error;
  }
}
