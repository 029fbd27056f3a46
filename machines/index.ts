export {
  authMachine,
  type AnswerInput,
  type AuthContext,
  type AuthEmitted,
  type AuthEvent,
  type ChallengeName,
  type ChallengeSummary,
  type SignInInput,
  type SignInStepOutput,
} from './authMachine.js';
export { signOutMachine, outcomeOf, type SignOutContext, type SignOutInput } from './signOutMachine.js';
export { ErrorNames, type ErrorInfo, type SessionSummary, type SignOutOutcome } from './types.js';
