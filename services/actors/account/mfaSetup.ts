// The MFA-setup chart's actors (machines/account/mfaSetupMachine.ts): GetUser, AssociateSoftwareToken,
// VerifySoftwareToken and SetUserMFAPreference for the signed-in user, each reporting what Cognito
// said. The access token is read as each request is built (nobody signed in: the chart's refusal,
// nothing sent); the shared secret goes straight into the vault, and only its receipt is reported.
import { fromPromise } from 'xstate';
import type { CognitoMfaFactor, MfaFactorSetting, UserMfaSettings } from '../../../machines/account/mfaSetupMachine.js';
import { ErrorNames } from '../../../machines/types.js';
import { CognitoCallError } from '../../cognito/errors.js';
import { secretOf, signedInToken, type AccountServices } from './kit.js';

export function createMfaSetupActors(services: AccountServices) {
  const { calls, vault } = services;
  return {
    readMfaSettings: fromPromise<UserMfaSettings, void>(async ({ signal }) => {
      const { username, mfaFactors, preferredMfa } = await calls.getUser(await signedInToken(services), signal);
      return { username, mfaFactors, ...(preferredMfa !== undefined && { preferredMfa }) };
    }),
    associateSoftwareToken: fromPromise<{ readonly secret: string }, void>(async ({ signal }) => {
      const { sharedSecret } = await calls.associateSoftwareToken({ accessToken: await signedInToken(services) }, signal);
      return { secret: vault.deposit(sharedSecret) };
    }),
    verifySoftwareToken: fromPromise<void, { readonly code: string; readonly friendlyDeviceName?: string }>(async ({ input, signal }) => {
      const accessToken = await signedInToken(services);
      const { verified } = await calls.verifySoftwareToken({ accessToken }, secretOf(vault, input.code), input.friendlyDeviceName, signal);
      // Cognito answers a wrong code with an exception; a Status other than SUCCESS is no answer this library knows.
      if (!verified) throw new CognitoCallError(ErrorNames.unexpectedResponse, 'VerifySoftwareToken did not answer SUCCESS');
    }),
    setMfaPreference: fromPromise<void, { readonly settings: Partial<Record<CognitoMfaFactor, MfaFactorSetting>> }>(async ({ input, signal }) =>
      calls.setMfaPreference(await signedInToken(services), input.settings, signal),
    ),
  };
}
