// The sign-in region's types: the challenges the chart answers, what the sign-in steps take and
// report, and the hosted UI's sign-in round trip. None of them can hold a secret: references only.
import type { SessionSummary, SignOutOutcome } from '../types.js';

/**
 * The challenges authchart answers, by Cognito's names. The sign-in flow accepts these (any other
 * is its error), and the chart has one state for all of them (`awaitingChallengeAnswer`, keyed by
 * `context.challenge.name`), so a new challenge is one row here (plus its public step in
 * src/results.ts). `answer` is which of confirmSignIn()'s fields answers it (machines/auth/challenges.ts:
 * MFA_SETUP's depends on its stage), `wire` the ChallengeResponses key that carries the answer (MFA_SETUP's: an address),
 * `step` the public step it is (nextStep.signInStep; MFA_SETUP's, before a factor is chosen). The
 * chart imports only the types of this file, so the table loads with the challenges' chunk, not up front.
 */
export const CHALLENGES = {
  /** A temporary password must be replaced. */
  NEW_PASSWORD_REQUIRED: { answer: 'challengeResponse', wire: 'NEW_PASSWORD', step: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' },
  /** The code of the user's authenticator app. */
  SOFTWARE_TOKEN_MFA: { answer: 'challengeResponse', wire: 'SOFTWARE_TOKEN_MFA_CODE', step: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' },
  /** The code Cognito texted. */
  SMS_MFA: { answer: 'challengeResponse', wire: 'SMS_MFA_CODE', step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' },
  /** The code Cognito emailed (email MFA, or USER_AUTH's EMAIL_OTP first factor: the same step). */
  EMAIL_OTP: { answer: 'challengeResponse', wire: 'EMAIL_OTP_CODE', step: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' },
  /** The user chooses which of their MFA factors to use now (`mfaType`). */
  SELECT_MFA_TYPE: { answer: 'mfaType', wire: 'ANSWER', step: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' },
  /** The pool requires MFA and the user has none: a factor is chosen (`mfaType`), then set up (a TOTP code, or an `email`). */
  MFA_SETUP: { answer: 'mfaType', wire: 'EMAIL', step: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION' },
  /**
   * USER_AUTH: the user chooses a first factor (`challengeResponse`, one of `availableChallenges`).
   * A code factor is answered to Cognito at once (`ANSWER`); PASSWORD and PASSWORD_SRP wait for the
   * password first (the stage `firstFactor`, CONFIRM_SIGN_IN_WITH_PASSWORD), then go with it.
   */
  SELECT_CHALLENGE: { answer: 'challengeResponse', wire: 'ANSWER', step: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION' },
  /** USER_AUTH: the sign-in code Cognito texted (a first factor, not MFA). */
  SMS_OTP: { answer: 'challengeResponse', wire: 'SMS_OTP_CODE', step: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' },
  /**
   * USER_AUTH: a passkey. The engine, not the user, answers it: the authenticator's assertion for
   * CREDENTIAL_REQUEST_OPTIONS goes back as CREDENTIAL (challengeFlow.ts, answerWithPasskey), inline,
   * as many times in a row as Cognito asks. Its step is seen only by an app that answers it itself.
   */
  WEB_AUTHN: { answer: 'challengeResponse', wire: 'CREDENTIAL', step: 'CONFIRM_SIGN_IN_WITH_PASSKEY' },
} as const satisfies Record<string, { readonly answer: AnswerField; readonly wire: string; readonly step: string }>;
/** A challenge authchart answers, by Cognito's name: a key of CHALLENGES. */
export type ChallengeName = keyof typeof CHALLENGES;
/** The names of CHALLENGES, in its order: what the sign-in flow accepts from Cognito. */
export const CHALLENGE_NAMES = Object.keys(CHALLENGES) as readonly ChallengeName[];

/** The field of confirmSignIn()'s argument that holds an answer: a code or new password, a factor, or an email address. */
export type AnswerField = 'challengeResponse' | 'mfaType' | 'email';
/** A first factor of USER_AUTH (a choice-based sign-in), by Cognito's and Amplify's name. */
export type FirstFactor = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
/** An MFA factor, by Amplify's public name. */
export type MfaType = 'TOTP' | 'SMS' | 'EMAIL';

/** A challenge Cognito asked for, as the machine holds it: no secret, only a vault reference to Cognito's Session. */
export interface ChallengeSummary {
  /** Which challenge. */
  readonly name: ChallengeName;
  /** The USERNAME to answer with (Cognito's, which may differ from what the user typed). */
  readonly username: string;
  /** Vault reference to Cognito's challenge Session. */
  readonly sessionRef: string;
  /**
   * When Cognito's challenge Session expires, in epoch milliseconds: when the step that met the
   * challenge began, plus AuthSessionValidity (createAuth's authSessionValidityMinutes). A
   * confirmSignIn() from then on is refused with SignInSessionExpired, and nothing is sent. Absent
   * (a bare machine's own actors): never checked here, Cognito decides.
   */
  readonly deadline?: number;
  /** How the sign-in was made (SRP or the password itself); absent from a bare machine's own actors. */
  readonly authFlow?: SignInInput['authFlow'];
  /** Masked, e.g. '+*******1234' (SMS_MFA). */
  readonly codeDeliveryDestination?: string;
  /** Attributes Cognito requires with the new password (NEW_PASSWORD_REQUIRED). */
  readonly missingAttributes?: readonly string[];
  /** The factors the user may choose from (SELECT_MFA_TYPE), or set up (MFA_SETUP: TOTP and EMAIL only). */
  readonly mfaTypes?: readonly MfaType[];
  /** MFA_SETUP once a factor is chosen: the factor being set up (TOTP: a code of the new secret; EMAIL: an address). */
  readonly setup?: 'TOTP' | 'EMAIL';
  /** Vault reference to the new TOTP shared secret (MFA_SETUP with TOTP): read once, into the step's totpSetupDetails. */
  readonly secretRef?: string;
  /** The first factors the user may choose from (SELECT_CHALLENGE), in Cognito's order. */
  readonly availableChallenges?: readonly FirstFactor[];
  /** SELECT_CHALLENGE once PASSWORD or PASSWORD_SRP is chosen: the password is due (nothing was sent yet). */
  readonly firstFactor?: 'PASSWORD' | 'PASSWORD_SRP';
}

/** What the `signIn` and `answerChallenge` actors resolve: signed in (tokens stored), or the next challenge. */
export type SignInStepOutput =
  | {
      /** Signed in: the tokens are stored. */
      kind: 'signedIn';
      /** The new session, without tokens. */
      session: SessionSummary;
      /**
       * Cognito gave this sign-in a new device (NewDeviceMetadata): the vault reference to what
       * confirming it takes (its keys and the access token). The chart confirms it (confirmingDevice).
       */
      device?: string;
    }
  | {
      /** Cognito wants a challenge answered. */
      kind: 'challenge';
      /** The challenge. */
      challenge: ChallengeSummary;
    };

/** The `signIn` actor's input (and, with an id, the SIGN_IN event's fields). */
export interface SignInInput {
  /** The username, as given to signIn(). */
  readonly username: string;
  /** SRP, the password itself, or USER_AUTH (a choice-based sign-in: a first factor, chosen or preferred). */
  readonly authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'USER_AUTH';
  /** USER_AUTH: the first factor asked for (PREFERRED_CHALLENGE); absent: Cognito offers a choice. */
  readonly preferredChallenge?: FirstFactor;
  /** Vault reference to the password ('' deposited for USER_AUTH without one). */
  readonly credential: string;
}

/** The `answerChallenge` actor's input. */
export interface AnswerInput {
  /** The challenge being answered. */
  readonly challenge: ChallengeSummary;
  /** Vault reference to the answer (new password, code, factor or address). */
  readonly credential: string;
  /** Which of confirmSignIn()'s fields the answer came in: a challenge that takes another refuses it, and nothing is sent. Absent: challengeResponse. */
  readonly field?: string | undefined;
  /** Attributes sent with a new password (confirmSignIn's `options.userAttributes`); `{}` otherwise. */
  readonly userAttributes: Readonly<Record<string, string>>;
}


/** The `openHostedUi` actor's input: signInWithRedirect()'s options (see SignInWithRedirectOptions). */
export interface RedirectSignInInput {
  /** `identity_provider`, e.g. 'Google'; absent: the hosted UI's choice. */
  readonly provider?: string;
  /** App data handed back after the round trip (not a secret: it is stored). */
  readonly customState?: string;
  /** `prompt`, e.g. 'login' (managed login only). */
  readonly prompt?: string;
  /** `login_hint` (managed login only). */
  readonly loginHint?: string;
}

/** What opening the hosted UI led to. */
export type OpenedHostedUi =
  | {
      /** The page is going away; handleRedirect() finishes on the next load. */
      readonly kind: 'navigating';
    }
  | {
      /** The auth session came back. */
      readonly kind: 'returned';
      /** Vault reference to the URL it came back to. */
      readonly credential: string;
    }
  | {
      /** The user closed it. */
      readonly kind: 'cancelled';
    };

/** What a return from the hosted UI led to: a sign-in finished, a sign-out at /logout finished (with what it did), or neither. */
export type RedirectOutcome =
  | {
      /** The code was exchanged and the tokens stored. */
      readonly kind: 'signedIn';
      /** The new session, without tokens. */
      readonly session: SessionSummary;
      /** The sign-in's customState, if it had one. */
      readonly customState?: string;
    }
  | {
      /** A return from /logout: the sign-out recorded before the page went there. */
      readonly kind: 'signedOut';
      /** What that sign-out did, every layer included. */
      readonly outcome: SignOutOutcome;
    }
  | {
      /**
       * The hosted UI (or its identity provider) sent the sign-in back with an OAuth error instead of
       * a code. A fact as received: what it means (a user who declined, or a failure) is the chart's
       * decision (oauthRefusalOf in machines/auth/shared.ts).
       */
      readonly kind: 'oauthError';
      /** The OAuth `error` code as received (e.g. `access_denied`, `invalid_request`); only `[A-Za-z0-9_.-]`, at most 64 characters. */
      readonly error: string;
      /** The hosted UI's own text, redacted (anything token-shaped) and capped at 400 characters, so the message stays within 512; empty when it sent none. */
      readonly description: string;
    }
  | {
      /** Neither: the URL is no return authchart waits for. */
      readonly kind: 'none';
    };

