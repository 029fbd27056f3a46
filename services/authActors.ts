import { fromPromise } from 'xstate';
import type { SessionSummary } from '../machines/types.js';
import { ErrorNames } from '../machines/types.js';
import type { SignInInput } from '../machines/authMachine.js';
import { CognitoCallError } from './cognitoErrors.js';
import type { CognitoService } from './cognito.js';
import type { SecretVault } from './secretVault.js';
import { summarizeSession, type TokenStore } from './tokenStore.js';

/** The implementations of the auth machine's own actors (session restore and sign-in). */
export function createAuthActors({ cognito, store, vault }: { cognito: CognitoService; store: TokenStore; vault: SecretVault }) {
  return {
    /** Restores a stored session without a network call; what cannot be read as one is removed. */
    loadSession: fromPromise<SessionSummary | null>(async () => {
      const tokens = await store.load();
      const summary = tokens && summarizeSession(tokens);
      if (tokens && !summary) await store.clear(); // junk, not a session: remove it
      return summary ?? null;
    }),
    signIn: fromPromise<SessionSummary, SignInInput>(async ({ input, signal }) => {
      const password = vault.take(input.credential);
      if (password === undefined) throw new CognitoCallError('InvalidParameterException', 'The password for this sign-in is no longer available');
      const answer = await cognito.initiateAuth({ flow: input.authFlow, username: input.username, password }, signal);
      if (answer.kind === 'challenge') {
        throw new CognitoCallError('ChallengeNotSupported', `Cognito asked for the ${answer.challengeName} challenge, which this version cannot answer yet`);
      }
      const summary = summarizeSession(answer.tokens);
      if (!summary) throw new CognitoCallError(ErrorNames.unexpectedResponse, 'InitiateAuth returned an access token that is not a Cognito JWT');
      await store.save(answer.tokens);
      return summary;
    }),
  };
}
