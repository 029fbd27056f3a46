// What every account flow's chart (machines/account/) shares: the facts its services report, the
// refusals a state answers a call with, and the form of its answers. Each flow is its own small
// machine; its calls are events carrying the caller's id, and it answers each with one emitted
// `answered` event for that id, as the auth chart does (machines/auth/setup.ts). A secret (a code,
// a password, a Session) never travels in an event: the façade deposits it in the instance's vault
// and the event carries the receipt.
import { AccountErrorNames, CognitoExceptions, ErrorNames } from '../errors/registry.js';
import type { ErrorInfo } from '../types.js';

/** Where Cognito sent a code (its CodeDeliveryDetails): the destination masked, as Cognito shows it. */
export interface CodeDelivery {
  /** The address or number, masked as Cognito shows it: `a***@e***`, `+*******1234`. */
  readonly destination: string;
  /** How the code went out. */
  readonly deliveryMedium: 'EMAIL' | 'SMS';
  /** The user attribute it went to: `email`, `phone_number`. */
  readonly attributeName: string;
}

/** A call event's caller: the façade matches the `answered` event to the call by it. */
export interface Asked {
  /** The call's id, unique per createAccount(): the answer carries it back. */
  readonly id: number;
}

/** The answer to a call that failed: Cognito's refusal, the network's, or a state's refusal. */
export interface Failed {
  /** The call failed. */
  readonly kind: 'failed';
  /** Why: an error name of the registry (or Cognito's) and a message free of secrets. */
  readonly error: ErrorInfo;
}

/** The event every account chart emits once per call. */
export interface Answered<A> {
  /** The emitted event's type. */
  readonly type: 'answered';
  /** The id of the call it answers. */
  readonly id: number;
  /** The flow's answer, or why the call failed. */
  readonly answer: A | Failed;
}

/** The typed errors an account chart's state answers a call with when the call cannot run there (docs/calls.md). */
export const ACCOUNT_REFUSALS = {
  /** A call while a step of the same flow runs. */
  stepInProgress: { name: AccountErrorNames.accountStepInProgress, message: 'A step of this flow is running: wait for it to finish' },
  /** A call that needs a signed-in user, with none. */
  notSignedIn: { name: AccountErrorNames.userUnauthenticated, message: 'Nobody is signed in: sign in first' },
  /** autoSignIn() with nothing waiting. */
  noPendingAutoSignIn: { name: AccountErrorNames.noPendingAutoSignIn, message: 'No auto sign-in is waiting: confirm a sign-up made with options.autoSignIn first' },
  /** autoSignIn() past its deadline. */
  autoSignInExpired: { name: AccountErrorNames.autoSignInExpired, message: 'The auto sign-in expired: sign in with the password' },
  /** autoSignIn() while this instance has a user signed in, or a sign-in or sign-out under way. */
  alreadySignedIn: { name: ErrorNames.userAlreadyAuthenticated, message: 'A user is signed in on this instance, or signing in or out: sign out first' },
  /** setUpTotp() over a working TOTP, without `replace`. */
  totpAlreadyEnabled: { name: AccountErrorNames.totpAlreadyEnabled, message: 'TOTP is already enabled for this user: pass { replace: true } to replace it' },
  /** verifyTotpSetup() without a setUpTotp() first. */
  noPendingTotpSetup: { name: AccountErrorNames.noPendingTotpSetup, message: 'verifyTotpSetup() needs a setUpTotp() first' },
  /** rememberDevice() or forgetDevice() of this device, for a session bound to no device. */
  noDevice: { name: AccountErrorNames.deviceNotTracked, message: 'This session has no device: the user pool does not track devices, or the sign-in did not get one' },
  /** associateWebAuthnCredential({ maxSignInAgeSeconds }) longer after the sign-in than that. */
  recentSignInRequired: { name: AccountErrorNames.recentSignInRequired, message: 'The user signed in too long ago to register a passkey: sign in again first' },
} as const satisfies Record<string, ErrorInfo>;

/** The key of one of ACCOUNT_REFUSALS. */
export type AccountRefusal = keyof typeof ACCOUNT_REFUSALS;

/** A failure as an account chart answers it. */
export const failed = (error: ErrorInfo): Failed => ({ kind: 'failed', error });

/** The refusal as an account chart answers it. */
export const refused = (refusal: AccountRefusal): Failed => failed(ACCOUNT_REFUSALS[refusal]);

/** Cognito's refusal of a code that is wrong: the flow stays where it waits for one, for another try. */
export const isWrongCode = (error: ErrorInfo): boolean => error.name === CognitoExceptions.codeMismatch;

export { toErrorInfo } from '../errorInfo.js';
