import { toErrorInfo } from '../machines/errorInfo.js';
import { ErrorNames } from '../machines/types.js';
import type { CognitoService } from '../services/cognito.js';
import { AuthValidationError } from './errors.js';
import { COMPLETE, type SignOutResult } from './results.js';

/**
 * Retries the server half of a partial sign-out with the tokens the result carries: GlobalSignOut
 * and RevokeToken again, concurrently, within the same deadline as a sign-out. The device is
 * already signed out, so no state machine is involved. Resolves with a new result: complete when
 * GlobalSignOut now succeeds, or when the only failed call was RevokeToken and it now succeeds.
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
  const retryable = revokeTokenError && revokeTokenError.name !== ErrorNames.revocationNotEnabled && revokeTokenError.refreshToken;
  const [global, revoke] = await Promise.allSettled([
    globalSignOutError?.accessToken ? cognito.globalSignOut(globalSignOutError.accessToken, signal) : Promise.resolve('skipped' as const),
    retryable ? cognito.revokeToken(revokeTokenError.refreshToken, signal) : Promise.resolve('skipped' as const),
  ]);
  if (globalSignOutError && global.status === 'fulfilled') return COMPLETE;
  const globalError = global.status === 'rejected' ? { ...toErrorInfo(global.reason), accessToken: globalSignOutError?.accessToken ?? '' } : globalSignOutError;
  const revokeError = revoke.status === 'rejected' ? { ...toErrorInfo(revoke.reason), refreshToken: revokeTokenError?.refreshToken ?? '' } : revoke.value === 'skipped' ? revokeTokenError : undefined;
  if (!globalError && !revokeError) return COMPLETE;
  return { type: 'partial', signedOutLocally: true, ...(globalError && { globalSignOutError: globalError }), ...(revokeError && { revokeTokenError: revokeError }) };
}
