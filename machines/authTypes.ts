// The auth machine's types: its context, the events it takes, what it announces, and the
// sign-in steps its actors report. None of them can hold a secret: references only.
import type { ErrorInfo, SessionSummary, SignOutOutcome } from './types.js';

export type ChallengeName = 'NEW_PASSWORD_REQUIRED' | 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA';

export interface ChallengeSummary {
  readonly name: ChallengeName;
  /** The USERNAME to answer with (Cognito's, which may differ from what the user typed). */
  readonly username: string;
  /** Vault reference to Cognito's challenge Session. */
  readonly sessionRef: string;
  /** Masked, e.g. '+*******1234' (SMS_MFA). */
  readonly codeDeliveryDestination?: string;
  /** Attributes Cognito requires with the new password (NEW_PASSWORD_REQUIRED). */
  readonly missingAttributes?: readonly string[];
}

export type SignInStepOutput = { kind: 'signedIn'; session: SessionSummary } | { kind: 'challenge'; challenge: ChallengeSummary };

export interface SignInInput {
  readonly username: string;
  readonly authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /** Vault reference to the password. */
  readonly credential: string;
}

export interface AnswerInput {
  readonly challenge: ChallengeSummary;
  /** Vault reference to the answer (new password or code). */
  readonly credential: string;
  readonly userAttributes: Readonly<Record<string, string>>;
}

export interface AuthContext {
  readonly session: SessionSummary | null;
  readonly challenge: ChallengeSummary | null;
  readonly lastSignOut: SignOutOutcome | null;
  readonly lastSignInError: ErrorInfo | null;
  readonly lastRefreshError: ErrorInfo | null;
  readonly networkTimeoutMs: number;
}

export type AuthEvent =
  | ({ type: 'SIGN_IN' } & SignInInput)
  | { type: 'CONFIRM_SIGN_IN'; credential: string; userAttributes: Readonly<Record<string, string>> }
  | { type: 'REFRESH' }
  | { type: 'SIGN_OUT'; global: boolean };

/** What the machine announces (actor.on(type, …)); the public API resolves its promises on them. */
export type AuthEmitted =
  | { type: 'signedIn'; username: string }
  | { type: 'signInFailed'; error: ErrorInfo }
  | { type: 'challengeRequired'; challenge: ChallengeSummary }
  | { type: 'challengeAnswerRejected'; error: ErrorInfo }
  | { type: 'tokenRefreshed'; username: string }
  | { type: 'tokenRefreshFailed'; error: ErrorInfo }
  | { type: 'sessionEnded'; error: ErrorInfo }
  | { type: 'signedOut'; outcome: SignOutOutcome }
  | { type: 'signOutFailed'; outcome: SignOutOutcome }
  | { type: 'storageError'; error: ErrorInfo };

