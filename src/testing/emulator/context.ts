// What operation handlers get: the store, the token service, pending challenges and the clock.
import type { Inbox } from './inbox.js';
import type { JsonObject } from './protocol.js';
import type { SrpState } from './srp.js';
import type { Store } from './state.js';
import type { TokenService } from './tokens.js';

export type SessionChallenge = 'NEW_PASSWORD_REQUIRED' | 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP' | 'MFA_SETUP' | 'SELECT_MFA_TYPE'
  /** A remembered device's SRP (devices.ts). */
  | 'DEVICE_SRP_AUTH' | 'DEVICE_PASSWORD_VERIFIER'
  /** ConfirmSignUp's Session, which InitiateAuth USER_AUTH turns into tokens once. */
  | 'CONFIRM_SIGN_UP'
  /** USER_AUTH (operations/userAuth.ts): the choice of a first factor, and the SMS code as one (EMAIL_OTP with `firstFactor`). */
  | 'SELECT_CHALLENGE' | 'SMS_OTP'
  /** USER_AUTH's passkey sign-in (operations/webauthn.ts). */
  | 'WEB_AUTHN';

/** A pending challenge, keyed by its opaque Session (single use, the client's AuthSessionValidity). */
export interface ChallengeSession {
  readonly challenge: SessionChallenge;
  readonly poolId: string;
  readonly clientId: string;
  readonly username: string;
  readonly expiresAt: number;
  /** SMS_MFA: the code that was "sent". */
  readonly smsCode?: string;
  /** SELECT_MFA_TYPE: the factors offered (MFAS_CAN_CHOOSE); MFA_SETUP: those that can be set up. */
  readonly choices?: readonly string[];
  /** MFA_SETUP: VerifySoftwareToken accepted a code on this session (the TOTP setup is done). */
  readonly totpVerified?: boolean;
  /** EMAIL_OTP: the code enables email MFA (answered during MFA_SETUP). */
  readonly emailSetup?: boolean;
  /** USER_AUTH: EMAIL_OTP or SMS_OTP as the first factor (a 'signIn' code), not as MFA. */
  readonly firstFactor?: boolean;
  /** USER_AUTH EMAIL_OTP / SMS_OTP: the code sent for this session (in memory only, never logged). */
  readonly code?: string;
  /** USER_AUTH EMAIL_OTP / SMS_OTP: wrong codes so far on this session. */
  readonly wrongCodes?: number;
  /** USER_AUTH for a user who does not exist (PreventUserExistenceErrors ENABLED): every answer fails. */
  readonly simulated?: boolean;
  /** The DEVICE_KEY the sign-in started with: the tokens are bound to it (devices.ts). */
  readonly deviceKey?: string;
  /** DEVICE_PASSWORD_VERIFIER: the server's half of the device SRP. */
  readonly deviceSrp?: DeviceSrpState;
  /** WEB_AUTHN: the challenge CREDENTIAL_REQUEST_OPTIONS carried (in memory only, never logged). */
  readonly webAuthnChallenge?: string;
}

/** What the server keeps between DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER. */
export interface DeviceSrpState {
  readonly A: bigint;
  readonly B: bigint;
  readonly b: bigint;
  readonly block: string;
}

export interface EmulatorContext {
  readonly store: Store;
  readonly sessions: Map<string, ChallengeSession>;
  /** Pending PASSWORD_VERIFIER steps, keyed by SECRET_BLOCK (single use, 3 minutes). */
  readonly srp: Map<string, SrpState>;
  readonly tokens: TokenService;
  /** The codes "sent" to users (emulator.inbox()). */
  readonly inbox: Inbox;
  readonly region: string;
  readonly now: () => number;
}

/** Handlers return the response body or throw a CognitoError; WebAuthn's verifications return a promise of it. */
export type OperationHandler = (ctx: EmulatorContext, input: JsonObject) => JsonObject | Promise<JsonObject>;
