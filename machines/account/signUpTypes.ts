// The sign-up chart's events, answers and the facts its actors report (signUpMachine.ts): apart so
// that the chart's file holds the chart.
import type { Asked, CodeDelivery } from './shared.js';

/** Who a sign-up is for. */
export interface ForUser {
  /** The username the app gave. */
  readonly username: string;
}

/** When a call was made, and how long Cognito's Session lasts from then. */
export interface Clocked {
  /** The library's clock when the call was made (epoch ms): AccountOptions.now, or Date.now. */
  readonly at: number;
  /** The app client's AuthSessionValidity in ms (createAuth's authSessionValidityMinutes). */
  readonly validForMs: number;
}

/** signUp(), confirmSignUp(), resendSignUpCode(), autoSignIn(). `password` and `code` are vault receipts, never the secrets. */
export type SignUpEvent =
  | (Asked &
      ForUser &
      Clocked & {
        /** signUp(). */
        readonly type: 'SIGN_UP';
        /** The password's vault receipt. */
        readonly password: string;
        /** The user's attributes. */
        readonly userAttributes: Readonly<Record<string, string>>;
        /** signUp()'s options.autoSignIn. */
        readonly autoSignIn: boolean;
      })
  | (Asked &
      ForUser &
      Clocked & {
        /** confirmSignUp(). */
        readonly type: 'CONFIRM_SIGN_UP';
        /** The code's vault receipt. */
        readonly code: string;
      })
  | (Asked &
      ForUser & {
        /** resendSignUpCode(). */
        readonly type: 'RESEND_SIGN_UP_CODE';
      })
  | (Asked & {
      /** autoSignIn(). */
      readonly type: 'AUTO_SIGN_IN';
      /** The library's clock when the call was made (epoch ms): the record's deadline is checked against it. */
      readonly at: number;
    });

/** What the flow answers a call with, besides a failure. */
export type SignUpAnswer =
  | {
      /** signUp()'s answer. */
      readonly kind: 'signedUp';
      /** Cognito confirmed the user at once (SignUp's UserConfirmed). */
      readonly userConfirmed: boolean;
      /** A record waits for autoSignIn() (COMPLETE_AUTO_SIGN_IN). */
      readonly autoSignIn: boolean;
      /** SignUp's UserSub. */
      readonly userSub?: string;
      /** Where the code went. */
      readonly codeDelivery?: CodeDelivery;
    }
  | {
      /** confirmSignUp()'s answer. */
      readonly kind: 'confirmed';
      /** A record waits for autoSignIn() (COMPLETE_AUTO_SIGN_IN). */
      readonly autoSignIn: boolean;
    }
  | {
      /** resendSignUpCode()'s answer. */
      readonly kind: 'codeSent';
      /** Where the code went. */
      readonly codeDelivery?: CodeDelivery;
    }
  | {
      /** autoSignIn()'s answer: the auth chart holds the session. */
      readonly kind: 'signedIn';
    };

/** What SignUp answered; `sessionRef`, SignUp's Session in the vault, only when an auto sign-in was asked and Cognito sent one. */
export interface SignedUp {
  readonly userConfirmed: boolean;
  readonly userSub?: string;
  readonly codeDelivery?: CodeDelivery;
  readonly sessionRef?: string;
}

/** What ConfirmSignUp answered: whether this storage's record asked for an auto sign-in of this user, and ConfirmSignUp's Session (a vault receipt) when it did and Cognito sent one. */
export interface Confirmed {
  readonly autoSignInAsked: boolean;
  readonly sessionRef?: string;
}

/** The record to write: a sign-up waiting for its code ('signedUp'), or an auto sign-in waiting for autoSignIn() ('confirmed'). The Session is a vault receipt. */
export interface RecordToWrite {
  readonly stage: 'signedUp' | 'confirmed';
  readonly username: string;
  readonly sessionRef?: string;
  readonly deadline: number;
}

/** What readAutoSignIn found: the record (no Session), and whether the auth chart is signed out. */
export interface AutoSignInFacts {
  readonly pending: { readonly stage: 'signedUp' | 'confirmed'; readonly username: string; readonly deadline: number } | null;
  readonly signedOut: boolean;
}
