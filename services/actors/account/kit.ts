// What the account flows' actors run on (services/actors/account/*): the account calls over the
// instance's transport, and the instance's vault, where the façade leaves each secret a call
// carries (a code, a password, a Session) and an event carries only the receipt.
import { ErrorNames } from '../../../machines/types.js';
import { ACCOUNT_REFUSALS } from '../../../machines/account/shared.js';
import type { AccountCalls } from '../../cognito/accountCalls.js';
import { CognitoCallError } from '../../cognito/errors.js';
import type { SecretVault } from '../../storage/secretVault.js';

export interface AccountServices {
  readonly calls: AccountCalls;
  readonly vault: SecretVault;
  /**
   * The signed-in user's access token, through the auth chart (auth.getSession(): refreshed first
   * when it is about to expire), or null with nobody signed in. Read by an actor as its request is
   * built, so that it never travels in an event or a context.
   */
  readonly accessToken: () => Promise<string | null>;
  /** The library's clock (epoch ms): AccountOptions.now, or Date.now. */
  readonly now: () => number;
}

/** The access token for a call that needs a signed-in user; with nobody signed in, the chart's refusal (UserUnAuthenticatedException), and nothing is sent. */
export async function signedInToken(services: AccountServices): Promise<string> {
  const token = await services.accessToken();
  if (token === null) throw new CognitoCallError(ACCOUNT_REFUSALS.notSignedIn.name, ACCOUNT_REFUSALS.notSignedIn.message);
  return token;
}

/** The secret behind a vault receipt, taken out once; a receipt already taken (the call was stopped) is TokensMissing. */
export function secretOf(vault: SecretVault, ref: string): string {
  const secret = vault.take(ref);
  if (secret === undefined) throw new CognitoCallError(ErrorNames.tokensMissing, 'The secret this call carried is no longer held: call again');
  return secret;
}
