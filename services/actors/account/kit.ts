// What the account flows' actors run on (services/actors/account/*): the account calls over the
// instance's transport, and the instance's vault, where the façade leaves each secret a call
// carries (a code, a password, a Session) and an event carries only the receipt.
import { ErrorNames } from '../../../machines/types.js';
import type { AccountCalls } from '../../cognito/accountCalls.js';
import { CognitoCallError } from '../../cognito/errors.js';
import type { SecretVault } from '../../storage/secretVault.js';

export interface AccountServices {
  readonly calls: AccountCalls;
  readonly vault: SecretVault;
}

/** The secret behind a vault receipt, taken out once; a receipt already taken (the call was stopped) is TokensMissing. */
export function secretOf(vault: SecretVault, ref: string): string {
  const secret = vault.take(ref);
  if (secret === undefined) throw new CognitoCallError(ErrorNames.tokensMissing, 'The secret this call carried is no longer held: call again');
  return secret;
}
