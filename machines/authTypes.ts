// The auth machine's types, one file per region under machines/auth/: the calls (callTypes.ts),
// sign-in (signInTypes.ts), the session (sessionTypes.ts), sign-out (signOutTypes.ts), and the
// chart as a whole (types.ts). This file gathers them for the services and the public API.
export { CHALLENGES, CHALLENGE_NAMES } from './auth/signInTypes.js';
export type { AnswerInput, ChallengeName, ChallengeSummary, OpenedHostedUi, RedirectOutcome, RedirectSignInInput, SignInInput, SignInStepOutput } from './auth/signInTypes.js';
export type { CallAnswer, CallEvent, OutboxCall, SessionCall } from './auth/callTypes.js';
export type { SessionNews, StoredChallenge, TellTabs } from './auth/sessionTypes.js';
export type { HostedUiSignOutTarget, OpenedLogout } from './auth/signOutTypes.js';
export type { AuthContext, AuthEmitted, AuthEvent, AuthInput } from './auth/types.js';
