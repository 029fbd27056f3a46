// The shapes every Cognito transport shares. Its own module so that the transports
// (services/cognito/sdkTransport.ts, services/cognito/fetchTransport.ts) and their helpers (services/cognito/authParameters.ts)
// import these types without importing each other.
import type { SessionTokens } from '../storage/tokenStore.js';

/**
 * One step of a sign-in: tokens, or a challenge Cognito wants answered. `session` is Cognito's
 * challenge Session: secret and opaque, passed back byte for byte and never decoded.
 */
export type AuthStep =
  | {
      /** Cognito answered with an AuthenticationResult holding an access and an ID token. */
      readonly kind: 'tokens';
      /** The tokens (secrets). A refresh that got no new refresh token keeps the one it sent. */
      readonly tokens: SessionTokens;
      /** NewDeviceMetadata, as Cognito sent it ({ DeviceKey, DeviceGroupKey }): the pool tracks devices, and this sign-in got a new one. */
      readonly device?: Readonly<Record<string, unknown>>;
    }
  | {
      /** Cognito asked for a challenge to be answered. */
      readonly kind: 'challenge';
      /** Cognito's ChallengeName, e.g. 'PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA'; 'UNKNOWN' when it sent none. */
      readonly name: string;
      /** Cognito's challenge Session, when it sent one: a secret, passed back unchanged. */
      readonly session?: string;
      /** Cognito's ChallengeParameters (string values only), e.g. SRP_B, SALT, CODE_DELIVERY_DESTINATION. */
      readonly parameters: Readonly<Record<string, string>>;
      /** Cognito's AvailableChallenges (USER_AUTH's SELECT_CHALLENGE), as sent: the challenges' chunk reads it. */
      readonly available?: unknown;
    };

/** The InitiateAuth flows a sign-in uses: SRP (the password never leaves the device), the password itself, or USER_AUTH (a first factor, chosen or preferred). */
export type AuthFlow = 'USER_PASSWORD_AUTH' | 'USER_SRP_AUTH' | 'USER_AUTH';

/**
 * The Cognito user-pool calls authchart makes. Every method honours `signal` and rejects with a
 * CognitoCallError (name + message free of secrets). SECRET_HASH is added for USERNAME when a
 * client secret is configured. Transports (the AWS SDK one, the fetch one) implement this
 * interface, so the machines and the public API never see a wire format.
 */
export interface CognitoService {
  /** RevokeToken: revokes the refresh token and the access tokens issued from it (ClientSecret sent when configured). */
  revokeToken(refreshToken: string, signal?: AbortSignal): Promise<void>;
  /** GlobalSignOut: invalidates every token of the user, on every device. */
  globalSignOut(accessToken: string, signal?: AbortSignal): Promise<void>;
  /** InitiateAuth with `flow` and its AuthParameters (USERNAME, PASSWORD or SRP_A). */
  initiateAuth(flow: AuthFlow, parameters: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<AuthStep>;
  /** RespondToAuthChallenge: answers challenge `name` with `responses`, passing Cognito's `session` back. */
  respondToAuthChallenge(name: string, session: string | undefined, responses: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<AuthStep>;
  /**
   * REFRESH_TOKEN_AUTH; `username` is only used for SECRET_HASH. Keeps the refresh token unless
   * rotated. `deviceKey`: the device the session is bound to, sent as DEVICE_KEY (Cognito refuses
   * a device-bound refresh token without it).
   */
  refreshTokens(refreshToken: string, username: string, signal?: AbortSignal, deviceKey?: string): Promise<SessionTokens>;
  /**
   * GetTokensFromRefreshToken: new access and ID tokens, and the new refresh token when the app
   * client rotates them (else the one given is kept, as refreshTokens does). The only way to
   * refresh on a rotating client. Sends ClientSecret itself, not SECRET_HASH, when one is configured.
   * Both of authchart's transports have it; optional so that a transport written before it still
   * type-checks (callers fall back to refreshTokens when it is absent).
   */
  getTokensFromRefreshToken?(refreshToken: string, signal?: AbortSignal, deviceKey?: string): Promise<SessionTokens>;
  /**
   * AssociateSoftwareToken or VerifySoftwareToken with a sign-in's MFA_SETUP `Session`: Cognito's
   * members in, its JSON answer out (`secrets` are redacted from errors). What a TOTP setup during
   * sign-in sends; and ConfirmDevice, for the device a sign-in got (confirmingDevice). Both of
   * authchart's transports have it; a transport without it cannot set up TOTP during a sign-in
   * (UnsupportedChallenge), nor confirm a device (deviceError).
   */
  mfaSetup?(operation: 'AssociateSoftwareToken' | 'VerifySoftwareToken' | 'ConfirmDevice', payload: Readonly<Record<string, unknown>>, secrets: string[], signal?: AbortSignal): Promise<Readonly<Record<string, unknown>>>;
}

/** The account operations, by Cognito's names. */
export type AccountOperation =
  | 'SignUp'
  | 'ConfirmSignUp'
  | 'ResendConfirmationCode'
  | 'ForgotPassword'
  | 'ConfirmForgotPassword'
  | 'ChangePassword'
  | 'GetUser'
  | 'UpdateUserAttributes'
  | 'VerifyUserAttribute'
  | 'GetUserAttributeVerificationCode'
  | 'DeleteUserAttributes'
  | 'DeleteUser'
  | 'AssociateSoftwareToken'
  | 'VerifySoftwareToken'
  | 'SetUserMFAPreference'
  | 'InitiateAuth'
  | 'ConfirmDevice'
  | 'UpdateDeviceStatus'
  | 'ForgetDevice'
  | 'ListDevices'
  | 'StartWebAuthnRegistration'
  | 'CompleteWebAuthnRegistration'
  | 'ListWebAuthnCredentials'
  | 'DeleteWebAuthnCredential';
