import { fromPromise } from 'xstate';
import { resolverOf, type ServicesSource } from './registry.js';
import type { AnswerInput, SignInInput, SignInStepOutput } from '../../machines/authMachine.js';
import type { SessionSummary, SignInMethod } from '../../machines/types.js';
import { ErrorNames } from '../../machines/types.js';
import { CognitoCallError } from '../cognito/errors.js';
import type { CognitoService } from '../cognito/types.js';
import type { SignOutOutbox } from '../storage/signOutOutbox.js';
import type { SecretVault } from '../storage/secretVault.js';
import { createSignInFlow } from './signInFlow.js';
import { summarizeSession, type TokenStore } from '../storage/tokenStore.js';

export interface AuthServices {
  readonly cognito: CognitoService;
  readonly store: TokenStore;
  readonly vault: SecretVault;
  readonly userPoolId: string;
  /** One deadline for every round trip of a sign-in step. */
  readonly networkTimeoutMs: number;
  readonly outbox: SignOutOutbox;
}

/**
 * The implementations of the auth machine's own actors (sign-out has its own: signOutActors).
 * `services` is one instance's services, or a registry the running instance bound its own to.
 */
export function createAuthActors(services: ServicesSource<AuthServices>) {
  const servicesOf = resolverOf(services);
  return {
    /**
     * Restores a stored session without a network call. What cannot be used as one (bad JSON, half
     * a session, a non-JWT, another client's tokens) is removed, then reported as CorruptSession.
     */
    loadSession: fromPromise<SessionSummary | null>(async ({ system }) => {
      const { store, outbox } = servicesOf(system);
      const stored = await store.read();
      if (!stored) return null;
      if ('summary' in stored) {
        // Its tokens are in the outbox: a sign-out began and the process stopped before it ended.
        const condemned = await outbox.holds(stored.tokens);
        if (!condemned) return stored.summary;
        await store.clear();
        return null;
      }
      await store.clear();
      throw new CognitoCallError(ErrorNames.corruptSession, `Removed a stored session that could not be used: ${stored.corrupt}`);
    }),
    signIn: fromPromise<SignInStepOutput, SignInInput>(({ input, signal, system }) => createSignInFlow(servicesOf(system)).start(input, signal)),
    answerChallenge: fromPromise<SignInStepOutput, AnswerInput>(({ input, signal, system }) => createSignInFlow(servicesOf(system)).answer(input, signal)),
    refreshTokens: fromPromise<SessionSummary, { username: string; signedInWith: SignInMethod }>(async ({ input, signal, system }) => {
      const { cognito, store, outbox } = servicesOf(system);
      const generation = await store.generation(); // from storage: another instance's sign-out changes it too
      const tokens = await store.load();
      if (!tokens?.refreshToken) throw new CognitoCallError(ErrorNames.refreshTokenMissing, 'The stored session has no refresh token');
      const fresh = await cognito.refreshTokens(tokens.refreshToken, input.username, signal);
      const summary = summarizeSession(fresh, input.signedInWith);
      if (!summary) throw new CognitoCallError(ErrorNames.unexpectedResponse, 'REFRESH_TOKEN_AUTH returned an access token that is not a Cognito JWT');
      // Left refreshing (a sign-out began): these tokens must never be written back.
      if (signal.aborted) throw new CognitoCallError('AbortError', 'The refresh was abandoned');
      // Refused if any sign-out cleared the store meanwhile, or began one (its intent is in the outbox).
      const { refreshToken } = tokens;
      await store.save(fresh, { expectedGeneration: generation, stillWanted: async () => !(await outbox.holds({ refreshToken })) });
      return summary;
    }),
    clearSession: fromPromise<void>(({ system }) => servicesOf(system).store.clear()),
  };
}
