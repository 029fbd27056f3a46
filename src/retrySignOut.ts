import { toErrorInfo } from '../machines/errorInfo.js';
import { ErrorNames } from '../machines/types.js';
import type { CognitoService } from '../services/cognito.js';
import { liveAccessToken } from '../services/liveAccessToken.js';
import { AuthValidationError } from './errors.js';
import { COMPLETE, type SignOutResult } from './results.js';

/**
 * Retries the server half of a partial sign-out with the tokens the result carries, as the
 * sign-out does: GlobalSignOut first (with a fresh access token if the one carried has expired
 * and the refresh token is still alive), then RevokeToken only if it is still needed. Never both
 * at once: RevokeToken would revoke the access token GlobalSignOut is using. The device is already
 * signed out, so no state machine is involved; one deadline bounds the whole retry.
 */
export async function retrySignOut(cognito: CognitoService, result: SignOutResult, timeoutMs: number): Promise<SignOutResult> {
  if (typeof result !== 'object' || result === null || !['complete', 'partial', 'failed'].includes((result as { type?: unknown }).type as string)) {
    throw new AuthValidationError('result', 'must be a SignOutResult returned by signOut()');
  }
  if (result.type === 'complete') return result;
  if (result.type === 'failed') {
    throw new AuthValidationError('result', "is 'failed': the session is still on this device, so call signOut() again rather than retrySignOut()");
  }
  const signal = AbortSignal.timeout(timeoutMs);
  const { globalSignOutError, revokeTokenError } = result;
  const refreshToken = revokeTokenError?.refreshToken || undefined; // alive only if its revocation failed
  let globalError = globalSignOutError;
  if (globalSignOutError?.accessToken) {
    try {
      const accessToken = await liveAccessToken(cognito, { accessToken: globalSignOutError.accessToken, refreshToken }, signal);
      await cognito.globalSignOut(accessToken, signal);
      return COMPLETE; // every token of the user is now invalid
    } catch (error) {
      globalError = { ...toErrorInfo(error), accessToken: globalSignOutError.accessToken };
    }
  }
  let revokeError = revokeTokenError;
  if (revokeTokenError && refreshToken && revokeTokenError.name !== ErrorNames.revocationNotEnabled) {
    try {
      await cognito.revokeToken(refreshToken, signal);
      revokeError = undefined;
    } catch (error) {
      revokeError = { ...toErrorInfo(error), refreshToken };
    }
  }
  if (!globalError && !revokeError) return COMPLETE;
  return { type: 'partial', signedOutLocally: true, ...(globalError && { globalSignOutError: globalError }), ...(revokeError && { revokeTokenError: revokeError }) };
}
