// Public types of the Cognito emulator. Everything here is re-exported by src/testing/emulator.ts.

/** Operations the emulator implements, and the names faults can target. */
export type EmulatorOperation =
  | 'InitiateAuth'
  | 'RevokeToken'
  | 'GlobalSignOut'
  | 'GetUser'
  | 'CreateUserPool'
  | 'UpdateUserPool'
  | 'DescribeUserPool'
  | 'CreateUserPoolClient'
  | 'UpdateUserPoolClient'
  | 'DescribeUserPoolClient'
  | 'GetTokensFromRefreshToken'
  | 'AdminCreateUser'
  | 'AdminSetUserPassword'
  | 'RespondToAuthChallenge'
  // Sign-up and passwords
  | 'SignUp'
  | 'ConfirmSignUp'
  | 'ResendConfirmationCode'
  | 'AdminConfirmSignUp'
  | 'ForgotPassword'
  | 'ConfirmForgotPassword'
  | 'ChangePassword'
  | 'AdminResetUserPassword'
  // Attributes and DeleteUser
  | 'UpdateUserAttributes'
  | 'GetUserAttributeVerificationCode'
  | 'VerifyUserAttribute'
  | 'DeleteUserAttributes'
  | 'DeleteUser'
  // MFA setup and choice
  | 'SetUserPoolMfaConfig'
  | 'GetUserPoolMfaConfig'
  | 'AssociateSoftwareToken'
  | 'VerifySoftwareToken'
  | 'SetUserMFAPreference'
  // Devices (operations/devices.ts)
  | 'ConfirmDevice'
  | 'UpdateDeviceStatus'
  | 'ListDevices'
  | 'GetDevice'
  | 'ForgetDevice'
  | 'AdminUpdateDeviceStatus'
  | 'AdminGetDevice'
  | 'AdminListDevices'
  | 'AdminForgetDevice'
  // WebAuthn (passkeys)
  | 'StartWebAuthnRegistration'
  | 'CompleteWebAuthnRegistration'
  | 'ListWebAuthnCredentials'
  | 'DeleteWebAuthnCredential';

/** One code the emulator "sent" to a user (CognitoEmulator.inbox()). */
export interface EmulatorInboxMessage {
  /** What it is for. */
  readonly purpose: 'signUp' | 'resetPassword' | 'attribute' | 'mfa' | 'signIn';
  /** How it went out. */
  readonly channel: 'EMAIL' | 'SMS';
  /** The address or number, in full. */
  readonly destination: string;
  /** The code (6 digits). */
  readonly code: string;
  /** The emulator's clock when it was sent, in epoch ms. */
  readonly sentAt: number;
}

/** A fault the emulator injects instead of (or before) the normal answer. */
export type Fault =
  /** Answer normally, after `ms` milliseconds. */
  | {
      /** Delay the normal answer. */
      type: 'latency';
      /** The delay, in ms (at least 0; a negative one throws RangeError at faults.set()). */
      ms: number;
    }
  /** Accept the request and never answer; the socket stays open until `close()`. */
  | {
      /** Never answer. */
      type: 'blackhole';
    }
  /** Destroy the socket without a response (ECONNRESET on the client). */
  | {
      /** Reset the connection. */
      type: 'reset';
    }
  /** A bare HTTP status; the body defaults to a small HTML error page. */
  | {
      /** Answer with a bare HTTP status. */
      type: 'httpStatus';
      /** The status, 100-599 (anything else throws RangeError at faults.set()). */
      status: number;
      /** The body. Default: a small HTML error page. */
      body?: string;
      /** The content-type. Default 'text/html' for the default body, 'text/plain' for a given one. */
      contentType?: string;
    }
  /** A Cognito-style JSON error; status defaults to 400 (500 for InternalErrorException). */
  | {
      /** Answer with a Cognito error. */
      type: 'error';
      /** The exception name, e.g. 'NotAuthorizedException', 'TooManyRequestsException'. */
      name: string;
      /** The error message. Default `Injected <name>`. */
      message?: string;
      /** The HTTP status. Default 400 (500 for InternalErrorException). */
      status?: number;
    }
  /** HTTP 200 with a truncated, unparseable JSON body. */
  | {
      /** Answer 200 with a cut-off JSON body. */
      type: 'malformed';
    }
  /** A redirect (default 307) to `location`, with an empty body: a misrouting proxy or a captive portal. */
  | {
      /** Answer with a 3xx redirect. */
      type: 'redirect';
      /** The Location header (non-empty, or faults.set() throws RangeError). */
      location: string;
      /** The redirect status. Default 307. */
      status?: 301 | 302 | 303 | 307 | 308;
    };

/** An app client's hosted-UI (OAuth 2.0) settings, as CreateUserPoolClient takes them. */
export interface HostedUiClientOptions {
  /** Hosted UI: the allowed redirect_uri values (CallbackURLs, exact match). Default [] (the OAuth endpoints then refuse every redirect_uri). */
  callbackUrls?: string[];
  /** Hosted UI: the allowed logout_uri values of GET /logout (LogoutURLs). Default []. */
  logoutUrls?: string[];
  /** AllowedOAuthScopes. Default ['openid','email','phone','profile','aws.cognito.signin.user.admin']. */
  allowedOAuthScopes?: string[];
  /** AllowedOAuthFlows. Default ['code'] (the only flow the emulator implements). */
  allowedOAuthFlows?: string[];
  /** AllowedOAuthFlowsUserPoolClient. Default true here (false through the CreateUserPoolClient API, as Cognito). */
  allowedOAuthFlowsUserPoolClient?: boolean;
  /** SupportedIdentityProviders: 'COGNITO' (the login form) and/or 'Google' (the emulator's stand-in). Default ['COGNITO']. */
  supportedIdentityProviders?: string[];
}

/** An app client's refresh-token rotation (Cognito's RefreshTokenRotationType). */
export interface EmulatorRefreshTokenRotation {
  /** 'ENABLED': every refresh returns a new refresh token and retires the one presented. */
  feature: 'ENABLED' | 'DISABLED';
  /** An integer 0-60: how long a retired refresh token still works, for client retries. Default 0. */
  retryGracePeriodSeconds?: number;
}

/** faults.set()'s options. */
export interface FaultOptions {
  /** Apply to the next `times` matching requests (a positive integer, or RangeError), then clear. Default: until cleared. */
  times?: number;
}

/**
 * The OAuth endpoints as the request log names them. Faults can target them by name; '*' applies
 * to the JSON API only.
 */
export type EmulatorOAuthEndpoint = 'oauth2/authorize' | 'oauth2/token' | 'oauth2/revoke' | 'oauth2/userInfo' | 'logout' | 'login' | 'mfa' | 'google/authorize';

/** What a fault applies to: one operation, one OAuth endpoint, or '*' (every JSON API operation without a fault of its own). */
export type FaultTarget = EmulatorOperation | EmulatorOAuthEndpoint | '*';

/** The emulator's fault injection (`emulator.faults`). */
export interface EmulatorFaults {
  /** One fault per target; a specific operation wins over '*'. */
  set(op: FaultTarget, fault: Fault, options?: FaultOptions): void;
  /** Clear one target, or every fault when called without an argument. */
  clear(op?: FaultTarget): void;
}

/** One entry of the request log. Never holds tokens, passwords or bodies. */
export interface EmulatorRequestRecord {
  /** The X-Amz-Target operation name ('' when the header was missing). */
  operation: string;
  /** HTTP status sent, or what happened instead of a response. */
  status: number | 'blackholed' | 'reset';
  /** The fault type applied to this request, if any. */
  fault?: Fault['type'];
}

/**
 * The `iss` of the tokens the emulator mints:
 * - 'endpoint': `<endpoint>/<poolId>`, where the emulator serves the pool's discovery document and
 *   JWKS, so an OIDC client or a JWKS verifier pointed at that issuer finds them;
 * - 'aws': `https://cognito-idp.<region>.amazonaws.com/<poolId>`, Cognito's own (the region is the
 *   pool id's prefix), so `aws-jwt-verify`'s CognitoJwtVerifier accepts the tokens unchanged once
 *   it has the keys from `emulator.jwks(userPoolId)`.
 */
export type EmulatorIssuer = 'endpoint' | 'aws';

/**
 * One public key of a pool's JWKS, as Cognito serves it at `/.well-known/jwks.json`. (A type
 * alias, not an interface, so that it is assignable to JSON types such as aws-jwt-verify's `Jwk`.)
 */
export type EmulatorJwk = {
  /** Key type: always 'RSA'. */
  kty: 'RSA';
  /** The key id, the `kid` in the header of the tokens it signs. */
  kid: string;
  /** Algorithm: always 'RS256'. */
  alg: 'RS256';
  /** Use: always 'sig'. */
  use: 'sig';
  /** The RSA modulus, base64url. */
  n: string;
  /** The RSA public exponent, base64url ('AQAB'). */
  e: string;
};

/** A pool's JSON Web Key Set: what Cognito serves at `/<poolId>/.well-known/jwks.json`. */
export type EmulatorJwks = {
  /** The keys that sign the pool's tokens. */
  keys: EmulatorJwk[];
};

/** startCognitoEmulator()'s options. */
export interface CognitoEmulatorOptions {
  /** Port to listen on (127.0.0.1). Default 0: a free port. */
  port?: number;
  /** Region used in pool ids and ARNs. Default 'us-east-1'. */
  region?: string;
  /** Access and ID token lifetime unless a client sets AccessTokenValidity. Default 3600. */
  accessTokenTtlSeconds?: number;
  /** Clock in epoch milliseconds, for expiry tests. Default Date.now. */
  now?: () => number;
  /** The tokens' `iss` (see EmulatorIssuer). Default 'endpoint'; anything else throws RangeError. */
  issuer?: EmulatorIssuer;
}

/**
 * A user pool's settings, with the member names of CreateUserPool and UpdateUserPool (members left
 * out get Cognito's defaults: the password policy of 8 characters with upper and lower case,
 * numbers and symbols; MFA off; nothing verified automatically).
 */
export interface EmulatorPoolSettings {
  /** The pool's policies. */
  Policies?: {
    /** What a password must have. */
    PasswordPolicy?: {
      /** 6-99. Default 8. */
      MinimumLength?: number;
      /** Default true when PasswordPolicy is left out, false when it is given without it. */
      RequireUppercase?: boolean;
      /** As RequireUppercase. */
      RequireLowercase?: boolean;
      /** As RequireUppercase. */
      RequireNumbers?: boolean;
      /** As RequireUppercase. */
      RequireSymbols?: boolean;
      /** How long a temporary password lasts. Default 7. */
      TemporaryPasswordValidityDays?: number;
    };
    /** How users may sign in. */
    SignInPolicy?: {
      /** What USER_AUTH offers; it must include 'PASSWORD'. Default ['PASSWORD']. */
      AllowedFirstAuthFactors?: Array<'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN'>;
    };
  };
  /** Whether sign-ins need MFA. Default 'OFF'. */
  MfaConfiguration?: 'OFF' | 'ON' | 'OPTIONAL';
  /** Where sign-up codes go. Default none. */
  AutoVerifiedAttributes?: Array<'email' | 'phone_number'>;
  /** How an email or phone change is made. */
  UserAttributeUpdateSettings?: {
    /** The attributes whose old value stays until the new one is verified. Default none. */
    AttributesRequireVerificationBeforeUpdate?: Array<'email' | 'phone_number'>;
  };
  /** Device tracking: giving any member turns it on (sign-ins then return NewDeviceMetadata). Default: off. */
  DeviceConfiguration?: {
    /** A remembered device answers device SRP instead of MFA (when the pool's MFA is ON or OPTIONAL). Default false. */
    ChallengeRequiredOnNewDevice?: boolean;
    /** ConfirmDevice leaves the device not_remembered until UpdateDeviceStatus remembers it. Default false. */
    DeviceOnlyRememberedOnUserPrompt?: boolean;
  };
}

/** createUserPoolClient()'s options. */
export interface CreateUserPoolClientOptions extends HostedUiClientOptions {
  /** The pool to create the client in. */
  userPoolId: string;
  /** Default 'authchart-test-client'. */
  clientName?: string;
  /** Give the client a secret (as a server-side app's). Default false. */
  generateSecret?: boolean;
  /** Default true, like Cognito for new clients. */
  enableTokenRevocation?: boolean;
  /** Default ['ALLOW_USER_PASSWORD_AUTH','ALLOW_USER_SRP_AUTH','ALLOW_REFRESH_TOKEN_AUTH']. */
  explicitAuthFlows?: string[];
  /** Access/ID token lifetime for this client; default: the emulator's accessTokenTtlSeconds. */
  accessTokenTtlSeconds?: number;
  /** RefreshTokenRotation. Default: rotation off. A grace period outside 0-60 throws RangeError. */
  refreshTokenRotation?: EmulatorRefreshTokenRotation;
  /** PreventUserExistenceErrors 'ENABLED' (true) or 'LEGACY' (false, the default here). */
  preventUserExistenceErrors?: boolean;
  /** AuthSessionValidity, in minutes (3-15): how long a challenge's Session lasts. Default 3. */
  authSessionValidity?: number;
}

/** createUser()'s options. */
export interface CreateUserOptions {
  /** The pool to create the user in. */
  userPoolId: string;
  /** The username. */
  username: string;
  /** The password (the temporary one when `permanent` is false). */
  password: string;
  /** User attributes, e.g. `{ email: 'a@example.com' }`. */
  attributes?: Record<string, string>;
  /** true (default): CONFIRMED; false: FORCE_CHANGE_PASSWORD with `password` as the temporary one. */
  permanent?: boolean;
  /** false: UNCONFIRMED, as after SignUp without confirmation; sign-in then fails with UserNotConfirmedException. Default true. */
  confirmed?: boolean;
  /**
   * The MFA every sign-in of this user must pass after the password, enabled and preferred (a TOTP
   * secret verified at once). The pool's MfaConfiguration becomes OPTIONAL if it was OFF, and the
   * factor is enabled in the pool. 'EMAIL_OTP' sends a code to the `email` attribute. Default: none.
   */
  mfa?: EmulatorMfaType | 'EMAIL_OTP';
  /** E.164 number, stored as the `phone_number` attribute; SMS_MFA defaults it to '+15555550100'. */
  phoneNumber?: string;
}

/** TOTP from an authenticator app (RFC 6238), or a code sent by SMS. */
export type EmulatorMfaType = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA';

/** setup() takes the client's hosted-UI settings too, with CreateUserPoolClientOptions' defaults. */
export interface SetupOptions extends HostedUiClientOptions {
  /** Give the client a secret. Default false. */
  generateSecret?: boolean;
  /** Token revocation on the client. Default true. */
  enableTokenRevocation?: boolean;
  /** The user's username. Default 'test-user'. */
  username?: string;
  /** Gives the user this MFA (see CreateUserOptions.mfa). */
  mfa?: EmulatorMfaType;
  /** The client's refresh-token rotation (see CreateUserPoolClientOptions.refreshTokenRotation). */
  refreshTokenRotation?: EmulatorRefreshTokenRotation;
  /** The pool's settings (CreateUserPool's members). */
  userPool?: EmulatorPoolSettings;
  /** The client's ExplicitAuthFlows (see CreateUserPoolClientOptions). */
  explicitAuthFlows?: string[];
  /** The client's PreventUserExistenceErrors (see CreateUserPoolClientOptions). */
  preventUserExistenceErrors?: boolean;
  /** The client's AuthSessionValidity in minutes (see CreateUserPoolClientOptions). */
  authSessionValidity?: number;
}

/** What setup() created. */
export interface SetupResult {
  /** The new pool's id. */
  userPoolId: string;
  /** The new app client's id. */
  clientId: string;
  /** The client's secret, with `generateSecret`. */
  clientSecret?: string;
  /** The CONFIRMED user's username (with `email` and `email_verified` attributes). */
  username: string;
  /** The user's generated password. */
  password: string;
}

/** A running Cognito emulator, as startCognitoEmulator() resolves it. */
export interface CognitoEmulator {
  /** 'http://127.0.0.1:PORT': createAuth's `endpoint` (and `oauth.domain` for the hosted UI). */
  readonly endpoint: string;
  /** The region in pool ids (options.region, default 'us-east-1'). */
  readonly region: string;
  /** Stops listening and destroys every open socket, blackholed ones included. */
  close(): Promise<void>;
  /** Fault injection, per operation. */
  readonly faults: EmulatorFaults;
  /** Creates a user pool (name default 'authchart-test-pool'), with CreateUserPool's settings. */
  createUserPool(name?: string, settings?: EmulatorPoolSettings): {
    /** The new pool's id, `<region>_<id>`. */
    userPoolId: string;
  };
  /** Creates an app client in a pool. */
  createUserPoolClient(options: CreateUserPoolClientOptions): {
    /** The new client's id. */
    clientId: string;
    /** Its secret, with `generateSecret`. */
    clientSecret?: string;
  };
  /** Creates a user: CONFIRMED by default (see CreateUserOptions). */
  createUser(options: CreateUserOptions): void;
  /** A pool, a client and a CONFIRMED user with a generated password, in one call. */
  setup(options?: SetupOptions): SetupResult;
  /**
   * The code the user would type now for their preferred factor (else TOTP, SMS, email, the first
   * enabled): for SOFTWARE_TOKEN_MFA the RFC 6238 TOTP code (SHA-1, 30 s, 6 digits) of the verified
   * secret at the emulator's `now`; for SMS_MFA the code of the last SMS "sent"; for EMAIL_OTP the
   * newest MFA code in the inbox. Throws if the user has no MFA, or no code has been sent yet.
   */
  mfaCode(userPoolId: string, username: string): string;
  /**
   * The code an authenticator app shows now for `sharedSecret` (Cognito's base32 SecretCode, e.g.
   * setUpTotp()'s `sharedSecret`), on the emulator's clock: RFC 6238, SHA-1, 30 s, 6 digits. For a
   * TOTP set up but not verified yet, which mfaCode() does not know of.
   */
  totpCode(sharedSecret: string): string;
  /**
   * Every code "sent" to the user, oldest first: `{ purpose, channel, destination, code, sentAt }`
   * (sign-up, password reset, attribute verification, MFA and sign-in codes). `userPoolId` may be
   * left out when the emulator has one pool; otherwise it throws. The newest code of a purpose always
   * confirms; each operation's docs say how long it does. For tests: codes never leave the process.
   */
  inbox(
    username: string,
    options?: {
      /** The user's pool; may be left out when the emulator has one pool. */
      readonly userPoolId?: string;
    },
  ): readonly EmulatorInboxMessage[];
  /** Every request so far, in order (no tokens, passwords or bodies). */
  readonly requests: ReadonlyArray<EmulatorRequestRecord>;
  /** Empties `requests`. */
  resetRequests(): void;
  /**
   * Whether a refresh or access token this emulator issued has been revoked (RevokeToken,
   * GlobalSignOut): true or false, or undefined for a token it never issued. Read-only, for tests.
   */
  tokenRevoked(token: string): boolean | undefined;
  /**
   * The pool's JWKS, as served at `<endpoint>/<poolId>/.well-known/jwks.json` (and by Cognito at
   * `<issuer>/.well-known/jwks.json`): hand it to aws-jwt-verify's `verifier.cacheJwks()` so the
   * verifier never fetches keys. Throws ResourceNotFoundException for a pool that does not exist.
   */
  jwks(userPoolId: string): EmulatorJwks;
}
