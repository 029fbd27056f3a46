// The step an account needs before it can sign in, named from Cognito's refusal (the chart's
// `accountStep` answer, answerOfFailure in machines/auth/shared.ts). Only the sign-in flow's chunk
// imports it, so the step names load with it, never up front; it is handed the registry's names.
import type { CognitoExceptions } from '../errors/registry.js';

/** CONFIRM_SIGN_UP for an unconfirmed user (UserNotConfirmedException), else RESET_PASSWORD (PasswordResetRequiredException), in Amplify's names. Pure. */
export const accountStepOf = (name: string, names: typeof CognitoExceptions): 'CONFIRM_SIGN_UP' | 'RESET_PASSWORD' =>
  name === names.userNotConfirmed ? 'CONFIRM_SIGN_UP' : 'RESET_PASSWORD';
