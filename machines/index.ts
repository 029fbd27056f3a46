export {
  authMachine,
  type AnswerInput,
  type AuthContext,
  type AuthEmitted,
  type AuthEvent,
  type AuthInput,
  type CallAnswer,
  type CallEvent,
  type ChallengeName,
  type ChallengeSummary,
  type HostedUiSignOutTarget,
  type OpenedHostedUi,
  type OpenedLogout,
  type RedirectOutcome,
  type RedirectSignInInput,
  type SessionCall,
  type SignInInput,
  type SignInStepOutput,
  type StoredChallenge,
  type StoredSession,
  type StoredSessionRecord,
  type TellTabs,
} from './authMachine.js';
export { acrossNavigation, hostedUiErrors, withHostedUiError } from './hostedUiSignOut.js';
export { signOutMachine, clearedAfterAll, outcomeOf, retryIsGlobal, settlementOf, type AccessScope, type IntentFacts, type IntentSource, type RecordedIntent, type SettleFacts, type SettleInput, type Settlement, type SignOutContext, type SignOutInput, type StoreAfterClear } from './signOutMachine.js';
export { outboxMachine, type OutboxContext, type OutboxEvent, type OutboxInput, type PickedIntent } from './outboxMachine.js';
export { REFUSALS, type Refusal } from './refusals.js';
export { ErrorNames, type DrainReport, type ErrorInfo, type FinishedBy, type HostedUiSignOutError, type SessionSummary, type SignInMethod, type SignOutOutcome } from './types.js';
export * from './account/index.js';
