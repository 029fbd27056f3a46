// signUp(), confirmSignUp(), resendSignUpCode(), autoSignIn() and pendingAutoSignIn(): the façade
// over the sign-up chart (machines/account/signUpMachine.ts). Each validates its argument, sends
// one event, and maps the chart's answer to Amplify JS v6's result. The auto sign-in's record is
// in the app's storage (services/storage/autoSignIn.ts), so it outlives the page.
import { waitFor, type AnyActorRef } from 'xstate';
import { signUpMachine, type SignUpAnswer, type SignUpEvent } from '../../machines/account/signUpMachine.js';
import { ErrorNames } from '../../machines/types.js';
import { toErrorInfo } from '../../machines/errorInfo.js';
import { createSignUpActors } from '../../services/actors/account/signUp.js';
import { CognitoCallError } from '../../services/cognito/errors.js';
import { createAutoSignInStore } from '../../services/storage/autoSignIn.js';
import type { TellTabs } from '../../machines/auth/sessionTypes.js';
import type { SignInResult } from '../results.js';
import { AuthValidationError } from '../errors.js';
import { objectOrUndefined, text } from '../validate.js';
import { toAccountError, type AccountKit } from './kit.js';
import type { CodeDeliveryDetails } from './results.js';

/** signUp()'s argument, as in Amplify JS v6. */
export interface SignUpInput {
  /** The username, or the email or phone when the pool signs in with one: 1 to 128 characters. */
  readonly username: string;
  /** The password: 1 to 256 characters, checked by Cognito against the pool's policy. Never stored, never in the statechart or an error. */
  readonly password: string;
  /** The user's attributes, and whether to sign in after the confirmation. */
  readonly options?: {
    /** The user's attributes, as strings, e.g. `{ email: 'jane@example.com' }`. A sign-up code goes to the one the pool auto-verifies. */
    readonly userAttributes?: Readonly<Record<string, string>>;
    /**
     * Sign the user in after confirmSignUp() without the password: ConfirmSignUp's Session is kept
     * in the configured storage (with the username and its deadline, never the password) until
     * autoSignIn() uses it, on this page, after a reload, or in another tab. Default false.
     */
    readonly autoSignIn?: boolean;
  };
}

/** signUp()'s and confirmSignUp()'s result, as in Amplify JS v6. */
export interface SignUpOutput {
  /** True once the user is confirmed. */
  readonly isSignUpComplete: boolean;
  /** The user's `sub` (SignUp's UserSub); signUp() only. */
  readonly userId?: string;
  /** What the app does next. */
  readonly nextStep: {
    /**
     * CONFIRM_SIGN_UP: a code was sent (see codeDeliveryDetails): call confirmSignUp() with it.
     * COMPLETE_AUTO_SIGN_IN: call autoSignIn() before the deadline (pendingAutoSignIn()).
     * DONE: confirmed; sign in with the password.
     */
    readonly signUpStep: 'CONFIRM_SIGN_UP' | 'COMPLETE_AUTO_SIGN_IN' | 'DONE';
    /** Where Cognito sent the code, masked; CONFIRM_SIGN_UP only, when Cognito said. */
    readonly codeDeliveryDetails?: CodeDeliveryDetails;
  };
}

/** confirmSignUp()'s argument. */
export interface ConfirmSignUpInput {
  /** The username signUp() was called with. */
  readonly username: string;
  /** The code Cognito sent: 1 to 2048 characters. Never stored, never in the statechart or an error. */
  readonly confirmationCode: string;
}

/** resendSignUpCode()'s argument. */
export interface ResendSignUpCodeInput {
  /** The username signUp() was called with. */
  readonly username: string;
}

/** An auto sign-in waiting on this storage: whose, and until when (epoch ms, by AccountOptions.now's clock). */
export interface PendingAutoSignIn {
  /** The user confirmSignUp() confirmed. */
  readonly username: string;
  /** When ConfirmSignUp's Session expires (epoch ms): confirmSignUp()'s time plus createAuth's authSessionValidityMinutes. */
  readonly deadline: number;
}

export interface SignUpCalls {
  /**
   * Creates the user (SignUp). Ends by N, plus 2 × S when `options.autoSignIn` writes its record.
   * Resolves CONFIRM_SIGN_UP (a code went out), or, for a user Cognito confirmed at once, DONE, or
   * COMPLETE_AUTO_SIGN_IN when an auto sign-in was asked and Cognito sent a Session. Rejects with
   * AuthValidationError naming the field, AuthStateError AccountStepInProgress while another step
   * of this flow runs, CognitoServiceError (UsernameExistsException, InvalidPasswordException,
   * InvalidParameterException, CodeDeliveryFailureException, TooManyRequestsException, a Lambda's
   * UserLambdaValidationException, …), or CognitoUnreachableError.
   */
  signUp(input: SignUpInput): Promise<SignUpOutput>;
  /**
   * Confirms the user with the code (ConfirmSignUp). Ends by N + 3 × S. Works after a reload and
   * in another tab: a sign-up asked with `autoSignIn` left its record in the storage. When it did
   * and Cognito answers a Session, the record `{ username, session, deadline }` is written and read
   * back before this resolves COMPLETE_AUTO_SIGN_IN; otherwise DONE (the record, if any, is
   * removed). Rejects with AuthValidationError, AuthStateError AccountStepInProgress,
   * CognitoServiceError (CodeMismatchException: try again, the flow waits for the right code;
   * ExpiredCodeException: resendSignUpCode(); NotAuthorizedException for a user confirmed already;
   * UserNotFoundException, LimitExceededException, TooManyFailedAttemptsException, AliasExistsException),
   * or CognitoUnreachableError.
   */
  confirmSignUp(input: ConfirmSignUpInput): Promise<SignUpOutput>;
  /**
   * Sends a new code (ResendConfirmationCode); the newest one confirms. Ends by N. Rejects with
   * AuthValidationError, AuthStateError AccountStepInProgress, CognitoServiceError
   * (InvalidParameterException for a user confirmed already, LimitExceededException,
   * CodeDeliveryFailureException, UserNotFoundException), or CognitoUnreachableError.
   */
  resendSignUpCode(input: ResendSignUpCodeInput): Promise<CodeDeliveryDetails | undefined>;
  /**
   * Signs in the user confirmSignUp() confirmed, without the password (InitiateAuth USER_AUTH with
   * ConfirmSignUp's Session), from the record in the storage: on this page, after a reload, or in
   * another tab. The tokens are written as a sign-in writes them, the auth instance adopts them as
   * a sign-in of another tab (its `signedIn` event fires, getSession() returns them, the other tabs
   * hear of it) and the record is removed. Ends by N + 6 × S. Nothing signs in by itself: the app
   * calls this. Rejects with AuthStateError NoPendingAutoSignIn (none waits, or the sign-up is not
   * confirmed yet) or AutoSignInExpired (past the deadline: nothing is sent, the record is removed;
   * sign in with the password), UserAlreadyAuthenticatedException (this instance has a user signed
   * in, or is signing one in or out; the record is kept), AccountStepInProgress, CognitoServiceError
   * (NotAuthorizedException: Cognito refused the Session; the record is removed),
   * UnsupportedChallengeException (Cognito asked for an MFA challenge: sign in with the password),
   * StorageError (the tokens could not be kept), or CognitoUnreachableError (the record is kept:
   * call again).
   */
  autoSignIn(): Promise<SignInResult>;
  /**
   * Whether an auto sign-in waits on this storage (confirmSignUp() answered COMPLETE_AUTO_SIGN_IN
   * here, or in another tab or before a reload): whose, and its deadline; null when none does.
   * Past the deadline it is still reported (autoSignIn() then rejects with AutoSignInExpired).
   * Reads the storage only; ends by S. Rejects with StorageError.
   */
  pendingAutoSignIn(): Promise<PendingAutoSignIn | null>;
}

function attributesOf(value: unknown): Record<string, string> {
  const attributes = objectOrUndefined(value, 'options.userAttributes', "{ email: 'jane@example.com' }");
  for (const [key, item] of Object.entries(attributes)) {
    if (typeof item !== 'string') throw new AuthValidationError(`options.userAttributes.${key}`, 'must be a string');
  }
  return attributes as Record<string, string>;
}

/** The Amplify-shaped result of a signUp() or confirmSignUp() answer. */
function signUpOutput(answer: SignUpAnswer): SignUpOutput {
  if (answer.kind === 'signedUp') {
    const step = !answer.userConfirmed ? 'CONFIRM_SIGN_UP' : answer.autoSignIn ? 'COMPLETE_AUTO_SIGN_IN' : 'DONE';
    const delivery = step === 'CONFIRM_SIGN_UP' ? answer.codeDelivery : undefined;
    return { isSignUpComplete: answer.userConfirmed, ...(answer.userSub !== undefined && { userId: answer.userSub }), nextStep: { signUpStep: step, ...(delivery && { codeDeliveryDetails: delivery }) } };
  }
  return { isSignUpComplete: true, nextStep: { signUpStep: answer.kind === 'confirmed' && answer.autoSignIn ? 'COMPLETE_AUTO_SIGN_IN' : 'DONE' } };
}

export function signUpCalls(kit: AccountKit): SignUpCalls {
  const { services, vault, auth, settings } = kit;
  const records = createAutoSignInStore(settings.storage, { clientId: settings.clientId, timeoutMs: settings.storageTimeoutMs });
  const validForMs = settings.authSessionValidityMinutes * 60_000;
  const actors = createSignUpActors({
    ...services,
    records,
    tokens: kit.runtime.store,
    outbox: kit.runtime.outbox,
    signedOut: async (signal) => (await waitFor(auth.actor, (snapshot) => !snapshot.matches('loadingSession'), { signal })).matches('signedOut'),
    async adopt(signal) {
      // The path of a sign-in in another tab: the chart reads the store and adopts what it holds.
      auth.actor.send({ type: 'SIGNED_IN_ELSEWHERE' });
      const tabs = (auth.actor.getSnapshot().children as Record<string, AnyActorRef | undefined>).tabs;
      tabs?.send({ type: 'TELL_TABS', signal: 'signedIn' } satisfies TellTabs);
      const settled = await waitFor(auth.actor, (snapshot) => !snapshot.matches('adoptingSession'), { signal });
      if (!settled.matches('signedIn')) throw new CognitoCallError(ErrorNames.storage, 'The auto sign-in stored its session, and the auth instance did not take it up (it could not read it, or was signing in or out meanwhile)');
    },
  });
  const ask = kit.flow<SignUpEvent, SignUpAnswer>(signUpMachine.provide({ actors }));
  return {
    signUp: async (input) => {
      kit.live('signUp');
      const { username, password, options } = objectOrUndefined(input ?? null, 'signUp input', '{ username, password, options: { userAttributes, autoSignIn } }');
      text('username', username, 128, true);
      text('password', password, 256, false);
      const { userAttributes, autoSignIn = false } = objectOrUndefined(options, 'options', '{ userAttributes, autoSignIn }');
      if (typeof autoSignIn !== 'boolean') throw new AuthValidationError('options.autoSignIn', 'must be a boolean');
      const attributes = attributesOf(userAttributes);
      const ref = vault.deposit(password);
      const answer = await ask('signUp', { type: 'SIGN_UP', username, password: ref, userAttributes: attributes, autoSignIn, at: services.now(), validForMs }).finally(() => vault.discard(ref));
      return signUpOutput(answer);
    },
    confirmSignUp: async (input) => {
      kit.live('confirmSignUp');
      const { username, confirmationCode } = objectOrUndefined(input ?? null, 'confirmSignUp input', '{ username, confirmationCode }');
      text('username', username, 128, true);
      text('confirmationCode', confirmationCode, 2048, true);
      const code = vault.deposit(confirmationCode);
      const answer = await ask('confirmSignUp', { type: 'CONFIRM_SIGN_UP', username, code, at: services.now(), validForMs }).finally(() => vault.discard(code));
      return signUpOutput(answer);
    },
    resendSignUpCode: async (input) => {
      kit.live('resendSignUpCode');
      const { username } = objectOrUndefined(input ?? null, 'resendSignUpCode input', '{ username }');
      text('username', username, 128, true);
      const answer = await ask('resendSignUpCode', { type: 'RESEND_SIGN_UP_CODE', username });
      return answer.kind === 'codeSent' ? answer.codeDelivery : undefined;
    },
    autoSignIn: async () => {
      kit.live('autoSignIn');
      await ask('autoSignIn', { type: 'AUTO_SIGN_IN', at: services.now() });
      return { isSignedIn: true, nextStep: { signInStep: 'DONE' } };
    },
    pendingAutoSignIn: async () => {
      kit.live('pendingAutoSignIn');
      const record = await records.read().catch((error: unknown) => Promise.reject(toAccountError(toErrorInfo(error))));
      return record?.stage === 'confirmed' ? { username: record.username, deadline: record.deadline } : null;
    },
  };
}
