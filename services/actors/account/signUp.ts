// The sign-up chart's actors (machines/account/signUpMachine.ts): SignUp, ConfirmSignUp,
// ResendConfirmationCode, the auto sign-in's record, and the auto sign-in itself (InitiateAuth
// USER_AUTH with ConfirmSignUp's Session). Each reports what Cognito or the storage said. The
// password and the code are taken out of the vault only as the request is built; a Session goes
// from Cognito to the vault to the record, and from the record to Cognito, never into the chart.
import { fromPromise } from 'xstate';
import { ACCOUNT_REFUSALS } from '../../../machines/account/shared.js';
import type { AutoSignInFacts, Confirmed, RecordToWrite, SignedUp } from '../../../machines/account/signUpMachine.js';
import type { CodeDelivery } from '../../../machines/account/shared.js';
import { ErrorNames } from '../../../machines/types.js';
import { CognitoCallError } from '../../cognito/errors.js';
import type { AutoSignInStore } from '../../storage/autoSignIn.js';
import type { SignOutOutbox } from '../../storage/signOutOutbox.js';
import { summarizeSession, UnstoredError, type TokenStore } from '../../storage/tokenStore.js';
import { secretOf, type AccountServices } from './kit.js';

export interface SignUpServices extends AccountServices {
  /** The auto sign-in's record in the app's storage. */
  readonly records: AutoSignInStore;
  /** The instance's token store: the auto sign-in writes its tokens there as a sign-in does (a new generation, read back). */
  readonly tokens: TokenStore;
  /** The instance's sign-out outbox: a refresh token that could not be stored is revoked from there. */
  readonly outbox: SignOutOutbox;
  /** Whether the auth chart is signed out, once it has read its store (a fact for the chart's guard). */
  readonly signedOut: (signal: AbortSignal) => Promise<boolean>;
  /** Has the auth chart adopt the session just stored, as one another tab stored (and tells the other tabs); resolves once it holds it. */
  readonly adopt: (signal: AbortSignal) => Promise<void>;
}

const noneWaiting = () => new CognitoCallError(ACCOUNT_REFUSALS.noPendingAutoSignIn.name, ACCOUNT_REFUSALS.noPendingAutoSignIn.message);

export function createSignUpActors(services: SignUpServices) {
  const { calls, vault, records } = services;
  return {
    signUp: fromPromise<SignedUp, { readonly username: string; readonly password: string; readonly userAttributes: Readonly<Record<string, string>>; readonly autoSignIn: boolean }>(async ({ input, signal }) => {
      const { session, ...answer } = await calls.signUp({ username: input.username, password: secretOf(vault, input.password), userAttributes: input.userAttributes }, signal);
      // SignUp's Session matters only to an auto sign-in: else it is dropped here.
      return { ...answer, ...(input.autoSignIn && session !== undefined && { sessionRef: vault.deposit(session) }) };
    }),
    confirmSignUp: fromPromise<Confirmed, { readonly username: string; readonly code: string }>(async ({ input, signal }) => {
      const confirmationCode = secretOf(vault, input.code);
      const record = await records.read();
      const asked = record?.stage === 'signedUp' && record.username === input.username;
      const { session } = await calls.confirmSignUp({ username: input.username, confirmationCode, ...(asked && record.session !== undefined && { session: record.session }) }, signal);
      return { autoSignInAsked: asked, ...(asked && session !== undefined && { sessionRef: vault.deposit(session) }) };
    }),
    resendSignUpCode: fromPromise<{ readonly codeDelivery?: CodeDelivery }, { readonly username: string }>(({ input, signal }) => calls.resendSignUpCode({ username: input.username }, signal)),
    saveRecord: fromPromise<void, RecordToWrite>(async ({ input }) => {
      const session = input.sessionRef === undefined ? undefined : secretOf(vault, input.sessionRef);
      await records.write({ stage: input.stage, username: input.username, deadline: input.deadline, ...(session !== undefined && { session }) });
    }),
    clearRecord: fromPromise<void>(() => records.clear()),
    readAutoSignIn: fromPromise<AutoSignInFacts>(async ({ signal }) => {
      const record = await records.read();
      return { pending: record && { stage: record.stage, username: record.username, deadline: record.deadline }, signedOut: await services.signedOut(signal) };
    }),
    autoSignIn: fromPromise<void, { readonly username: string }>(async ({ input, signal }) => {
      // Read again for the Session: another tab may have used it meanwhile.
      const record = await records.read();
      if (record?.stage !== 'confirmed' || record.username !== input.username || record.session === undefined) throw noneWaiting();
      const step = await calls.signInWithSession({ username: record.username, session: record.session }, signal);
      if (step.kind !== 'tokens') throw new CognitoCallError(ErrorNames.unsupportedChallenge, `Cognito asked for the ${step.name} challenge after the sign-up: sign in with the password`);
      const { tokens } = step;
      if (!summarizeSession(tokens, 'password')) throw new CognitoCallError(ErrorNames.unexpectedResponse, 'Cognito returned an access token that is not a Cognito JWT');
      try {
        if (signal.aborted) throw new CognitoCallError(ErrorNames.aborted, 'The auto sign-in was abandoned before its tokens were stored');
        // As a sign-in writes them: checked against this app client and pool, a new generation, read back.
        await services.tokens.save(tokens);
      } catch (error) {
        // The fact the chart decides on (leftTokensUnstored): live at Cognito and stored nowhere, its refresh token's receipt.
        const unstored = !(error instanceof UnstoredError) || error.stored === 'nothing';
        if (unstored && tokens.refreshToken && typeof error === 'object' && error !== null) Object.assign(error, { unstoredRef: vault.deposit(tokens.refreshToken) });
        throw error;
      }
      await services.adopt(signal);
    }),
    revokeUnstored: fromPromise<void, { readonly ref: string }>(async ({ input }) => {
      await services.outbox.queue({ refreshToken: secretOf(vault, input.ref) });
    }),
  };
}
